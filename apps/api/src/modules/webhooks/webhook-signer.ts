import { Webhook } from 'standardwebhooks'

/** Decoding a secret costs more than signing with it; secrets are few, so keep their signers. */
const signers = new Map<string, Webhook>()

function signerFor(secret: string): Webhook {
  let signer = signers.get(secret)
  if (!signer) {
    if (signers.size >= 1000) signers.clear()
    signer = new Webhook(secret)
    signers.set(secret, signer)
  }
  return signer
}

/**
 * Standard Webhooks headers for one attempt. During a secret rotation every live secret signs,
 * newest first, space-separated, so receivers verify with either secret.
 */
export function signedHeaders(
  secrets: readonly string[],
  eventId: string,
  sentAt: Date,
  body: string,
): Record<string, string> {
  return {
    'content-type': 'application/json',
    'webhook-id': eventId,
    'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
    'webhook-signature': secrets.map((secret) => signerFor(secret).sign(eventId, sentAt, body)).join(' '),
  }
}
