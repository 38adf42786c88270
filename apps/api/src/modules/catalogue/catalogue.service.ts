import type { Database, Queryable } from '../../db/database.js'
import type { Clock } from '../../lib/clock.js'
import { DomainError } from '../../lib/domain-error.js'
import { newId } from '../../lib/ids.js'
import type { CatalogueRepository, Interval, ServiceRow } from './catalogue.repository.js'

export interface Service {
  id: string
  name: string
  price: bigint
  currency: string
  recurring: { interval: Interval; count: number } | null
  active: boolean
  created_at: Date
  updated_at: Date
}

export interface NewService {
  name: string
  price: number
  currency?: string
  recurring?: { interval: Interval; count: number } | null
}

export const DEFAULT_CURRENCY = 'RUB'
const currencies = new Set(Intl.supportedValuesOf('currency'))

const toService = (row: ServiceRow): Service => ({
  id: row.id,
  name: row.name,
  price: row.price,
  currency: row.currency,
  recurring:
    row.recurring_interval && row.recurring_count
      ? { interval: row.recurring_interval, count: row.recurring_count }
      : null,
  active: row.active,
  created_at: row.created_at,
  updated_at: row.updated_at,
})

/** A partner's catalogue of paid services. Another partner's service does not exist for the caller. */
export function createCatalogueService(deps: { db: Database; repo: CatalogueRepository; clock: Clock }) {
  const { db, repo, clock } = deps

  return {
    async create(companyId: string, input: NewService, q: Queryable = db): Promise<Service> {
      const currency = input.currency ?? DEFAULT_CURRENCY
      if (!currencies.has(currency)) {
        throw new DomainError('validation_failed', `${currency} is not an ISO 4217 currency`, {
          errors: [{ field: '/currency', message: 'is not an ISO 4217 currency code' }],
        })
      }
      const now = clock.now()
      const row: ServiceRow = {
        id: newId('svc', now.getTime()),
        company_id: companyId,
        name: input.name.trim(),
        price: BigInt(input.price),
        currency,
        recurring_interval: input.recurring?.interval ?? null,
        recurring_count: input.recurring?.count ?? null,
        active: true,
        created_at: now,
        updated_at: now,
      }
      await repo.insert(q, row)
      return toService(row)
    },

    async get(companyId: string, id: string): Promise<Service> {
      const row = await repo.find(db, companyId, id)
      if (!row) throw new DomainError('not_found', `no service ${id}`)
      return toService(row)
    },

    /** Names of services of any partner by id, for a person's statement; unknown ids are left out. */
    async names(ids: readonly string[]): Promise<Map<string, string>> {
      const rows = await repo.names(db, [...new Set(ids)])
      return new Map(rows.map((r) => [r.id, r.name]))
    },

    async list(companyId: string, page: { limit: number; startingAfter?: string; active?: boolean }) {
      const rows = await repo.list(db, companyId, { ...page, limit: page.limit + 1 })
      return { data: rows.slice(0, page.limit).map(toService), has_more: rows.length > page.limit }
    },

    async update(companyId: string, id: string, patch: { name?: string; price?: number; active?: boolean }) {
      const row = await repo.update(
        db,
        companyId,
        id,
        {
          name: patch.name?.trim(),
          price: patch.price === undefined ? undefined : BigInt(patch.price),
          active: patch.active,
        },
        clock.now(),
      )
      if (!row) throw new DomainError('not_found', `no service ${id}`)
      return toService(row)
    },
  }
}

export type CatalogueService = ReturnType<typeof createCatalogueService>
