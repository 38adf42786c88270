import type { Migration } from '../../../db/migrations.js'

/**
 * A hold is captured into at most one charge, so `hold_id` is unique among charges, but direct
 * charges have none: the index now holds only the charges of captured holds, not an entry for
 * every direct charge. Same rule, same name.
 */
export const billingPartialUniqueMigrations: Migration[] = [
  {
    id: 'billing/008-partial-unique',
    sql: `
ALTER TABLE billing_charges DROP CONSTRAINT billing_charges_hold_id_key;
CREATE UNIQUE INDEX billing_charges_hold_id_key ON billing_charges (hold_id) WHERE hold_id IS NOT NULL;
`,
  },
]
