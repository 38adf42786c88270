import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createManualClock } from '../../src/lib/clock.js'
import { buildTestApp } from '../support/app.js'
import { expectProblem } from '../support/http.js'
import { expectLedgerSound, newKey, partnerWithAccount } from '../support/money.js'

const clock = createManualClock(new Date())
let app: FastifyInstance
beforeAll(async () => {
  app = await buildTestApp({ PROTUS_SWEEP_INTERVAL_SECONDS: '0' }, { clock })
})
afterAll(async () => {
  await expectLedgerSound(app)
  await app.close()
})

const balanceOf = async (p: Awaited<ReturnType<typeof partnerWithAccount>>) =>
  (await p.get(`/v1/accounts/${p.account.id}/balance`)).json() as { available: number; held: number }

describe('charges', () => {
  it('charges an amount, debits the wallet and answers the charge', async () => {
    const p = await partnerWithAccount(app, 10_000)
    const res = await p.post('/v1/charges', {
      account: p.account.id,
      amount: 2500,
      description: 'SMS pack',
      metadata: { order: '42' },
    })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json()).toMatchObject({
      id: expect.stringMatching(/^ch_/),
      object: 'charge',
      account: p.account.id,
      amount: 2500,
      currency: 'RUB',
      status: 'succeeded',
      amount_refunded: 0,
      description: 'SMS pack',
      metadata: { order: '42' },
    })
    expect(await balanceOf(p)).toMatchObject({ available: 7500, held: 0 })
    await expectLedgerSound(app)
  })

  it('refuses a charge larger than the balance with 402 and moves nothing', async () => {
    const p = await partnerWithAccount(app, 1000)
    expectProblem(
      await p.post('/v1/charges', { account: p.account.id, amount: 1001 }),
      402,
      'insufficient_funds',
    )
    expect(await balanceOf(p)).toMatchObject({ available: 1000 })
    await expectLedgerSound(app)
  })

  it('replays the same key and body, refuses the same key with another body', async () => {
    const p = await partnerWithAccount(app, 10_000)
    const key = newKey()
    const first = await p.post('/v1/charges', { account: p.account.id, amount: 100 }, key)
    const again = await p.post('/v1/charges', { account: p.account.id, amount: 100 }, key)
    expect(again.statusCode).toBe(201)
    expect(again.json()).toEqual(first.json())
    expect(again.headers['idempotent-replayed']).toBe('true')
    expectProblem(
      await p.post('/v1/charges', { account: p.account.id, amount: 200 }, key),
      422,
      'idempotency_key_reused',
    )
    expect(await balanceOf(p)).toMatchObject({ available: 9900 })
  })

  it('needs an Idempotency-Key', async () => {
    const p = await partnerWithAccount(app, 100)
    const res = await app.inject({
      method: 'POST',
      url: '/v1/charges',
      headers: { authorization: p.auth },
      payload: { account: p.account.id, amount: 1 },
    })
    expectProblem(res, 400, 'idempotency_key_required')
  })
})

describe('holds', () => {
  it('holds, captures part and releases the rest', async () => {
    const p = await partnerWithAccount(app, 10_000)
    const hold = await p.post('/v1/holds', { account: p.account.id, amount: 4000 })
    expect(hold.statusCode, hold.body).toBe(201)
    expect(hold.json()).toMatchObject({ status: 'pending', amount: 4000, captured_amount: 0 })
    expect(await balanceOf(p)).toMatchObject({ available: 6000, held: 4000 })
    const captured = await p.post(`/v1/holds/${hold.json().id}/capture`, { amount: 1500 })
    expect(captured.statusCode, captured.body).toBe(200)
    expect(captured.json()).toMatchObject({
      status: 'captured',
      captured_amount: 1500,
      charge: { id: expect.stringMatching(/^ch_/), amount: 1500 },
    })
    expect(await balanceOf(p)).toMatchObject({ available: 8500, held: 0 })
    const again = await p.post(`/v1/holds/${hold.json().id}/release`)
    expect(expectProblem(again, 409, 'hold_not_pending')).toMatchObject({ hold_status: 'captured' })
    await expectLedgerSound(app)
  })

  it('treats an expired hold as released', async () => {
    const p = await partnerWithAccount(app, 1000)
    const hold = (await p.post('/v1/holds', { account: p.account.id, amount: 1000, expires_in: 60 })).json()
    expect(await balanceOf(p)).toMatchObject({ available: 0, held: 1000 })
    clock.advance(61_000)
    expect(await balanceOf(p)).toMatchObject({ available: 1000, held: 0 })
    expect((await p.get(`/v1/holds/${hold.id}`)).json().status).toBe('expired')
    const capture = await p.post(`/v1/holds/${hold.id}/capture`)
    expect(expectProblem(capture, 409, 'hold_not_pending')).toMatchObject({ hold_status: 'expired' })
    expect((await p.post('/v1/charges', { account: p.account.id, amount: 1000 })).statusCode).toBe(201)
    await expectLedgerSound(app)
  })

  it('refunds a charge in part then the rest, never more', async () => {
    const p = await partnerWithAccount(app, 10_000)
    const charge = (await p.post('/v1/charges', { account: p.account.id, amount: 3000 })).json()
    const part = await p.post(`/v1/charges/${charge.id}/refunds`, { amount: 1000 })
    expect(part.statusCode, part.body).toBe(201)
    const rest = await p.post(`/v1/charges/${charge.id}/refunds`)
    expect(rest.json()).toMatchObject({ amount: 2000 })
    expect(
      expectProblem(
        await p.post(`/v1/charges/${charge.id}/refunds`, { amount: 1 }),
        422,
        'refund_exceeds_charge',
      ),
    ).toMatchObject({ refundable: 0 })
    expect((await p.get(`/v1/charges/${charge.id}`)).json().amount_refunded).toBe(3000)
    expect(await balanceOf(p)).toMatchObject({ available: 10_000 })
    await expectLedgerSound(app)
  })
})
