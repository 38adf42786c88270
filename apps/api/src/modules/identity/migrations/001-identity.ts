import type { Migration } from '../../../db/migrations.js'

export const identityMigrations: Migration[] = [
  {
    id: 'identity/001-identity',
    sql: `
CREATE TABLE identity_customers (
  id text PRIMARY KEY,
  email text NOT NULL,
  email_key text NOT NULL UNIQUE,
  username text NOT NULL,
  username_key text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  created_at timestamptz NOT NULL
);

CREATE TABLE identity_companies (
  id text PRIMARY KEY,
  name text NOT NULL,
  email text NOT NULL,
  email_key text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  client_id text NOT NULL UNIQUE,
  redirect_uris jsonb NOT NULL DEFAULT '[]',
  webhook_url text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

-- Client secrets are kept as SHA-256 digests; webhook secrets must be readable to sign, so they
-- are sealed with AES-256-GCM. A rotated-away secret keeps working until expires_at.
CREATE TABLE identity_company_secrets (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  company_id text NOT NULL REFERENCES identity_companies (id),
  kind text NOT NULL CHECK (kind IN ('client_secret', 'webhook_secret')),
  digest text,
  sealed text,
  hint text NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz,
  CHECK ((kind = 'client_secret') = (digest IS NOT NULL)),
  CHECK ((kind = 'webhook_secret') = (sealed IS NOT NULL))
);
CREATE INDEX identity_company_secrets_company ON identity_company_secrets (company_id, kind);

CREATE TABLE identity_sessions (
  token_digest text PRIMARY KEY,
  principal_kind text NOT NULL CHECK (principal_kind IN ('customer', 'company')),
  principal_id text NOT NULL,
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX identity_sessions_expiry ON identity_sessions (expires_at);

CREATE TABLE identity_sign_in_failures (
  key_digest text PRIMARY KEY,
  failures integer NOT NULL,
  blocked_until timestamptz,
  updated_at timestamptz NOT NULL
);
`,
  },
]
