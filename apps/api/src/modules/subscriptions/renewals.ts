import type { Database, Queryable } from '../../db/database.js'
import type { Clock } from '../../lib/clock.js'
import { DomainError } from '../../lib/domain-error.js'
import { newId } from '../../lib/ids.js'
import type { AccountsService } from '../billing/accounts.service.js'
import type { BillingBatch, Plan } from '../billing/billing.batch.js'
import type { AccountRow } from '../billing/billing.repository.js'
import { chargeView, toJson } from '../billing/billing.views.js'
import type { CatalogueService } from '../catalogue/catalogue.service.js'
import { type IdempotentRequest, requestHash } from '../idempotency/idempotency.service.js'
import type { LedgerService } from '../ledger/ledger.service.js'
import type { PartnerEvent, WebhookEvents } from '../webhooks/webhook-events.js'
import { periodChargePlan, refusalPlan } from './charge-plan.js'
import { duePeriod, ended, paid, refused } from './subscription-state.js'
import type { SubscriptionRow, SubscriptionsRepository } from './subscriptions.repository.js'
import { subscriptionView } from './subscriptions.views.js'

/** Who claims the keys of renewal charges: no partner's keys can collide with them. */
const RENEWAL_PRINCIPAL = 'subscriptions'
const IDS_PER_PASS = 100

/** What a renewal reads before its transaction: nothing of it changes while a subscription lives. */
interface Prepared {
  account: AccountRow
  revenue: bigint
  serviceActive: boolean
}

/** The outcome of one attempt at a period: the subscription after it, and the refusal if any. */
export interface Attempt {
  row: SubscriptionRow
  refusal?: DomainError
}

/**
 * The renewal worker. Each due subscription is handled in a transaction of its own that locks its
 * row (other workers skip it), checks it is still due, and then either ends it (canceled at period
 * end) or charges the next period through the billing module's `billing_apply`, claiming the key
 * `sub_…/period/<n>/attempt/<k>`; the charge, the subscription's new state, the period's row
 * (unique per subscription and period) and the webhook events commit together or not at all.
 */
export function createRenewals(deps: {
  db: Database
  repo: SubscriptionsRepository
  accounts: AccountsService
  catalogue: CatalogueService
  ledger: LedgerService
  batch: BillingBatch
  events: Pick<WebhookEvents, 'emit'>
  clock: Clock
  /** Days after the first refused renewal at which it is tried again; after the last, it ends. */
  retryDays: readonly number[]
  onError?: (error: unknown, subscriptionId: string) => void
}) {
  const { db, repo, accounts, catalogue, ledger, batch, events, clock, retryDays } = deps
  let timer: NodeJS.Timeout | undefined
  let running: Promise<number> | undefined
  let next: Promise<number> | undefined

  async function prepare(row: SubscriptionRow): Promise<Prepared> {
    const [account, revenue, serviceActive] = await Promise.all([
      accounts.forPartner(row.company_id, row.account_id),
      ledger.revenueAccount(row.company_id, row.currency),
      catalogue.get(row.company_id, row.service_id).then(
        (service) => service.active,
        (error: unknown) => {
          if (error instanceof DomainError && error.code === 'not_found') return false
          throw error
        },
      ),
    ])
    return { account, revenue, serviceActive }
  }

  /** Charges the period after the last paid one, on the locked row; `scheduled` false is "Pay now". */
  async function chargeDue(
    tx: Queryable,
    locked: SubscriptionRow,
    prepared: Prepared,
    scheduled: boolean,
  ): Promise<Attempt> {
    const period = duePeriod(locked)
    const attempt = { period: period.n, attempt: locked.period_attempts }
    const request: IdempotentRequest = {
      principal: RENEWAL_PRINCIPAL,
      key: `${locked.id}/period/${attempt.period}/attempt/${attempt.attempt}`,
      hash: requestHash('POST', `/renewals/${locked.id}`, attempt),
      requestId: `renewal_${locked.id}`,
    }
    let renewed: SubscriptionRow | undefined
    const plan: Plan = prepared.serviceActive
      ? periodChargePlan(
          request,
          {
            id: newId('ch', clock.now().getTime()),
            subscriptionId: locked.id,
            companyId: locked.company_id,
            account: prepared.account,
            revenue: prepared.revenue,
            serviceId: locked.service_id,
            quantity: locked.quantity,
            amount: locked.amount,
            currency: locked.currency,
          },
          async (charge, at, tx) => {
            renewed = await repo.update(tx, locked.id, paid(locked, charge.id))
            await repo.insertPeriod(tx, {
              subscription_id: locked.id,
              period: period.n,
              charge_id: charge.id,
              period_start: period.start,
              period_end: period.end,
              created_at: at,
            })
            const body = toJson({ subscription: subscriptionView(renewed), charge: chargeView(charge) })
            return { status: 201, body, events: [{ type: 'subscription.renewed', data: body }] }
          },
        )
      : refusalPlan(
          request,
          locked.company_id,
          new DomainError('service_inactive', `service ${locked.service_id} is archived`),
        )
    const [answer] = await batch.applyIn(tx, [plan])
    // The key is new for every attempt, under the subscription's lock: it cannot have an answer yet.
    if (!answer || answer instanceof DomainError || answer.replayed) {
      throw new Error(`renewal key ${request.key} was claimed already`)
    }
    const { refusal } = answer
    if (refusal) return { row: await recordRefusal(tx, locked, refusal, scheduled), refusal }
    if (!renewed) throw new Error(`renewal ${request.key} succeeded without its charge`)
    return { row: renewed }
  }

  async function recordRefusal(
    tx: Queryable,
    locked: SubscriptionRow,
    refusal: DomainError,
    scheduled: boolean,
  ): Promise<SubscriptionRow> {
    const now = clock.now()
    const error = { code: refusal.code, message: refusal.message }
    const row = await repo.update(tx, locked.id, refused(locked, error, now, retryDays, scheduled))
    const view = toJson(subscriptionView(row))
    const reported: PartnerEvent[] = [
      {
        companyId: row.company_id,
        type: 'subscription.payment_failed',
        data: { subscription: view, code: refusal.code, next_retry_at: subscriptionView(row).next_retry_at },
      },
    ]
    if (row.status === 'canceled') {
      reported.push({ companyId: row.company_id, type: 'subscription.canceled', data: view })
    }
    await events.emit(tx, toJson(reported) as PartnerEvent[], now)
    return row
  }

  /** Ends a subscription canceled at period end once that end has come, without a charge. */
  async function endAtPeriodEnd(tx: Queryable, locked: SubscriptionRow): Promise<void> {
    const now = clock.now()
    const reason = locked.cancel_requested_by === 'person' ? 'canceled_by_person' : 'canceled_by_partner'
    const row = await repo.update(tx, locked.id, ended(locked, reason, now))
    await events.emit(
      tx,
      [{ companyId: row.company_id, type: 'subscription.canceled', data: toJson(subscriptionView(row)) }],
      now,
    )
  }

  /** One due subscription; false when it was not due any more or another worker holds it. */
  async function renew(id: string): Promise<boolean> {
    const found = await repo.find(db, id)
    if (!found?.due_at) return false
    const prepared = await prepare(found)
    return db.transaction(async (tx) => {
      const locked = await repo.lockDue(tx, id, clock.now())
      if (!locked) return false
      if (locked.status === 'active' && locked.cancel_at_period_end) await endAtPeriodEnd(tx, locked)
      else await chargeDue(tx, locked, prepared, true)
      return true
    })
  }

  async function pass(): Promise<number> {
    let handled = 0
    const skip: string[] = []
    for (;;) {
      const ids = await repo.dueIds(db, clock.now(), skip, IDS_PER_PASS)
      if (ids.length === 0) return handled
      for (const id of ids) {
        try {
          if (await renew(id)) handled++
          else skip.push(id)
        } catch (error) {
          // One subscription that cannot be handled must not hold up the others.
          skip.push(id)
          deps.onError?.(error, id)
        }
      }
    }
  }

  /** Also the sandbox clock's due work: its name, when it is next due, and running what is due. */
  const renewals = {
    name: 'subscription_renewals',

    /** The earliest period end or retry of a subscription that has not ended. */
    nextDueAt: (): Promise<Date | null> => repo.nextDueAt(db),

    /**
     * Handles every subscription due now (again while one stays due); answers how many steps. A
     * call during a pass waits for it and runs one more, so what came due before the call (the
     * sandbox clock just moved) is handled before it resolves; calls meanwhile share that pass.
     */
    runOnce(): Promise<number> {
      if (!running) {
        running = pass().finally(() => {
          running = undefined
        })
        return running
      }
      next ??= running
        .catch(() => 0)
        .then(() => {
          next = undefined
          return renewals.runOnce()
        })
      return next
    },

    runDue(): Promise<number> {
      return renewals.runOnce()
    },

    /**
     * "Pay now": charges the due period of a past-due subscription at once, under its lock. A
     * refusal leaves it past due with its retry schedule as it was.
     */
    async payNow(row: SubscriptionRow): Promise<Attempt> {
      const prepared = await prepare(row)
      return db.transaction(async (tx) => {
        const locked = await repo.lock(tx, row.id)
        if (locked?.status !== 'past_due') {
          throw new DomainError('subscription_not_past_due', `subscription ${row.id} is not past due`)
        }
        return chargeDue(tx, locked, prepared, false)
      })
    },

    start(intervalSeconds: number, onError: (error: unknown) => void) {
      if (intervalSeconds <= 0) return
      timer = setInterval(() => {
        renewals.runOnce().catch(onError)
      }, intervalSeconds * 1000)
      timer.unref()
    },

    async stop() {
      if (timer) clearInterval(timer)
      await Promise.all([running?.catch(() => {}), next?.catch(() => {})])
    },
  }
  return renewals
}

export type Renewals = ReturnType<typeof createRenewals>
