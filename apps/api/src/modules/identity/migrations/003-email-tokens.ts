import type { Migration } from '../../../db/migrations.js'

export const identityEmailTokenMigrations: Migration[] = [
  {
    id: 'identity/003-email-tokens',
    sql: `
-- The language PROTUS writes to the account in, and when its current email was proven.
ALTER TABLE identity_customers
  ADD COLUMN locale text NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'ru')),
  ADD COLUMN email_verified_at timestamptz;
ALTER TABLE identity_companies
  ADD COLUMN locale text NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'ru')),
  ADD COLUMN email_verified_at timestamptz;

-- Links PROTUS mails: to verify an address (the account's, or a new one it changes to) or to set
-- a new password. The link carries id.secret; only the secret's SHA-256 is kept. A link works
-- once (used_at) and until expires_at.
CREATE TABLE identity_email_tokens (
  id text PRIMARY KEY,
  secret_digest text NOT NULL,
  purpose text NOT NULL CHECK (purpose IN ('verify_email', 'change_email', 'reset_password')),
  principal_kind text NOT NULL CHECK (principal_kind IN ('customer', 'company')),
  principal_id text NOT NULL,
  email text NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX identity_email_tokens_principal ON identity_email_tokens (principal_kind, principal_id, purpose);
CREATE INDEX identity_email_tokens_expiry ON identity_email_tokens (expires_at);
`,
  },
]
