import type { Migration } from '../../../db/migrations.js'

export const identityTwoFactorMigrations: Migration[] = [
  {
    id: 'identity/005-two-factor',
    sql: `
-- One TOTP secret per account, sealed with AES-256-GCM under PROTUS_SECRET_KEY (it must be
-- readable to check codes). enabled_at is NULL while the enrolment waits for its first code.
CREATE TABLE identity_two_factor (
  principal_kind text NOT NULL CHECK (principal_kind IN ('customer', 'company')),
  principal_id text NOT NULL,
  secret_sealed text NOT NULL,
  enabled_at timestamptz,
  -- The time step of the last code accepted: a code is good once, and never an older one after it.
  last_step bigint,
  -- Companies only: rotating a secret then needs a code.
  required_for_secret_rotation boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (principal_kind, principal_id)
);

-- Single-use recovery codes, as SHA-256 digests.
CREATE TABLE identity_recovery_codes (
  principal_kind text NOT NULL,
  principal_id text NOT NULL,
  code_digest text NOT NULL,
  used_at timestamptz,
  PRIMARY KEY (principal_kind, principal_id, code_digest),
  FOREIGN KEY (principal_kind, principal_id)
    REFERENCES identity_two_factor (principal_kind, principal_id) ON DELETE CASCADE
);

-- A password accepted for an account with two-factor on: the code step answers it by this id
-- (kept as a SHA-256 digest), so the password is not sent again. Used once, or expires.
CREATE TABLE identity_sign_in_challenges (
  id_digest text PRIMARY KEY,
  principal_kind text NOT NULL CHECK (principal_kind IN ('customer', 'company')),
  principal_id text NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX identity_sign_in_challenges_expiry ON identity_sign_in_challenges (expires_at);
`,
  },
]
