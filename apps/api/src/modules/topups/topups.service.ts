import type { Database, Queryable } from '../../db/database.js'
import type { Clock } from '../../lib/clock.js'
import { DomainError } from '../../lib/domain-error.js'
import { newId } from '../../lib/ids.js'
import type { AccountsService } from '../billing/accounts.service.js'
import type { PageQuery } from '../billing/billing.repository.js'
import { pageOf } from '../billing/payment-plans.js'
import { DEFAULT_CURRENCY } from '../catalogue/catalogue.service.js'
import type { LedgerService } from '../ledger/ledger.service.js'
import type { WebhookEvents } from '../webhooks/webhook-events.js'
import {
  operatorProvider,
  type PaymentEvent,
  type PaymentOutcome,
  type PaymentProvider,
} from './payment-provider.js'
import type { PaymentProviders } from './payment-providers.js'
import type { TopupRow, TopupsRepository } from './topups.repository.js'
import { topupView } from './topups.views.js'

interface Destination {
  ownerId: string
  wallet: bigint
  currency: string
  createdBy: string
  returnUrl?: string
}

/**
 * Top-ups: money that comes into a wallet through a payment provider. A top-up is opened pending
 * with the provider's checkout link and completed once, by the provider's callback or by asking
 * the provider when the payer comes back; a successful one credits the wallet from the provider's
 * funding account in the same transaction.
 */
export function createTopupsService(deps: {
  db: Database
  repo: TopupsRepository
  ledger: LedgerService
  accounts: AccountsService
  /** Where people and partners' users pay, and the providers whose payments may still complete. */
  providers: Pick<PaymentProviders, 'checkout' | 'byName'>
  events: Pick<WebhookEvents, 'emit'>
  /** The origins of a partner's registered redirect URIs: where its users may be sent back to. */
  partnerOrigins: (companyId: string) => Promise<string[]>
  /** A partner's name, for the payment pages of its users. */
  partnerName: (companyId: string) => Promise<string | undefined>
  clock: Clock
  log: { error(obj: object, msg: string): void }
}) {
  const { db, repo, ledger, accounts, providers, events, clock } = deps

  /** A partner hears of top-ups of its managed accounts (a person's wallet is the person's business). */
  async function reportTopUp(tx: Queryable, topup: TopupRow): Promise<void> {
    const account = await accounts.managed(tx, topup.owner_id)
    if (!account) return
    await events.emit(tx, [
      { companyId: account.company_id, type: 'wallet.topped_up', data: topupView(topup) },
    ])
  }

  async function open(tx: Queryable, provider: PaymentProvider, to: Destination, amount: bigint) {
    const now = clock.now()
    const id = newId('top', now.getTime())
    const payment = await provider.startPayment({ id, amount, currency: to.currency })
    const row: TopupRow = {
      id,
      owner_id: to.ownerId,
      wallet_account_id: to.wallet,
      amount,
      currency: to.currency,
      status: 'pending',
      provider: provider.name,
      provider_payment_id: payment.paymentId,
      checkout_url: payment.checkoutUrl,
      return_url: to.returnUrl ?? null,
      created_by: to.createdBy,
      created_at: now,
      completed_at: null,
    }
    await repo.insert(tx, row)
    return row
  }

  async function walletOf(ownerId: string, q: Queryable = db): Promise<bigint> {
    const wallet = await ledger.walletOf(ownerId, DEFAULT_CURRENCY, q)
    if (wallet === undefined) throw new DomainError('not_found', `no wallet for ${ownerId}`)
    return wallet
  }

  async function credit(tx: Queryable, topup: TopupRow, funding: bigint): Promise<void> {
    // The transfer id is the top-up id: the ledger refuses a second credit on its own, too.
    const result = await ledger.transfer(tx, {
      id: topup.id,
      kind: 'posted',
      debit: funding,
      credit: topup.wallet_account_id,
      amount: topup.amount,
      user_data: { topup_id: topup.id, provider: topup.provider },
    })
    if (result.result !== 'ok') throw new Error(`top-up ${topup.id} credit refused: ${result.result}`)
  }

  /** The provider new top-ups go to; refused before anything is written when there is none. */
  function checkout(): PaymentProvider {
    if (providers.checkout) return providers.checkout
    throw new DomainError('topups_unavailable', 'no payment provider is configured on this PROTUS')
  }

  /** Completes a payment PROTUS knows; `undefined` for one it does not. */
  async function settle(provider: string, paymentId: string, outcome: PaymentOutcome) {
    const by = { provider, paymentId }
    const found = await repo.find(db, by)
    if (!found) return undefined
    if (found.status !== 'pending') return { topup: found, changed: false }
    // Resolved before the transaction: PGlite has a single connection.
    const funding =
      outcome === 'succeeded' ? await ledger.fundingAccount(provider, found.currency) : undefined
    return db.transaction(async (tx) => {
      const settled = await repo.settle(tx, by, outcome, clock.now())
      if (!settled) return { topup: (await repo.find(tx, by)) ?? found, changed: false }
      if (funding !== undefined) {
        await credit(tx, settled, funding)
        await reportTopUp(tx, settled)
      }
      return { topup: settled, changed: true }
    })
  }

  async function complete(provider: string, paymentId: string, outcome: PaymentOutcome) {
    const done = await settle(provider, paymentId, outcome)
    if (!done) throw new DomainError('not_found', `no ${provider} payment ${paymentId}`)
    return done
  }

  /**
   * Asks the provider how a pending top-up stands and completes it if it has ended, so a lost
   * callback loses no money. A provider that does not answer leaves it pending: the callback,
   * the next return or the next look settles it.
   */
  async function refresh(topup: TopupRow): Promise<TopupRow> {
    const provider = providers.byName.get(topup.provider)
    if (topup.status !== 'pending' || !provider?.lookup) return topup
    try {
      const outcome = await provider.lookup(topup.provider_payment_id)
      if (outcome === 'pending') return topup
      return (await complete(topup.provider, topup.provider_payment_id, outcome)).topup
    } catch (error) {
      deps.log.error({ err: error, topup: topup.id }, 'payment provider lookup failed')
      return topup
    }
  }

  async function managedAccount(companyId: string, accountId: string, q: Queryable = db) {
    const account = await accounts.forPartner(companyId, accountId, undefined, q)
    if (account.kind !== 'managed') throw new DomainError('not_found', `no managed account ${accountId}`)
    return account
  }

  async function find(id: string): Promise<TopupRow> {
    const row = await repo.find(db, { id })
    if (!row) throw new DomainError('not_found', `no top-up ${id}`)
    return row
  }

  return {
    /** 503 `topups_unavailable` when no provider takes top-ups here (live mode without one). */
    ensureAvailable(): void {
      checkout()
    },

    /** A person's top-up of their own wallet, in the caller's (idempotency) transaction. */
    async forCustomer(tx: Queryable, customerId: string, amount: number): Promise<TopupRow> {
      const wallet = await walletOf(customerId, tx)
      const to = { ownerId: customerId, wallet, currency: DEFAULT_CURRENCY, createdBy: customerId }
      return open(tx, checkout(), to, BigInt(amount))
    },

    /**
     * A return URL a partner may give: on the origin of one of its redirect URIs, so that the
     * payment page never sends a payer anywhere the partner has not registered (400 otherwise).
     */
    async checkReturnUrl(companyId: string, returnUrl: string): Promise<void> {
      const origins = await deps.partnerOrigins(companyId)
      const origin = URL.canParse(returnUrl) ? new URL(returnUrl).origin : undefined
      if (!origin || !origins.includes(origin) || returnUrl.includes('#')) {
        throw new DomainError(
          'validation_failed',
          'return_url must be on the origin of a registered redirect URI',
          {
            errors: [
              {
                field: '/return_url',
                message: 'must be on the origin of one of your redirect URIs, without a fragment',
              },
            ],
          },
        )
      }
    },

    /** Top-ups of one of the partner's managed accounts, newest first; any other account does not exist here. */
    async listForManagedAccount(companyId: string, accountId: string, page: PageQuery) {
      await managedAccount(companyId, accountId)
      return pageOf(await repo.listByOwner(db, accountId, page), page, topupView)
    },

    /** A partner's top-up link for its own managed account; any other account does not exist here. */
    async forManagedAccount(
      tx: Queryable,
      companyId: string,
      accountId: string,
      amount: number,
      returnUrl?: string,
    ) {
      const account = await managedAccount(companyId, accountId, tx)
      const to = {
        ownerId: account.id,
        wallet: account.wallet_account_id,
        currency: account.currency,
        createdBy: companyId,
        returnUrl,
      }
      return open(tx, checkout(), to, BigInt(amount))
    },

    /** A person's own top-up; a pending one is first asked after at its provider. */
    async getForCustomer(customerId: string, id: string): Promise<TopupRow> {
      const row = await find(id)
      if (row.owner_id !== customerId) throw new DomainError('not_found', `no top-up ${id}`)
      return refresh(row)
    },

    /**
     * The partner whose user pays for a managed account's top-up: its balance there is what the
     * payment page names. Undefined for a person's own PROTUS wallet.
     */
    async partnerOf(topup: TopupRow): Promise<string | undefined> {
      const account = await accounts.managed(db, topup.owner_id)
      return account ? deps.partnerName(account.company_id) : undefined
    },

    /** The payer is back from the provider's page: how the top-up stands now, after asking the provider. */
    async returned(id: string): Promise<TopupRow> {
      return refresh(await find(id))
    },

    async byPayment(provider: string, paymentId: string): Promise<TopupRow> {
      const row = await repo.find(db, { provider, paymentId })
      if (!row) throw new DomainError('not_found', `no ${provider} payment ${paymentId}`)
      return row
    },

    /**
     * Applies a provider's verified outcome once: the first call moves the top-up out of pending
     * (and credits the wallet on success), every later or concurrent one changes nothing.
     */
    complete,

    /** A provider's verified callback; `undefined` for a payment of another system on a shared provider account. */
    completeFromProvider: (provider: string, event: PaymentEvent) =>
      settle(provider, event.paymentId, event.outcome),

    /** `protus credit`: an operator's top-up of a person's or a managed account's wallet, completed at once. */
    async creditByOperator(ownerId: string, amount: bigint) {
      const wallet = await walletOf(ownerId)
      const to = { ownerId, wallet, currency: DEFAULT_CURRENCY, createdBy: 'operator' }
      const opened = await db.transaction((tx) => open(tx, operatorProvider, to, amount))
      const { topup } = await complete(operatorProvider.name, opened.provider_payment_id, 'succeeded')
      const balance = (await ledger.balances([wallet])).get(wallet)
      return { topup, available: balance?.available ?? 0n, held: balance?.held ?? 0n }
    },
  }
}

export type TopupsService = ReturnType<typeof createTopupsService>
