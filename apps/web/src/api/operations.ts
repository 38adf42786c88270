import { http, type Query } from './http.ts'
import type { Charge, Hold, HoldStatus, Page, Refund } from './types.ts'

/** The filters every list of charges, holds and refunds takes; times are ISO 8601. */
export interface PaymentQuery {
  account?: string
  service?: string
  'created[gte]'?: string
  'created[lt]'?: string
  limit?: number
  starting_after?: string
}

export type ChargeQuery = PaymentQuery & { status?: 'succeeded' }
export type HoldQuery = PaymentQuery & { status?: HoldStatus }
export type RefundQuery = PaymentQuery & { charge?: string }

/** The company's charges across its accounts, newest first. */
export function listCharges(query: ChargeQuery = {}): Promise<Page<Charge>> {
  return http.get('/v1/charges', { ...query })
}

export function listHolds(query: HoldQuery = {}): Promise<Page<Hold>> {
  return http.get('/v1/holds', { ...query })
}

export function listRefunds(query: RefundQuery = {}): Promise<Page<Refund>> {
  return http.get('/v1/refunds', { ...query })
}

export function fetchCharge(id: string): Promise<Charge> {
  return http.get(`/v1/charges/${encodeURIComponent(id)}`)
}

/** Gives `amount` minor units of a charge back to the account it was taken from. */
export function refundCharge(id: string, amount: number, idempotencyKey: string): Promise<Refund> {
  return http.post(`/v1/charges/${encodeURIComponent(id)}/refunds`, { amount }, { idempotencyKey })
}

/**
 * The address of a CSV export for a link the browser downloads with the session cookie: the list's
 * own path with `.csv`, under the same filters, without paging.
 */
export function exportUrl(path: '/v1/charges' | '/v1/balance_transactions', query: Query): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && key !== 'limit' && key !== 'starting_after') params.set(key, String(value))
  }
  const search = params.toString()
  return `${path}.csv${search ? `?${search}` : ''}`
}
