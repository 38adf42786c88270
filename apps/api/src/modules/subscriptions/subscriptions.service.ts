import type { Database, Queryable } from '../../db/database.js'
import type { Clock } from '../../lib/clock.js'
import { DomainError } from '../../lib/domain-error.js'
import { newId } from '../../lib/ids.js'
import type { AccountsService } from '../billing/accounts.service.js'
import type { BillingBatch, Plan } from '../billing/billing.batch.js'
import type { PageQuery } from '../billing/billing.repository.js'
import { toJson } from '../billing/billing.views.js'
import { ownedBy, pageOf } from '../billing/payment-plans.js'
import type { CatalogueService } from '../catalogue/catalogue.service.js'
import type { IdempotentRequest, JsonResponse, StoredResponse } from '../idempotency/idempotency.service.js'
import type { LedgerService } from '../ledger/ledger.service.js'
import type { PartnerEvent, WebhookEvents } from '../webhooks/webhook-events.js'
import { periodChargePlan, refusalPlan } from './charge-plan.js'
import { periodOf } from './periods.js'
import { ended, stateOf } from './subscription-state.js'
import type {
  SubscriptionFilter,
  SubscriptionRow,
  SubscriptionsRepository,
} from './subscriptions.repository.js'
import { subscriptionView } from './subscriptions.views.js'

export interface NewSubscription {
  account: string
  service: string
  quantity?: number
  metadata?: Record<string, string>
}

/** Runs `fn` in the caller's transaction, or in a new one when given the database itself. */
function within<T>(q: Queryable, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  return 'transaction' in q ? (q as Database).transaction(fn) : fn(q)
}

const canceledEvent = (row: SubscriptionRow): PartnerEvent => ({
  companyId: row.company_id,
  type: 'subscription.canceled',
  data: toJson(subscriptionView(row)),
})

/**
 * A partner's subscriptions to its recurring services: started with the first period's charge in
 * one transaction, read, and canceled (at once, or at the end of the paid period).
 */
export function createSubscriptionsService(deps: {
  db: Database
  repo: SubscriptionsRepository
  accounts: AccountsService
  catalogue: CatalogueService
  ledger: LedgerService
  batch: BillingBatch
  events: Pick<WebhookEvents, 'emit'>
  clock: Clock
}) {
  const { db, repo, accounts, catalogue, ledger, batch, events, clock } = deps

  /** The plan of the first period's charge, which writes the subscription when it succeeds. */
  async function firstPeriod(companyId: string, input: NewSubscription, request: IdempotentRequest) {
    const account = await accounts.forPartner(companyId, input.account)
    const service = await catalogue.get(companyId, input.service)
    if (!service.active) throw new DomainError('service_inactive', `service ${service.id} is archived`)
    if (!service.recurring) {
      throw new DomainError('service_not_recurring', `service ${service.id} is a one-off service`)
    }
    if (service.currency !== account.currency) {
      throw new DomainError(
        'currency_mismatch',
        `service is priced in ${service.currency}, the wallet holds ${account.currency}`,
      )
    }
    const { recurring } = service
    const quantity = input.quantity ?? 1
    const id = newId('sub', clock.now().getTime())
    const charge = {
      id: newId('ch', clock.now().getTime()),
      subscriptionId: id,
      companyId,
      account,
      revenue: await ledger.revenueAccount(companyId, service.currency),
      serviceId: service.id,
      quantity,
      amount: service.price * BigInt(quantity),
      currency: service.currency,
    }
    return periodChargePlan(request, charge, async (row, at, tx) => {
      // The anchor of every period is the moment the first one was paid.
      const { start, end } = periodOf(at, recurring, 0)
      const subscription = await repo.insert(tx, {
        id,
        company_id: companyId,
        account_id: account.id,
        service_id: service.id,
        quantity,
        amount: row.amount,
        currency: row.currency,
        interval_unit: recurring.interval,
        interval_count: recurring.count,
        status: 'active',
        period: 0,
        current_period_start: start,
        current_period_end: end,
        cancel_at_period_end: false,
        cancel_requested_by: null,
        period_attempts: 0,
        retries: 0,
        first_failed_at: null,
        next_retry_at: null,
        last_payment_error: null,
        canceled_at: null,
        cancel_reason: null,
        latest_charge_id: row.id,
        metadata: input.metadata ?? {},
        created_at: at,
      })
      await repo.insertPeriod(tx, {
        subscription_id: id,
        period: 0,
        charge_id: row.id,
        period_start: start,
        period_end: end,
        created_at: at,
      })
      const body = toJson(subscriptionView(subscription))
      return { status: 201, body, events: [{ type: 'subscription.created', data: body }] }
    })
  }

  /**
   * Cancels under the subscription's lock: at once (`atPeriodEnd` false, or when past due), or
   * at the end of the paid period. A canceled one is 409 subscription_canceled.
   */
  async function cancelLocked(
    tx: Queryable,
    row: SubscriptionRow,
    by: 'partner' | 'person',
    atPeriodEnd: boolean,
  ): Promise<SubscriptionRow> {
    if (row.status === 'canceled') {
      throw new DomainError('subscription_canceled', `subscription ${row.id} is canceled already`)
    }
    const now = clock.now()
    if (!atPeriodEnd || row.status === 'past_due') {
      const reason = by === 'partner' ? 'canceled_by_partner' : 'canceled_by_person'
      const canceled = await repo.update(tx, row.id, ended(row, reason, now))
      await events.emit(tx, [canceledEvent(canceled)], now)
      return canceled
    }
    if (row.cancel_at_period_end) return row
    const updated = await repo.update(tx, row.id, {
      ...stateOf(row),
      cancel_at_period_end: true,
      cancel_requested_by: by,
    })
    await events.emit(
      tx,
      [{ companyId: row.company_id, type: 'subscription.updated', data: toJson(subscriptionView(updated)) }],
      now,
    )
    return updated
  }

  return {
    /**
     * Starts a subscription: one transaction claims the key, charges the first period and, only
     * when that succeeded, writes the subscription. A refusal is saved under the key and leaves
     * no subscription.
     */
    async create(
      companyId: string,
      input: NewSubscription,
      request: IdempotentRequest,
    ): Promise<StoredResponse> {
      let plan: Plan
      try {
        plan = await firstPeriod(companyId, input, request)
      } catch (error) {
        if (!(error instanceof DomainError)) throw error
        plan = refusalPlan(request, companyId, error)
      }
      const [answer] = await db.transaction(async (tx) => {
        if (!('refusal' in plan)) await repo.lockAccount(tx, input.account)
        return batch.applyIn(tx, [plan])
      })
      if (!answer) throw new Error('the subscription’s charge has no answer')
      if (answer instanceof DomainError) throw answer
      return answer
    },

    async get(companyId: string, id: string) {
      return subscriptionView(ownedBy(await repo.find(db, id), companyId, `no subscription ${id}`))
    },

    async list(companyId: string, filter: SubscriptionFilter, page: PageQuery) {
      return pageOf(await repo.list(db, companyId, filter, page), page, subscriptionView)
    },

    /** The partner cancels, in the caller's transaction (the idempotency key's) or its own. */
    async cancel(q: Queryable, companyId: string, id: string, atPeriodEnd: boolean): Promise<JsonResponse> {
      return within(q, async (tx) => {
        const row = ownedBy(await repo.lock(tx, id), companyId, `no subscription ${id}`)
        const canceled = await cancelLocked(tx, row, 'partner', atPeriodEnd)
        return { status: 200, body: toJson(subscriptionView(canceled)) }
      })
    },

    cancelLocked,

    /**
     * The person took the partner's access away (revoked, or removed `charge`): every
     * subscription of the account ends now, in that transaction, before it locks the wallet.
     */
    async endForAccount(tx: Queryable, accountId: string): Promise<void> {
      await repo.lockAccount(tx, accountId)
      const open = await repo.openOfAccount(tx, accountId)
      if (open.length === 0) return
      const now = clock.now()
      const canceled: SubscriptionRow[] = []
      for (const row of open) canceled.push(await repo.update(tx, row.id, ended(row, 'grant_revoked', now)))
      await events.emit(tx, canceled.map(canceledEvent), now)
    },
  }
}

export type SubscriptionsService = ReturnType<typeof createSubscriptionsService>
