import type { Database, Queryable } from '../../db/database.js'
import type { Clock } from '../../lib/clock.js'
import { DomainError } from '../../lib/domain-error.js'
import { newId } from '../../lib/ids.js'
import { DEFAULT_CURRENCY } from '../catalogue/catalogue.service.js'
import type { LedgerService } from '../ledger/ledger.service.js'
import type { WebhookEvents } from '../webhooks/webhook-events.js'
import type { PageQuery } from './billing.repository.js'
import { balanceTransactionView, money, payoutView } from './billing.views.js'
import { pageOf } from './payment-plans.js'
import type {
  BalanceTransactionFilter,
  BalanceTransactionRow,
  PayoutRow,
  PayoutStatus,
  PayoutsRepository,
} from './payouts.repository.js'

/**
 * What a partner earned and was paid: its balance (from the ledger), the movements of it, and
 * payouts, which the company requests and the operator settles. A payout takes its amount from
 * the partner's revenue at once (into its account of payouts in flight); paying moves it on to the
 * account of what was paid out, failing returns it to the revenue.
 */
export function createPayoutsService(deps: {
  db: Database
  repo: PayoutsRepository
  ledger: LedgerService
  events: WebhookEvents
  clock: Clock
}) {
  const { db, repo, ledger, events, clock } = deps

  async function settle(
    payoutId: string,
    outcome: { status: 'paid'; reference: string } | { status: 'failed'; reason: string },
  ): Promise<PayoutRow> {
    return db.transaction(async (tx) => {
      const row = await repo.find(tx, payoutId, true)
      if (!row) throw new DomainError('not_found', `no payout ${payoutId}`)
      if (row.status !== 'pending')
        throw new DomainError('payout_not_pending', `payout ${payoutId} is ${row.status}`)
      const accounts = await ledger.payoutAccounts(row.company_id, row.currency, tx)
      const paid = outcome.status === 'paid'
      const [revenue] = accounts.revenue
      if (revenue === undefined) throw new Error(`no revenue account for ${row.company_id}`)
      const moved = await ledger.transfer(tx, {
        id: `${row.id}:${outcome.status}`,
        kind: 'posted',
        debit: accounts.payout,
        credit: paid ? accounts.settled : revenue,
        amount: row.amount,
        user_data: { company_id: row.company_id, payout_id: row.id },
      })
      if (moved.result !== 'ok') throw new Error(`payout ${row.id} could not move: ${moved.result}`)
      const now = clock.now()
      const settled = await repo.settle(tx, row.id, outcome, now)
      await events.emit(
        tx,
        [
          {
            companyId: row.company_id,
            type: paid ? 'payout.paid' : 'payout.failed',
            data: payoutView(settled),
          },
        ],
        now,
      )
      return settled
    })
  }

  return {
    async balance(companyId: string, currency = DEFAULT_CURRENCY) {
      const b = await ledger.partnerBalance(companyId, currency)
      return {
        object: 'balance' as const,
        currency,
        available: money(b.available),
        pending_payouts: money(b.pendingPayouts),
        paid_out_total: money(b.paidOut),
      }
    },

    /**
     * Requests a payout in the caller's transaction: under the lock of the partner's whole revenue
     * set, so no refund or other payout spends the same money at the same time.
     */
    async request(
      tx: Queryable,
      companyId: string,
      input: { amount: number; currency?: string; description?: string },
    ) {
      const currency = input.currency ?? DEFAULT_CURRENCY
      const amount = BigInt(input.amount)
      const accounts = await ledger.payoutAccounts(companyId, currency, tx)
      await ledger.lock(tx, [...accounts.revenue, accounts.payout])
      const { available } = await ledger.partnerBalance(companyId, currency, tx)
      if (amount > available) {
        throw new DomainError(
          'partner_balance_insufficient',
          `at most ${available > 0n ? available : 0n} ${currency} can be paid out now`,
          { available: money(available) },
        )
      }
      const now = clock.now()
      const id = newId('po', now.getTime())
      const [revenue] = accounts.revenue
      if (revenue === undefined) throw new Error(`no revenue account for ${companyId}`)
      const moved = await ledger.transfer(tx, {
        id,
        kind: 'posted',
        debit: revenue,
        credit: accounts.payout,
        amount,
        user_data: { company_id: companyId, payout_id: id },
      })
      if (moved.result !== 'ok') throw new Error(`payout ${id} could not move: ${moved.result}`)
      const row = await repo.insert(tx, {
        id,
        company_id: companyId,
        currency,
        amount,
        description: input.description ?? null,
        status: 'pending',
        created_at: now,
      })
      const view = payoutView(row)
      await events.emit(tx, [{ companyId, type: 'payout.created', data: view }], now)
      return view
    },

    /** The operator paid the payout out (`reference` names the bank transfer). */
    pay: (payoutId: string, reference: string) => settle(payoutId, { status: 'paid', reference }),

    /** The payout could not be paid: its amount returns to the partner's available balance. */
    fail: (payoutId: string, reason: string) => settle(payoutId, { status: 'failed', reason }),

    async getPayout(companyId: string, payoutId: string) {
      const row = await repo.find(db, payoutId)
      if (!row || row.company_id !== companyId) throw new DomainError('not_found', `no payout ${payoutId}`)
      return payoutView(row)
    },

    async listPayouts(companyId: string, status: PayoutStatus | undefined, page: PageQuery) {
      return pageOf(await repo.list(db, { companyId, status }, page), page, payoutView)
    },

    /** Every company's payouts, for the operator (`protus payouts list`). */
    allPayouts: async (status: PayoutStatus | undefined, limit: number) =>
      (await repo.list(db, { status }, { limit })).slice(0, limit),

    async listBalanceTransactions(
      companyId: string,
      filter: BalanceTransactionFilter,
      page: { limit: number; startingAfter?: string },
    ) {
      const after = page.startingAfter ? await repo.cursorOf(db, companyId, page.startingAfter) : undefined
      if (page.startingAfter && !after) {
        throw new DomainError(
          'validation_failed',
          `starting_after: no balance transaction ${page.startingAfter}`,
        )
      }
      const rows = await repo.balanceTransactions(db, companyId, filter, { limit: page.limit, after })
      return pageOf(rows, page, balanceTransactionView)
    },

    /** The `limit` balance transactions after `after` (newest first), for exports. */
    async balanceTransactionPage(
      companyId: string,
      filter: BalanceTransactionFilter,
      after: BalanceTransactionRow | undefined,
      limit: number,
    ) {
      const cursor = after && { at: after.created_at, id: after.id }
      return (await repo.balanceTransactions(db, companyId, filter, { limit, after: cursor })).slice(0, limit)
    },
  }
}

export type PayoutsService = ReturnType<typeof createPayoutsService>
