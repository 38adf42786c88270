import type { Queryable } from '../../db/database.js'

export type AccountCode = 'wallet' | 'revenue' | 'funding' | 'payout' | 'settled'
export type TransferKind = 'posted' | 'pending' | 'post_pending' | 'void_pending' | 'expire_pending'

export interface LedgerAccountRow {
  id: bigint
  code: AccountCode
  owner_id: string
  currency: string
  debits_must_not_exceed_credits: boolean
  debits_posted: bigint
  credits_posted: bigint
  debits_pending: bigint
  credits_pending: bigint
}

/** A transfer request as `ledger_transfer` takes it (JSON; amounts as decimal strings). */
export interface TransferInput {
  id: string
  kind: TransferKind
  debit?: bigint
  credit?: bigint
  amount?: bigint
  pending_id?: string
  expires_at?: Date
  user_data?: Record<string, unknown>
}

export type TransferResult =
  | { result: 'ok'; debit_balance: string; credit_balance: string; pending_amount?: string }
  | { result: 'exceeds_credits'; available: string }
  | { result: 'pending_not_found' | 'pending_not_due' }
  | { result: 'pending_not_pending'; state: 'posted' | 'voided' | 'expired'; expired_now?: boolean }
  | { result: 'exceeds_pending_amount'; pending_amount: string }

export interface EntryRow {
  seq: bigint
  id: string
  kind: TransferKind
  pending_id: string | null
  amount: bigint
  direction: 'debit' | 'credit'
  /** The account's credits_posted - debits_posted - debits_pending right after the transfer. */
  balance_after: bigint
  /** For a post_pending: the amount of the pending transfer it resolved (what was held). */
  pending_amount: bigint | null
  user_data: Record<string, unknown>
  created_at: Date
}

/** A kind of movement as one account sees it; each part left out narrows nothing. */
export interface EntryShape {
  kind: TransferKind
  /** The account's side of the transfer. */
  direction?: 'debit' | 'credit'
  /** The transfer's user_data has (`present`) or lacks a string under `key`. */
  tag?: { key: string; present: boolean }
  /** A post_pending that posted less than its pending transfer held. */
  partial?: boolean
}

/**
 * What a list of movements is narrowed to; each field left out narrows nothing. `companyId` and
 * `description` match the user_data fields of those names (billing writes them).
 */
export interface EntryFilter {
  companyId?: string
  /** Contained in the description, case-insensitively. */
  description?: string
  createdGte?: Date
  createdLt?: Date
  /** Movements of any of these shapes; an empty list lets none through. */
  shapes?: readonly EntryShape[]
}

/** The filter's conditions on transfer `t` for one side of the account, its values appended to `params`. */
function entryConditions(side: 'debit' | 'credit', filter: EntryFilter = {}, params: unknown[]): string {
  const param = (value: unknown) => `$${params.push(value)}`
  const conditions: string[] = []
  if (filter.companyId !== undefined)
    conditions.push(`t.user_data->>'company_id' = ${param(filter.companyId)}`)
  if (filter.description !== undefined)
    conditions.push(
      `strpos(lower(t.user_data->>'description'), lower(${param(filter.description)}::text)) > 0`,
    )
  if (filter.createdGte !== undefined) conditions.push(`t.created_at >= ${param(filter.createdGte)}`)
  if (filter.createdLt !== undefined) conditions.push(`t.created_at < ${param(filter.createdLt)}`)
  if (filter.shapes !== undefined) {
    const shapes = filter.shapes
      .filter((shape) => shape.direction === undefined || shape.direction === side)
      .map((shape) => {
        const parts = [`t.kind = ${param(shape.kind)}`]
        if (shape.tag) {
          const test = shape.tag.present ? "= 'string'" : "IS DISTINCT FROM 'string'"
          parts.push(`jsonb_typeof(t.user_data -> ${param(shape.tag.key)}::text) ${test}`)
        }
        if (shape.partial)
          parts.push('t.amount < (SELECT p.amount FROM ledger_transfers p WHERE p.id = t.pending_id)')
        return `(${parts.join(' AND ')})`
      })
    conditions.push(shapes.length > 0 ? `(${shapes.join(' OR ')})` : 'false')
  }
  return conditions.map((condition) => `\n           AND ${condition}`).join('')
}

export const transferJson = (t: TransferInput) =>
  JSON.stringify(t, (_key, value) => (typeof value === 'bigint' ? value.toString() : value))

/** The only code that reads or writes `ledger_*` tables (besides the ledger's SQL functions). */
export function createLedgerRepository() {
  return {
    async ensureAccount(
      q: Queryable,
      account: { code: AccountCode; ownerId: string; currency: string; limited: boolean; at: Date },
    ): Promise<bigint> {
      const inserted = await q.query<{ id: bigint }>(
        `INSERT INTO ledger_accounts (code, owner_id, currency, debits_must_not_exceed_credits, created_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (code, owner_id, currency, stripe) DO NOTHING RETURNING id`,
        [account.code, account.ownerId, account.currency, account.limited, account.at],
      )
      if (inserted[0]) return inserted[0].id
      const found = await q.query<{ id: bigint }>(
        'SELECT id FROM ledger_accounts WHERE code = $1 AND owner_id = $2 AND currency = $3 AND stripe = 0',
        [account.code, account.ownerId, account.currency],
      )
      if (!found[0]) throw new Error(`ledger account ${account.code}/${account.ownerId} vanished`)
      return found[0].id
    },

    async findAccount(q: Queryable, by: { code: AccountCode; ownerId: string; currency: string }) {
      const rows = await q.query<LedgerAccountRow>(
        'SELECT * FROM ledger_accounts WHERE code = $1 AND owner_id = $2 AND currency = $3 AND stripe = 0',
        [by.code, by.ownerId, by.currency],
      )
      return rows[0]
    },

    /** Opens (or grows to `stripes`) a partner's revenue stripes; answers their ids in stripe order. */
    async ensureRevenue(
      q: Queryable,
      set: { ownerId: string; currency: string; stripes: number; at: Date },
    ): Promise<bigint[]> {
      const rows = await q.query<{ ids: (string | bigint)[] }>(
        'SELECT ledger_ensure_revenue($1, $2, $3, $4) AS ids',
        [set.ownerId, set.currency, set.stripes, set.at],
      )
      return (rows[0]?.ids ?? []).map((id) => BigInt(id))
    },

    /** A partner's revenue in each currency: its stripes summed, as of `at` (see `balances`). */
    revenue(
      q: Queryable,
      ownerId: string,
      at: Date,
    ): Promise<{ currency: string; stripes: bigint; posted: bigint; held: bigint }[]> {
      return q.query(
        `SELECT a.currency, count(*)::bigint AS stripes, sum(a.credits_posted - a.debits_posted)::bigint AS posted,
                sum(a.credits_pending - coalesce((SELECT sum(lp.amount) FROM ledger_pending lp
                  WHERE lp.credit_account_id = a.id AND lp.state = 'pending' AND lp.expires_at <= $2), 0))::bigint AS held
           FROM ledger_accounts a WHERE a.code = 'revenue' AND a.owner_id = $1
          GROUP BY a.currency ORDER BY a.currency`,
        [ownerId, at],
      )
    },

    /**
     * What a partner holds in one currency, by account code: its revenue (stripes summed), its
     * payouts in flight and what was paid out; each credits less debits, posted only.
     */
    partnerTotals(
      q: Queryable,
      ownerId: string,
      currency: string,
    ): Promise<{ code: 'revenue' | 'payout' | 'settled'; posted: bigint }[]> {
      return q.query(
        `SELECT code, sum(credits_posted - debits_posted)::bigint AS posted FROM ledger_accounts
          WHERE owner_id = $1 AND currency = $2 AND code IN ('revenue', 'payout', 'settled') GROUP BY code`,
        [ownerId, currency],
      )
    },

    async lockAccounts(q: Queryable, ids: readonly bigint[], at: Date): Promise<void> {
      await q.query('SELECT ledger_lock_accounts($1::bigint[], $2)', [ids.map(String), at])
    },

    async transfer(q: Queryable, transfer: TransferInput, at: Date): Promise<TransferResult> {
      const rows = await q.query<{ r: TransferResult }>('SELECT ledger_transfer($1::jsonb, $2) AS r', [
        transferJson(transfer),
        at,
      ])
      return rows[0]?.r as TransferResult
    },

    /** Expires the account's due pending transfers; its counterparties must be locked. */
    async expireDue(q: Queryable, accountId: bigint, at: Date): Promise<string[]> {
      const rows = await q.query<{ ids: string[] }>('SELECT ledger_expire_due($1, $2) AS ids', [
        accountId,
        at,
      ])
      return rows[0]?.ids ?? []
    },

    /** Pending transfers past their expiry, oldest first, for the sweeper. */
    async dueAccounts(q: Queryable, at: Date, limit: number): Promise<bigint[]> {
      const rows = await q.query<{ id: bigint }>(
        `SELECT DISTINCT debit_account_id AS id FROM (
           SELECT debit_account_id FROM ledger_pending WHERE state = 'pending' AND expires_at <= $1
           ORDER BY expires_at LIMIT $2) due`,
        [at, limit],
      )
      return rows.map((r) => r.id)
    },

    /** When the first pending transfer still pending expires, or null when none is pending. */
    async earliestPendingExpiry(q: Queryable): Promise<Date | null> {
      const rows = await q.query<{ at: Date | null }>(
        `SELECT min(expires_at) AS at FROM ledger_pending WHERE state = 'pending'`,
      )
      return rows[0]?.at ?? null
    },

    /**
     * Balances as of `at`: pending transfers past their expiry count as released even before
     * the sweeper has expired them.
     */
    async balances(
      q: Queryable,
      ids: readonly bigint[],
      at: Date,
    ): Promise<{ id: bigint; currency: string; posted: bigint; held: bigint }[]> {
      return q.query(
        `SELECT a.id, a.currency, a.credits_posted - a.debits_posted AS posted,
                a.debits_pending - coalesce((SELECT sum(lp.amount) FROM ledger_pending lp
                  WHERE lp.debit_account_id = a.id AND lp.state = 'pending' AND lp.expires_at <= $2), 0)::bigint AS held
           FROM ledger_accounts a WHERE a.id = ANY ($1::bigint[])`,
        [ids.map(String), at],
      )
    },

    /** Where a transfer stands in one account's movements, for paging; undefined if it is not one of them. */
    async entrySeq(q: Queryable, accountId: bigint, transferId: string): Promise<bigint | undefined> {
      const rows = await q.query<{ seq: bigint }>(
        'SELECT seq FROM ledger_transfers WHERE id = $2 AND (debit_account_id = $1 OR credit_account_id = $1)',
        [accountId, transferId],
      )
      return rows[0]?.seq
    },

    async counts(q: Queryable): Promise<{ accounts: bigint; transfers: bigint }> {
      const rows = await q.query<{ accounts: bigint; transfers: bigint }>(
        `SELECT (SELECT count(*) FROM ledger_accounts)::bigint AS accounts,
                (SELECT count(*) FROM ledger_transfers)::bigint AS transfers`,
      )
      return rows[0] ?? { accounts: 0n, transfers: 0n }
    },

    /**
     * Movements of one account, newest first; `before` is the `seq` of the last one already seen.
     * With a filter, only the movements it lets through (see `EntryFilter`).
     */
    async entries(
      q: Queryable,
      accountId: bigint,
      page: { limit: number; before?: bigint; filter?: EntryFilter },
    ): Promise<EntryRow[]> {
      const params: unknown[] = [accountId, page.before ?? null, page.limit]
      const side = (column: 'debit' | 'credit') => `(
        SELECT t.seq, t.id, t.kind, t.pending_id, t.amount, t.user_data, t.created_at,
               '${column}' AS direction, t.${column}_balance AS balance_after,
               (SELECT p.amount FROM ledger_transfers p WHERE p.id = t.pending_id) AS pending_amount
          FROM ledger_transfers t
         WHERE t.${column}_account_id = $1 AND ($2::bigint IS NULL OR t.seq < $2)${entryConditions(column, page.filter, params)}
         ORDER BY t.seq DESC LIMIT $3)`
      const debits = side('debit')
      const credits = side('credit')
      // Each side is at most `limit` rows; merged as they are (not as a Merge Append under a
      // parameter LIMIT), a page of a thousand reads several times faster on PostgreSQL 15.
      return q.query<EntryRow>(
        `WITH e AS MATERIALIZED (${debits} UNION ALL ${credits}) SELECT * FROM e ORDER BY seq DESC LIMIT $3`,
        params,
      )
    },

    /**
     * What one account paid to and got back from each company per UTC month (YYYY-MM): its posted
     * transfers, captures included, that name a company in `user_data.company_id`; `debits` counts
     * the payments. Holds, releases and expiries move no posted money, so they are left out.
     */
    companyMonths(
      q: Queryable,
      accountId: bigint,
      range: { createdGte?: Date; createdLt?: Date },
    ): Promise<{ month: string; company_id: string; debited: bigint; credited: bigint; debits: number }[]> {
      const side = (column: 'debit' | 'credit') => `
        SELECT to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, t.user_data->>'company_id' AS company_id,
               ${column === 'debit' ? 't.amount' : '0'} AS debited, ${column === 'credit' ? 't.amount' : '0'} AS credited,
               ${column === 'debit' ? 1 : 0} AS debits
          FROM ledger_transfers t
         WHERE t.${column}_account_id = $1 AND t.kind IN ('posted', 'post_pending')
           AND jsonb_typeof(t.user_data->'company_id') = 'string'
           AND ($2::timestamptz IS NULL OR t.created_at >= $2) AND ($3::timestamptz IS NULL OR t.created_at < $3)`
      return q.query(
        `SELECT month, company_id, sum(debited)::bigint AS debited, sum(credited)::bigint AS credited,
                sum(debits)::integer AS debits
           FROM (${side('debit')} UNION ALL ${side('credit')}) moved
          GROUP BY month, company_id ORDER BY month, company_id`,
        [accountId, range.createdGte ?? null, range.createdLt ?? null],
      )
    },
  }
}

export type LedgerRepository = ReturnType<typeof createLedgerRepository>
