// The scale section: a database filled with a million wallets and ten million transfers by SQL,
// in the shapes the API writes, then measured over HTTP like the rest of the bench.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { cannon, tally } from './http-load.mjs'
import { psql } from './postgres.mjs'

/** Each generated wallet's top-up: far more than its charges, and than the measured row's. */
export const SCALE_TOPUP = 10_000_000
/** Wallets whose charges the fill interleaves (see scale_charges). */
const SCALE_BLOCK = 10_000

/** Runs a psql script (several statements, one transaction if it says so); answers its output. */
function psqlScript(url, sql, { maxBuffer = 64 * 1024 * 1024 } = {}) {
  const result = spawnSync('psql', [url, '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-f', '-'], {
    input: sql,
    encoding: 'utf8',
    maxBuffer,
  })
  if (result.error) throw new Error(`psql: ${result.error.message}`)
  if (result.status !== 0) throw new Error(`psql failed: ${result.stderr.trim()}`)
  return result.stdout.trim()
}

/** A table's columns as the migrations made them: name, and whether it is an identity or generated. */
function columnsOf(url, table) {
  const out = psql(
    url,
    `SELECT column_name || '|' || is_identity || '|' || is_generated FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name = '${table}' ORDER BY ordinal_position`,
  )
  return out.split('\n').map((line) => {
    const [name, identity, generated] = line.split('|')
    return { name, identity: identity === 'YES', generated: generated === 'ALWAYS' }
  })
}

/**
 * `INSERT INTO table … SELECT` that copies every column of the template row `tpl` except the ones
 * `set` gives an expression for: a column another migration adds comes along with the template's
 * value, so the copies keep the shape the API writes. Identity columns are set only when `set`
 * names them (then with OVERRIDING SYSTEM VALUE); generated columns never.
 */
function copyInsert(url, table, set, from) {
  const columns = columnsOf(url, table).filter((c) => !c.generated && (!c.identity || c.name in set))
  const unknown = Object.keys(set).filter((name) => !columns.some((c) => c.name === name))
  if (unknown.length > 0) throw new Error(`${table} has no column ${unknown.join(', ')}`)
  const overriding = columns.some((c) => c.identity) ? ' OVERRIDING SYSTEM VALUE' : ''
  return `INSERT INTO ${table} (${columns.map((c) => c.name).join(', ')})${overriding}
SELECT ${columns.map((c) => set[c.name] ?? `tpl.${c.name}`).join(',\n       ')}
${from};`
}

const literal = (text) => `'${String(text).replaceAll("'", "''")}'`

/**
 * The rows the fill copies: one managed account of `companyId` that has a direct charge (its
 * billing row, its wallet, the wallet's top-up, one charge transfer and its billing row), the
 * funding account the top-up came from, and the partner's revenue accounts (one, or the stripes
 * of a set).
 */
function templateOf(url, companyId) {
  const row = psql(
    url,
    `SELECT a.id || '|' || a.wallet_account_id || '|' || top.id || '|' || top.debit_account_id || '|' || c.id
       FROM billing_accounts a
       JOIN billing_charges c ON c.account_id = a.id AND c.hold_id IS NULL
       JOIN ledger_transfers top ON top.credit_account_id = a.wallet_account_id AND top.kind = 'posted'
       JOIN ledger_accounts f ON f.id = top.debit_account_id AND f.code = 'funding'
      WHERE a.company_id = ${literal(companyId)} AND a.kind = 'managed'
      ORDER BY a.id LIMIT 1`,
  )
  if (!row) throw new Error(`no managed account of ${companyId} with a top-up and a direct charge to copy`)
  const [account, wallet, topup, funding, charge] = row.split('|')
  // Every revenue account of the partner (its stripes, in the order they were opened): a new
  // wallet's charges credit the one its id chooses, wallet id mod their number.
  const revenue = psql(
    url,
    `SELECT string_agg(id::text, ',' ORDER BY id) FROM ledger_accounts WHERE code = 'revenue' AND owner_id = ${literal(companyId)}`,
  )
    .split(',')
    .map(Number)
  const userData = JSON.parse(
    psql(url, `SELECT user_data FROM ledger_transfers WHERE id = ${literal(charge)}`),
  )
  return {
    account,
    wallet,
    topup,
    funding: Number(funding),
    charge,
    revenue,
    userDataKeys: Object.keys(userData),
  }
}

/**
 * Fills the database of `companyId` (its server stopped) with `wallets` more managed accounts, each
 * with a wallet topped up once from the funding account, and charges on them until the ledger has
 * `transfers` more transfers: as many on each wallet (give or take one), for 1 + (wallet mod 5),
 * crediting the revenue account (or stripe, wallet id mod stripes) the partner's charges use. Every
 * row is a copy of one the API wrote (see templateOf), with its ids, accounts, amounts, balances and
 * times set; running balances are exact, and account totals are the sums of their transfers, so
 * `protus ledger verify` holds. Ids and times lie between `fromMs` and `toMs`, in the order the
 * rows were made (ids sort by their time like the API's). One transaction: a failure leaves nothing.
 */
export function fillScale({ url, companyId, wallets, transfers, fromMs, toMs }) {
  const charges = transfers - wallets
  if (wallets < 1 || charges < 0)
    throw new Error('BENCH_SCALE_TRANSFERS must be at least BENCH_SCALE_WALLETS')
  const t = templateOf(url, companyId)
  const made = wallets + transfers // index of a made row: accounts, then top-ups, then charges
  const from = Math.min(fromMs, toMs - 1000)
  const at = (k) => `${from} + (${toMs - from}::bigint * (${k})) / ${made}`
  const stamp = (k) => `(SELECT txt FROM scale_times WHERE ms = ${at(k)})`
  const hex = (n) => `lpad(to_hex(${n}), 16, '0')`
  const time = (k) => `to_timestamp((${at(k)})::double precision / 1000)`
  const stripes = `ARRAY[${t.revenue.join(',')}]::bigint[]`
  const revenueOf = (walletId) => `(${stripes})[1 + ((${walletId}) % ${t.revenue.length})]`
  const amountOf = (w) => `(1 + (${w}) % 5)`
  /** Charges spread evenly: each wallet has charges ÷ wallets, the first (charges mod wallets) one more. */
  const chargesOf = (w) =>
    `(${Math.floor(charges / wallets)} + CASE WHEN ${w} <= ${charges % wallets} THEN 1 ELSE 0 END)`
  const userData = [
    t.userDataKeys.includes('charge_id') ? "'charge_id', c.id" : undefined,
    t.userDataKeys.includes('account_id') ? "'account_id', c.acct" : undefined,
  ].filter(Boolean)

  const accountsSql = copyInsert(
    url,
    'ledger_accounts',
    {
      id: 'base.account0 + w',
      owner_id: 'a.acct',
      credits_posted: String(SCALE_TOPUP),
      debits_posted: `${chargesOf('w')} * ${amountOf('w')}`,
      debits_pending: '0',
      credits_pending: '0',
      created_at: time('w'),
    },
    `FROM scale_accounts a JOIN ledger_accounts tpl ON tpl.id = ${t.wallet}, scale_base base`,
  )
  const billingAccountsSql = copyInsert(
    url,
    'billing_accounts',
    {
      id: 'a.acct',
      external_id: "'bench-scale-' || (base.account0 + w)",
      wallet_account_id: 'base.account0 + w',
      created_at: time('w'),
    },
    `FROM scale_accounts a JOIN billing_accounts tpl ON tpl.id = ${literal(t.account)}, scale_base base`,
  )
  const topupsSql = copyInsert(
    url,
    'ledger_transfers',
    {
      seq: 'base.seq0 + w',
      id: `'top_' || ${stamp(`${wallets} + w`)} || ${hex('w')}`,
      debit_account_id: String(t.funding),
      credit_account_id: 'base.account0 + w',
      amount: String(SCALE_TOPUP),
      debit_balance: `base.funding0 - w * ${SCALE_TOPUP}::bigint`,
      credit_balance: String(SCALE_TOPUP),
      created_at: time(`${wallets} + w`),
    },
    `FROM scale_accounts a JOIN ledger_transfers tpl ON tpl.id = ${literal(t.topup)}, scale_base base`,
  )
  const chargeTransfersSql = copyInsert(
    url,
    'ledger_transfers',
    {
      seq: 'c.seq',
      id: 'c.id',
      debit_account_id: 'c.wallet',
      credit_account_id: 'c.revenue',
      amount: 'c.amount',
      debit_balance: `${SCALE_TOPUP} - c.nth * c.amount`,
      credit_balance: 'r.balance0 + sum(c.amount) OVER (PARTITION BY c.revenue ORDER BY c.seq)',
      user_data:
        userData.length > 0 ? `tpl.user_data || jsonb_build_object(${userData.join(', ')})` : undefined,
      created_at: 'c.at',
    },
    `FROM scale_charges c JOIN scale_revenue r ON r.id = c.revenue
       JOIN ledger_transfers tpl ON tpl.id = ${literal(t.charge)}
      ORDER BY c.seq`,
  )
  const billingChargesSql = copyInsert(
    url,
    'billing_charges',
    {
      id: 'c.id',
      account_id: 'c.acct',
      wallet_account_id: 'c.wallet',
      revenue_account_id: 'c.revenue',
      amount: 'c.amount',
      amount_refunded: '0',
      created_at: 'c.at',
    },
    `FROM scale_charges c JOIN billing_charges tpl ON tpl.id = ${literal(t.charge)}`,
  )

  const script = `\\timing on
SET work_mem = '256MB';
SET maintenance_work_mem = '512MB';
SET synchronous_commit = off;
BEGIN;
-- Foreign keys are not checked row by row (that would double the fill's time) where the role may
-- say so; the rows are made consistent by construction, and \`ledger verify\` checks them after.
DO $do$ BEGIN SET LOCAL session_replication_role = replica; EXCEPTION WHEN insufficient_privilege THEN NULL; END $do$;
LOCK TABLE ledger_accounts, ledger_transfers, billing_accounts, billing_charges IN EXCLUSIVE MODE;
CREATE FUNCTION pg_temp.b32(ms bigint) RETURNS text LANGUAGE sql IMMUTABLE AS $fn$
  SELECT string_agg(substr('0123456789abcdefghjkmnpqrstvwxyz', ((ms >> (5 * (9 - k))) & 31)::int + 1, 1), '' ORDER BY k)
    FROM generate_series(0, 9) k
$fn$;
-- The time part of every id, once per millisecond of the span (ids are 10 base-32 characters of
-- milliseconds, then 16 more; hexadecimal digits are base-32 digits too).
CREATE TEMP TABLE scale_times AS SELECT ms, pg_temp.b32(ms) AS txt FROM generate_series(${from}::bigint, ${toMs}::bigint) ms;
CREATE UNIQUE INDEX ON scale_times (ms);
CREATE TEMP TABLE scale_base AS
  SELECT (SELECT max(id) FROM ledger_accounts) AS account0,
         (SELECT max(seq) FROM ledger_transfers) AS seq0,
         (SELECT credits_posted - debits_posted - debits_pending FROM ledger_accounts WHERE id = ${t.funding}) AS funding0;
CREATE TEMP TABLE scale_accounts AS
  SELECT w, 'acct_' || ${stamp('w')} || ${hex('w')} AS acct FROM generate_series(1, ${wallets}) w;
CREATE TEMP TABLE scale_revenue AS
  SELECT id, credits_posted - debits_posted - debits_pending AS balance0 FROM ledger_accounts WHERE id = ANY (${stripes});
-- Each wallet's charges; made block by block of wallets, round-robin inside a block, so that
-- one wallet's charges lie apart on disk as they do when many wallets pay at once, while the
-- indexes the fill writes stay within a block's pages.
CREATE TEMP TABLE scale_charges AS
  SELECT base.seq0 + ${wallets} + n AS seq,
         'ch_' || ${stamp(`${2 * wallets} + n`)} || ${hex('n')} AS id,
         acct, wallet, revenue, amount, nth, ${time(`${2 * wallets} + n`)} AS at
    FROM (SELECT a.acct, base.account0 + a.w AS wallet, ${revenueOf('base.account0 + a.w')} AS revenue,
                 ${amountOf('a.w')} AS amount, nth,
                 row_number() OVER (ORDER BY (a.w - 1) / ${SCALE_BLOCK}, nth, a.w) AS n
            FROM scale_accounts a, scale_base base,
                 generate_series(1, ${chargesOf('a.w')}) nth) c, scale_base base;
${accountsSql}
${billingAccountsSql}
${topupsSql}
${chargeTransfersSql}
${billingChargesSql}
UPDATE ledger_accounts SET debits_posted = debits_posted + ${wallets}::bigint * ${SCALE_TOPUP} WHERE id = ${t.funding};
UPDATE ledger_accounts l SET credits_posted = l.credits_posted + s.total
  FROM (SELECT revenue, sum(amount)::bigint AS total FROM scale_charges GROUP BY revenue) s WHERE l.id = s.revenue;
SELECT setval(pg_get_serial_sequence('ledger_accounts', 'id'), (SELECT max(id) FROM ledger_accounts));
SELECT setval(pg_get_serial_sequence('ledger_transfers', 'seq'), (SELECT max(seq) FROM ledger_transfers));
COMMIT;
`
  const started = performance.now()
  const timing = psqlScript(url, script)
  if (process.env.BENCH_SCALE_TIMING === '1') console.log(timing)
  const fillSeconds = (performance.now() - started) / 1000
  const analyzeStarted = performance.now()
  psql(url, 'VACUUM ANALYZE')
  psql(url, 'CHECKPOINT')
  return { fillSeconds, analyzeSeconds: (performance.now() - analyzeStarted) / 1000, template: t }
}

/** Counts of what the database holds, for the report. */
export function scaleCounts(url) {
  const [wallets, transfers, charges, size] = psql(
    url,
    `SELECT (SELECT count(*) FROM ledger_accounts WHERE code = 'wallet') || '|' || (SELECT count(*) FROM ledger_transfers)
         || '|' || (SELECT count(*) FROM billing_charges) || '|' || pg_database_size(current_database())`,
  ).split('|')
  return {
    wallets: Number(wallets),
    transfers: Number(transfers),
    charges: Number(charges),
    bytes: Number(size),
  }
}

/** Every managed account id of the partner (a million lines are about 32 MB). */
export function accountIdsOf(url, companyId) {
  return psqlScript(
    url,
    `SELECT id FROM billing_accounts WHERE company_id = ${literal(companyId)} AND kind = 'managed' ORDER BY id`,
    { maxBuffer: 1024 * 1024 * 1024 },
  ).split('\n')
}

/**
 * GET requests on paths `pathOf()` chooses afresh for each, a warm-up then the measured run; a
 * success is a 200. Same tally and samplers as the money rows.
 */
export async function runReads({ url, auth, pathOf, connections, duration, warmup, sample }) {
  const requests = (seen) => [
    {
      method: 'GET',
      setupRequest(req, context) {
        req.path = pathOf()
        context.sentAt = performance.now()
        return req
      },
      onResponse(status, body, context) {
        if (status === 200) seen.ok(performance.now() - context.sentAt)
        else seen.refused(status, body)
      },
    },
  ]
  const options = (seen, seconds) => ({
    url,
    connections,
    duration: seconds,
    headers: { authorization: auth },
    requests: requests(seen),
  })
  if (warmup > 0) await cannon(options(tally(), warmup))
  const seen = tally()
  const sampler = sample()
  const started = performance.now()
  const result = await cannon(options(seen, duration))
  const seconds = (performance.now() - started) / 1000
  const usage = await sampler.stop()
  return {
    ...seen.summary(seconds),
    seconds,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    usage,
  }
}

/** `protus ledger verify` on the database: its wall time, its exit code and what it printed. */
export function timeLedgerVerify({ root, url, secretKey }) {
  const started = performance.now()
  const result = spawnSync(process.execPath, [join(root, 'apps/api/dist/cli.js'), 'ledger', 'verify'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: url,
      PROTUS_SECRET_KEY: secretKey,
      PROTUS_MODE: 'sandbox',
      LOG_LEVEL: 'warn',
    },
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  })
  const seconds = (performance.now() - started) / 1000
  const output = `${result.stdout}${result.stderr}`.trim()
  return { seconds, ok: result.status === 0, output }
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of the statements behind the read rows, with the parameters of one
 * random request each, so the report shows which plan the timings come from.
 */
export function explainReads(url, { companyId, account, after }) {
  const plans = {
    "one account's charges (GET /v1/charges?account=…)": `SELECT * FROM billing_charges WHERE company_id = ${literal(companyId)}
        AND account_id = ${literal(account)} ORDER BY id DESC LIMIT 21`,
    "the partner's accounts after a random one (GET /v1/accounts?starting_after=…)": `SELECT * FROM billing_accounts
        WHERE company_id = ${literal(companyId)} AND id < ${literal(after)} ORDER BY id DESC LIMIT 21`,
  }
  return Object.entries(plans).map(([label, sql]) => ({
    label,
    plan: psql(url, `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${sql}`),
  }))
}
