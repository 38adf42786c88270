import type { Queryable } from '../../db/database.js'

export type TopupStatus = 'pending' | 'succeeded' | 'failed'

export interface TopupRow {
  id: string
  owner_id: string
  wallet_account_id: bigint
  amount: bigint
  currency: string
  status: TopupStatus
  provider: string
  provider_payment_id: string
  checkout_url: string | null
  /** Where the payment page sends the payer back to (partner top-ups that asked for it). */
  return_url: string | null
  created_by: string
  created_at: Date
  completed_at: Date | null
}

const columns = `id, owner_id, wallet_account_id, amount, currency, status, provider, provider_payment_id,
  checkout_url, return_url, created_by, created_at, completed_at`

/** The only code that reads or writes `topups_*` tables. */
export function createTopupsRepository() {
  return {
    async insert(q: Queryable, row: TopupRow): Promise<void> {
      await q.query(
        `INSERT INTO topups_payments (${columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [
          row.id,
          row.owner_id,
          row.wallet_account_id,
          row.amount,
          row.currency,
          row.status,
          row.provider,
          row.provider_payment_id,
          row.checkout_url,
          row.return_url,
          row.created_by,
          row.created_at,
          row.completed_at,
        ],
      )
    },

    async find(q: Queryable, by: { id: string } | { provider: string; paymentId: string }) {
      const rows =
        'id' in by
          ? await q.query<TopupRow>(`SELECT ${columns} FROM topups_payments WHERE id = $1`, [by.id])
          : await q.query<TopupRow>(
              `SELECT ${columns} FROM topups_payments WHERE provider = $1 AND provider_payment_id = $2`,
              [by.provider, by.paymentId],
            )
      return rows[0]
    },

    /** Top-ups of one wallet owner, newest first, after the id `startingAfter`; one past the limit. */
    listByOwner(q: Queryable, ownerId: string, page: { limit: number; startingAfter?: string }) {
      return q.query<TopupRow>(
        `SELECT ${columns} FROM topups_payments WHERE owner_id = $1 AND ($2::text IS NULL OR id < $2)
          ORDER BY id DESC LIMIT $3`,
        [ownerId, page.startingAfter ?? null, page.limit + 1],
      )
    },

    /**
     * Moves a pending top-up to its outcome. Answers the row only to the one caller that moved it:
     * a concurrent caller waits for the row lock, then finds it no longer pending.
     */
    async settle(
      q: Queryable,
      by: { provider: string; paymentId: string },
      status: Exclude<TopupStatus, 'pending'>,
      at: Date,
    ): Promise<TopupRow | undefined> {
      const rows = await q.query<TopupRow>(
        `UPDATE topups_payments SET status = $3, completed_at = $4
          WHERE provider = $1 AND provider_payment_id = $2 AND status = 'pending'
          RETURNING ${columns}`,
        [by.provider, by.paymentId, status, at],
      )
      return rows[0]
    },
  }
}

export type TopupsRepository = ReturnType<typeof createTopupsRepository>
