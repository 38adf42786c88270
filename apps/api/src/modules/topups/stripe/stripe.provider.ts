import Stripe from 'stripe'
import type { StripeConfig } from '../../../config.js'
import { DomainError } from '../../../lib/domain-error.js'
import type { PaymentProvider } from '../payment-provider.js'
import { outcomeOf, readStripeEvent } from './stripe.events.js'

export const STRIPE = 'stripe'

/** Where the client sends its requests: Stripe itself, or another base URL (a local fake in tests). */
function endpointOf(apiBase: string | undefined): Pick<Stripe.StripeConfig, 'host' | 'port' | 'protocol'> {
  if (!apiBase) return {}
  const url = new URL(apiBase)
  const protocol = url.protocol === 'http:' ? 'http' : 'https'
  return { host: url.hostname, port: url.port || (protocol === 'http' ? 80 : 443), protocol }
}

/**
 * Stripe's refusal of the payment itself (an amount or currency it does not take) is the payer's
 * answer, 422; anything else from Stripe (unreachable, keys wrong, rate limited) is 502.
 */
function providerError(error: unknown): never {
  if (error instanceof Stripe.errors.StripeInvalidRequestError) {
    throw new DomainError('payment_provider_refused', `Stripe refused the payment: ${error.message}`)
  }
  if (error instanceof Stripe.errors.StripeError) {
    throw new DomainError('payment_provider_unavailable', `Stripe did not open the payment: ${error.message}`)
  }
  throw error
}

/**
 * Stripe Checkout: each top-up is a Checkout Session in payment mode for its amount, the top-up id
 * its `client_reference_id`, metadata and idempotency key. The payer comes back to `returnUrl`
 * whether they paid or gave up; PROTUS learns the outcome from Stripe's signed events and, when
 * one is late or lost, by retrieving the session.
 */
export function createStripeProvider(deps: StripeConfig & { returnUrl: (topupId: string) => string }) {
  const client = new Stripe(deps.secretKey, {
    ...endpointOf(deps.apiBase),
    // Requests run inside the top-up's transaction: fail fast; retries reuse the idempotency key.
    timeout: 20_000,
    maxNetworkRetries: 2,
    telemetry: false,
  })

  return {
    name: STRIPE,

    async startPayment(topup: { id: string; amount: bigint; currency: string }) {
      const returnUrl = deps.returnUrl(topup.id)
      const session = await client.checkout.sessions
        .create(
          {
            mode: 'payment',
            client_reference_id: topup.id,
            metadata: { protus_topup_id: topup.id },
            payment_intent_data: { metadata: { protus_topup_id: topup.id } },
            line_items: [
              {
                quantity: 1,
                price_data: {
                  currency: topup.currency.toLowerCase(),
                  unit_amount: Number(topup.amount),
                  product_data: { name: 'PROTUS wallet top-up' },
                },
              },
            ],
            success_url: returnUrl,
            cancel_url: returnUrl,
          },
          { idempotencyKey: topup.id },
        )
        .catch(providerError)
      return { paymentId: session.id, checkoutUrl: session.url }
    },

    async lookup(sessionId: string) {
      return outcomeOf(await client.checkout.sessions.retrieve(sessionId))
    },

    webhook: {
      signatureHeader: 'stripe-signature',
      description:
        'Stripe sends checkout.session.completed, checkout.session.async_payment_succeeded, ' +
        'checkout.session.async_payment_failed and checkout.session.expired here, signed with the ' +
        'endpoint secret (PROTUS_STRIPE_WEBHOOK_SECRET) in the Stripe-Signature header over the raw body.',
      read: (rawBody: Buffer, signature: string | undefined) =>
        readStripeEvent(client, deps.webhookSecret, rawBody, signature),
    },
  } satisfies PaymentProvider
}
