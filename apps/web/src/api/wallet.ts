import { http } from './http.ts'
import type { Entry, Page, PartnerAccount, TopUp, Wallet } from './types.ts'

export interface EntryListQuery {
  limit?: number
  starting_after?: string
}

export function fetchWallet(): Promise<Wallet> {
  return http.get('/v1/me/wallet')
}

export function listEntries(query: EntryListQuery = {}): Promise<Page<Entry>> {
  return http.get('/v1/me/entries', { ...query })
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
