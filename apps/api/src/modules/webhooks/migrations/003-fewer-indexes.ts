import type { Migration } from '../../../db/migrations.js'

/**
 * Claims find due deliveries through `webhook_deliveries_company_due` (pending, by company and
 * time) since the fairness migration; `webhook_deliveries_due` (pending, by time) served no query
 * that the other index does not, and cost an entry for every new delivery and every lease.
 */
export const webhooksFewerIndexesMigrations: Migration[] = [
  {
    id: 'webhooks/003-fewer-indexes',
    sql: `
DROP INDEX webhook_deliveries_due;
`,
  },
]
