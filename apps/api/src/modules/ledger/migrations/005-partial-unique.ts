import type { Migration } from '../../../db/migrations.js'

/**
 * A transfer resolves at most one pending transfer, so `pending_id` is unique, but only the
 * resolving transfers (posts, voids, expiries) have one: a unique index over every row stored an
 * entry for each posted and pending transfer too (every charge and hold). The same rule now holds
 * through an index of the rows that have a `pending_id`, under the same name.
 */
export const ledgerPartialUniqueMigrations: Migration[] = [
  {
    id: 'ledger/005-partial-unique',
    sql: `
ALTER TABLE ledger_transfers DROP CONSTRAINT ledger_transfers_pending_id_key;
CREATE UNIQUE INDEX ledger_transfers_pending_id_key ON ledger_transfers (pending_id) WHERE pending_id IS NOT NULL;
`,
  },
]
