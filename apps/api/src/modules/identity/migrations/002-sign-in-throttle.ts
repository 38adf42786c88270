import type { Migration } from '../../../db/migrations.js'

export const identityThrottleMigrations: Migration[] = [
  {
    id: 'identity/002-sign-in-throttle',
    sql: `
-- Failures per (kind, email, address) let a stranger slow the owner's own address and let a
-- rotating address go unslowed; attempts are now counted per email and per address apart.
DROP TABLE identity_sign_in_failures;

-- One row per throttled key: an email (with the account kind) or a client address (an IPv6 /64),
-- as a SHA-256 digest. Every attempt counts when it arrives; a successful one is taken back.
CREATE TABLE identity_sign_in_attempts (
  key_digest text PRIMARY KEY,
  scope text NOT NULL CHECK (scope IN ('email', 'address')),
  attempts integer NOT NULL,
  -- The number of the last attempt that was let through to a password check.
  checked integer NOT NULL,
  blocked_until timestamptz,
  updated_at timestamptz NOT NULL
);
CREATE INDEX identity_sign_in_attempts_updated ON identity_sign_in_attempts (updated_at);

-- Addresses (IPv6 /64s) that signed in to an account, as digests: from these the account's
-- owner is not held back by the count against the email.
CREATE TABLE identity_known_addresses (
  principal_kind text NOT NULL CHECK (principal_kind IN ('customer', 'company')),
  principal_id text NOT NULL,
  address_digest text NOT NULL,
  last_success_at timestamptz NOT NULL,
  PRIMARY KEY (principal_kind, principal_id, address_digest)
);
CREATE INDEX identity_known_addresses_last_success ON identity_known_addresses (last_success_at);
`,
  },
]
