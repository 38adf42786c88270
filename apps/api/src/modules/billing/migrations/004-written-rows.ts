import type { Migration } from '../../../db/migrations.js'

/**
 * Every billing operation answers the rows it wrote (`to_jsonb`), so a response is made from what
 * the database holds, not rebuilt from the request. A capture or release decides under the hold's
 * lock what was checked before it in the request: the hold is still pending and covers the capture.
 */
export const billingWrittenRowsMigrations: Migration[] = [
  {
    id: 'billing/004-written-rows',
    sql: `
-- One billing operation whose key is already claimed; its accounts are locked. Answers
-- {result: 'ok', kind, <rows written>} or a refusal {result, ...}; a refusal writes nothing.
-- billing_apply merges the key's {state} into the answer, so no answer has a field named state.
CREATE OR REPLACE FUNCTION billing_apply_one(op jsonb, p_at timestamptz) RETURNS jsonb LANGUAGE plpgsql AS $fn$
DECLARE
  r jsonb;
  h billing_holds;
  c billing_charges;
  f billing_refunds;
  v_amount bigint;
  v_expires timestamptz;
BEGIN
  CASE op->>'kind'
  WHEN 'refuse' THEN
    RETURN jsonb_build_object('result', 'refused');

  WHEN 'charge' THEN
    r := billing_check_grant(op->>'account_id', 'charge', (op->>'amount')::bigint, p_at);
    IF r IS NOT NULL THEN RETURN r; END IF;
    r := ledger_transfer(jsonb_build_object('id', op->>'id', 'kind', 'posted', 'debit', op->'wallet',
           'credit', op->'revenue', 'amount', op->'amount', 'user_data', op->'user_data'), p_at);
    IF r->>'result' <> 'ok' THEN RETURN r; END IF;
    INSERT INTO billing_charges (id, company_id, account_id, wallet_account_id, revenue_account_id, amount, currency,
                                 service_id, quantity, description, metadata, created_at)
    VALUES (op->>'id', op->>'company_id', op->>'account_id', (op->>'wallet')::bigint, (op->>'revenue')::bigint,
            (op->>'amount')::bigint, op->>'currency', op->>'service_id', (op->>'quantity')::integer,
            op->>'description', coalesce(op->'metadata', '{}'), p_at)
    RETURNING * INTO c;
    RETURN jsonb_build_object('result', 'ok', 'kind', 'charge', 'charge', to_jsonb(c));

  WHEN 'hold' THEN
    r := billing_check_grant(op->>'account_id', 'hold', (op->>'amount')::bigint, p_at);
    IF r IS NOT NULL THEN RETURN r; END IF;
    -- A hold lives expires_in seconds from the moment it is written.
    v_expires := p_at + make_interval(secs => (op->>'expires_in')::integer);
    r := ledger_transfer(jsonb_build_object('id', op->>'id', 'kind', 'pending', 'debit', op->'wallet',
           'credit', op->'revenue', 'amount', op->'amount', 'expires_at', v_expires, 'user_data', op->'user_data'), p_at);
    IF r->>'result' <> 'ok' THEN RETURN r; END IF;
    INSERT INTO billing_holds (id, company_id, account_id, wallet_account_id, revenue_account_id, amount, currency,
                               service_id, quantity, description, metadata, status, expires_at, created_at)
    VALUES (op->>'id', op->>'company_id', op->>'account_id', (op->>'wallet')::bigint, (op->>'revenue')::bigint,
            (op->>'amount')::bigint, op->>'currency', op->>'service_id', (op->>'quantity')::integer,
            op->>'description', coalesce(op->'metadata', '{}'), 'pending', v_expires, p_at)
    RETURNING * INTO h;
    RETURN jsonb_build_object('result', 'ok', 'kind', 'hold', 'hold', to_jsonb(h));

  WHEN 'capture', 'release' THEN
    -- The batch expired the due holds of its wallets first, so the status is the hold's now.
    SELECT * INTO h FROM billing_holds WHERE id = op->>'hold_id' FOR UPDATE;
    IF NOT FOUND THEN
      RETURN jsonb_build_object('result', 'pending_not_found');
    END IF;
    IF h.status <> 'pending' THEN
      RETURN jsonb_build_object('result', 'pending_not_pending', 'hold_status', h.status);
    END IF;
    IF op->>'kind' = 'capture' AND (op->>'amount')::bigint > h.amount THEN
      RETURN jsonb_build_object('result', 'exceeds_pending_amount', 'pending_amount', h.amount);
    END IF;
    -- A capture never fails the limit: the hold counted already.
    r := billing_check_grant(h.account_id, CASE op->>'kind' WHEN 'capture' THEN 'charge' ELSE 'hold' END, NULL, p_at);
    IF r IS NOT NULL THEN RETURN r; END IF;
    IF op->>'kind' = 'capture' THEN
      r := ledger_transfer(jsonb_build_object('id', op->>'charge_id', 'kind', 'post_pending', 'pending_id', h.id,
             'amount', op->'amount', 'user_data', op->'user_data'), p_at);
    ELSE
      r := ledger_transfer(jsonb_build_object('id', h.id || ':released', 'kind', 'void_pending', 'pending_id', h.id,
             'user_data', op->'user_data'), p_at);
    END IF;
    -- The hold was pending under its lock: the ledger may only find it expired just now.
    IF r->>'result' = 'pending_not_pending' THEN
      IF r->>'state' = 'expired' THEN
        UPDATE billing_holds SET status = 'expired', resolved_at = p_at WHERE id = h.id;
      END IF;
      RETURN jsonb_build_object('result', 'pending_not_pending', 'hold_status',
        CASE r->>'state' WHEN 'posted' THEN 'captured' WHEN 'voided' THEN 'released' ELSE r->>'state' END);
    ELSIF r->>'result' <> 'ok' THEN
      RETURN r;
    END IF;
    IF op->>'kind' = 'release' THEN
      UPDATE billing_holds SET status = 'released', resolved_at = p_at WHERE id = h.id RETURNING * INTO h;
      RETURN jsonb_build_object('result', 'ok', 'kind', 'release', 'hold', to_jsonb(h));
    END IF;
    v_amount := coalesce((op->>'amount')::bigint, h.amount);
    UPDATE billing_holds SET status = 'captured', captured_amount = v_amount, charge_id = op->>'charge_id', resolved_at = p_at
     WHERE id = h.id
    RETURNING * INTO h;
    INSERT INTO billing_charges (id, company_id, account_id, wallet_account_id, revenue_account_id, amount, currency,
                                 service_id, quantity, description, metadata, hold_id, created_at)
    VALUES (op->>'charge_id', h.company_id, h.account_id, h.wallet_account_id, h.revenue_account_id, v_amount, h.currency,
            h.service_id, h.quantity, h.description, h.metadata, h.id, p_at)
    RETURNING * INTO c;
    RETURN jsonb_build_object('result', 'ok', 'kind', 'capture', 'hold', to_jsonb(h), 'charge', to_jsonb(c));

  WHEN 'refund' THEN
    SELECT * INTO c FROM billing_charges WHERE id = op->>'charge_id' FOR UPDATE;
    v_amount := coalesce((op->>'amount')::bigint, c.amount - c.amount_refunded);
    IF v_amount <= 0 OR c.amount_refunded + v_amount > c.amount THEN
      RETURN jsonb_build_object('result', 'exceeds_charge', 'refundable', c.amount - c.amount_refunded);
    END IF;
    UPDATE billing_charges SET amount_refunded = amount_refunded + v_amount WHERE id = c.id RETURNING * INTO c;
    r := ledger_transfer(jsonb_build_object('id', op->>'id', 'kind', 'posted', 'debit', c.revenue_account_id,
           'credit', c.wallet_account_id, 'amount', v_amount, 'user_data', op->'user_data'), p_at);
    IF r->>'result' <> 'ok' THEN
      RAISE EXCEPTION 'refund transfer refused: %', r;
    END IF;
    INSERT INTO billing_refunds (id, charge_id, company_id, account_id, amount, created_at)
    VALUES (op->>'id', c.id, c.company_id, c.account_id, v_amount, p_at)
    RETURNING * INTO f;
    RETURN jsonb_build_object('result', 'ok', 'kind', 'refund', 'refund', to_jsonb(f), 'charge', to_jsonb(c));
  END CASE;
END
$fn$;
`,
  },
]
