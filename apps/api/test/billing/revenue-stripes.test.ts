import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newId } from '../../src/lib/ids.js'
import { buildTestApp } from '../support/app.js'
import { expectLedgerSound, fund, newKey, partnerWithAccount } from '../support/money.js'

const STRIPES = 4
let app: FastifyInstance
beforeAll(async () => {
  app = await buildTestApp({ PROTUS_SWEEP_INTERVAL_SECONDS: '0', PROTUS_REVENUE_STRIPES: String(STRIPES) })
})
afterAll(async () => {
  await expectLedgerSound(app)
  await app.close()
})

/** A partner with `n` managed accounts, each wallet holding `balance`. */
async function partnerWithAccounts(n: number, balance: number) {
  const p = await partnerWithAccount(app, balance)
  const accounts = [p.account.id]
  while (accounts.length < n) {
    const res = await p.post('/v1/accounts', { external_id: `user-${newKey()}` })
    expect(res.statusCode, res.body).toBe(201)
    const id = (res.json() as { id: string }).id
    await fund(app, id, balance)
    accounts.push(id)
  }
  return { ...p, accounts }
}

describe('striped revenue', () => {
  it("credits each wallet's stripe, and the partner's revenue is the sum of charges less refunds", async () => {
    const p = await partnerWithAccounts(12, 100_000)
    // Many charges and hold captures across the wallets at once, then refunds of some.
    const charges = await Promise.all(
      p.accounts.flatMap((account, i) =>
        [1, 2, 3].map(async (k) => {
          const amount = 100 * (i + 1) + k
          if (k === 3) {
            const hold = await p.post('/v1/holds', { account, amount: amount + 50 })
            expect(hold.statusCode, hold.body).toBe(201)
            const captured = await p.post(`/v1/holds/${hold.json().id}/capture`, { amount })
            expect(captured.statusCode, captured.body).toBe(200)
            return amount
          }
          const res = await p.post('/v1/charges', { account, amount })
          expect(res.statusCode, res.body).toBe(201)
          return amount
        }),
      ),
    )
    const charged = charges.reduce((a, b) => a + b, 0)
    const list = (await p.get('/v1/charges?limit=100')).json() as { data: { id: string; amount: number }[] }
    expect(list.data).toHaveLength(charges.length)
    const refunded = await Promise.all(
      list.data.slice(0, 10).map(async (charge) => {
        const res = await p.post(`/v1/charges/${charge.id}/refunds`, { amount: 7 })
        expect(res.statusCode, res.body).toBe(201)
        return 7
      }),
    )
    const refundTotal = refunded.reduce((a, b) => a + b, 0)

    const revenue = await app.services.ledger.revenue(p.company.id)
    expect(revenue).toEqual([
      { currency: 'RUB', stripes: STRIPES, posted: BigInt(charged - refundTotal), held: 0n },
    ])

    // Every charge credited the stripe its wallet's id chooses, and the wallets spread over several.
    const rows = await app.db.query<{ wallet: bigint; stripe: number; stripes: number }>(
      `SELECT c.wallet_account_id AS wallet, r.stripe, r.stripes
         FROM billing_charges c JOIN ledger_accounts r ON r.id = c.revenue_account_id
        WHERE c.company_id = $1`,
      [p.company.id],
    )
    expect(rows).toHaveLength(charges.length)
    for (const row of rows) {
      expect(row.stripes).toBe(STRIPES)
      expect(BigInt(row.stripe)).toBe(row.wallet % BigInt(STRIPES))
    }
    expect(new Set(rows.map((r) => r.stripe)).size).toBeGreaterThan(1)
    await expectLedgerSound(app)
  })

  it('reports a stripe whose totals no longer match its transfers, naming the partner', async () => {
    const p = await partnerWithAccounts(2, 10_000)
    expect((await p.post('/v1/charges', { account: p.account.id, amount: 500 })).statusCode).toBe(201)
    const problems = await app.db
      .transaction(async (tx) => {
        await tx.query(
          `UPDATE ledger_accounts SET credits_posted = credits_posted + 7
            WHERE id = (SELECT min(id) FROM ledger_accounts WHERE code = 'revenue' AND owner_id = $1)`,
          [p.company.id],
        )
        const found = await app.services.ledger.verify(tx)
        throw Object.assign(new Error('roll back'), { found })
      })
      .catch((error: { found?: string[] }) => error.found)
    expect(problems).toContain(`revenue of ${p.company.id} (RUB): stripes sum to 507, its transfers to 500`)
    await expectLedgerSound(app)
  })

  it('reports a revenue set with a stripe missing', async () => {
    const p = await partnerWithAccounts(1, 10_000)
    expect((await p.post('/v1/charges', { account: p.account.id, amount: 300 })).statusCode).toBe(201)
    const problems = await app.db
      .transaction(async (tx) => {
        await tx.query(
          `DELETE FROM ledger_accounts WHERE code = 'revenue' AND owner_id = $1 AND stripe = $2
              AND NOT EXISTS (SELECT 1 FROM ledger_transfers t WHERE t.credit_account_id = ledger_accounts.id
                                                                  OR t.debit_account_id = ledger_accounts.id)`,
          [p.company.id, STRIPES - 1],
        )
        const found = await app.services.ledger.verify(tx)
        throw Object.assign(new Error('roll back'), { found })
      })
      .catch((error: { found?: string[] }) => error.found)
    expect(problems).toContain(`revenue of ${p.company.id} (RUB): ${STRIPES - 1} stripes, sized ${STRIPES}`)
  })

  it("grows an existing partner's single revenue account into stripes, keeping what it holds", async () => {
    const { ledger } = app.services
    const owner = newId('co')
    const [old] = await app.db.query<{ id: bigint }>(
      `INSERT INTO ledger_accounts (code, owner_id, currency, debits_must_not_exceed_credits, created_at)
       VALUES ('revenue', $1, 'RUB', false, now()) RETURNING id`,
      [owner],
    )
    const funding = await ledger.fundingAccount('sandbox', 'RUB')
    const made = await app.db.transaction((tx) =>
      ledger.transfer(tx, {
        id: newId('top'),
        kind: 'posted',
        debit: funding,
        credit: old?.id,
        amount: 900n,
      }),
    )
    expect(made.result).toBe('ok')

    // The first stripe of the grown set is the account that was there; wallet 8 uses stripe 0.
    expect(await ledger.revenueAccount(owner, 'RUB', 8n)).toBe(old?.id)
    const other = await ledger.revenueAccount(owner, 'RUB', 9n)
    expect(other).not.toBe(old?.id)
    expect(await ledger.revenue(owner)).toEqual([
      { currency: 'RUB', stripes: STRIPES, posted: 900n, held: 0n },
    ])
    await expectLedgerSound(app)
  })
})
