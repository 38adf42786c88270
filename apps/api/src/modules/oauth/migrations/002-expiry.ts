import type { Migration } from '../../../db/migrations.js'

/** The retention sweep finds what has expired or was revoked without reading every row. */
export const oauthExpiryMigrations: Migration[] = [
  {
    id: 'oauth/002-expiry',
    sql: `
CREATE INDEX oauth_requests_expiry ON oauth_requests (expires_at);
CREATE INDEX oauth_codes_expiry ON oauth_codes (expires_at);
CREATE INDEX oauth_tokens_expiry ON oauth_tokens (expires_at);
CREATE INDEX oauth_tokens_revoked ON oauth_tokens (revoked_at) WHERE revoked_at IS NOT NULL;
`,
  },
]
