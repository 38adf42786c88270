import type { Migration } from '../../../db/migrations.js'

/**
 * Payouts of a partner's revenue (`po_…`), and refunds that may not take the partner's balance
 * below zero. A refund sent with `floor` is refused (`partner_balance_insufficient`) when the
 * partner's revenue in the charge's currency, all its stripes summed, cannot cover it; the batch
 * locks the whole set for it ('revenue_set', resolved with the charge) together with its other
 * accounts, in id order, so two refunds on different stripes cannot both pass on the same money.
 * Balance transactions are read in time order across charges, refunds and payouts, so each has an
 * index by partner and creation time (which also serves the lists' `created` filters).
 */
export const billingPayoutMigrations: Migration[] = [
  {
    id: 'billing/010-payouts',
    sql: `
CREATE TABLE billing_payouts (
  id text PRIMARY KEY,
  company_id text NOT NULL,
  currency char(3) NOT NULL,
  amount bigint NOT NULL CHECK (amount > 0),
  description text,
  status text NOT NULL CHECK (status IN ('pending', 'paid', 'failed')),
  reference text,
  failure_reason text,
  created_at timestamptz NOT NULL,
  paid_at timestamptz,
  failed_at timestamptz,
  CHECK ((status = 'paid') = (paid_at IS NOT NULL) AND (status = 'failed') = (failed_at IS NOT NULL))
);
CREATE INDEX billing_payouts_company ON billing_payouts (company_id, created_at, id);
CREATE INDEX billing_payouts_pending ON billing_payouts (created_at) WHERE status = 'pending';
CREATE INDEX billing_charges_company_created ON billing_charges (company_id, created_at, id);
CREATE INDEX billing_refunds_company_created ON billing_refunds (company_id, created_at, id);

CREATE OR REPLACE FUNCTION billing_resolve(op jsonb, p_at timestamptz) RETURNS jsonb LANGUAGE plpgsql AS $fn$
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
          'revenue', ledger_revenue_stripe(v_revenue, a.wallet_account_id), 'person', a.kind = 'protus');
      END IF;
    END IF;
  WHEN 'capture', 'release' THEN
    SELECT * INTO h FROM billing_holds WHERE id = op->>'hold_id';
    IF NOT FOUND OR h.company_id <> op->>'company_id' THEN
      refusal := jsonb_build_object('result', 'hold_not_found');
    ELSE
      RETURN op || jsonb_build_object('wallet', h.wallet_account_id, 'revenue', h.revenue_account_id,
        'person', EXISTS (SELECT 1 FROM billing_accounts WHERE id = h.account_id AND kind = 'protus'));
    END IF;
  WHEN 'refund' THEN
    SELECT * INTO c FROM billing_charges WHERE id = op->>'charge_id';
    IF NOT FOUND OR c.company_id <> op->>'company_id' THEN
      refusal := jsonb_build_object('result', 'charge_not_found');
    ELSE
      RETURN op || jsonb_build_object('wallet', c.wallet_account_id, 'revenue', c.revenue_account_id,
        'revenue_set', CASE WHEN (op->>'floor')::boolean THEN (SELECT jsonb_agg(id ORDER BY id) FROM ledger_accounts
          WHERE code = 'revenue' AND owner_id = c.company_id AND currency = c.currency) END,
        'user_data', jsonb_build_object('company_id', c.company_id, 'account_id', c.account_id,
          'service_id', c.service_id, 'description', c.description, 'charge_id', c.id),
        'person', EXISTS (SELECT 1 FROM billing_accounts WHERE id = c.account_id AND kind = 'protus'));
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
  outcome jsonb;
  reply jsonb;
  ev jsonb;
  v_body jsonb;
  v_data jsonb;
  v_told jsonb;
  v_events jsonb := '[]';
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
    UNION SELECT (o->>'revenue')::bigint FROM jsonb_array_elements(ops) o
    UNION SELECT s::bigint FROM jsonb_array_elements(ops) o,
      jsonb_array_elements_text(CASE WHEN jsonb_typeof(o->'revenue_set') = 'array' THEN o->'revenue_set' END) s) ids
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
      outcome := billing_apply_one(op, p_at);
      reply := op->'reply';
      IF outcome->>'result' = 'ok' AND reply IS NOT NULL THEN
        v_body := billing_view_of(outcome, reply->>'body', p_at);
        PERFORM idempotency_save(op->>'principal', op->>'key', (reply->>'status')::integer, v_body);
        v_told := '[]';
        FOR ev IN SELECT value FROM jsonb_array_elements(reply->'events') LOOP
          v_data := CASE WHEN ev->>'of' = reply->>'body' THEN v_body ELSE billing_view_of(outcome, ev->>'of', p_at) END;
          v_events := v_events || jsonb_build_array(jsonb_build_object('id', ev->'id', 'event_id', ev->'event_id',
            'company_id', op->'company_id', 'type', ev->'type', 'data', v_data));
          v_told := v_told || jsonb_build_array(jsonb_build_object('type', ev->'type', 'data', v_data));
        END LOOP;
        results := results || jsonb_build_array(jsonb_build_object('state', 'answered',
          'status', (reply->>'status')::integer, 'body', v_body, 'wallet', op->'wallet',
          'events', CASE WHEN coalesce((op->>'person')::boolean, true) THEN v_told ELSE '[]' END));
      ELSE
        results := results || jsonb_build_array(outcome || claim);
      END IF;
    END IF;
  END LOOP;
  IF jsonb_array_length(v_events) > 0 THEN
    PERFORM webhooks_emit(v_events, p_at);
  END IF;
  RETURN results;
END
$fn$;

CREATE OR REPLACE FUNCTION billing_apply_one(op jsonb, p_at timestamptz) RETURNS jsonb LANGUAGE plpgsql AS $fn$
DECLARE
  r jsonb;
  h billing_holds;
  c billing_charges;
  f billing_refunds;
  v_amount bigint;
  v_expires timestamptz;
  v_available bigint;
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
    IF (op->>'floor')::boolean THEN
      -- The batch locked the partner's whole revenue set in this currency ('revenue_set').
      SELECT coalesce(sum(credits_posted - debits_posted), 0) INTO v_available FROM ledger_accounts
       WHERE code = 'revenue' AND owner_id = c.company_id AND currency = c.currency;
      IF v_available < v_amount THEN
        RETURN jsonb_build_object('result', 'partner_balance_insufficient', 'available', v_available);
      END IF;
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
