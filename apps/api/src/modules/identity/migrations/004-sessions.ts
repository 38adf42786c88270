import type { Migration } from '../../../db/migrations.js'

export const identitySessionsMigrations: Migration[] = [
  {
    id: 'identity/004-sessions',
    sql: `
-- A session can be listed and ended by its owner: a public id (the token's digest stays private),
-- the browser that opened it, the address it was last used from and when.
ALTER TABLE identity_sessions
  ADD COLUMN id text,
  ADD COLUMN user_agent text NOT NULL DEFAULT '',
  ADD COLUMN address text NOT NULL DEFAULT '',
  ADD COLUMN last_seen_at timestamptz;
UPDATE identity_sessions SET id = 'ses_' || left(token_digest, 26), last_seen_at = created_at;
ALTER TABLE identity_sessions ALTER COLUMN id SET NOT NULL, ALTER COLUMN last_seen_at SET NOT NULL;
CREATE UNIQUE INDEX identity_sessions_id ON identity_sessions (id);
CREATE INDEX identity_sessions_principal ON identity_sessions (principal_kind, principal_id);
`,
  },
]
