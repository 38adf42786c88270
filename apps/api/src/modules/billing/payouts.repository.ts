import type { Queryable } from '../../db/database.js'
import type { PageQuery, PaymentFilter } from './billing.repository.js'

export type PayoutStatus = 'pending' | 'paid' | 'failed'

export interface PayoutRow {
  id: string
  company_id: string
  currency: string
  amount: bigint
  description: string | null
  status: PayoutStatus
  reference: string | null
  failure_reason: string | null
  created_at: Date
  paid_at: Date | null
  failed_at: Date | null
}

export type BalanceTransactionType = 'charge' | 'refund' | 'payout' | 'payout_reversal'

export interface BalanceTransactionRow {
  id: string
  type: BalanceTransactionType
  /** Signed: what the transaction added to (or took from) the partner's balance. */
  amount: bigint
  currency: string
  source: string
  service: string | null
  account: string | null
  description: string | null
  created_at: Date
}

export interface BalanceTransactionFilter extends PaymentFilter {
  type?: BalanceTransactionType
}

/** Where a page of balance transactions starts: after this one (time, then id, newest first). */
export interface BalanceCursor {
  at: Date
  id: string
}

/** `$2`… of the balance-transaction statement: account, service, created range, type, cursor. */
const WHERE = (at: string, id: string) => `($4::timestamptz IS NULL OR ${at} >= $4)
      AND ($5::timestamptz IS NULL OR ${at} < $5)
      AND ($7::timestamptz IS NULL OR ${at} < $7 OR (${at} = $7 AND (${id}) COLLATE "C" < $8::text COLLATE "C"))`

/**
 * Every movement of a partner's balance, newest first: charges (captures included) add, refunds
 * (under their charge's service) and payouts take away, a failed payout's reversal adds back at
 * its failure. Each branch reads an index by partner and time.
 */
const BALANCE_TRANSACTIONS = `
SELECT * FROM (
  SELECT 'txn_' || c.id AS id, 'charge' AS type, c.amount, c.currency, c.id AS source, c.service_id AS service,
         c.account_id AS account, c.description, c.created_at
    FROM billing_charges c
   WHERE c.company_id = $1 AND ($6::text IS NULL OR $6 = 'charge') AND ($2::text IS NULL OR c.account_id = $2)
     AND ($3::text IS NULL OR c.service_id = $3) AND ${WHERE('c.created_at', "'txn_' || c.id")}
  UNION ALL
  SELECT 'txn_' || r.id, 'refund', -r.amount, c.currency, r.id, c.service_id, r.account_id, c.description, r.created_at
    FROM billing_refunds r JOIN billing_charges c ON c.id = r.charge_id
   WHERE r.company_id = $1 AND ($6::text IS NULL OR $6 = 'refund') AND ($2::text IS NULL OR r.account_id = $2)
     AND ($3::text IS NULL OR c.service_id = $3) AND ${WHERE('r.created_at', "'txn_' || r.id")}
  UNION ALL
  SELECT 'txn_' || p.id, 'payout', -p.amount, p.currency, p.id, NULL, NULL, p.description, p.created_at
    FROM billing_payouts p
   WHERE p.company_id = $1 AND ($6::text IS NULL OR $6 = 'payout') AND $2::text IS NULL AND $3::text IS NULL
     AND ${WHERE('p.created_at', "'txn_' || p.id")}
  UNION ALL
  SELECT 'txn_' || p.id || '_reversal', 'payout_reversal', p.amount, p.currency, p.id, NULL, NULL, p.failure_reason,
         p.failed_at
    FROM billing_payouts p
   WHERE p.company_id = $1 AND p.status = 'failed' AND ($6::text IS NULL OR $6 = 'payout_reversal')
     AND $2::text IS NULL AND $3::text IS NULL AND ${WHERE('p.failed_at', "'txn_' || p.id || '_reversal'")}
) t
ORDER BY created_at DESC, id COLLATE "C" DESC LIMIT $9`

/** The only code that reads or writes `billing_payouts`, and the partner's balance transactions. */
export function createPayoutsRepository() {
  return {
    async insert(
      q: Queryable,
      row: Omit<PayoutRow, 'reference' | 'failure_reason' | 'paid_at' | 'failed_at'>,
    ) {
      const rows = await q.query<PayoutRow>(
        `INSERT INTO billing_payouts (id, company_id, currency, amount, description, status, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
        [row.id, row.company_id, row.currency, row.amount, row.description, row.status, row.created_at],
      )
      return rows[0] as PayoutRow
    },

    async find(q: Queryable, id: string, forUpdate = false): Promise<PayoutRow | undefined> {
      const rows = await q.query<PayoutRow>(
        `SELECT * FROM billing_payouts WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
        [id],
      )
      return rows[0]
    },

    async settle(
      q: Queryable,
      id: string,
      outcome: { status: 'paid'; reference: string } | { status: 'failed'; reason: string },
      at: Date,
    ): Promise<PayoutRow> {
      const rows = await q.query<PayoutRow>(
        outcome.status === 'paid'
          ? `UPDATE billing_payouts SET status = 'paid', reference = $2, paid_at = $3 WHERE id = $1 RETURNING *`
          : `UPDATE billing_payouts SET status = 'failed', failure_reason = $2, failed_at = $3 WHERE id = $1 RETURNING *`,
        [id, outcome.status === 'paid' ? outcome.reference : outcome.reason, at],
      )
      return rows[0] as PayoutRow
    },

    /** A partner's payouts (or, without a partner, everyone's: the operator), newest first. */
    list(
      q: Queryable,
      by: { companyId?: string; status?: PayoutStatus },
      p: PageQuery,
    ): Promise<PayoutRow[]> {
      return q.query<PayoutRow>(
        `SELECT * FROM billing_payouts
          WHERE ($1::text IS NULL OR company_id = $1) AND ($2::text IS NULL OR status = $2)
            AND ($3::text IS NULL OR id < $3) ORDER BY id DESC LIMIT $4`,
        [by.companyId ?? null, by.status ?? null, p.startingAfter ?? null, p.limit + 1],
      )
    },

    /** Where the balance transaction `id` of this partner stands; undefined: there is none. */
    async cursorOf(q: Queryable, companyId: string, id: string): Promise<BalanceCursor | undefined> {
      const source = id.startsWith('txn_') ? id.slice(4) : ''
      const reversal = source.endsWith('_reversal')
      const sourceId = reversal ? source.slice(0, -'_reversal'.length) : source
      const table = sourceId.startsWith('ch_')
        ? 'billing_charges'
        : sourceId.startsWith('re_')
          ? 'billing_refunds'
          : sourceId.startsWith('po_')
            ? 'billing_payouts'
            : undefined
      if (!table || (reversal && table !== 'billing_payouts')) return undefined
      const rows = await q.query<{ at: Date | null }>(
        `SELECT ${reversal ? 'failed_at' : 'created_at'} AS at FROM ${table} WHERE id = $1 AND company_id = $2`,
        [sourceId, companyId],
      )
      const at = rows[0]?.at
      return at ? { at, id } : undefined
    },

    /** One page of the partner's balance transactions (`limit` + 1 rows, to tell if more follow). */
    balanceTransactions(
      q: Queryable,
      companyId: string,
      filter: BalanceTransactionFilter,
      page: { limit: number; after?: BalanceCursor },
    ): Promise<BalanceTransactionRow[]> {
      return q.query<BalanceTransactionRow>(BALANCE_TRANSACTIONS, [
        companyId,
        filter.accountId ?? null,
        filter.serviceId ?? null,
        filter.createdGte ?? null,
        filter.createdLt ?? null,
        filter.type ?? null,
        page.after?.at ?? null,
        page.after?.id ?? null,
        page.limit + 1,
      ])
    },
  }
}

export type PayoutsRepository = ReturnType<typeof createPayoutsRepository>
