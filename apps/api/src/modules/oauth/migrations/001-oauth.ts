import type { Migration } from '../../../db/migrations.js'

export const oauthMigrations: Migration[] = [
  {
    id: 'oauth/001-oauth',
    sql: `
-- What a person allowed a partner: one live grant per (partner, person).
CREATE TABLE oauth_grants (
  id text PRIMARY KEY,
  company_id text NOT NULL,
  client_id text NOT NULL,
  customer_id text NOT NULL,
  account_id text NOT NULL,
  scopes jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  last_used_at timestamptz,
  revoked_at timestamptz
);
CREATE UNIQUE INDEX oauth_grants_live ON oauth_grants (company_id, customer_id) WHERE revoked_at IS NULL;
CREATE INDEX oauth_grants_customer ON oauth_grants (customer_id) WHERE revoked_at IS NULL;

-- An authorization request waiting for the person's consent.
CREATE TABLE oauth_requests (
  id text PRIMARY KEY,
  client_id text NOT NULL,
  company_id text NOT NULL,
  customer_id text NOT NULL,
  redirect_uri text NOT NULL,
  scopes jsonb NOT NULL,
  state text,
  code_challenge text NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  decided_at timestamptz
);

-- Authorization codes and tokens are kept only as SHA-256 digests.
CREATE TABLE oauth_codes (
  code_digest text PRIMARY KEY,
  grant_id text NOT NULL REFERENCES oauth_grants (id),
  client_id text NOT NULL,
  redirect_uri text NOT NULL,
  scopes jsonb NOT NULL,
  code_challenge text NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);

CREATE TABLE oauth_tokens (
  token_digest text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('access', 'refresh')),
  grant_id text NOT NULL REFERENCES oauth_grants (id),
  client_id text NOT NULL,
  scopes jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz,
  -- A refresh token is used once; the tokens issued for it carry its digest as parent.
  used_at timestamptz,
  parent_digest text,
  revoked_at timestamptz
);
CREATE INDEX oauth_tokens_grant ON oauth_tokens (grant_id);
CREATE INDEX oauth_tokens_parent ON oauth_tokens (parent_digest) WHERE parent_digest IS NOT NULL;
`,
  },
]
