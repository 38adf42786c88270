import { createHmac, hkdfSync } from 'node:crypto'
import type { Static } from 'typebox'
import { Value } from 'typebox/value'
import { DomainError } from '../../../lib/domain-error.js'
import { randomToken, sameDigest } from '../../../lib/secrets.js'
import type { PaymentOutcome, PaymentProvider } from '../payment-provider.js'
import { SandboxEventBody } from '../topups.schemas.js'

export const SANDBOX = 'sandbox'
export const SANDBOX_SIGNATURE_HEADER = 'x-sandbox-signature'
export const SANDBOX_EVENTS_PATH = '/v1/providers/sandbox/events'
export const sandboxCheckoutPath = (paymentId: string) => `/sandbox/checkout/${paymentId}`

export type SandboxEvent = Static<typeof SandboxEventBody>

/** The sandbox's callback signing key: HKDF-SHA256 of the server's secret key, so it needs no setting. */
export function sandboxKey(secretKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), 'protus/sandbox-provider', 32))
}

/**
 * The built-in test-mode gateway: a checkout page served by PROTUS itself and a callback signed
 * like a real gateway's (hex HMAC-SHA256 of the raw body). It moves no real money.
 */
export function createSandboxProvider(deps: { publicUrl: string; key: Buffer }) {
  const sign = (rawBody: string) => createHmac('sha256', deps.key).update(rawBody, 'utf8').digest('hex')

  return {
    name: SANDBOX,

    async startPayment() {
      // The checkout link alone lets its holder pay or decline, so it is unguessable.
      const paymentId = randomToken(18, 'sbx_')
      return { paymentId, checkoutUrl: deps.publicUrl + sandboxCheckoutPath(paymentId) }
    },

    /** The callback the gateway sends when the payer pays or declines. */
    event(paymentId: string, outcome: PaymentOutcome): { body: string; signature: string } {
      const body = JSON.stringify({ payment_id: paymentId, outcome } satisfies SandboxEvent)
      return { body, signature: sign(body) }
    },

    /** Checks the signature over the raw body before reading anything from it. */
    verify(rawBody: string, signature: string | undefined): SandboxEvent {
      const presented = Buffer.from(
        /^[0-9a-f]{64}$/i.test(signature ?? '') ? (signature as string) : '',
        'hex',
      )
      if (!sameDigest(presented, Buffer.from(sign(rawBody), 'hex'))) {
        throw new DomainError(
          'invalid_signature',
          `${SANDBOX_SIGNATURE_HEADER} is not the HMAC-SHA256 of the body under the sandbox key`,
        )
      }
      let event: unknown
      try {
        event = JSON.parse(rawBody)
      } catch {
        throw new DomainError('malformed_json', 'the event is not JSON')
      }
      if (!Value.Check(SandboxEventBody, event)) {
        throw new DomainError('validation_failed', 'the event must be {payment_id, outcome}', {
          errors: [{ field: '/', message: 'must be {payment_id: string, outcome: "succeeded" | "failed"}' }],
        })
      }
      return event
    },
  } satisfies PaymentProvider & Record<string, unknown>
}

export type SandboxProvider = ReturnType<typeof createSandboxProvider>
