import { DomainError } from '../../../lib/domain-error.js'
import type { PaymentOutcome } from '../payment-provider.js'
import type { TopupRow } from '../topups.repository.js'
import type { TopupsService } from '../topups.service.js'
import { SANDBOX, type SandboxProvider } from './sandbox.provider.js'

/** Sends a signed event to PROTUS's provider callback; answers whether it was accepted. */
export type DeliverEvent = (event: { body: string; signature: string }) => Promise<boolean>

/**
 * The sandbox gateway's side of a checkout: it shows the payment and, when the payer chooses,
 * notifies PROTUS through the same signed callback a real gateway would call.
 */
export function createSandboxCheckout(deps: {
  topups: TopupsService
  provider: SandboxProvider
  deliver: DeliverEvent
}) {
  const { topups, provider, deliver } = deps

  async function find(paymentId: string): Promise<TopupRow | undefined> {
    try {
      return await topups.byPayment(SANDBOX, paymentId)
    } catch (error) {
      if (error instanceof DomainError && error.code === 'not_found') return undefined
      throw error
    }
  }

  return {
    find,

    /**
     * Ends the payment as the payer chose and answers the top-up as it then stands, or
     * `undefined` for an unknown payment. A payment already ended is not notified again.
     */
    async submit(
      paymentId: string,
      outcome: PaymentOutcome,
    ): Promise<{ topup: TopupRow; accepted: boolean } | undefined> {
      const topup = await find(paymentId)
      if (!topup) return undefined
      if (topup.status !== 'pending') return { topup, accepted: true }
      const accepted = await deliver(provider.event(paymentId, outcome))
      return { topup: await topups.byPayment(SANDBOX, paymentId), accepted }
    },
  }
}
