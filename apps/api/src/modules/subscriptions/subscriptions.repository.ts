import type { Queryable } from '../../db/database.js'
import type { PageQuery } from '../billing/billing.repository.js'
import type { Interval } from './periods.js'

export type SubscriptionStatus = 'active' | 'past_due' | 'canceled'
export type CancelReason =
  | 'payment_failed'
  | 'grant_revoked'
  | 'service_archived'
  | 'canceled_by_partner'
  | 'canceled_by_person'

export interface SubscriptionRow {
  id: string
  company_id: string
  account_id: string
  service_id: string
  quantity: number
  amount: bigint
  currency: string
  interval_unit: Interval
  interval_count: number
  status: SubscriptionStatus
  /** The last paid period. */
  period: number
  current_period_start: Date
  current_period_end: Date
  cancel_at_period_end: boolean
  cancel_requested_by: 'partner' | 'person' | null
  period_attempts: number
  retries: number
  first_failed_at: Date | null
  next_retry_at: Date | null
  last_payment_error: { code: string; message: string } | null
  canceled_at: Date | null
  cancel_reason: CancelReason | null
  latest_charge_id: string | null
  metadata: Record<string, string>
  created_at: Date
  /** Set by the database: when the worker next has something to do with the row. */
  due_at?: Date | null
}

/** What a subscription's state may become; the rest of the row never changes. */
export type SubscriptionState = Pick<
  SubscriptionRow,
  | 'status'
  | 'period'
  | 'current_period_start'
  | 'current_period_end'
  | 'cancel_at_period_end'
  | 'cancel_requested_by'
  | 'period_attempts'
  | 'retries'
  | 'first_failed_at'
  | 'next_retry_at'
  | 'last_payment_error'
  | 'canceled_at'
  | 'cancel_reason'
  | 'latest_charge_id'
>

export interface PeriodRow {
  subscription_id: string
  period: number
  charge_id: string
  period_start: Date
  period_end: Date
  created_at: Date
}

export interface SubscriptionFilter {
  accountId?: string
  status?: SubscriptionStatus
  serviceId?: string
}

const insertColumns = [
  'id',
  'company_id',
  'account_id',
  'service_id',
  'quantity',
  'amount',
  'currency',
  'interval_unit',
  'interval_count',
  'status',
  'period',
  'current_period_start',
  'current_period_end',
  'cancel_at_period_end',
  'cancel_requested_by',
  'period_attempts',
  'retries',
  'first_failed_at',
  'next_retry_at',
  'last_payment_error',
  'canceled_at',
  'cancel_reason',
  'latest_charge_id',
  'metadata',
  'created_at',
] as const satisfies readonly (keyof SubscriptionRow)[]

const stateColumns = [
  'status',
  'period',
  'current_period_start',
  'current_period_end',
  'cancel_at_period_end',
  'cancel_requested_by',
  'period_attempts',
  'retries',
  'first_failed_at',
  'next_retry_at',
  'last_payment_error',
  'canceled_at',
  'cancel_reason',
  'latest_charge_id',
] as const satisfies readonly (keyof SubscriptionState)[]

const jsonColumns = new Set<string>(['last_payment_error', 'metadata'])
const param = (column: string, value: unknown) =>
  jsonColumns.has(column) && value !== null ? JSON.stringify(value) : value
const cast = (column: string, i: number) => (jsonColumns.has(column) ? `$${i}::jsonb` : `$${i}`)

/** The only code that reads or writes `subscriptions` and `subscription_periods`. */
export function createSubscriptionsRepository() {
  return {
    /**
     * Serialises what starts a subscription on an account with what ends them all (a revoked
     * grant), so that no subscription starts unseen by a revocation that answered.
     */
    async lockAccount(tx: Queryable, accountId: string): Promise<void> {
      await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`sub\n${accountId}`])
    },

    async insert(tx: Queryable, row: SubscriptionRow): Promise<SubscriptionRow> {
      const rows = await tx.query<SubscriptionRow>(
        `INSERT INTO subscriptions (${insertColumns.join(', ')})
         VALUES (${insertColumns.map((c, i) => cast(c, i + 1)).join(', ')}) RETURNING *`,
        insertColumns.map((c) => param(c, row[c])),
      )
      return rows[0] as SubscriptionRow
    },

    /** Writes a locked subscription's new state; answers the row as stored. */
    async update(tx: Queryable, id: string, state: SubscriptionState): Promise<SubscriptionRow> {
      const rows = await tx.query<SubscriptionRow>(
        `UPDATE subscriptions SET ${stateColumns.map((c, i) => `${c} = ${cast(c, i + 2)}`).join(', ')}
          WHERE id = $1 RETURNING *`,
        [id, ...stateColumns.map((c) => param(c, state[c]))],
      )
      const row = rows[0]
      if (!row) throw new Error(`subscription ${id} vanished under its lock`)
      return row
    },

    /** Records the charge that paid a period; a second charge for it violates the primary key. */
    async insertPeriod(tx: Queryable, row: PeriodRow): Promise<void> {
      await tx.query(
        `INSERT INTO subscription_periods (subscription_id, period, charge_id, period_start, period_end, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [row.subscription_id, row.period, row.charge_id, row.period_start, row.period_end, row.created_at],
      )
    },

    async find(q: Queryable, id: string): Promise<SubscriptionRow | undefined> {
      return (await q.query<SubscriptionRow>('SELECT * FROM subscriptions WHERE id = $1', [id]))[0]
    },

    /** Locks the subscription, waiting for whoever holds it. */
    async lock(tx: Queryable, id: string): Promise<SubscriptionRow | undefined> {
      return (
        await tx.query<SubscriptionRow>('SELECT * FROM subscriptions WHERE id = $1 FOR UPDATE', [id])
      )[0]
    },

    /**
     * Locks the subscription when it is due at `now` and no other worker holds it; undefined
     * otherwise (another worker has it, or it was renewed or canceled meanwhile).
     */
    async lockDue(tx: Queryable, id: string, now: Date): Promise<SubscriptionRow | undefined> {
      const rows = await tx.query<SubscriptionRow>(
        `SELECT * FROM subscriptions WHERE id = $1 AND due_at IS NOT NULL AND due_at <= $2
           FOR UPDATE SKIP LOCKED`,
        [id, now],
      )
      return rows[0]
    },

    /** Ids of subscriptions due at `now`, earliest first, leaving out `skip`. */
    async dueIds(q: Queryable, now: Date, skip: readonly string[], limit: number): Promise<string[]> {
      const rows = await q.query<{ id: string }>(
        `SELECT id FROM subscriptions WHERE due_at IS NOT NULL AND due_at <= $1 AND NOT (id = ANY ($2::text[]))
          ORDER BY due_at, id LIMIT $3`,
        [now, skip, limit],
      )
      return rows.map((r) => r.id)
    },

    async nextDueAt(q: Queryable): Promise<Date | null> {
      const rows = await q.query<{ at: Date | null }>(
        'SELECT min(due_at) AS at FROM subscriptions WHERE due_at IS NOT NULL',
      )
      return rows[0]?.at ?? null
    },

    list(q: Queryable, companyId: string, filter: SubscriptionFilter, p: PageQuery) {
      return q.query<SubscriptionRow>(
        `SELECT * FROM subscriptions WHERE company_id = $1 AND ($2::text IS NULL OR account_id = $2)
            AND ($3::text IS NULL OR status = $3) AND ($4::text IS NULL OR service_id = $4)
            AND ($5::text IS NULL OR id < $5) ORDER BY id DESC LIMIT $6`,
        [
          companyId,
          filter.accountId ?? null,
          filter.status ?? null,
          filter.serviceId ?? null,
          p.startingAfter ?? null,
          p.limit + 1,
        ],
      )
    },

    /** Every subscription of the accounts, newest first. */
    ofAccounts(q: Queryable, accountIds: readonly string[]) {
      return q.query<SubscriptionRow>(
        'SELECT * FROM subscriptions WHERE account_id = ANY ($1::text[]) ORDER BY id DESC',
        [accountIds],
      )
    },

    /** Locks the account's subscriptions that have not ended, in id order. */
    openOfAccount(tx: Queryable, accountId: string) {
      return tx.query<SubscriptionRow>(
        `SELECT * FROM subscriptions WHERE account_id = $1 AND status <> 'canceled' ORDER BY id FOR UPDATE`,
        [accountId],
      )
    },

    periods(q: Queryable, subscriptionId: string) {
      return q.query<PeriodRow>(
        'SELECT * FROM subscription_periods WHERE subscription_id = $1 ORDER BY period',
        [subscriptionId],
      )
    },
  }
}

export type SubscriptionsRepository = ReturnType<typeof createSubscriptionsRepository>
