import type {
  AccountRow,
  AccountStats,
  ChargeRow,
  HoldRow,
  HoldStatus,
  RefundRow,
} from './billing.repository.js'
import type { BalanceTransactionRow, PayoutRow } from './payouts.repository.js'

/** The API's JSON for billing objects: one place, shared by responses, saved replies and events. */

/** Money on the wire: a JSON integer. Amounts are capped far below 2^53, so this never rounds. */
export function money(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`amount ${value} does not fit a JSON integer`)
  }
  return Number(value)
}

/**
 * The person's monthly limit as the partner sees it (with the `check` scope): how much the month
 * allows, how much of it is left (less this month's charges and the open holds) and when it resets.
 */
export function spendingLimitView(row: AccountRow, stats: AccountStats | undefined) {
  if (!row.monthly_limit || !stats || !row.scopes.includes('check')) return null
  return {
    monthly: money(row.monthly_limit),
    remaining: money(limitRemaining(row.monthly_limit, stats)),
    resets_at: stats.month_resets_at,
  }
}

export function limitRemaining(limit: bigint, stats: Pick<AccountStats, 'month_spent' | 'held'>): bigint {
  const left = limit - stats.month_spent - stats.held
  return left > 0n ? left : 0n
}

export function accountView(row: AccountRow, stats?: AccountStats) {
  return {
    id: row.id,
    kind: row.kind,
    external_id: row.external_id,
    email: row.email,
    username: row.username,
    currency: row.currency,
    scopes: row.scopes,
    spent: money(stats?.spent ?? 0n),
    held: money(stats?.held ?? 0n),
    refunded: money(stats?.refunded ?? 0n),
    last_activity_at: stats?.last_activity_at ?? null,
    spending_limit: spendingLimitView(row, stats),
    created_at: row.created_at,
  }
}

/** An account as its person sees it: the partner's view, and what the month's limit leaves. */
export function personAccountView(row: AccountRow, stats: AccountStats | undefined) {
  const limit = row.monthly_limit ?? null
  return {
    ...accountView(row, stats),
    monthly_limit: limit === null ? null : money(limit),
    spent_this_month: money(stats?.month_spent ?? 0n),
    limit_remaining: limit === null || !stats ? null : money(limitRemaining(limit, stats)),
    limit_resets_at: stats?.month_resets_at ?? null,
  }
}

export type PersonAccountView = ReturnType<typeof personAccountView>

/** A pending hold past its expiry reads as expired before the sweeper has recorded it. */
export function holdStatus(row: Pick<HoldRow, 'status' | 'expires_at'>, now: Date): HoldStatus {
  return row.status === 'pending' && row.expires_at.getTime() <= now.getTime() ? 'expired' : row.status
}

export function holdView(row: HoldRow, now: Date) {
  return {
    id: row.id,
    object: 'hold' as const,
    account: row.account_id,
    amount: money(row.amount),
    currency: row.currency,
    service: row.service_id,
    quantity: row.quantity,
    description: row.description,
    metadata: row.metadata,
    status: holdStatus(row, now),
    captured_amount: money(row.captured_amount),
    charge: row.charge_id ? { id: row.charge_id, amount: money(row.captured_amount) } : null,
    expires_at: row.expires_at,
    created_at: row.created_at,
    resolved_at: row.resolved_at,
  }
}

export function chargeView(row: ChargeRow) {
  return {
    id: row.id,
    object: 'charge' as const,
    account: row.account_id,
    amount: money(row.amount),
    currency: row.currency,
    service: row.service_id,
    quantity: row.quantity,
    description: row.description,
    metadata: row.metadata,
    hold: row.hold_id,
    status: 'succeeded' as const,
    amount_refunded: money(row.amount_refunded),
    created_at: row.created_at,
  }
}

export function refundView(row: RefundRow) {
  return {
    id: row.id,
    object: 'refund' as const,
    charge: row.charge_id,
    account: row.account_id,
    amount: money(row.amount),
    created_at: row.created_at,
  }
}

/** JSON copy for saved replies (Date as ISO string), exactly what a client receives. */
export function toJson<T>(value: T): unknown {
  return JSON.parse(JSON.stringify(value))
}

export function payoutView(row: PayoutRow) {
  return {
    id: row.id,
    object: 'payout' as const,
    amount: money(row.amount),
    currency: row.currency,
    description: row.description,
    status: row.status,
    reference: row.reference,
    failure_reason: row.failure_reason,
    created_at: row.created_at,
    paid_at: row.paid_at,
    failed_at: row.failed_at,
  }
}

/** A movement of the partner's balance; no fees are taken yet, so net is the amount. */
export function balanceTransactionView(row: BalanceTransactionRow) {
  return {
    id: row.id,
    object: 'balance_transaction' as const,
    type: row.type,
    amount: money(row.amount),
    fee: 0,
    net: money(row.amount),
    currency: row.currency,
    source: row.source,
    service: row.service,
    account: row.account,
    description: row.description,
    created_at: row.created_at,
  }
}
