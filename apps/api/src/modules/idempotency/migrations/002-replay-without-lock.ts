import type { Migration } from '../../../db/migrations.js'

export const idempotencyReplayMigrations: Migration[] = [
  {
    id: 'idempotency/002-replay-without-lock',
    sql: `
-- A key whose response is saved answers 'replay' (or 'reused') without the key's lock: two
-- retries of a finished request in two transactions at once both replay it, where the one that
-- found the lock taken answered 'in_progress'. Only a key not yet settled takes the lock.
CREATE OR REPLACE FUNCTION idempotency_claim(p_principal text, p_key text, p_hash text, p_at timestamptz)
RETURNS jsonb LANGUAGE plpgsql AS $fn$
DECLARE
  k idempotency_keys;
BEGIN
  SELECT * INTO k FROM idempotency_keys WHERE principal = p_principal AND key = p_key;
  IF NOT FOUND OR k.status IS NULL THEN
    IF NOT pg_try_advisory_xact_lock(hashtextextended(p_principal || chr(10) || p_key, 7730113)) THEN
      RETURN jsonb_build_object('state', 'in_progress');
    END IF;
    -- A transaction that held the lock may have settled the key since the first read.
    SELECT * INTO k FROM idempotency_keys WHERE principal = p_principal AND key = p_key;
  END IF;
  IF FOUND THEN
    IF k.request_hash <> p_hash THEN
      RETURN jsonb_build_object('state', 'reused');
    END IF;
    IF k.status IS NULL THEN
      RETURN jsonb_build_object('state', 'in_progress');
    END IF;
    RETURN jsonb_build_object('state', 'replay', 'status', k.status, 'body', k.body);
  END IF;
  INSERT INTO idempotency_keys (principal, key, request_hash, created_at) VALUES (p_principal, p_key, p_hash, p_at);
  RETURN jsonb_build_object('state', 'claimed');
END
$fn$;
`,
  },
]
