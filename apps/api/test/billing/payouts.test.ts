import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createManualClock } from '../../src/lib/clock.js'
import { buildTestApp } from '../support/app.js'
import { expectProblem, signIn } from '../support/http.js'
import { expectLedgerSound, fund, newKey, partnerWithAccount } from '../support/money.js'

// The partner's balance, its balance transactions and payouts: every figure must come out of
// the ledger, the transactions must sum to it, and a payout must move money exactly once.

const HOUR = 3_600_000
const clock = createManualClock(new Date('2026-10-30T09:00:00.000Z'))
let app: FastifyInstance
beforeAll(async () => {
  app = await buildTestApp({ PROTUS_SWEEP_INTERVAL_SECONDS: '0' }, { clock })
})
afterAll(async () => {
  await expectLedgerSound(app)
  await app.close()
})

type Partner = Awaited<ReturnType<typeof partnerWithAccount>>
type Balance = {
  object: string
  currency: string
  available: number
  pending_payouts: number
  paid_out_total: number
}
type Txn = {
  id: string
  type: 'charge' | 'refund' | 'payout' | 'payout_reversal'
  amount: number
  fee: number
  net: number
  source: string
  service: string | null
  account: string | null
  created_at: string
}
type Payout = {
  id: string
  amount: number
  status: string
  reference: string | null
  failure_reason: string | null
}

/** A partner with a dashboard session, for what only the dashboard may do. */
async function partnerWithSession(balance: number) {
  const p = await partnerWithAccount(app, balance)
  // Signed in for each request: the sandbox clock moves on by weeks, past a session's life.
  const requestPayout = async (payload: object, key = newKey()) =>
    app.inject({
      method: 'POST',
      url: '/v1/payouts',
      headers: { ...(await signIn(app, 'company', p.email, p.password)).headers, 'idempotency-key': key },
      payload,
    })
  return { ...p, requestPayout }
}

async function balanceOf(p: Partner): Promise<Balance> {
  const res = await p.get('/v1/balance')
  expect(res.statusCode, res.body).toBe(200)
  return res.json() as Balance
}

async function every<T extends { id: string }>(p: Partner, path: string): Promise<T[]> {
  const items: T[] = []
  const join = path.includes('?') ? '&' : '?'
  for (;;) {
    const last = items.at(-1)
    const res = await p.get(`${path}${join}limit=7${last ? `&starting_after=${last.id}` : ''}`)
    expect(res.statusCode, res.body).toBe(200)
    const page = res.json() as { data: T[]; has_more: boolean }
    items.push(...page.data)
    if (!page.has_more) return items
  }
}

const sum = (xs: readonly { amount: number }[]) => xs.reduce((s, x) => s + x.amount, 0)

describe('payouts', () => {
  it('takes a payout from the available balance at once, and pays or returns it once', async () => {
    const p = await partnerWithSession(100_000)
    expect(await balanceOf(p)).toEqual({
      object: 'balance',
      currency: 'RUB',
      available: 0,
      pending_payouts: 0,
      paid_out_total: 0,
    })
    for (const amount of [3_000, 4_500])
      expect((await p.post('/v1/charges', { account: p.account.id, amount })).statusCode).toBe(201)
    expect((await balanceOf(p)).available).toBe(7_500)

    // More than available, and client credentials instead of the dashboard: refused, nothing moves.
    expectProblem(await p.requestPayout({ amount: 7_501 }), 402, 'partner_balance_insufficient')
    expectProblem(await p.post('/v1/payouts', { amount: 100 }), 403, 'dashboard_only')
    expectProblem(await p.requestPayout({ amount: 0 }), 400, 'validation_failed')
    expectProblem(await p.requestPayout({ amount: 10, currency: 'rub' }), 400, 'validation_failed')
    expect((await balanceOf(p)).available).toBe(7_500)

    const key = newKey()
    const created = await p.requestPayout({ amount: 5_000, description: 'Октябрь' }, key)
    expect(created.statusCode, created.body).toBe(201)
    const payout = created.json() as Payout
    expect(payout).toMatchObject({
      object: 'payout',
      amount: 5_000,
      status: 'pending',
      description: 'Октябрь',
    })
    const replay = await p.requestPayout({ amount: 5_000, description: 'Октябрь' }, key)
    expect(replay.headers['idempotent-replayed']).toBe('true')
    expect(replay.json()).toEqual(payout)
    expect(await balanceOf(p)).toMatchObject({ available: 2_500, pending_payouts: 5_000, paid_out_total: 0 })

    const paid = await app.services.payouts.pay(payout.id, 'bank 42')
    expect(paid).toMatchObject({ status: 'paid', reference: 'bank 42' })
    await expect(app.services.payouts.pay(payout.id, 'again')).rejects.toMatchObject({
      code: 'payout_not_pending',
    })
    await expect(app.services.payouts.fail(payout.id, 'late')).rejects.toMatchObject({
      code: 'payout_not_pending',
    })
    expect(await balanceOf(p)).toMatchObject({ available: 2_500, pending_payouts: 0, paid_out_total: 5_000 })

    const second = (await p.requestPayout({ amount: 2_000 })).json() as Payout
    await app.services.payouts.fail(second.id, 'account closed')
    expect(await balanceOf(p)).toMatchObject({ available: 2_500, pending_payouts: 0, paid_out_total: 5_000 })
    const got = await p.get(`/v1/payouts/${second.id}`)
    expect(got.json()).toMatchObject({ status: 'failed', failure_reason: 'account closed', paid_at: null })
    expect((await every<Payout>(p, '/v1/payouts')).map((x) => x.id)).toEqual([second.id, payout.id])
    expect((await every<Payout>(p, '/v1/payouts?status=paid')).map((x) => x.id)).toEqual([payout.id])

    const txns = await every<Txn>(p, '/v1/balance_transactions')
    expect(txns.map((t) => [t.type, t.amount])).toEqual([
      ['payout_reversal', 2_000],
      ['payout', -2_000],
      ['payout', -5_000],
      ['charge', 4_500],
      ['charge', 3_000],
    ])
    expect(txns[0]?.id).toBe(`txn_${second.id}_reversal`)

    const events = await app.db.query<{ type: string }>(
      `SELECT type FROM webhook_deliveries WHERE company_id = $1 AND type LIKE 'payout.%' ORDER BY created_at, id`,
      [p.company.id],
    )
    expect(events.map((e) => e.type).sort()).toEqual(
      ['payout.created', 'payout.created', 'payout.failed', 'payout.paid'].sort(),
    )
    expectProblem(await p.get('/v1/payouts/po_00000000000000000000000000'), 404, 'not_found')
    const other = await partnerWithAccount(app, 0)
    expectProblem(await other.get(`/v1/payouts/${payout.id}`), 404, 'not_found')
    await expectLedgerSound(app)
  })

  it('refuses a refund that would take the balance below zero, unless the operator allows it', async () => {
    const p = await partnerWithSession(50_000)
    const charge = (await p.post('/v1/charges', { account: p.account.id, amount: 10_000 })).json() as {
      id: string
    }
    expect((await p.requestPayout({ amount: 9_000 })).statusCode).toBe(201)
    const walletBefore = await app.services.ledger.revenue(p.company.id)
    const refused = await p.post(`/v1/charges/${charge.id}/refunds`, { amount: 1_001 })
    const problem = expectProblem(refused, 402, 'partner_balance_insufficient')
    expect(problem).toMatchObject({ available: 1_000 })
    expect(await app.services.ledger.revenue(p.company.id)).toEqual(walletBefore)
    expect((await p.post(`/v1/charges/${charge.id}/refunds`, { amount: 1_000 })).statusCode).toBe(201)
    expect((await balanceOf(p)).available).toBe(0)

    const lenient = await buildTestApp({ PROTUS_ALLOW_NEGATIVE_PARTNER_BALANCE: 'true' })
    try {
      const q = await partnerWithAccount(lenient, 50_000)
      const session = await signIn(lenient, 'company', q.email, q.password)
      const c = (await q.post('/v1/charges', { account: q.account.id, amount: 10_000 })).json() as {
        id: string
      }
      const out = await lenient.inject({
        method: 'POST',
        url: '/v1/payouts',
        headers: { ...session.headers, 'idempotency-key': newKey() },
        payload: { amount: 10_000 },
      })
      expect(out.statusCode, out.body).toBe(201)
      expect((await q.post(`/v1/charges/${c.id}/refunds`, {})).statusCode).toBe(201)
      const b = (await q.get('/v1/balance')).json() as Balance
      expect(b).toMatchObject({ available: -10_000, pending_payouts: 10_000 })
      expect(await lenient.services.ledger.verify()).toEqual([])
    } finally {
      await lenient.close()
    }
  })

  it('keeps balance = its transactions = the ledger after a random workload', async () => {
    const p = await partnerWithSession(2_000_000)
    const second = (await p.post('/v1/accounts', { external_id: `b-${newKey()}` })).json() as { id: string }
    await fund(app, second.id, 2_000_000)
    const service = (
      await app.inject({
        method: 'POST',
        url: '/v1/services',
        headers: { authorization: p.auth },
        payload: { name: 'Хранилище', price: 250 },
      })
    ).json() as { id: string }
    let seed = 7
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0
      return (seed >>> 16) % n
    }
    const charges: string[] = []
    const pending: string[] = []
    const seen = { refused: 0, payouts: 0, paid: 0, failed: 0, refunds: 0 }
    for (let step = 0; step < 80; step++) {
      clock.advance((1 + rand(12)) * HOUR)
      const account = rand(2) === 0 ? p.account.id : second.id
      const kind = rand(10)
      if (kind < 4) {
        const priced =
          rand(2) === 0 ? { amount: 1 + rand(5_000) } : { service: service.id, quantity: 1 + rand(3) }
        const res = await p.post('/v1/charges', { account, ...priced })
        expect(res.statusCode, res.body).toBe(201)
        charges.push((res.json() as { id: string }).id)
      } else if (kind < 6) {
        const hold = (await p.post('/v1/holds', { account, amount: 1 + rand(3_000) })).json() as {
          id: string
          amount: number
        }
        const res = await p.post(`/v1/holds/${hold.id}/capture`, { amount: 1 + rand(hold.amount) })
        expect(res.statusCode, res.body).toBe(200)
        charges.push((res.json() as { charge: { id: string } }).charge.id)
      } else if (kind < 8 && charges.length > 0) {
        const charge = charges[rand(charges.length)] as string
        const res = await p.post(
          `/v1/charges/${charge}/refunds`,
          rand(2) === 0 ? {} : { amount: 1 + rand(800) },
        )
        expect([201, 402, 422], res.body).toContain(res.statusCode)
        if (res.statusCode === 201) seen.refunds++
        if (res.statusCode === 402) seen.refused++
      } else if (kind === 8) {
        const { available } = await balanceOf(p)
        const res = await p.requestPayout({ amount: 1 + rand(Math.max(1, available + 500)) })
        expect([201, 402], res.body).toContain(res.statusCode)
        if (res.statusCode === 201) {
          seen.payouts++
          pending.push((res.json() as Payout).id)
        }
      } else if (pending.length > 0) {
        const id = pending.splice(rand(pending.length), 1)[0] as string
        if (rand(3) === 0) {
          await app.services.payouts.fail(id, 'returned by the bank')
          seen.failed++
        } else {
          await app.services.payouts.pay(id, `ref-${step}`)
          seen.paid++
        }
      }
    }
    expect(seen.payouts).toBeGreaterThan(3)
    expect(seen.paid + seen.failed).toBeGreaterThan(1)
    expect(seen.refunds).toBeGreaterThan(3)

    const balance = await balanceOf(p)
    expect(balance.available).toBeGreaterThanOrEqual(0)
    const txns = await every<Txn>(p, '/v1/balance_transactions')
    // Newest first, each once, and net = amount (no fees yet).
    expect(new Set(txns.map((t) => t.id)).size).toBe(txns.length)
    for (let i = 1; i < txns.length; i++)
      expect((txns[i - 1] as Txn).created_at >= (txns[i] as Txn).created_at).toBe(true)
    for (const t of txns) expect(t).toMatchObject({ fee: 0, net: t.amount })
    // What is available is what every movement left; what was earned is available, in flight or paid.
    expect(sum(txns)).toBe(balance.available)
    const earned = sum(txns.filter((t) => t.type === 'charge' || t.type === 'refund'))
    expect(earned).toBe(balance.available + balance.pending_payouts + balance.paid_out_total)

    // Each type is what the partner's own lists show.
    const listed = {
      charges: await every<{ id: string; amount: number }>(p, '/v1/charges'),
      refunds: await every<{ id: string; amount: number }>(p, '/v1/refunds'),
      payouts: await every<Payout>(p, '/v1/payouts'),
    }
    const ofType = (type: Txn['type']) => txns.filter((t) => t.type === type)
    expect(sum(ofType('charge'))).toBe(sum(listed.charges))
    expect(sum(ofType('refund'))).toBe(-sum(listed.refunds))
    expect(sum(ofType('payout'))).toBe(-sum(listed.payouts))
    expect(sum(ofType('payout_reversal'))).toBe(sum(listed.payouts.filter((x) => x.status === 'failed')))
    expect(balance.pending_payouts).toBe(sum(listed.payouts.filter((x) => x.status === 'pending')))
    expect(balance.paid_out_total).toBe(sum(listed.payouts.filter((x) => x.status === 'paid')))

    // The ledger: revenue stripes hold what is available, no hold is open.
    const [revenue] = await app.services.ledger.revenue(p.company.id)
    expect(revenue).toMatchObject({ currency: 'RUB', posted: BigInt(balance.available), held: 0n })

    // Filters narrow the same list.
    for (const type of ['charge', 'refund', 'payout', 'payout_reversal'] as const) {
      expect(await every<Txn>(p, `/v1/balance_transactions?type=${type}`)).toEqual(ofType(type))
    }
    expect(await every<Txn>(p, `/v1/balance_transactions?account=${second.id}`)).toEqual(
      txns.filter((t) => t.account === second.id),
    )
    expect(await every<Txn>(p, `/v1/balance_transactions?service=${service.id}`)).toEqual(
      txns.filter((t) => t.service === service.id),
    )
    const middle = txns[Math.floor(txns.length / 2)] as Txn
    expect(await every<Txn>(p, `/v1/balance_transactions?created[lt]=${middle.created_at}`)).toEqual(
      txns.filter((t) => t.created_at < middle.created_at),
    )
    expectProblem(
      await p.get('/v1/balance_transactions?starting_after=txn_ch_nope'),
      400,
      'validation_failed',
    )
    expectProblem(await p.get('/v1/balance_transactions?type=fee'), 400, 'validation_failed')
    const other = await partnerWithAccount(app, 0)
    expectProblem(
      await other.get(`/v1/balance_transactions?starting_after=${middle.id}`),
      400,
      'validation_failed',
    )
    await expectLedgerSound(app)
  })
})
