import type { Queryable } from '../../db/database.js'
import type { Claim } from '../idempotency/idempotency.repository.js'
import type { IdempotentRequest } from '../idempotency/idempotency.service.js'
import type { EventType } from '../webhooks/webhook-events.js'
import type { Operation, Outcome, Refusal, Reply, Written } from './billing.operations.js'

export type Scope = 'check' | 'hold' | 'charge'
export type HoldStatus = 'pending' | 'captured' | 'released' | 'expired'

export interface AccountRow {
  id: string
  company_id: string
  kind: 'protus' | 'managed'
  customer_id: string | null
  external_id: string | null
  email: string | null
  username: string | null
  wallet_account_id: bigint
  currency: string
  scopes: Scope[]
  created_at: Date
  /** Set while the person's grant to this partner is revoked (PROTUS accounts only). */
  grant_revoked_at?: Date | null
  /** What the partner may take in a calendar month (UTC), set by the person; null: no limit. */
  monthly_limit?: bigint | null
}

/** A change of a person's grant, applied under the account's wallet lock. */
export interface GrantChange {
  scopes?: readonly Scope[]
  /** true revokes, false makes the grant live again, undefined keeps it as it is. */
  revoked?: boolean
  /** undefined keeps the limit, null removes it. */
  monthlyLimit?: bigint | null
  /** Release every open hold of the account, giving this reason in the ledger. */
  releaseReason?: 'grant_revoked' | 'scope_removed'
}

/** What counts against a monthly limit now: this month's charges less refunds, and open holds. */
export interface Usage {
  spent: bigint
  held: bigint
  resets_at: Date
}

export interface AccountStats {
  account_id: string
  spent: bigint
  refunded: bigint
  held: bigint
  last_activity_at: Date | null
  /** This calendar month's (UTC) charges less their refunds, and when the month ends. */
  month_spent: bigint
  month_resets_at: Date
}

export interface HoldRow {
  id: string
  company_id: string
  account_id: string
  wallet_account_id: bigint
  revenue_account_id: bigint
  amount: bigint
  currency: string
  service_id: string | null
  quantity: number | null
  description: string | null
  metadata: Record<string, string>
  status: HoldStatus
  captured_amount: bigint
  charge_id: string | null
  expires_at: Date
  created_at: Date
  resolved_at: Date | null
}

export interface ChargeRow {
  id: string
  company_id: string
  account_id: string
  wallet_account_id: bigint
  revenue_account_id: bigint
  amount: bigint
  currency: string
  service_id: string | null
  quantity: number | null
  description: string | null
  metadata: Record<string, string>
  hold_id: string | null
  amount_refunded: bigint
  created_at: Date
}

export interface RefundRow {
  id: string
  charge_id: string
  company_id: string
  account_id: string
  amount: bigint
  created_at: Date
}

/** A page request: newest first, after the id `startingAfter`. */
export interface PageQuery {
  limit: number
  startingAfter?: string
}

const page = (q: PageQuery) => [q.startingAfter ?? null, q.limit + 1] as const

/** What a list of holds, charges or refunds is narrowed to (each left out: not narrowed). */
export interface PaymentFilter {
  accountId?: string
  /** A refund has the service of its charge. */
  serviceId?: string
  createdGte?: Date
  createdLt?: Date
}

/** How a revenue report groups: by the charge's service, or by the UTC day or month. */
export type RevenueGrouping = 'service' | 'day' | 'month'

/** One line of a revenue report: what moved under one key in one currency. */
export interface RevenueRow {
  key: string | null
  currency: string
  charges_count: number
  gross: bigint
  refunds: bigint
}

/** The filter as `$2` (account), `$3` (service), `$4` and `$5` (created) of a list statement. */
const filtered = (f: PaymentFilter) =>
  [f.accountId ?? null, f.serviceId ?? null, f.createdGte ?? null, f.createdLt ?? null] as const
const FILTERED = `($2::text IS NULL OR account_id = $2) AND ($4::timestamptz IS NULL OR created_at >= $4)
            AND ($5::timestamptz IS NULL OR created_at < $5)`

/** A reply with the ids of the events it writes (`events.newDelivery`). */
export type ReplyWithIds = Omit<Reply, 'events'> & {
  events: (Reply['events'][number] & { id: string; event_id: string })[]
}

/** An operation of a batch, the idempotent request it answers, and the reply when it succeeds. */
export interface BatchEntry {
  request: IdempotentRequest
  operation: Operation
  reply?: ReplyWithIds
}

/** An operation answered in the batch's statement (it had a reply and succeeded). */
export interface Answered {
  state: 'answered'
  status: number
  body: unknown
  wallet: bigint
  /** The events written, when a person holds the account (for the hooks that tell people). */
  events: { type: EventType; data: unknown }[]
}

/**
 * What the batch did with an operation: its key's claim, its outcome when it ran, or the answer
 * it saved when it succeeded with a reply.
 */
export type Applied = Exclude<Claim, { state: 'claimed' }> | { state: 'claimed'; outcome: Outcome } | Answered

/** A value as `to_jsonb` writes it: bigint as a JSON number, a timestamp as an ISO string. */
type Stored<V> = V extends bigint ? number | string : V extends Date ? string : V
type StoredRow<T> = { [K in keyof T]: Stored<T[K]> }
type StoredRefusal = { [R in Refusal as R['result']]: StoredRow<R> }[Refusal['result']]
type StoredWritten = {
  [W in Written as W['kind']]: { [K in keyof W]: K extends 'kind' ? W[K] : StoredRow<W[K]> }
}
type StoredOutcome = StoredRefusal | ({ result: 'ok' } & StoredWritten[Written['kind']])
/** `billing_apply` merges a claimed key's state into the operation's outcome. */
type StoredApplied =
  | Exclude<Claim, { state: 'claimed' }>
  | ({ state: 'claimed' } & StoredOutcome)
  | StoredRow<Answered>

const date = (v: string) => new Date(v)
const dateOrNull = (v: string | null) => (v === null ? null : new Date(v))

/** The written rows of an outcome as the tables' rows: the one place their JSON becomes bigint and Date. */
function holdRow(j: StoredRow<HoldRow>): HoldRow {
  return {
    ...j,
    wallet_account_id: BigInt(j.wallet_account_id),
    revenue_account_id: BigInt(j.revenue_account_id),
    amount: BigInt(j.amount),
    captured_amount: BigInt(j.captured_amount),
    expires_at: date(j.expires_at),
    created_at: date(j.created_at),
    resolved_at: dateOrNull(j.resolved_at),
  }
}

function chargeRow(j: StoredRow<ChargeRow>): ChargeRow {
  return {
    ...j,
    wallet_account_id: BigInt(j.wallet_account_id),
    revenue_account_id: BigInt(j.revenue_account_id),
    amount: BigInt(j.amount),
    amount_refunded: BigInt(j.amount_refunded),
    created_at: date(j.created_at),
  }
}

function refundRow(j: StoredRow<RefundRow>): RefundRow {
  return { ...j, amount: BigInt(j.amount), created_at: date(j.created_at) }
}

function outcome(j: StoredOutcome): Outcome {
  switch (j.result) {
    case 'ok':
      switch (j.kind) {
        case 'hold':
        case 'release':
          return { result: 'ok', kind: j.kind, hold: holdRow(j.hold) }
        case 'capture':
          return { result: 'ok', kind: j.kind, hold: holdRow(j.hold), charge: chargeRow(j.charge) }
        case 'charge':
          return { result: 'ok', kind: j.kind, charge: chargeRow(j.charge) }
        case 'refund':
          return { result: 'ok', kind: j.kind, refund: refundRow(j.refund), charge: chargeRow(j.charge) }
      }
      break
    case 'spending_limit_exceeded':
      return { result: j.result, limit: BigInt(j.limit), remaining: BigInt(j.remaining) }
    case 'exceeds_pending_amount':
      return { result: j.result, pending_amount: BigInt(j.pending_amount) }
    case 'exceeds_charge':
      return { result: j.result, refundable: BigInt(j.refundable) }
    case 'partner_balance_insufficient':
      return { result: j.result, available: BigInt(j.available) }
    default:
      return j
  }
}

function applied(j: StoredApplied): Applied {
  switch (j.state) {
    case 'claimed':
      return { state: 'claimed', outcome: outcome(j) }
    case 'answered':
      return { ...j, wallet: BigInt(j.wallet) }
    default:
      return j
  }
}

/** The only code that reads or writes `billing_*` tables (besides the billing SQL functions). */
export function createBillingRepository() {
  return {
    async insertAccount(q: Queryable, row: AccountRow): Promise<AccountRow> {
      const rows = await q.query<AccountRow>(
        `INSERT INTO billing_accounts (id, company_id, kind, customer_id, external_id, email, username, wallet_account_id,
                                       currency, scopes, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11)
         ON CONFLICT DO NOTHING RETURNING *`,
        [
          row.id,
          row.company_id,
          row.kind,
          row.customer_id,
          row.external_id,
          row.email,
          row.username,
          row.wallet_account_id,
          row.currency,
          JSON.stringify(row.scopes),
          row.created_at,
        ],
      )
      return rows[0] as AccountRow
    },

    async findProtusAccount(q: Queryable, companyId: string, customerId: string) {
      const rows = await q.query<AccountRow>(
        'SELECT * FROM billing_accounts WHERE company_id = $1 AND customer_id = $2',
        [companyId, customerId],
      )
      return rows[0]
    },

    /** What a person shares with the partner (per the grant's `profile` and `email`); null: not shared. */
    async setShared(
      q: Queryable,
      accountId: string,
      shared: { username: string | null; email: string | null },
    ) {
      await q.query(
        `UPDATE billing_accounts SET username = $2, email = $3
          WHERE id = $1 AND (username IS DISTINCT FROM $2 OR email IS DISTINCT FROM $3)`,
        [accountId, shared.username, shared.email],
      )
    },

    /** Applies the change under the account's wallet lock; answers the ids of the holds released. */
    async setGrant(q: Queryable, accountId: string, change: GrantChange, at: Date): Promise<string[]> {
      const limit =
        change.monthlyLimit === undefined ? null : JSON.stringify(change.monthlyLimit?.toString() ?? null)
      const rows = await q.query<{ released: string[] }>(
        'SELECT billing_set_grant($1, $2::jsonb, $3, $4::jsonb, $5, $6) AS released',
        [
          accountId,
          change.scopes ? JSON.stringify(change.scopes) : null,
          change.revoked ?? null,
          limit,
          change.releaseReason ?? null,
          at,
        ],
      )
      return rows[0]?.released ?? []
    },

    async usage(q: Queryable, accountId: string, at: Date): Promise<Usage> {
      const rows = await q.query<{ u: { spent: number | string; held: number | string; resets_at: string } }>(
        'SELECT billing_usage($1, $2) AS u',
        [accountId, at],
      )
      const u = rows[0]?.u
      return {
        spent: BigInt(u?.spent ?? 0),
        held: BigInt(u?.held ?? 0),
        resets_at: new Date(u?.resets_at ?? at),
      }
    },

    findHolds(q: Queryable, ids: readonly string[]) {
      return q.query<HoldRow>('SELECT * FROM billing_holds WHERE id = ANY ($1::text[]) ORDER BY id', [ids])
    },

    async findAccount(q: Queryable, by: { id: string } | { companyId: string; externalId: string }) {
      const rows =
        'id' in by
          ? await q.query<AccountRow>('SELECT * FROM billing_accounts WHERE id = $1', [by.id])
          : await q.query<AccountRow>(
              'SELECT * FROM billing_accounts WHERE company_id = $1 AND external_id = $2',
              [by.companyId, by.externalId],
            )
      return rows[0]
    },

    listAccounts(q: Queryable, companyId: string, p: PageQuery) {
      return q.query<AccountRow>(
        `SELECT * FROM billing_accounts WHERE company_id = $1 AND ($2::text IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
        [companyId, ...page(p)],
      )
    },

    accountsOfCustomer(q: Queryable, customerId: string) {
      return q.query<AccountRow>('SELECT * FROM billing_accounts WHERE customer_id = $1 ORDER BY id DESC', [
        customerId,
      ])
    },

    /** Spent (charged less refunded), refunded, held (open holds not yet expired), last activity. */
    async stats(q: Queryable, accountIds: readonly string[], at: Date): Promise<Map<string, AccountStats>> {
      if (accountIds.length === 0) return new Map()
      const rows = await q.query<AccountStats>(
        // One pass over each account's charges, holds and refunds, and its month's usage.
        `SELECT a.id AS account_id, coalesce(c.spent, 0)::bigint AS spent, coalesce(c.refunded, 0)::bigint AS refunded,
                coalesce(h.held, 0)::bigint AS held, greatest(c.last, h.last, r.last) AS last_activity_at,
                (m.u->>'spent')::bigint AS month_spent, (m.u->>'resets_at')::timestamptz AS month_resets_at
           FROM billing_accounts a
           CROSS JOIN LATERAL (SELECT billing_usage(a.id, $2) AS u) m
           CROSS JOIN LATERAL (SELECT sum(amount - amount_refunded) AS spent, sum(amount_refunded) AS refunded,
                                      max(created_at) AS last
                                 FROM billing_charges WHERE account_id = a.id) c
           CROSS JOIN LATERAL (SELECT sum(amount) FILTER (WHERE status = 'pending' AND expires_at > $2) AS held,
                                      max(created_at) AS last
                                 FROM billing_holds WHERE account_id = a.id) h
           CROSS JOIN LATERAL (SELECT max(created_at) AS last FROM billing_refunds WHERE account_id = a.id) r
          WHERE a.id = ANY ($1::text[])`,
        [accountIds, at],
      )
      return new Map(rows.map((r) => [r.account_id, r]))
    },

    async findHold(q: Queryable, id: string) {
      return (await q.query<HoldRow>('SELECT * FROM billing_holds WHERE id = $1', [id]))[0]
    },

    listHolds(
      q: Queryable,
      companyId: string,
      filter: PaymentFilter & { status?: HoldStatus },
      p: PageQuery,
      now: Date,
    ) {
      // A pending hold past its expiry is listed as expired, as it reads, before the sweeper marks it.
      return q.query<HoldRow>(
        `SELECT * FROM billing_holds WHERE company_id = $1 AND ${FILTERED} AND ($3::text IS NULL OR service_id = $3)
            AND ($6::text IS NULL OR $6 = CASE WHEN status = 'pending' AND expires_at <= $7 THEN 'expired' ELSE status END)
            AND ($8::text IS NULL OR id < $8) ORDER BY id DESC LIMIT $9`,
        [companyId, ...filtered(filter), filter.status ?? null, now, ...page(p)],
      )
    },

    async findCharge(q: Queryable, id: string) {
      return (await q.query<ChargeRow>('SELECT * FROM billing_charges WHERE id = $1', [id]))[0]
    },

    listCharges(q: Queryable, companyId: string, filter: PaymentFilter, p: PageQuery) {
      return q.query<ChargeRow>(
        `SELECT * FROM billing_charges WHERE company_id = $1 AND ${FILTERED} AND ($3::text IS NULL OR service_id = $3)
            AND ($6::text IS NULL OR id < $6) ORDER BY id DESC LIMIT $7`,
        [companyId, ...filtered(filter), ...page(p)],
      )
    },

    listRefunds(
      q: Queryable,
      companyId: string,
      filter: PaymentFilter & { chargeId?: string },
      p: PageQuery,
    ) {
      return q.query<RefundRow>(
        `SELECT * FROM billing_refunds r WHERE company_id = $1 AND ${FILTERED}
            AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM billing_charges c WHERE c.id = r.charge_id AND c.service_id = $3))
            AND ($6::text IS NULL OR charge_id = $6) AND ($7::text IS NULL OR id < $7) ORDER BY id DESC LIMIT $8`,
        [companyId, ...filtered(filter), filter.chargeId ?? null, ...page(p)],
      )
    },

    /**
     * The partner's charges and refunds summed per key and currency: a charge counts at its
     * creation, a refund at its own (so a period's net is what moved in it), both of the service
     * of the charge. Keys in order; a service key is null for charges of an amount.
     */
    revenue(
      q: Queryable,
      companyId: string,
      groupBy: RevenueGrouping,
      range: Omit<PaymentFilter, 'accountId' | 'serviceId'>,
    ) {
      const key = (created: string, service: string) =>
        groupBy === 'service'
          ? service
          : `to_char(${created} AT TIME ZONE 'UTC', '${groupBy === 'day' ? 'YYYY-MM-DD' : 'YYYY-MM'}')`
      return q.query<RevenueRow>(
        `SELECT key, currency, sum(n)::integer AS charges_count, sum(gross)::bigint AS gross,
                sum(refunds)::bigint AS refunds
           FROM (SELECT ${key('c.created_at', 'c.service_id')} AS key, c.currency, 1 AS n, c.amount AS gross, 0 AS refunds
                   FROM billing_charges c
                  WHERE c.company_id = $1 AND ($2::timestamptz IS NULL OR c.created_at >= $2)
                    AND ($3::timestamptz IS NULL OR c.created_at < $3)
                 UNION ALL
                 SELECT ${key('r.created_at', 'c.service_id')}, c.currency, 0, 0, r.amount
                   FROM billing_refunds r JOIN billing_charges c ON c.id = r.charge_id
                  WHERE r.company_id = $1 AND ($2::timestamptz IS NULL OR r.created_at >= $2)
                    AND ($3::timestamptz IS NULL OR r.created_at < $3)) moved
          GROUP BY key, currency ORDER BY key COLLATE "C" NULLS LAST, currency`,
        [companyId, range.createdGte ?? null, range.createdLt ?? null],
      )
    },

    /** Runs a batch through `billing_apply` (one round trip); one entry per operation, in order. */
    async apply(q: Queryable, entries: readonly BatchEntry[], at: Date): Promise<Applied[]> {
      const ops = entries.map(({ request, operation, reply }) => ({
        ...operation,
        ...(reply ? { reply } : {}),
        principal: request.principal,
        key: request.key,
        hash: request.hash,
      }))
      const json = JSON.stringify(ops, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))
      const rows = await q.query<{ r: StoredApplied[] }>('SELECT billing_apply($1::jsonb, $2) AS r', [
        json,
        at,
      ])
      return (rows[0]?.r ?? []).map(applied)
    },

    /** Marks holds the ledger expired (the sweeper). */
    async markExpired(q: Queryable, holdIds: readonly string[], at: Date): Promise<HoldRow[]> {
      if (holdIds.length === 0) return []
      return q.query<HoldRow>(
        `UPDATE billing_holds SET status = 'expired', resolved_at = $2
          WHERE id = ANY ($1::text[]) AND status = 'pending' RETURNING *`,
        [holdIds, at],
      )
    },
  }
}

export type BillingRepository = ReturnType<typeof createBillingRepository>
