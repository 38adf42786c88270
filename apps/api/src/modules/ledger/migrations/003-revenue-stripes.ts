import type { Migration } from '../../../db/migrations.js'

/**
 * A partner's revenue in one currency is a set of accounts (stripes) instead of one row: each
 * operation credits the stripe its wallet's id chooses, so concurrent batches on different wallets
 * never queue on one revenue row. The partner's revenue is the sum of its stripes. Every account
 * is stripe 0 of a set of 1 until its set grows (`ledger_ensure_revenue`); transfers already made
 * stay on the account they were made on.
 */
export const ledgerStripeMigrations: Migration[] = [
  {
    id: 'ledger/003-revenue-stripes',
    sql: `
ALTER TABLE ledger_accounts ADD COLUMN stripe smallint NOT NULL DEFAULT 0;
ALTER TABLE ledger_accounts ADD COLUMN stripes smallint NOT NULL DEFAULT 1;
ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_stripe_in_set
  CHECK (stripes >= 1 AND stripe >= 0 AND stripe < stripes AND (code = 'revenue' OR stripes = 1));
ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_code_owner_id_currency_key;
ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_code_owner_currency_stripe
  UNIQUE (code, owner_id, currency, stripe);

-- Stripe 0: the account itself for wallets and funding accounts, the first stripe for revenue.
CREATE OR REPLACE FUNCTION ledger_account_id(p_code text, p_owner text, p_currency text) RETURNS bigint
LANGUAGE sql STABLE AS $fn$
  SELECT id FROM ledger_accounts WHERE code = p_code AND owner_id = p_owner AND currency = p_currency AND stripe = 0
$fn$;

-- The stripe a wallet's operations use in the set of the given account (any stripe of the set):
-- the wallet's id modulo the set's size. An account outside any larger set answers itself.
CREATE FUNCTION ledger_revenue_stripe(p_revenue bigint, p_wallet bigint) RETURNS bigint
LANGUAGE sql STABLE AS $fn$
  SELECT s.id FROM ledger_accounts r
    JOIN ledger_accounts s ON s.code = r.code AND s.owner_id = r.owner_id AND s.currency = r.currency
                          AND s.stripe = p_wallet % r.stripes
   WHERE r.id = p_revenue
$fn$;

-- Opens a partner's revenue stripes in one currency, growing the set to p_stripes when it is
-- smaller (a set never shrinks, so no wallet's stripe disappears). Answers the ids in stripe order.
CREATE FUNCTION ledger_ensure_revenue(p_owner text, p_currency text, p_stripes integer, p_at timestamptz)
RETURNS bigint[] LANGUAGE plpgsql AS $fn$
DECLARE
  v_have integer;
BEGIN
  SELECT max(stripes) INTO v_have FROM ledger_accounts
   WHERE code = 'revenue' AND owner_id = p_owner AND currency = p_currency;
  IF v_have IS NULL OR v_have < p_stripes THEN
    UPDATE ledger_accounts SET stripes = p_stripes
     WHERE code = 'revenue' AND owner_id = p_owner AND currency = p_currency AND stripes < p_stripes;
    INSERT INTO ledger_accounts (code, owner_id, currency, debits_must_not_exceed_credits, stripe, stripes, created_at)
    SELECT 'revenue', p_owner, p_currency, false, s, p_stripes, p_at FROM generate_series(0, p_stripes - 1) s
        ON CONFLICT (code, owner_id, currency, stripe) DO NOTHING;
  END IF;
  RETURN ARRAY(SELECT id FROM ledger_accounts WHERE code = 'revenue' AND owner_id = p_owner AND currency = p_currency
                ORDER BY stripe);
END
$fn$;
`,
  },
]
