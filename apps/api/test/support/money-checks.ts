import type { FastifyInstance } from 'fastify'
import { expect } from 'vitest'
import { expectLedgerSound, fund } from './money.js'
import { expectedSpending, type WorkloadReport } from './workload.js'

/** Funds each account's wallet with `amount`; answers the total. */
export async function fundAll(
  app: FastifyInstance,
  accounts: readonly string[],
  amount: number,
): Promise<number> {
  for (const account of accounts) await fund(app, account, amount)
  return amount * accounts.length
}

/**
 * After a workload: the ledger's invariants hold, no wallet is negative, every key produced one
 * effect (rows in the database equal distinct objects the clients saw), each account's spent and
 * held equal what the clients saw, and money in (funding) equals money out (wallets + revenue).
 */
export async function expectMoneyMatches(
  app: FastifyInstance,
  opts: {
    baseUrl?: string
    auth: string
    accounts: readonly string[]
    funded: number
    report: WorkloadReport
  },
) {
  await expectLedgerSound(app)
  const { report } = opts
  const countIn = async (table: string) => {
    const rows = await app.db.query<{ n: bigint }>(
      `SELECT count(*)::bigint AS n FROM ${table} WHERE account_id = ANY ($1::text[])`,
      [opts.accounts],
    )
    return Number(rows[0]?.n ?? 0)
  }
  expect(await countIn('billing_charges')).toBe(report.charges.size)
  expect(await countIn('billing_holds')).toBe(report.holds.size)
  expect(await countIn('billing_refunds')).toBe(report.refunds.size)

  const expected = expectedSpending(report)
  let walletsTotal = 0
  let spentTotal = 0
  for (const account of opts.accounts) {
    const get = (url: string) =>
      opts.baseUrl
        ? fetch(`${opts.baseUrl}${url}`, { headers: { authorization: opts.auth } }).then((r) => r.json())
        : app.inject({ method: 'GET', url, headers: { authorization: opts.auth } }).then((r) => r.json())
    const seen = expected.get(account) ?? { spent: 0, held: 0, refunded: 0 }
    const view = (await get(`/v1/accounts/${account}`)) as { spent: number; held: number; refunded: number }
    expect({ account, spent: view.spent, held: view.held, refunded: view.refunded }).toEqual({
      account,
      ...seen,
    })
    const balance = (await get(`/v1/accounts/${account}/balance`)) as { available: number; held: number }
    expect(balance.available).toBeGreaterThanOrEqual(0)
    walletsTotal += balance.available + balance.held
    spentTotal += view.spent
  }
  // Money in equals money out: what was funded is in the wallets or was paid to the partner.
  expect(walletsTotal + spentTotal).toBe(opts.funded)
}
