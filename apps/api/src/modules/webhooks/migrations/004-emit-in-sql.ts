import type { Migration } from '../../../db/migrations.js'

/**
 * The outbox as a function, for modules whose SQL writes its events in the statement that makes
 * the change (the billing batch): the same rows `events.emit` writes, the body the same envelope.
 */
export const webhooksEmitInSqlMigrations: Migration[] = [
  {
    id: 'webhooks/004-emit-in-sql',
    sql: `
-- p_events: [{id, event_id, company_id, type, data}], all reported at p_at.
CREATE FUNCTION webhooks_emit(p_events jsonb, p_at timestamptz) RETURNS void LANGUAGE sql AS $fn$
  INSERT INTO webhook_deliveries (id, event_id, company_id, type, body, created_at, next_attempt_at)
  SELECT e->>'id', e->>'event_id', e->>'company_id', e->>'type',
         json_build_object('type', e->>'type',
                           'timestamp', to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                           'data', e->'data')::text,
         p_at, p_at
    FROM jsonb_array_elements(p_events) e;
$fn$;
`,
  },
]
