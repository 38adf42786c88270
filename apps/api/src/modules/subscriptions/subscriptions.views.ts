import { money } from '../billing/billing.views.js'
import type { SubscriptionRow } from './subscriptions.repository.js'

/** When the next charge is tried: the period's end while it renews, the retry while past due. */
export function nextChargeAt(row: SubscriptionRow): Date | null {
  if (row.status === 'active' && !row.cancel_at_period_end) return row.current_period_end
  if (row.status === 'past_due') return row.next_retry_at
  return null
}

/** A subscription as its partner reads it (responses, saved replies and webhooks). */
export function subscriptionView(row: SubscriptionRow) {
  return {
    id: row.id,
    account: row.account_id,
    service: row.service_id,
    quantity: row.quantity,
    amount: money(row.amount),
    currency: row.currency,
    interval: row.interval_unit,
    interval_count: row.interval_count,
    status: row.status,
    current_period_start: row.current_period_start,
    current_period_end: row.current_period_end,
    cancel_at_period_end: row.cancel_at_period_end,
    next_charge_at: nextChargeAt(row),
    next_retry_at: row.status === 'past_due' ? row.next_retry_at : null,
    last_payment_error: row.last_payment_error,
    canceled_at: row.canceled_at,
    cancel_reason: row.cancel_reason,
    latest_charge: row.latest_charge_id,
    metadata: row.metadata,
    created_at: row.created_at,
  }
}

export type SubscriptionView = ReturnType<typeof subscriptionView>

/** A subscription as its person reads it: the partner's view less metadata, with names. */
export function personSubscriptionView(
  row: SubscriptionRow,
  names: { clientId: string; partnerName: string; serviceName: string },
) {
  const { metadata: _metadata, ...view } = subscriptionView(row)
  return {
    ...view,
    client_id: names.clientId,
    partner_name: names.partnerName,
    service_name: names.serviceName,
  }
}
