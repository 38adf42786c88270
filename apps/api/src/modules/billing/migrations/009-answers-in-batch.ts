import type { Migration } from '../../../db/migrations.js'

/**
 * The whole batch in its one statement: an operation that carries its `reply` (a hold, charge,
 * capture, release or refund of the partner API) and succeeds is answered in `billing_apply`: the
 * body is built from the rows it wrote (the views below, the same JSON as `billing.views.ts`),
 * saved under the idempotency key, and its events are written to the outbox, all before the
 * function returns. Refusals and operations without a reply (a subscription's charge, which writes
 * more in TypeScript) come back as outcomes, as before.
 */
export const billingAnswersInBatchMigrations: Migration[] = [
  {
    id: 'billing/009-answers-in-batch',
    sql: `
-- A timestamp as JavaScript's Date#toJSON writes it (UTC, milliseconds).
CREATE FUNCTION billing_iso(t timestamptz) RETURNS text LANGUAGE sql STABLE AS $fn$
  SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$fn$;

CREATE FUNCTION billing_charge_view(c billing_charges) RETURNS jsonb LANGUAGE sql STABLE AS $fn$
  SELECT jsonb_build_object('id', c.id, 'object', 'charge', 'account', c.account_id, 'amount', c.amount,
    'currency', c.currency, 'service', c.service_id, 'quantity', c.quantity, 'description', c.description,
    'metadata', c.metadata, 'hold', c.hold_id, 'status', 'succeeded', 'amount_refunded', c.amount_refunded,
    'created_at', billing_iso(c.created_at))
$fn$;

-- A pending hold past its expiry reads as expired (as holdStatus in TypeScript).
CREATE FUNCTION billing_hold_view(h billing_holds, p_at timestamptz) RETURNS jsonb LANGUAGE sql STABLE AS $fn$
  SELECT jsonb_build_object('id', h.id, 'object', 'hold', 'account', h.account_id, 'amount', h.amount,
    'currency', h.currency, 'service', h.service_id, 'quantity', h.quantity, 'description', h.description,
    'metadata', h.metadata,
    'status', CASE WHEN h.status = 'pending' AND h.expires_at <= p_at THEN 'expired' ELSE h.status END,
    'captured_amount', h.captured_amount,
    'charge', CASE WHEN h.charge_id IS NULL THEN NULL
                   ELSE jsonb_build_object('id', h.charge_id, 'amount', h.captured_amount) END,
    'expires_at', billing_iso(h.expires_at), 'created_at', billing_iso(h.created_at),
    'resolved_at', billing_iso(h.resolved_at))
$fn$;

CREATE FUNCTION billing_refund_view(f billing_refunds) RETURNS jsonb LANGUAGE sql STABLE AS $fn$
  SELECT jsonb_build_object('id', f.id, 'object', 'refund', 'charge', f.charge_id, 'account', f.account_id,
    'amount', f.amount, 'created_at', billing_iso(f.created_at))
$fn$;

-- The API's JSON of one row an outcome wrote: 'hold', 'charge' or 'refund'.
CREATE FUNCTION billing_view_of(outcome jsonb, what text, p_at timestamptz) RETURNS jsonb LANGUAGE sql STABLE AS $fn$
  SELECT CASE what
    WHEN 'hold' THEN billing_hold_view(jsonb_populate_record(NULL::billing_holds, outcome->'hold'), p_at)
    WHEN 'charge' THEN billing_charge_view(jsonb_populate_record(NULL::billing_charges, outcome->'charge'))
    WHEN 'refund' THEN billing_refund_view(jsonb_populate_record(NULL::billing_refunds, outcome->'refund'))
  END
$fn$;

-- As in 007, and says whether a person holds the account ('person'): only a person is told of a
-- payment (receipts, low-balance alerts), so the events of managed accounts skip those hooks.
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
        'user_data', jsonb_build_object('company_id', c.company_id, 'account_id', c.account_id,
          'service_id', c.service_id, 'description', c.description, 'charge_id', c.id),
        'person', EXISTS (SELECT 1 FROM billing_accounts WHERE id = c.account_id AND kind = 'protus'));
    END IF;
  END CASE;
  RETURN jsonb_build_object('kind', 'refuse', 'refusal', refusal, 'principal', op->'principal',
                            'key', op->'key', 'hash', op->'hash');
END
$fn$;

-- An operation with a reply ({status, body, events: [{type, of, id, event_id}]}, 'body' and 'of'
-- naming the row: 'hold', 'charge' or 'refund') that succeeds answers
-- {state: 'answered', status, body, wallet, events}: its response is saved under its key and its
-- events are in the outbox; 'events' repeats them ([{type, data}]) when a person holds the
-- account, for the hooks that tell people. Every other result is as in 007.
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
`,
  },
]
