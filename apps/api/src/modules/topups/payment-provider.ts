/**
 * A payment provider that brings money into wallets. PROTUS opens a payment for each top-up and
 * learns its outcome from the provider's signed callback, or by asking the provider when the payer
 * comes back; the top-up id is the provider's idempotency key, so retrying `startPayment` for one
 * top-up opens one payment.
 */
export interface PaymentProvider {
  /** Stored with each top-up; also names the provider's funding account in the ledger. */
  readonly name: string
  startPayment(topup: {
    id: string
    amount: bigint
    currency: string
  }): Promise<{ paymentId: string; checkoutUrl: string | null }>
  /** How the payment stands at the provider, for when its callback is late or lost. */
  lookup?(paymentId: string): Promise<PaymentOutcome | 'pending'>
  /** The provider's signed callback, served at `POST /v1/providers/{name}/webhook`. */
  readonly webhook?: ProviderWebhook
}

export type PaymentOutcome = 'succeeded' | 'failed'

/** A verified callback that settles a payment. */
export interface PaymentEvent {
  paymentId: string
  outcome: PaymentOutcome
}

export interface ProviderWebhook {
  /** The request header that carries the signature. */
  readonly signatureHeader: string
  /** What the provider sends, for the API reference. */
  readonly description: string
  /**
   * Checks the signature over the exact bytes received before reading anything (400
   * `webhook_signature_invalid` otherwise); answers the payment the event settles, or `null` for
   * an event that settles none.
   */
  read(rawBody: Buffer, signature: string | undefined): PaymentEvent | null
}

/** Credits an operator makes with `protus credit`: no checkout, completed at once. */
export const operatorProvider: PaymentProvider = {
  name: 'operator',
  startPayment: async (topup) => ({ paymentId: topup.id, checkoutUrl: null }),
}
