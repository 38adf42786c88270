import type { Migration } from '../../../db/migrations.js'

export const ledgerLookupMigrations: Migration[] = [
  {
    id: 'ledger/002-account-lookup',
    sql: `
-- The id of an account by what it is for (NULL while it does not exist), for other modules'
-- functions that must lock it before they change money.
CREATE FUNCTION ledger_account_id(p_code text, p_owner text, p_currency text) RETURNS bigint
LANGUAGE sql STABLE AS $fn$
  SELECT id FROM ledger_accounts WHERE code = p_code AND owner_id = p_owner AND currency = p_currency
$fn$;
`,
  },
]
