import type { TopupRow } from './topups.repository.js'

/** A top-up as the API answers it; JSON-safe, as it is also saved under idempotency keys. */
export function topupView(row: TopupRow) {
  return {
    id: row.id,
    // A partner's managed account; a person's own top-ups name no account.
    ...(row.owner_id.startsWith('acct_') ? { account: row.owner_id } : {}),
    status: row.status,
    amount: Number(row.amount),
    currency: row.currency,
    checkout_url: row.checkout_url,
    created_at: row.created_at.toISOString(),
    completed_at: row.completed_at?.toISOString() ?? null,
  }
}
