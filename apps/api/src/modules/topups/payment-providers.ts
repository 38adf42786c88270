import type { Config } from '../../config.js'
import type { PaymentProvider } from './payment-provider.js'
import { createSandboxProvider, type SandboxProvider, sandboxKey } from './sandbox/sandbox.provider.js'
import { createStripeProvider } from './stripe/stripe.provider.js'

/** Where a provider sends the payer back to, paid or not: PROTUS asks the provider, then lands them. */
export const topupReturnPath = (topupId: string) => `/v1/topups/${topupId}/return`

export interface PaymentProviders {
  /** Where new top-ups go; none in live mode without a real provider (503 `topups_unavailable`). */
  readonly checkout: PaymentProvider | undefined
  /** Every provider that exists here, by name: their payments can still complete. */
  readonly byName: ReadonlyMap<string, PaymentProvider>
  /** The built-in test gateway; it exists in sandbox mode only. */
  readonly sandbox: SandboxProvider | undefined
}

/**
 * The payment providers this PROTUS runs with. A configured real provider takes the top-ups, in
 * both modes (test keys in sandbox mode); the sandbox provider only ever exists in sandbox mode.
 * Another provider is one factory more in `real`.
 */
export function createPaymentProviders(deps: { config: Config; secretKey: Buffer }): PaymentProviders {
  const { config } = deps
  const returnUrl = (topupId: string) => config.publicUrl + topupReturnPath(topupId)
  const real: PaymentProvider[] = []
  if (config.stripe) real.push(createStripeProvider({ ...config.stripe, returnUrl }))

  const sandbox =
    config.mode === 'sandbox'
      ? createSandboxProvider({ publicUrl: config.publicUrl, key: sandboxKey(deps.secretKey) })
      : undefined
  const all = sandbox ? [...real, sandbox] : real
  return { checkout: all[0], byName: new Map(all.map((p) => [p.name, p])), sandbox }
}
