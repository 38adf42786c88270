import { http } from './http.ts'
import type {
  BalanceTransaction,
  BalanceTransactionType,
  Page,
  PartnerBalance,
  Payout,
  PayoutCreate,
  PayoutStatus,
  RevenueGroupBy,
  RevenueReport,
} from './types.ts'

/** A stretch of time as the API bounds lists and reports: from `created[gte]`, before `created[lt]`. */
export interface CreatedRange {
  'created[gte]'?: string
  'created[lt]'?: string
}

export type BalanceTransactionQuery = CreatedRange & {
  type?: BalanceTransactionType
  service?: string
  account?: string
  limit?: number
  starting_after?: string
}

export interface PayoutQuery {
  status?: PayoutStatus
  limit?: number
  starting_after?: string
}

/** What the company earned and has not been paid out yet, what is on its way, and what was paid. */
export function fetchBalance(currency?: string): Promise<PartnerBalance> {
  return http.get('/v1/balance', { currency })
}

/** Every movement of the balance, newest first. */
export function listBalanceTransactions(
  query: BalanceTransactionQuery = {},
): Promise<Page<BalanceTransaction>> {
  return http.get('/v1/balance_transactions', { ...query })
}

export function listPayouts(query: PayoutQuery = {}): Promise<Page<Payout>> {
  return http.get('/v1/payouts', { ...query })
}

/** Asks for `amount` of the available balance to be paid out; the operator pays it. */
export function createPayout(input: PayoutCreate, idempotencyKey: string): Promise<Payout> {
  return http.post('/v1/payouts', input, { idempotencyKey })
}

export function fetchRevenue(groupBy: RevenueGroupBy, range: CreatedRange = {}): Promise<RevenueReport> {
  return http.get('/v1/reports/revenue', { group_by: groupBy, ...range })
}
