import type { Migration } from '../../../db/migrations.js'

/**
 * Double-entry ledger after TigerBeetle: accounts keep four running totals, transfers are
 * immutable, a pending transfer (a hold) is resolved at most once by a post, void or expiry
 * transfer. The functions below are the ledger's interface inside the database: other modules'
 * batch functions call them instead of touching ledger tables.
 */
export const ledgerMigrations: Migration[] = [
  {
    id: 'ledger/001-ledger',
    sql: `
CREATE TABLE ledger_accounts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code text NOT NULL CHECK (code IN ('wallet', 'revenue', 'funding')),
  owner_id text NOT NULL,
  currency char(3) NOT NULL,
  debits_must_not_exceed_credits boolean NOT NULL,
  debits_posted bigint NOT NULL DEFAULT 0 CHECK (debits_posted >= 0),
  credits_posted bigint NOT NULL DEFAULT 0 CHECK (credits_posted >= 0),
  debits_pending bigint NOT NULL DEFAULT 0 CHECK (debits_pending >= 0),
  credits_pending bigint NOT NULL DEFAULT 0 CHECK (credits_pending >= 0),
  created_at timestamptz NOT NULL,
  UNIQUE (code, owner_id, currency),
  CONSTRAINT ledger_accounts_no_overdraft
    CHECK (NOT debits_must_not_exceed_credits OR debits_posted + debits_pending <= credits_posted)
);

CREATE TABLE ledger_transfers (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id text NOT NULL UNIQUE,
  kind text NOT NULL CHECK (kind IN ('posted', 'pending', 'post_pending', 'void_pending', 'expire_pending')),
  debit_account_id bigint NOT NULL REFERENCES ledger_accounts (id),
  credit_account_id bigint NOT NULL REFERENCES ledger_accounts (id),
  amount bigint NOT NULL CHECK (amount > 0),
  pending_id text UNIQUE REFERENCES ledger_transfers (id),
  expires_at timestamptz,
  -- Each side's credits_posted - debits_posted - debits_pending right after this transfer.
  debit_balance bigint NOT NULL,
  credit_balance bigint NOT NULL,
  user_data jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL,
  CHECK (debit_account_id <> credit_account_id),
  CHECK ((kind IN ('post_pending', 'void_pending', 'expire_pending')) = (pending_id IS NOT NULL)),
  CHECK ((kind = 'pending') = (expires_at IS NOT NULL))
);
CREATE INDEX ledger_transfers_debit ON ledger_transfers (debit_account_id, seq);
CREATE INDEX ledger_transfers_credit ON ledger_transfers (credit_account_id, seq);

-- The state of each pending transfer; changed only by ledger_transfer, once.
CREATE TABLE ledger_pending (
  transfer_id text PRIMARY KEY REFERENCES ledger_transfers (id),
  debit_account_id bigint NOT NULL,
  credit_account_id bigint NOT NULL,
  amount bigint NOT NULL,
  expires_at timestamptz NOT NULL,
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'posted', 'voided', 'expired'))
);
CREATE INDEX ledger_pending_due_by_account ON ledger_pending (debit_account_id, expires_at) WHERE state = 'pending';
CREATE INDEX ledger_pending_due ON ledger_pending (expires_at) WHERE state = 'pending';

-- Locks the given accounts, and the other side of their pending transfers that are due to
-- expire, in id order: concurrent batches then never wait on each other in a cycle.
CREATE FUNCTION ledger_lock_accounts(p_ids bigint[], p_at timestamptz) RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM 1 FROM (
    SELECT a.id FROM ledger_accounts a
     WHERE a.id = ANY (p_ids)
        OR a.id IN (SELECT lp.credit_account_id FROM ledger_pending lp
                     WHERE lp.debit_account_id = ANY (p_ids) AND lp.state = 'pending' AND lp.expires_at <= p_at)
     ORDER BY a.id FOR UPDATE) locked;
END
$fn$;

-- Moves a pending transfer to its end state and writes the resolving transfer.
CREATE FUNCTION ledger_resolve(p ledger_pending, p_kind text, p_posted bigint, p_id text, p_user_data jsonb, p_at timestamptz)
RETURNS jsonb LANGUAGE plpgsql AS $fn$
DECLARE
  v_debit_balance bigint;
  v_credit_balance bigint;
BEGIN
  UPDATE ledger_accounts a SET debits_pending = a.debits_pending - p.amount, debits_posted = a.debits_posted + p_posted
   WHERE a.id = p.debit_account_id
   RETURNING a.credits_posted - a.debits_posted - a.debits_pending INTO v_debit_balance;
  UPDATE ledger_accounts a SET credits_pending = a.credits_pending - p.amount, credits_posted = a.credits_posted + p_posted
   WHERE a.id = p.credit_account_id
   RETURNING a.credits_posted - a.debits_posted - a.debits_pending INTO v_credit_balance;
  UPDATE ledger_pending lp
     SET state = CASE p_kind WHEN 'post_pending' THEN 'posted' WHEN 'void_pending' THEN 'voided' ELSE 'expired' END
   WHERE lp.transfer_id = p.transfer_id;
  INSERT INTO ledger_transfers
    (id, kind, debit_account_id, credit_account_id, amount, pending_id, debit_balance, credit_balance, user_data, created_at)
  SELECT p_id, p_kind, p.debit_account_id, p.credit_account_id,
         CASE WHEN p_kind = 'post_pending' THEN p_posted ELSE p.amount END,
         p.transfer_id, v_debit_balance, v_credit_balance, t.user_data || p_user_data, p_at
    FROM ledger_transfers t WHERE t.id = p.transfer_id;
  RETURN jsonb_build_object('result', 'ok', 'debit_balance', v_debit_balance, 'credit_balance', v_credit_balance,
                            'pending_amount', p.amount);
END
$fn$;

-- One transfer. t: {id, kind, debit, credit, amount, expires_at, pending_id, user_data}.
-- A refusal is a result, never an exception, so batch-mates are not rolled back.
-- The caller has locked the accounts involved (ledger_lock_accounts).
CREATE FUNCTION ledger_transfer(t jsonb, p_at timestamptz) RETURNS jsonb LANGUAGE plpgsql AS $fn$
DECLARE
  v_kind text := t->>'kind';
  v_amount bigint := (t->>'amount')::bigint;
  v_debit_balance bigint;
  v_credit_balance bigint;
  p ledger_pending;
BEGIN
  IF v_kind IN ('posted', 'pending') THEN
    UPDATE ledger_accounts a
       SET debits_posted = a.debits_posted + CASE WHEN v_kind = 'posted' THEN v_amount ELSE 0 END,
           debits_pending = a.debits_pending + CASE WHEN v_kind = 'pending' THEN v_amount ELSE 0 END
     WHERE a.id = (t->>'debit')::bigint
       AND (NOT a.debits_must_not_exceed_credits OR a.credits_posted - a.debits_posted - a.debits_pending >= v_amount)
     RETURNING a.credits_posted - a.debits_posted - a.debits_pending INTO v_debit_balance;
    IF NOT FOUND THEN
      RETURN jsonb_build_object('result', 'exceeds_credits', 'available',
        (SELECT credits_posted - debits_posted - debits_pending FROM ledger_accounts WHERE id = (t->>'debit')::bigint));
    END IF;
    UPDATE ledger_accounts a
       SET credits_posted = a.credits_posted + CASE WHEN v_kind = 'posted' THEN v_amount ELSE 0 END,
           credits_pending = a.credits_pending + CASE WHEN v_kind = 'pending' THEN v_amount ELSE 0 END
     WHERE a.id = (t->>'credit')::bigint
     RETURNING a.credits_posted - a.debits_posted - a.debits_pending INTO v_credit_balance;
    INSERT INTO ledger_transfers
      (id, kind, debit_account_id, credit_account_id, amount, expires_at, debit_balance, credit_balance, user_data, created_at)
    VALUES (t->>'id', v_kind, (t->>'debit')::bigint, (t->>'credit')::bigint, v_amount,
            CASE WHEN v_kind = 'pending' THEN (t->>'expires_at')::timestamptz END,
            v_debit_balance, v_credit_balance, coalesce(t->'user_data', '{}'), p_at);
    IF v_kind = 'pending' THEN
      INSERT INTO ledger_pending (transfer_id, debit_account_id, credit_account_id, amount, expires_at)
      VALUES (t->>'id', (t->>'debit')::bigint, (t->>'credit')::bigint, v_amount, (t->>'expires_at')::timestamptz);
    END IF;
    RETURN jsonb_build_object('result', 'ok', 'debit_balance', v_debit_balance, 'credit_balance', v_credit_balance);
  END IF;

  SELECT * INTO p FROM ledger_pending WHERE transfer_id = t->>'pending_id' FOR UPDATE;
  IF NOT FOUND THEN
    RETURN jsonb_build_object('result', 'pending_not_found');
  END IF;
  IF p.state <> 'pending' THEN
    RETURN jsonb_build_object('result', 'pending_not_pending', 'state', p.state);
  END IF;
  IF v_kind = 'expire_pending' THEN
    IF p.expires_at > p_at THEN
      RETURN jsonb_build_object('result', 'pending_not_due');
    END IF;
    RETURN ledger_resolve(p, 'expire_pending', 0, t->>'id', coalesce(t->'user_data', '{}'), p_at);
  END IF;
  IF p.expires_at <= p_at THEN
    -- Expired but not swept yet: it counts as released, so it is expired now and reported so.
    PERFORM ledger_resolve(p, 'expire_pending', 0, p.transfer_id || ':expired', '{}', p_at);
    RETURN jsonb_build_object('result', 'pending_not_pending', 'state', 'expired', 'expired_now', true);
  END IF;
  IF v_kind = 'post_pending' THEN
    v_amount := coalesce(v_amount, p.amount);
    IF v_amount > p.amount THEN
      RETURN jsonb_build_object('result', 'exceeds_pending_amount', 'pending_amount', p.amount);
    END IF;
    RETURN ledger_resolve(p, 'post_pending', v_amount, t->>'id', coalesce(t->'user_data', '{}'), p_at);
  END IF;
  IF v_kind = 'void_pending' THEN
    RETURN ledger_resolve(p, 'void_pending', 0, t->>'id', coalesce(t->'user_data', '{}'), p_at);
  END IF;
  RAISE EXCEPTION 'unknown transfer kind %', v_kind;
END
$fn$;

-- Expires the due pending transfers debiting one account (its accounts already locked by the
-- caller); returns the ids of the pending transfers expired.
CREATE FUNCTION ledger_expire_due(p_account bigint, p_at timestamptz) RETURNS text[] LANGUAGE plpgsql AS $fn$
DECLARE
  p ledger_pending;
  expired text[] := '{}';
BEGIN
  FOR p IN SELECT * FROM ledger_pending
            WHERE debit_account_id = p_account AND state = 'pending' AND expires_at <= p_at
            ORDER BY expires_at FOR UPDATE
  LOOP
    PERFORM ledger_resolve(p, 'expire_pending', 0, p.transfer_id || ':expired', '{}', p_at);
    expired := expired || p.transfer_id;
  END LOOP;
  RETURN expired;
END
$fn$;
`,
  },
]
