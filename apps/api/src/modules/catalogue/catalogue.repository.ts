import type { Queryable } from '../../db/database.js'

export type Interval = 'day' | 'week' | 'month' | 'year'

export interface ServiceRow {
  id: string
  company_id: string
  name: string
  price: bigint
  currency: string
  recurring_interval: Interval | null
  recurring_count: number | null
  active: boolean
  created_at: Date
  updated_at: Date
}

const columns =
  'id, company_id, name, price, currency, recurring_interval, recurring_count, active, created_at, updated_at'

/** The only code that reads or writes `catalogue_*` tables. */
export function createCatalogueRepository() {
  return {
    async insert(q: Queryable, row: ServiceRow): Promise<void> {
      await q.query(
        `INSERT INTO catalogue_services (${columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          row.id,
          row.company_id,
          row.name,
          row.price,
          row.currency,
          row.recurring_interval,
          row.recurring_count,
          row.active,
          row.created_at,
          row.updated_at,
        ],
      )
    },

    async find(q: Queryable, companyId: string, id: string): Promise<ServiceRow | undefined> {
      const rows = await q.query<ServiceRow>(
        `SELECT ${columns} FROM catalogue_services WHERE company_id = $1 AND id = $2`,
        [companyId, id],
      )
      return rows[0]
    },

    async names(q: Queryable, ids: readonly string[]): Promise<{ id: string; name: string }[]> {
      if (ids.length === 0) return []
      return q.query('SELECT id, name FROM catalogue_services WHERE id = ANY ($1::text[])', [ids])
    },

    /** Newest first; `startingAfter` is the last id of the previous page. */
    async list(
      q: Queryable,
      companyId: string,
      page: { limit: number; startingAfter?: string; active?: boolean },
    ): Promise<ServiceRow[]> {
      return q.query<ServiceRow>(
        `SELECT ${columns} FROM catalogue_services
         WHERE company_id = $1 AND ($2::text IS NULL OR id < $2) AND ($3::boolean IS NULL OR active = $3)
         ORDER BY id DESC LIMIT $4`,
        [companyId, page.startingAfter ?? null, page.active ?? null, page.limit],
      )
    },

    async update(
      q: Queryable,
      companyId: string,
      id: string,
      patch: { name?: string; price?: bigint; active?: boolean },
      now: Date,
    ): Promise<ServiceRow | undefined> {
      const rows = await q.query<ServiceRow>(
        `UPDATE catalogue_services SET
           name = COALESCE($3, name), price = COALESCE($4::bigint, price), active = COALESCE($5::boolean, active),
           updated_at = $6
         WHERE company_id = $1 AND id = $2
         RETURNING ${columns}`,
        [companyId, id, patch.name ?? null, patch.price ?? null, patch.active ?? null, now],
      )
      return rows[0]
    },
  }
}

export type CatalogueRepository = ReturnType<typeof createCatalogueRepository>
