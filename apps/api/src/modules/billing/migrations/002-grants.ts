import type { Migration } from '../../../db/migrations.js'

export const billingGrantMigrations: Migration[] = [
  {
    id: 'billing/002-grant-revocation',
    sql: `
-- A PROTUS person's account carries the scopes of the person's grant to the partner, mirrored
-- by the authorization server; revoked_at is set while the grant is revoked.
ALTER TABLE billing_accounts ADD COLUMN grant_revoked_at timestamptz;
`,
  },
]
