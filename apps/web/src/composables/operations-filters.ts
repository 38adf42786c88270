import type { LocationQuery, LocationQueryRaw } from 'vue-router'
import type { BalanceTransactionQuery, CreatedRange } from '../api/earnings.ts'
import type { ChargeQuery, HoldQuery, PaymentQuery } from '../api/operations.ts'
import {
  BALANCE_TRANSACTION_TYPES,
  type BalanceTransactionType,
  HOLD_STATUSES,
  type HoldStatus,
} from '../api/types.ts'

/** The kinds of operation the Operations page lists; `balance` is the balance's own movements. */
export type OperationsTab = 'charges' | 'holds' | 'refunds' | 'balance'

export const OPERATIONS_TABS: readonly OperationsTab[] = ['charges', 'holds', 'refunds', 'balance']

export type OperationStatus = HoldStatus | 'succeeded'

/**
 * What a list of operations is narrowed to. `from` and `to` are days (YYYY-MM-DD) in the
 * browser's time zone, as the lists show times, both included.
 */
export interface OperationsFilters {
  service: string | null
  account: string | null
  from: string | null
  to: string | null
  /** Holds: their status; charges: `succeeded`, the only one a charge has. */
  status: OperationStatus | null
  /** Balance transactions: their type. */
  type: BalanceTransactionType | null
}

export const NO_OPERATIONS_FILTERS: Readonly<OperationsFilters> = Object.freeze({
  service: null,
  account: null,
  from: null,
  to: null,
  status: null,
  type: null,
})

/** The statuses a tab can be filtered by; none for refunds and balance transactions. */
export function statusesOf(tab: OperationsTab): readonly OperationStatus[] {
  if (tab === 'holds') return HOLD_STATUSES
  if (tab === 'charges') return ['succeeded']
  return []
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/

/** A calendar day written as YYYY-MM-DD that exists (no 2024-02-30). */
export function isDay(text: string): boolean {
  const match = DAY.exec(text)
  if (!match) return false
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number]
  const date = new Date(Date.UTC(year, month - 1, day))
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

/** Local midnight at the start of a day, `plusDays` later. */
function localMidnight(day: string, plusDays = 0): Date {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number]
  return new Date(year, month - 1, date + plusDays)
}

/** The days as the API's bounds: from the first day's start to the end of the last. */
export function periodRange(from: string | null, to: string | null): CreatedRange {
  const range: CreatedRange = {}
  if (from && isDay(from)) range['created[gte]'] = localMidnight(from).toISOString()
  if (to && isDay(to)) range['created[lt]'] = localMidnight(to, 1).toISOString()
  return range
}

const single = (value: LocationQuery[string] | undefined): string | null =>
  typeof value === 'string' && value.trim() ? value.trim() : null

const oneOf = <T extends string>(value: string | null, allowed: readonly T[]): T | null =>
  value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : null

export function tabFromQuery(query: LocationQuery): OperationsTab {
  return oneOf(single(query.tab), OPERATIONS_TABS) ?? 'charges'
}

/** The filters that apply to `tab`: a status of another tab's kind, or a type off the balance tab, goes. */
export function forTab(tab: OperationsTab, filters: OperationsFilters): OperationsFilters {
  return {
    ...filters,
    status: oneOf(filters.status, statusesOf(tab)),
    type: tab === 'balance' ? filters.type : null,
  }
}

/**
 * The filters in an address, keeping only what applies to `tab`: an address someone typed or
 * kept from another tab never sends the API a filter it would refuse.
 */
export function filtersFromQuery(query: LocationQuery, tab: OperationsTab): OperationsFilters {
  const day = (value: string | null) => (value && isDay(value) ? value : null)
  return forTab(tab, {
    service: single(query.service),
    account: single(query.account),
    from: day(single(query.from)),
    to: day(single(query.to)),
    status: oneOf(single(query.status), statusesOf(tab)),
    type: oneOf(single(query.type), BALANCE_TRANSACTION_TYPES),
  })
}

/** The address's query for a tab and its filters; the charges tab and empty filters are left out. */
export function queryFromFilters(tab: OperationsTab, filters: OperationsFilters): LocationQueryRaw {
  const query: LocationQueryRaw = {}
  if (tab !== 'charges') query.tab = tab
  const kept = forTab(tab, filters)
  for (const key of ['service', 'account', 'from', 'to', 'status', 'type'] as const) {
    const value = kept[key]
    if (value !== null) query[key] = value
  }
  return query
}

/** Whether any filter narrows the list. */
export const isFiltered = (filters: OperationsFilters): boolean =>
  Object.values(filters).some((value) => value !== null)

/** The filters every list of operations takes: service, account and period. */
export function paymentQuery(filters: OperationsFilters): PaymentQuery {
  return {
    ...(filters.service ? { service: filters.service } : {}),
    ...(filters.account ? { account: filters.account } : {}),
    ...periodRange(filters.from, filters.to),
  }
}

export function chargeQuery(filters: OperationsFilters): ChargeQuery {
  return { ...paymentQuery(filters), ...(filters.status === 'succeeded' ? { status: 'succeeded' } : {}) }
}

export function holdQuery(filters: OperationsFilters): HoldQuery {
  const status = oneOf(filters.status, HOLD_STATUSES)
  return { ...paymentQuery(filters), ...(status ? { status } : {}) }
}

export function balanceQuery(filters: OperationsFilters): BalanceTransactionQuery {
  return { ...paymentQuery(filters), ...(filters.type ? { type: filters.type } : {}) }
}
