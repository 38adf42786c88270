import type { Migration } from '../../../db/migrations.js'

export const topupsMigrations: Migration[] = [
  {
    id: 'topups/001-payments',
    sql: `
-- One row per top-up: a payment at a provider that credits one wallet once it succeeds.
CREATE TABLE topups_payments (
  id text PRIMARY KEY,
  -- Whose wallet: a person (cus_…) or a partner's managed account (acct_…).
  owner_id text NOT NULL,
  wallet_account_id bigint NOT NULL,
  amount bigint NOT NULL CHECK (amount > 0 AND amount <= 1000000000000),
  currency char(3) NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
  provider text NOT NULL,
  provider_payment_id text NOT NULL,
  checkout_url text,
  -- Who asked for it: the person (cus_…), the partner (co_…) or 'operator' (protus credit).
  created_by text NOT NULL,
  created_at timestamptz NOT NULL,
  completed_at timestamptz,
  UNIQUE (provider, provider_payment_id),
  CHECK ((status = 'pending') = (completed_at IS NULL))
);
CREATE INDEX topups_payments_owner ON topups_payments (owner_id, id);
`,
  },
]
