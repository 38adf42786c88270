import type { LocationQuery, LocationQueryRaw } from 'vue-router'
import type { EntryKind } from '../api/types.ts'
import type { EntryFilters } from '../api/wallet.ts'
import { isDay, periodRange } from './operations-filters.ts'

/** Every kind of statement line, in the order the kind filter offers them. */
export const ENTRY_KINDS: readonly EntryKind[] = [
  'charge',
  'capture',
  'hold',
  'release',
  'expiry',
  'refund',
  'top_up',
]

/** The longest search the API takes. */
export const MAX_SEARCH = 100

/**
 * What the statement is narrowed to, as the address keeps it. `from` and `to` are days
 * (YYYY-MM-DD) in the browser's time zone, as the statement shows times, both included.
 */
export interface StatementFilters {
  partner: string | null
  kind: EntryKind | null
  from: string | null
  to: string | null
  q: string | null
}

export const NO_STATEMENT_FILTERS: Readonly<StatementFilters> = Object.freeze({
  partner: null,
  kind: null,
  from: null,
  to: null,
  q: null,
})

const KEYS = ['partner', 'kind', 'from', 'to', 'q'] as const
const PARTNER = /^co_[0-9a-hjkmnp-tv-z]{26}$/

const single = (value: LocationQuery[string] | undefined): string | null =>
  typeof value === 'string' && value.trim() ? value.trim() : null

/**
 * The filters in an address, keeping only what the API takes: an address someone typed or kept
 * never gets a refusal instead of the statement.
 */
export function statementFiltersFromQuery(query: LocationQuery): StatementFilters {
  const partner = single(query.partner)
  const kind = single(query.kind)
  const day = (value: string | null) => (value && isDay(value) ? value : null)
  return {
    partner: partner && PARTNER.test(partner) ? partner : null,
    kind: kind && (ENTRY_KINDS as readonly string[]).includes(kind) ? (kind as EntryKind) : null,
    from: day(single(query.from)),
    to: day(single(query.to)),
    q: single(query.q)?.slice(0, MAX_SEARCH) ?? null,
  }
}

/** The filters as the address's query; those that narrow nothing are left out. */
export function queryFromStatementFilters(filters: StatementFilters): LocationQueryRaw {
  const query: LocationQueryRaw = {}
  for (const key of KEYS) {
    const value = filters[key]
    if (value !== null) query[key] = value
  }
  return query
}

/** Whether any filter narrows the statement. */
export const isStatementFiltered = (filters: StatementFilters): boolean =>
  KEYS.some((key) => filters[key] !== null)

/** The filters as the API's query. */
export function entryFiltersOf(filters: StatementFilters): EntryFilters {
  return {
    ...(filters.partner ? { partner: filters.partner } : {}),
    ...(filters.kind ? { kind: filters.kind } : {}),
    ...periodRange(filters.from, filters.to),
    ...(filters.q ? { q: filters.q } : {}),
  }
}

/** The same filters (a change of the address that leaves them as they are reloads nothing). */
export const sameStatementFilters = (a: StatementFilters, b: StatementFilters): boolean =>
  KEYS.every((key) => a[key] === b[key])
