import type { Migration } from '../../../db/migrations.js'

export const topupsReturnUrlMigrations: Migration[] = [
  {
    id: 'topups/002-return-url',
    sql: `
-- Where the payment page sends a partner's user back to (a partner top-up's return_url).
ALTER TABLE topups_payments ADD COLUMN return_url text;
`,
  },
]
