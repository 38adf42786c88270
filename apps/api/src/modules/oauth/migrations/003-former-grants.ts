import type { Migration } from '../../../db/migrations.js'

/** Connected services also lists the partners a person disconnected, so revoked grants are found by person too. */
export const oauthFormerGrantsMigrations: Migration[] = [
  {
    id: 'oauth/003-former-grants',
    sql: `
CREATE INDEX oauth_grants_customer_revoked ON oauth_grants (customer_id, revoked_at DESC) WHERE revoked_at IS NOT NULL;
`,
  },
]
