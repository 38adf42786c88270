import type { Migration } from '../../../db/migrations.js'

export const billingMigrations: Migration[] = [
  {
    id: 'billing/001-billing',
    sql: `
-- A person's (or a partner's direct user's) account at one partner: the partner-visible acct_ id.
CREATE TABLE billing_accounts (
  id text PRIMARY KEY,
  company_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('protus', 'managed')),
  customer_id text,
  external_id text,
  email text,
  username text,
  wallet_account_id bigint NOT NULL,
  currency char(3) NOT NULL,
  scopes jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  UNIQUE (company_id, customer_id),
  UNIQUE (company_id, external_id),
  CHECK ((kind = 'protus') = (customer_id IS NOT NULL)),
  CHECK ((kind = 'managed') = (external_id IS NOT NULL))
);
CREATE INDEX billing_accounts_company ON billing_accounts (company_id, id);
CREATE INDEX billing_accounts_customer ON billing_accounts (customer_id) WHERE customer_id IS NOT NULL;

CREATE TABLE billing_holds (
  id text PRIMARY KEY,
  company_id text NOT NULL,
  account_id text NOT NULL REFERENCES billing_accounts (id),
  wallet_account_id bigint NOT NULL,
  revenue_account_id bigint NOT NULL,
  amount bigint NOT NULL CHECK (amount > 0),
  currency char(3) NOT NULL,
  service_id text,
  quantity integer,
  description text,
  metadata jsonb NOT NULL DEFAULT '{}',
  status text NOT NULL CHECK (status IN ('pending', 'captured', 'released', 'expired')),
  captured_amount bigint NOT NULL DEFAULT 0 CHECK (captured_amount >= 0 AND captured_amount <= amount),
  charge_id text,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL,
  resolved_at timestamptz
);
CREATE INDEX billing_holds_company ON billing_holds (company_id, id);
CREATE INDEX billing_holds_account ON billing_holds (account_id, id);

CREATE TABLE billing_charges (
  id text PRIMARY KEY,
  company_id text NOT NULL,
  account_id text NOT NULL REFERENCES billing_accounts (id),
  wallet_account_id bigint NOT NULL,
  revenue_account_id bigint NOT NULL,
  amount bigint NOT NULL CHECK (amount > 0),
  currency char(3) NOT NULL,
  service_id text,
  quantity integer,
  description text,
  metadata jsonb NOT NULL DEFAULT '{}',
  hold_id text UNIQUE REFERENCES billing_holds (id),
  amount_refunded bigint NOT NULL DEFAULT 0 CHECK (amount_refunded >= 0 AND amount_refunded <= amount),
  created_at timestamptz NOT NULL
);
CREATE INDEX billing_charges_company ON billing_charges (company_id, id);
CREATE INDEX billing_charges_account ON billing_charges (account_id, id);

CREATE TABLE billing_refunds (
  id text PRIMARY KEY,
  charge_id text NOT NULL REFERENCES billing_charges (id),
  company_id text NOT NULL,
  account_id text NOT NULL,
  amount bigint NOT NULL CHECK (amount > 0),
  created_at timestamptz NOT NULL
);
CREATE INDEX billing_refunds_charge ON billing_refunds (charge_id);
CREATE INDEX billing_refunds_account ON billing_refunds (account_id, id);

-- One billing operation whose key is already claimed; its accounts are locked. Answers the
-- ledger's result, extended with what the operation changed. A refusal is a result.
CREATE FUNCTION billing_apply_one(op jsonb, p_at timestamptz) RETURNS jsonb LANGUAGE plpgsql AS $fn$
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

-- A batch of billing operations in one transaction (group commit): accounts are locked once in
-- id order, due holds on the wallets expire first, then each operation claims its idempotency
-- key and runs. Answers one result per operation, in order.
CREATE FUNCTION billing_apply(ops jsonb, p_at timestamptz) RETURNS jsonb LANGUAGE plpgsql AS $fn$
DECLARE
  op jsonb;
  claim jsonb;
  results jsonb := '[]';
  v_wallets bigint[];
  v_accounts bigint[];
  v_wallet bigint;
  v_expired text[];
BEGIN
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
  FOR op IN SELECT value FROM jsonb_array_elements(ops) LOOP
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
`,
  },
]
