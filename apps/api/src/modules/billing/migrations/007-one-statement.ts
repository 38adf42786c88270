import type { Migration } from '../../../db/migrations.js'

/**
 * No reads before the batch: an operation may name only the partner's account (a hold or charge)
 * or the hold or charge it resolves, and `billing_apply` finds the wallet, the currency and the
 * revenue stripe itself, refusing what is not the partner's (`account_not_found`,
 * `hold_not_found`, `charge_not_found`) or priced in another currency (`currency_mismatch`). The
 * rows it reads are never changed in what it reads of them (an account's wallet and currency, a
 * hold's or charge's accounts and partner), so reading them before the locks is safe.
 */
export const billingOneStatementMigrations: Migration[] = [
  {
    id: 'billing/007-one-statement',
    sql: `
-- The operation with its accounts filled in (a hold or charge on its wallet's revenue stripe), or a
-- refusal ({kind: 'refuse', refusal}) that only claims the key. An operation that names its wallet
-- already (a subscription's) only moves to its wallet's stripe.
CREATE FUNCTION billing_resolve(op jsonb, p_at timestamptz) RETURNS jsonb LANGUAGE plpgsql AS $fn$
DECLARE
  a billing_accounts;
  h billing_holds;
  c billing_charges;
  v_currency text;
  v_revenue bigint;
  v_stripes integer;
  refusal jsonb;
BEGIN
  IF op->>'kind' = 'refuse' THEN
    RETURN op;
  END IF;
  IF op ? 'wallet' THEN
    IF op->>'kind' IN ('charge', 'hold') THEN
      RETURN op || jsonb_build_object('revenue', ledger_revenue_stripe((op->>'revenue')::bigint, (op->>'wallet')::bigint));
    END IF;
    RETURN op;
  END IF;
  CASE op->>'kind'
  WHEN 'charge', 'hold' THEN
    SELECT * INTO a FROM billing_accounts WHERE id = op->>'account_id';
    IF NOT FOUND OR a.company_id <> op->>'company_id' THEN
      refusal := jsonb_build_object('result', 'account_not_found');
    ELSE
      v_currency := coalesce(op->>'currency', a.currency);
      IF v_currency <> a.currency THEN
        refusal := jsonb_build_object('result', 'currency_mismatch', 'currency', v_currency, 'account_currency', a.currency);
      ELSE
        SELECT id, stripes INTO v_revenue, v_stripes FROM ledger_accounts
         WHERE code = 'revenue' AND owner_id = a.company_id AND currency = a.currency AND stripe = 0;
        IF v_revenue IS NULL OR v_stripes < coalesce((op->>'revenue_stripes')::integer, 1) THEN
          v_revenue := (ledger_ensure_revenue(a.company_id, a.currency, coalesce((op->>'revenue_stripes')::integer, 1), p_at))[1];
        END IF;
        RETURN op || jsonb_build_object('wallet', a.wallet_account_id, 'currency', a.currency,
          'revenue', ledger_revenue_stripe(v_revenue, a.wallet_account_id));
      END IF;
    END IF;
  WHEN 'capture', 'release' THEN
    SELECT * INTO h FROM billing_holds WHERE id = op->>'hold_id';
    IF NOT FOUND OR h.company_id <> op->>'company_id' THEN
      refusal := jsonb_build_object('result', 'hold_not_found');
    ELSE
      RETURN op || jsonb_build_object('wallet', h.wallet_account_id, 'revenue', h.revenue_account_id);
    END IF;
  WHEN 'refund' THEN
    SELECT * INTO c FROM billing_charges WHERE id = op->>'charge_id';
    IF NOT FOUND OR c.company_id <> op->>'company_id' THEN
      refusal := jsonb_build_object('result', 'charge_not_found');
    ELSE
      RETURN op || jsonb_build_object('wallet', c.wallet_account_id, 'revenue', c.revenue_account_id,
        'user_data', jsonb_build_object('company_id', c.company_id, 'account_id', c.account_id,
          'service_id', c.service_id, 'description', c.description, 'charge_id', c.id));
    END IF;
  END CASE;
  RETURN jsonb_build_object('kind', 'refuse', 'refusal', refusal, 'principal', op->'principal',
                            'key', op->'key', 'hash', op->'hash');
END
$fn$;

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
  SELECT jsonb_agg(r ORDER BY i)
    INTO ops FROM jsonb_array_elements(ops) WITH ORDINALITY e(o, i), LATERAL billing_resolve(o, p_at) r;
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
    IF claim->>'state' <> 'claimed' THEN
      results := results || jsonb_build_array(claim);
    ELSIF op ? 'refusal' THEN
      results := results || jsonb_build_array(op->'refusal' || claim);
    ELSE
      results := results || jsonb_build_array(billing_apply_one(op, p_at) || claim);
    END IF;
  END LOOP;
  RETURN results;
END
$fn$;
`,
  },
]
