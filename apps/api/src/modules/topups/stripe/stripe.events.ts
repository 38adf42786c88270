import Stripe from 'stripe'
import { DomainError } from '../../../lib/domain-error.js'
import { unstorable } from '../../../lib/text.js'
import type { PaymentEvent, PaymentOutcome } from '../payment-provider.js'

type Session = Stripe.Checkout.Session

/** A session's outcome as Stripe reports it; an async payment still being processed is pending. */
export function outcomeOf(session: Session): PaymentOutcome | 'pending' {
  if (session.payment_status === 'paid') return 'succeeded'
  if (session.status === 'expired') return 'failed'
  return 'pending'
}

/** The events that settle a top-up, and the outcome each one means. */
const outcomes: Partial<Record<Stripe.Event.Type, (session: Session) => PaymentOutcome | 'pending'>> = {
  // Paid now, or (unpaid) an async payment method that settles later with one of the two below.
  'checkout.session.completed': outcomeOf,
  'checkout.session.async_payment_succeeded': () => 'succeeded',
  'checkout.session.async_payment_failed': () => 'failed',
  'checkout.session.expired': () => 'failed',
}

function verified(client: Stripe, secret: string, rawBody: Buffer, signature: string | undefined) {
  try {
    return client.webhooks.constructEvent(rawBody, signature ?? '', secret)
  } catch (error) {
    if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
      throw new DomainError('webhook_signature_invalid', `Stripe-Signature: ${error.message}`)
    }
    // Signed but unreadable: only Stripe can sign, so this is a body of a shape it never sends.
    throw new DomainError('malformed_json', 'the event is not a Stripe webhook event')
  }
}

/**
 * Verifies a Stripe webhook over its raw body, then answers the Checkout Session it settles, or
 * `null` for every other event (Stripe may send more than the endpoint asked for).
 */
export function readStripeEvent(
  client: Stripe,
  secret: string,
  rawBody: Buffer,
  signature: string | undefined,
): PaymentEvent | null {
  const event = verified(client, secret, rawBody, signature)
  const outcomeFor = outcomes[event.type]
  if (!outcomeFor) return null
  const session = event.data?.object as Session | undefined
  // The raw body passed no request checks: its text is checked here, once the signature holds.
  if (typeof session?.id !== 'string' || unstorable(session.id)) {
    throw new DomainError('validation_failed', `${event.type} carries no Checkout Session`, {
      errors: [{ field: '/data/object/id', message: 'must be the Checkout Session id' }],
    })
  }
  const outcome = outcomeFor(session)
  return outcome === 'pending' ? null : { paymentId: session.id, outcome }
}
