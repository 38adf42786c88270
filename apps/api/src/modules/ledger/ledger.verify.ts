import type { Queryable } from '../../db/database.js'

/**
 * The ledger's invariants, checked from the stored data alone. Returns one readable line per
 * violation; an empty list means the ledger is sound. `protus ledger verify` and every test that
 * moves money call it.
 */
export async function verifyLedger(q: Queryable): Promise<string[]> {
  const problems: string[] = []

  const [totals] = await q.query<{ dp: bigint; cp: bigint; dpe: bigint; cpe: bigint }>(
    `SELECT coalesce(sum(debits_posted), 0)::bigint AS dp, coalesce(sum(credits_posted), 0)::bigint AS cp,
            coalesce(sum(debits_pending), 0)::bigint AS dpe, coalesce(sum(credits_pending), 0)::bigint AS cpe
       FROM ledger_accounts`,
  )
  if (totals && totals.dp !== totals.cp) {
    problems.push(`posted totals differ: debits ${totals.dp}, credits ${totals.cp}`)
  }
  if (totals && totals.dpe !== totals.cpe) {
    problems.push(`pending totals differ: debits ${totals.dpe}, credits ${totals.cpe}`)
  }

  const drift = await q.query<Record<string, bigint>>(
    `WITH t AS (
       SELECT t.debit_account_id, t.credit_account_id,
              CASE WHEN t.kind IN ('posted', 'post_pending') THEN t.amount ELSE 0 END AS posted,
              CASE WHEN t.kind = 'pending' THEN t.amount WHEN t.kind = 'posted' THEN 0 ELSE -p.amount END AS pending
         FROM ledger_transfers t LEFT JOIN ledger_transfers p ON p.id = t.pending_id),
     sums AS (
       SELECT account, sum(dp)::bigint AS dp, sum(cp)::bigint AS cp, sum(dpe)::bigint AS dpe, sum(cpe)::bigint AS cpe FROM (
         SELECT debit_account_id AS account, posted AS dp, 0 AS cp, pending AS dpe, 0 AS cpe FROM t
         UNION ALL
         SELECT credit_account_id, 0, posted, 0, pending FROM t) x
       GROUP BY account)
     SELECT a.id, a.debits_posted, a.credits_posted, a.debits_pending, a.credits_pending,
            coalesce(s.dp, 0) AS sum_dp, coalesce(s.cp, 0) AS sum_cp, coalesce(s.dpe, 0) AS sum_dpe, coalesce(s.cpe, 0) AS sum_cpe
       FROM ledger_accounts a LEFT JOIN sums s ON s.account = a.id
      WHERE a.debits_posted <> coalesce(s.dp, 0) OR a.credits_posted <> coalesce(s.cp, 0)
         OR a.debits_pending <> coalesce(s.dpe, 0) OR a.credits_pending <> coalesce(s.cpe, 0)
      ORDER BY a.id LIMIT 20`,
  )
  for (const d of drift) {
    problems.push(
      `account ${d.id}: totals (dp ${d.debits_posted}, cp ${d.credits_posted}, dpe ${d.debits_pending}, cpe ${d.credits_pending}) ` +
        `differ from its transfers (dp ${d.sum_dp}, cp ${d.sum_cp}, dpe ${d.sum_dpe}, cpe ${d.sum_cpe})`,
    )
  }

  problems.push(...(await verifyRevenueStripes(q)))

  const negative = await q.query<{ id: bigint; owner_id: string; available: bigint }>(
    `SELECT id, owner_id, credits_posted - debits_posted - debits_pending AS available FROM ledger_accounts
      WHERE debits_must_not_exceed_credits AND debits_posted + debits_pending > credits_posted ORDER BY id LIMIT 20`,
  )
  for (const n of negative)
    problems.push(`wallet ${n.id} (${n.owner_id}) is below zero: available ${n.available}`)

  const resolutions = await q.query<{
    transfer_id: string
    state: string
    resolutions: bigint
    posted_over: boolean
  }>(
    `SELECT lp.transfer_id, lp.state, count(r.id)::bigint AS resolutions, coalesce(bool_or(r.amount > lp.amount), false) AS posted_over
       FROM ledger_pending lp LEFT JOIN ledger_transfers r ON r.pending_id = lp.transfer_id
      GROUP BY lp.transfer_id, lp.state
     HAVING count(r.id) > 1 OR (lp.state = 'pending') <> (count(r.id) = 0) OR coalesce(bool_or(r.amount > lp.amount), false)
      LIMIT 20`,
  )
  for (const r of resolutions) {
    problems.push(
      `pending transfer ${r.transfer_id} (${r.state}) has ${r.resolutions} resolving transfers${r.posted_over ? ', posting more than it held' : ''}`,
    )
  }
  return problems
}

/**
 * A partner's revenue in a currency is the sum of its stripes: the set is whole (stripes 0..n-1,
 * each knowing n), and the stripes' totals sum to what the transfers on any of them moved.
 */
async function verifyRevenueStripes(q: Queryable): Promise<string[]> {
  const problems: string[] = []
  const broken = await q.query<{ owner_id: string; currency: string; found: bigint; sizes: string }>(
    `SELECT owner_id, currency, count(*)::bigint AS found, string_agg(DISTINCT stripes::text, ',') AS sizes
       FROM ledger_accounts WHERE code = 'revenue'
      GROUP BY owner_id, currency
     HAVING count(DISTINCT stripes) <> 1 OR count(*) <> max(stripes) OR max(stripe) <> count(*) - 1
      ORDER BY owner_id, currency LIMIT 20`,
  )
  for (const b of broken) {
    problems.push(`revenue of ${b.owner_id} (${b.currency}): ${b.found} stripes, sized ${b.sizes}`)
  }
  const sums = await q.query<{ owner_id: string; currency: string; stripes_sum: bigint; moved: bigint }>(
    `WITH sets AS (
       SELECT owner_id, currency, array_agg(id) AS ids, sum(credits_posted - debits_posted)::bigint AS stripes_sum
         FROM ledger_accounts WHERE code = 'revenue' GROUP BY owner_id, currency)
     SELECT * FROM (
     SELECT s.owner_id, s.currency, s.stripes_sum,
            (coalesce((SELECT sum(t.amount) FROM ledger_transfers t
                        WHERE t.credit_account_id = ANY (s.ids) AND t.kind IN ('posted', 'post_pending')), 0)
           - coalesce((SELECT sum(t.amount) FROM ledger_transfers t
                        WHERE t.debit_account_id = ANY (s.ids) AND t.kind IN ('posted', 'post_pending')), 0))::bigint AS moved
       FROM sets s) c
      WHERE stripes_sum <> moved ORDER BY owner_id, currency LIMIT 20`,
  )
  for (const s of sums) {
    problems.push(
      `revenue of ${s.owner_id} (${s.currency}): stripes sum to ${s.stripes_sum}, its transfers to ${s.moved}`,
    )
  }
  return problems
}
