import type { Migration } from '../../../db/migrations.js'

export const webhooksMigrations: Migration[] = [
  {
    id: 'webhooks/001-outbox',
    sql: `
-- The outbox: one row per event for its company, written in the transaction of the change it
-- reports. body is the exact JSON that is signed and sent, so every attempt sends the same bytes.
CREATE TABLE webhook_deliveries (
  id               text PRIMARY KEY,
  event_id         text NOT NULL UNIQUE,
  company_id       text NOT NULL,
  type             text NOT NULL,
  body             text NOT NULL,
  status           text NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('pending', 'succeeded', 'failed', 'skipped')),
  attempt_count    integer NOT NULL DEFAULT 0,
  -- Position in the retry schedule: how many scheduled retries have been used.
  schedule_step    integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz,
  -- A worker's claim: no other worker sends the delivery until leased_until.
  lease_id         text,
  leased_until     timestamptz,
  manual_requested boolean NOT NULL DEFAULT false,
  created_at       timestamptz NOT NULL,
  completed_at     timestamptz,
  CHECK ((status = 'pending') = (next_attempt_at IS NOT NULL))
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_company ON webhook_deliveries (company_id, id DESC);

-- Every attempt, as the partner's log shows it.
CREATE TABLE webhook_attempts (
  delivery_id      text NOT NULL REFERENCES webhook_deliveries (id),
  attempted_at     timestamptz NOT NULL,
  url              text NOT NULL,
  http_status      integer,
  error            text,
  duration_ms      integer NOT NULL,
  response_excerpt text,
  succeeded        boolean NOT NULL,
  manual           boolean NOT NULL
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, attempted_at);

-- A company's endpoint, disabled after it answered 410 Gone until the company sets its URL again.
CREATE TABLE webhook_endpoints (
  company_id      text PRIMARY KEY,
  disabled_at     timestamptz,
  disabled_reason text
);
`,
  },
]
