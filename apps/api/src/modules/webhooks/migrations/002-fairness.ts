import type { Migration } from '../../../db/migrations.js'

export const webhooksFairnessMigrations: Migration[] = [
  {
    id: 'webhooks/002-fairness',
    sql: `
-- The claim walks the companies that have pending deliveries (one index probe each) and takes
-- each one's oldest due rows: the walk and the per-company range both read this index, so a
-- company with thousands of due rows costs no more than its free slots.
CREATE INDEX webhook_deliveries_company_due
  ON webhook_deliveries (company_id, next_attempt_at) WHERE status = 'pending';
-- Deliveries in flight (leased), counted per company against its cap; a handful per company.
CREATE INDEX webhook_deliveries_leased
  ON webhook_deliveries (company_id, leased_until) WHERE status = 'pending' AND lease_id IS NOT NULL;

-- An endpoint that stops answering: attempts in a row that timed out, and until when the
-- company's deliveries wait because of them.
ALTER TABLE webhook_endpoints
  ADD COLUMN timeouts integer NOT NULL DEFAULT 0,
  ADD COLUMN paused_until timestamptz,
-- Test events and manual retries of the current minute-long window.
  ADD COLUMN manual_window_started_at timestamptz,
  ADD COLUMN manual_in_window integer NOT NULL DEFAULT 0;

-- Retention drops old attempts by age.
CREATE INDEX webhook_attempts_attempted ON webhook_attempts (attempted_at);
`,
  },
]
