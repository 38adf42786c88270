import type { Migration } from '../../../db/migrations.js'

/** Saving a claimed key's response from SQL, for a batch that decides the response in its statement. */
export const idempotencySaveInSqlMigrations: Migration[] = [
  {
    id: 'idempotency/003-save-in-sql',
    sql: `
CREATE FUNCTION idempotency_save(p_principal text, p_key text, p_status integer, p_body jsonb)
RETURNS void LANGUAGE sql AS $fn$
  UPDATE idempotency_keys SET status = p_status, body = p_body WHERE principal = p_principal AND key = p_key;
$fn$;
`,
  },
]
