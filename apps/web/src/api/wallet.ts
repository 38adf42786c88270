import { http } from './http.ts'
import type { Entry, EntryKind, Page, PartnerAccount, SpendingByMonth, TopUp, Wallet } from './types.ts'

/** What the statement is narrowed to; each left out narrows nothing. */
export interface EntryFilters {
  /** The partner (`co_…`) a movement was with. */
  partner?: string
  kind?: EntryKind
  'created[gte]'?: string
  'created[lt]'?: string
  /** Text the description contains, in any letter case. */
  q?: string
}

export interface EntryListQuery extends EntryFilters {
  limit?: number
  starting_after?: string
}

export function fetchWallet(): Promise<Wallet> {
  return http.get('/v1/me/wallet')
}

export function listEntries(query: EntryListQuery = {}): Promise<Page<Entry>> {
  return http.get('/v1/me/entries', { ...query })
}

/**
 * Where the statement under `filters` downloads as CSV. The session cookie goes with a plain link,
 * so the browser saves the file itself however long it is.
 */
export function entriesCsvUrl(filters: EntryFilters = {}): string {
  const query = new URLSearchParams()
  for (const [key, value] of Object.entries(filters)) if (value) query.set(key, value)
  const search = query.toString()
  return `/v1/me/entries.csv${search ? `?${search}` : ''}`
}

/** What went to each partner in each of the last 12 months (UTC), charges less refunds. */
export function fetchSpendingByMonth(): Promise<SpendingByMonth> {
  return http.get('/v1/me/spending', { group_by: 'month' })
}

export function listPartnerAccounts(): Promise<{ data: PartnerAccount[] }> {
  return http.get('/v1/me/accounts')
}

/** Starts a top-up; the person pays on its `checkout_url`. */
export function createTopUp(amount: number, idempotencyKey: string): Promise<TopUp> {
  return http.post('/v1/me/topups', { amount }, { idempotencyKey })
}

export function fetchTopUp(id: string): Promise<TopUp> {
  return http.get(`/v1/me/topups/${encodeURIComponent(id)}`)
}
