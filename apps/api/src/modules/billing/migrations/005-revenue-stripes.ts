import type { Migration } from '../../../db/migrations.js'

/**
 * Holds and charges credit the partner's revenue stripe their wallet's id chooses (ledger
 * 003-revenue-stripes), whichever stripe of the set the operation named; captures, releases and
 * refunds stay on the stripe their hold or charge recorded. A change of grant locks the wallet and
 * every stripe of the partner in the ledger's order, as it may release holds on any of them.
 */
export const billingStripeMigrations: Migration[] = [
  {
    id: 'billing/005-revenue-stripes',
    sql: `
CREATE OR REPLACE FUNCTION billing_apply(ops jsonb, p_at timestamptz) RETURNS jsonb LANGUAGE plpgsql AS $fn$
DECLARE
  op jsonb;
  claim jsonb;
  results jsonb := '[]';
  v_wallets bigint[];
  v_accounts bigint[];
  v_wallet bigint;
  v_expired text[];
BEGIN
  SELECT jsonb_agg(CASE WHEN o->>'kind' IN ('charge', 'hold')
                        THEN o || jsonb_build_object('revenue',
                               ledger_revenue_stripe((o->>'revenue')::bigint, (o->>'wallet')::bigint))
                        ELSE o END ORDER BY i)
    INTO ops FROM jsonb_array_elements(ops) WITH ORDINALITY e(o, i);
  SELECT array_agg(DISTINCT (o->>'wallet')::bigint) INTO v_wallets
    FROM jsonb_array_elements(ops) o WHERE o->>'wallet' IS NOT NULL;
  SELECT array_agg(DISTINCT x) INTO v_accounts FROM (
    SELECT (o->>'wallet')::bigint AS x FROM jsonb_array_elements(ops) o
    UNION SELECT (o->>'revenue')::bigint FROM jsonb_array_elements(ops) o) ids
   WHERE x IS NOT NULL;
  IF v_accounts IS NOT NULL THEN
    PERFORM ledger_lock_accounts(v_accounts, p_at);
    FOREACH v_wallet IN ARRAY v_wallets LOOP
      v_expired := ledger_expire_due(v_wallet, p_at);
      IF cardinality(v_expired) > 0 THEN
        UPDATE billing_holds SET status = 'expired', resolved_at = p_at WHERE id = ANY (v_expired);
      END IF;
    END LOOP;
  END IF;
  FOR op IN SELECT value FROM jsonb_array_elements(coalesce(ops, '[]')) LOOP
    claim := idempotency_claim(op->>'principal', op->>'key', op->>'hash', p_at);
    IF claim->>'state' = 'claimed' THEN
      results := results || jsonb_build_array(billing_apply_one(op, p_at) || claim);
    ELSE
      results := results || jsonb_build_array(claim);
    END IF;
  END LOOP;
  RETURN results;
END
$fn$;

CREATE OR REPLACE FUNCTION billing_set_grant(p_account text, p_scopes jsonb, p_revoked boolean,
                                             p_limit jsonb, p_release_reason text, p_at timestamptz)
RETURNS text[] LANGUAGE plpgsql AS $fn$
DECLARE
  a billing_accounts;
  h billing_holds;
  r jsonb;
  released text[] := '{}';
BEGIN
  SELECT * INTO a FROM billing_accounts WHERE id = p_account;
  IF NOT FOUND THEN
    RETURN released;
  END IF;
  PERFORM ledger_lock_accounts(a.wallet_account_id || ARRAY(
    SELECT id FROM ledger_accounts WHERE code = 'revenue' AND owner_id = a.company_id AND currency = a.currency), p_at);
  UPDATE billing_accounts
     SET scopes = coalesce(p_scopes, scopes),
         grant_revoked_at = CASE WHEN p_revoked IS NULL THEN grant_revoked_at WHEN p_revoked THEN p_at END,
         monthly_limit = CASE WHEN p_limit IS NULL THEN monthly_limit
                              WHEN jsonb_typeof(p_limit) = 'null' THEN NULL
                              ELSE (p_limit #>> '{}')::bigint END
   WHERE id = p_account;
  IF p_release_reason IS NOT NULL THEN
    FOR h IN SELECT * FROM billing_holds WHERE account_id = p_account AND status = 'pending' ORDER BY id FOR UPDATE LOOP
      r := ledger_transfer(jsonb_build_object('id', h.id || ':released', 'kind', 'void_pending', 'pending_id', h.id,
             'user_data', jsonb_build_object('reason', p_release_reason)), p_at);
      IF r->>'result' = 'ok' THEN
        UPDATE billing_holds SET status = 'released', resolved_at = p_at WHERE id = h.id;
        released := released || h.id;
      ELSIF r->>'result' = 'pending_not_pending' AND r->>'state' = 'expired' THEN
        UPDATE billing_holds SET status = 'expired', resolved_at = p_at WHERE id = h.id;
      END IF;
    END LOOP;
  END IF;
  RETURN released;
END
$fn$;
`,
  },
]
