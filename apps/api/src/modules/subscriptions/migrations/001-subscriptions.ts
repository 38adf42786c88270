import type { Migration } from '../../../db/migrations.js'

/**
 * Subscriptions to recurring services. The price and cadence are copied at the start and never
 * follow the service. `due_at` is when the renewal worker has something to do with a row: the end
 * of the paid period (renew, or end a subscription canceled at period end) or the next retry.
 * Each paid period names its charge, once: (subscription_id, period) is unique.
 */
export const subscriptionsMigrations: Migration[] = [
  {
    id: 'subscriptions/001-subscriptions',
    sql: `
CREATE TABLE subscriptions (
  id text PRIMARY KEY,
  company_id text NOT NULL,
  account_id text NOT NULL,
  service_id text NOT NULL,
  quantity integer NOT NULL CHECK (quantity BETWEEN 1 AND 1000),
  amount bigint NOT NULL CHECK (amount > 0),
  currency char(3) NOT NULL,
  interval_unit text NOT NULL CHECK (interval_unit IN ('day', 'week', 'month', 'year')),
  interval_count integer NOT NULL CHECK (interval_count BETWEEN 1 AND 365),
  status text NOT NULL CHECK (status IN ('active', 'past_due', 'canceled')),
  -- The last paid period and its bounds; period n starts n cadences after created_at.
  period integer NOT NULL CHECK (period >= 0),
  current_period_start timestamptz NOT NULL,
  current_period_end timestamptz NOT NULL,
  cancel_at_period_end boolean NOT NULL DEFAULT false,
  cancel_requested_by text CHECK (cancel_requested_by IN ('partner', 'person')),
  -- Attempts at the next period so far (each claims a key of its own), and the scheduled retries.
  period_attempts integer NOT NULL DEFAULT 0,
  retries integer NOT NULL DEFAULT 0,
  first_failed_at timestamptz,
  next_retry_at timestamptz,
  last_payment_error jsonb,
  canceled_at timestamptz,
  cancel_reason text CHECK (cancel_reason IN ('payment_failed', 'grant_revoked', 'service_archived',
                                              'canceled_by_partner', 'canceled_by_person')),
  latest_charge_id text,
  metadata jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL,
  due_at timestamptz GENERATED ALWAYS AS (
    CASE status WHEN 'active' THEN current_period_end WHEN 'past_due' THEN next_retry_at END) STORED,
  CHECK ((status = 'past_due') = (next_retry_at IS NOT NULL AND first_failed_at IS NOT NULL)),
  CHECK ((status = 'canceled') = (canceled_at IS NOT NULL AND cancel_reason IS NOT NULL)),
  CHECK (current_period_end > current_period_start)
);
CREATE INDEX subscriptions_company ON subscriptions (company_id, id);
CREATE INDEX subscriptions_account ON subscriptions (account_id, id);
CREATE INDEX subscriptions_due ON subscriptions (due_at, id) WHERE due_at IS NOT NULL;

CREATE TABLE subscription_periods (
  subscription_id text NOT NULL REFERENCES subscriptions (id),
  period integer NOT NULL CHECK (period >= 0),
  charge_id text NOT NULL UNIQUE,
  period_start timestamptz NOT NULL,
  period_end timestamptz NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (subscription_id, period)
);
`,
  },
]
