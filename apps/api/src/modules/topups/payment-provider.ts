/**
 * A payment provider that brings money into wallets. PROTUS opens a payment for each top-up and
 * learns its outcome from the provider's signed callback; the top-up id is the provider's
 * idempotency key, so retrying `startPayment` for one top-up opens one payment.
 */
export interface PaymentProvider {
  /** Stored with each top-up; also names the provider's funding account in the ledger. */
  readonly name: string
  startPayment(topup: {
    id: string
    amount: bigint
    currency: string
  }): Promise<{ paymentId: string; checkoutUrl: string | null }>
}

export type PaymentOutcome = 'succeeded' | 'failed'

/** Credits an operator makes with `protus credit`: no checkout, completed at once. */
export const operatorProvider: PaymentProvider = {
  name: 'operator',
  startPayment: async (topup) => ({ paymentId: topup.id, checkoutUrl: null }),
}
