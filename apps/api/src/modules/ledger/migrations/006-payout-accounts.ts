import type { Migration } from '../../../db/migrations.js'

/**
 * Two more accounts per partner and currency for its payouts: `payout` holds what a payout
 * requested took from the partner's revenue until the operator settles it, `settled` what was
 * paid out. A payout is three posted transfers at most: revenue → payout when requested, then
 * payout → settled when paid or payout → revenue when it failed. The partner's balance is read
 * from these accounts and its revenue stripes, never kept beside them.
 */
export const ledgerPayoutAccountMigrations: Migration[] = [
  {
    id: 'ledger/006-payout-accounts',
    sql: `
ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_code_check,
  ADD CONSTRAINT ledger_accounts_code_check CHECK (code IN ('wallet', 'revenue', 'funding', 'payout', 'settled'));
`,
  },
]
