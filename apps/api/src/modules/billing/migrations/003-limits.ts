import type { Migration } from '../../../db/migrations.js'

/**
 * Spending limits and revocation decided in the money transaction: every operation reads its
 * account's grant (revoked, scopes, monthly limit) after the batch has locked the account's
 * wallet, and a change of grant takes the same lock first, so the two never interleave.
 */
export const billingLimitMigrations: Migration[] = [
  {
    id: 'billing/003-limits',
    sql: `
ALTER TABLE billing_accounts ADD COLUMN monthly_limit bigint CHECK (monthly_limit > 0);
CREATE INDEX billing_charges_account_month ON billing_charges (account_id, created_at);
CREATE INDEX billing_holds_account_pending ON billing_holds (account_id) WHERE status = 'pending';

-- What counts against an account's monthly limit at p_at: the charges and captures of the
-- calendar month (UTC) less their refunds, and the open holds.
CREATE FUNCTION billing_usage(p_account text, p_at timestamptz) RETURNS jsonb LANGUAGE plpgsql STABLE AS $fn$
DECLARE
  v_start timestamptz := date_trunc('month', p_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
  v_end timestamptz := (date_trunc('month', p_at AT TIME ZONE 'UTC') + interval '1 month') AT TIME ZONE 'UTC';
BEGIN
  RETURN jsonb_build_object(
    'spent', (SELECT coalesce(sum(amount - amount_refunded), 0) FROM billing_charges
               WHERE account_id = p_account AND created_at >= v_start AND created_at < v_end),
    'held', (SELECT coalesce(sum(amount), 0) FROM billing_holds
              WHERE account_id = p_account AND status = 'pending' AND expires_at > p_at),
    'resets_at', v_end);
END
$fn$;

-- Whether the account's grant allows the operation now; NULL when it does, else the refusal.
-- The caller has locked the account's wallet.
CREATE FUNCTION billing_check_grant(p_account text, p_scope text, p_amount bigint, p_at timestamptz)
RETURNS jsonb LANGUAGE plpgsql AS $fn$
DECLARE
  a billing_accounts;
  u jsonb;
  v_used bigint;
BEGIN
  SELECT * INTO a FROM billing_accounts WHERE id = p_account;
  IF a.grant_revoked_at IS NOT NULL THEN
    RETURN jsonb_build_object('result', 'grant_revoked');
  END IF;
  IF NOT (a.scopes ? p_scope) THEN
    RETURN jsonb_build_object('result', 'insufficient_scope', 'scope', p_scope);
  END IF;
  IF p_amount IS NOT NULL AND a.monthly_limit IS NOT NULL THEN
    u := billing_usage(p_account, p_at);
    v_used := (u->>'spent')::bigint + (u->>'held')::bigint;
    IF v_used + p_amount > a.monthly_limit THEN
      RETURN jsonb_build_object('result', 'spending_limit_exceeded', 'limit', a.monthly_limit,
                                'remaining', greatest(a.monthly_limit - v_used, 0));
    END IF;
  END IF;
  RETURN NULL;
END
$fn$;

CREATE OR REPLACE FUNCTION billing_apply_one(op jsonb, p_at timestamptz) RETURNS jsonb LANGUAGE plpgsql AS $fn$
DECLARE
  r jsonb;
  h billing_holds;
  c billing_charges;
  v_amount bigint;
BEGIN
  CASE op->>'kind'
  WHEN 'refuse' THEN
    RETURN jsonb_build_object('result', 'refused');

  WHEN 'charge' THEN
    r := billing_check_grant(op->>'account_id', 'charge', (op->>'amount')::bigint, p_at);
    IF r IS NOT NULL THEN RETURN r; END IF;
    r := ledger_transfer(jsonb_build_object('id', op->>'id', 'kind', 'posted', 'debit', op->'wallet',
           'credit', op->'revenue', 'amount', op->'amount', 'user_data', op->'user_data'), p_at);
    IF r->>'result' = 'ok' THEN
      INSERT INTO billing_charges (id, company_id, account_id, wallet_account_id, revenue_account_id, amount, currency,
                                   service_id, quantity, description, metadata, created_at)
      VALUES (op->>'id', op->>'company_id', op->>'account_id', (op->>'wallet')::bigint, (op->>'revenue')::bigint,
              (op->>'amount')::bigint, op->>'currency', op->>'service_id', (op->>'quantity')::integer,
              op->>'description', coalesce(op->'metadata', '{}'), p_at);
    END IF;
    RETURN r;

  WHEN 'hold' THEN
    r := billing_check_grant(op->>'account_id', 'hold', (op->>'amount')::bigint, p_at);
    IF r IS NOT NULL THEN RETURN r; END IF;
    r := ledger_transfer(jsonb_build_object('id', op->>'id', 'kind', 'pending', 'debit', op->'wallet',
           'credit', op->'revenue', 'amount', op->'amount', 'expires_at', op->'expires_at', 'user_data', op->'user_data'), p_at);
    IF r->>'result' = 'ok' THEN
      INSERT INTO billing_holds (id, company_id, account_id, wallet_account_id, revenue_account_id, amount, currency,
                                 service_id, quantity, description, metadata, status, expires_at, created_at)
      VALUES (op->>'id', op->>'company_id', op->>'account_id', (op->>'wallet')::bigint, (op->>'revenue')::bigint,
              (op->>'amount')::bigint, op->>'currency', op->>'service_id', (op->>'quantity')::integer,
              op->>'description', coalesce(op->'metadata', '{}'), 'pending', (op->>'expires_at')::timestamptz, p_at);
    END IF;
    RETURN r;

  WHEN 'capture', 'release' THEN
    SELECT * INTO h FROM billing_holds WHERE id = op->>'hold_id' FOR UPDATE;
    IF FOUND THEN
      -- A capture never fails the limit: the hold counted already.
      r := billing_check_grant(h.account_id, CASE op->>'kind' WHEN 'capture' THEN 'charge' ELSE 'hold' END, NULL, p_at);
      IF r IS NOT NULL THEN RETURN r; END IF;
    END IF;
    IF op->>'kind' = 'capture' THEN
      r := ledger_transfer(jsonb_build_object('id', op->>'charge_id', 'kind', 'post_pending', 'pending_id', h.id,
             'amount', op->'amount', 'user_data', op->'user_data'), p_at);
    ELSE
      r := ledger_transfer(jsonb_build_object('id', h.id || ':released', 'kind', 'void_pending', 'pending_id', h.id,
             'user_data', op->'user_data'), p_at);
    END IF;
    IF r->>'result' = 'ok' AND op->>'kind' = 'capture' THEN
      v_amount := coalesce((op->>'amount')::bigint, h.amount);
      UPDATE billing_holds SET status = 'captured', captured_amount = v_amount, charge_id = op->>'charge_id', resolved_at = p_at
       WHERE id = h.id;
      INSERT INTO billing_charges (id, company_id, account_id, wallet_account_id, revenue_account_id, amount, currency,
                                   service_id, quantity, description, metadata, hold_id, created_at)
      VALUES (op->>'charge_id', h.company_id, h.account_id, h.wallet_account_id, h.revenue_account_id, v_amount, h.currency,
              h.service_id, h.quantity, h.description, h.metadata, h.id, p_at);
      RETURN r || jsonb_build_object('captured_amount', v_amount);
    ELSIF r->>'result' = 'ok' THEN
      UPDATE billing_holds SET status = 'released', resolved_at = p_at WHERE id = h.id;
    ELSIF r->>'result' = 'pending_not_pending' AND r->>'state' = 'expired' AND h.status = 'pending' THEN
      UPDATE billing_holds SET status = 'expired', resolved_at = p_at WHERE id = h.id;
    END IF;
    RETURN r;

  WHEN 'refund' THEN
    SELECT * INTO c FROM billing_charges WHERE id = op->>'charge_id' FOR UPDATE;
    v_amount := coalesce((op->>'amount')::bigint, c.amount - c.amount_refunded);
    IF v_amount <= 0 OR c.amount_refunded + v_amount > c.amount THEN
      RETURN jsonb_build_object('result', 'exceeds_charge', 'refundable', c.amount - c.amount_refunded);
    END IF;
    UPDATE billing_charges SET amount_refunded = amount_refunded + v_amount WHERE id = c.id;
    r := ledger_transfer(jsonb_build_object('id', op->>'id', 'kind', 'posted', 'debit', c.revenue_account_id,
           'credit', c.wallet_account_id, 'amount', v_amount, 'user_data', op->'user_data'), p_at);
    IF r->>'result' <> 'ok' THEN
      RAISE EXCEPTION 'refund transfer refused: %', r;
    END IF;
    INSERT INTO billing_refunds (id, charge_id, company_id, account_id, amount, created_at)
    VALUES (op->>'id', c.id, c.company_id, c.account_id, v_amount, p_at);
    RETURN r || jsonb_build_object('amount', v_amount, 'amount_refunded', c.amount_refunded + v_amount);
  END CASE;
END
$fn$;

-- Changes a PROTUS person's grant on their account at a partner: scopes, revoked or not, and
-- the monthly limit (a NULL argument keeps what is there; a JSON null limit removes it). It first locks the account's wallet and the partner's revenue account (in
-- the ledger's order, as a batch does), so no operation of the partner on this account commits
-- between the change and what it allows. With a p_release_reason, every open hold of the account
-- is released in the same transaction. Answers the ids of the holds released.
CREATE FUNCTION billing_set_grant(p_account text, p_scopes jsonb, p_revoked boolean,
                                  p_limit jsonb, p_release_reason text, p_at timestamptz)
RETURNS text[] LANGUAGE plpgsql AS $fn$
DECLARE
  a billing_accounts;
  h billing_holds;
  r jsonb;
  v_revenue bigint;
  released text[] := '{}';
BEGIN
  SELECT * INTO a FROM billing_accounts WHERE id = p_account;
  IF NOT FOUND THEN
    RETURN released;
  END IF;
  v_revenue := ledger_account_id('revenue', a.company_id, a.currency);
  PERFORM ledger_lock_accounts(array_remove(ARRAY[a.wallet_account_id, v_revenue], NULL), p_at);
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
