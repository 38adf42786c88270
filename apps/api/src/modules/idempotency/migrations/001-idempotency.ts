import type { Migration } from '../../../db/migrations.js'

export const idempotencyMigrations: Migration[] = [
  {
    id: 'idempotency/001-keys',
    sql: `
-- Stripe-style idempotency keys: claimed in the same transaction as the effect they guard, with
-- the response saved before that transaction commits.
CREATE TABLE idempotency_keys (
  principal text NOT NULL,
  key text NOT NULL,
  request_hash text NOT NULL,
  status integer,
  body jsonb,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (principal, key)
);
CREATE INDEX idempotency_keys_age ON idempotency_keys (created_at);

-- Claims a key for this transaction. Answers {state}: 'claimed' (go ahead, then save the
-- response), 'replay' (with status and body), 'reused' (same key, another request) or
-- 'in_progress' (another transaction holds it now, or this one claimed it already).
CREATE FUNCTION idempotency_claim(p_principal text, p_key text, p_hash text, p_at timestamptz)
RETURNS jsonb LANGUAGE plpgsql AS $fn$
DECLARE
  k idempotency_keys;
BEGIN
  IF NOT pg_try_advisory_xact_lock(hashtextextended(p_principal || chr(10) || p_key, 7730113)) THEN
    RETURN jsonb_build_object('state', 'in_progress');
  END IF;
  SELECT * INTO k FROM idempotency_keys WHERE principal = p_principal AND key = p_key;
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
