import { http } from './http.ts'
import type { Account, Charge, Hold, Page, Refund } from './types.ts'

export interface PageQuery {
  limit?: number
  starting_after?: string
}

export function listAccounts(query: PageQuery = {}): Promise<Page<Account>> {
  return http.get('/v1/accounts', { ...query })
}

export function fetchAccount(id: string): Promise<Account> {
  return http.get(`/v1/accounts/${encodeURIComponent(id)}`)
}

export function listHolds(account: string, query: PageQuery = {}): Promise<Page<Hold>> {
  return http.get('/v1/holds', { ...query, account })
}

export function listCharges(account: string, query: PageQuery = {}): Promise<Page<Charge>> {
  return http.get('/v1/charges', { ...query, account })
}

export function listRefunds(account: string, query: PageQuery = {}): Promise<Page<Refund>> {
  return http.get('/v1/refunds', { ...query, account })
}
