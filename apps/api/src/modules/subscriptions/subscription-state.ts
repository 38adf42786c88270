import type { ProblemCode } from '../../lib/problems.js'
import { periodOf } from './periods.js'
import type { CancelReason, SubscriptionRow, SubscriptionState } from './subscriptions.repository.js'

const DAY_MS = 86_400_000

/** What a subscription's state is made of, as a row holds it. */
export function stateOf(row: SubscriptionRow): SubscriptionState {
  return {
    status: row.status,
    period: row.period,
    current_period_start: row.current_period_start,
    current_period_end: row.current_period_end,
    cancel_at_period_end: row.cancel_at_period_end,
    cancel_requested_by: row.cancel_requested_by,
    period_attempts: row.period_attempts,
    retries: row.retries,
    first_failed_at: row.first_failed_at,
    next_retry_at: row.next_retry_at,
    last_payment_error: row.last_payment_error,
    canceled_at: row.canceled_at,
    cancel_reason: row.cancel_reason,
    latest_charge_id: row.latest_charge_id,
  }
}

export const cadenceOf = (row: Pick<SubscriptionRow, 'interval_unit' | 'interval_count'>) => ({
  interval: row.interval_unit,
  count: row.interval_count,
})

/** The period a charge now pays: the one after the last paid. */
export function duePeriod(row: SubscriptionRow) {
  const n = row.period + 1
  return { n, ...periodOf(row.created_at, cadenceOf(row), n) }
}

/** Paid: the next period is the current one, and whatever failed before is forgotten. */
export function paid(row: SubscriptionRow, chargeId: string): SubscriptionState {
  const { n, start, end } = duePeriod(row)
  return {
    ...stateOf(row),
    status: 'active',
    period: n,
    current_period_start: start,
    current_period_end: end,
    period_attempts: 0,
    retries: 0,
    first_failed_at: null,
    next_retry_at: null,
    last_payment_error: null,
    latest_charge_id: chargeId,
  }
}

/** Ends the subscription now. */
export function ended(row: SubscriptionRow, reason: CancelReason, at: Date): SubscriptionState {
  return {
    ...stateOf(row),
    status: 'canceled',
    next_retry_at: null,
    first_failed_at: null,
    canceled_at: at,
    cancel_reason: reason,
  }
}

/** Why a subscription whose last retry was refused with `code` ends. */
export function reasonOfRefusal(code: ProblemCode): CancelReason {
  switch (code) {
    case 'grant_revoked':
    case 'insufficient_scope':
      return 'grant_revoked'
    case 'service_inactive':
      return 'service_archived'
    default:
      return 'payment_failed'
  }
}

/**
 * A scheduled charge (the period's end, or a retry) was refused: the first refusal makes the
 * subscription past due with its retries counted from then, at `retryDays[k]` days; the refusal
 * of the last retry ends it. A refusal of "Pay now" (`scheduled` false) leaves the schedule.
 */
export function refused(
  row: SubscriptionRow,
  error: { code: ProblemCode; message: string },
  at: Date,
  retryDays: readonly number[],
  scheduled: boolean,
): SubscriptionState {
  const last_payment_error = { code: error.code, message: error.message }
  const state = { ...stateOf(row), period_attempts: row.period_attempts + 1, last_payment_error }
  if (!scheduled) return state
  const first = row.status === 'past_due' && row.first_failed_at ? row.first_failed_at : at
  const retries = row.status === 'past_due' ? row.retries + 1 : 0
  const days = retryDays[retries]
  if (days === undefined) {
    return {
      ...ended(row, reasonOfRefusal(error.code), at),
      period_attempts: state.period_attempts,
      last_payment_error,
    }
  }
  return {
    ...state,
    status: 'past_due',
    retries,
    first_failed_at: first,
    next_retry_at: new Date(first.getTime() + days * DAY_MS),
  }
}
