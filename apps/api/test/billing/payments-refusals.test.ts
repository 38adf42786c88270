import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../support/app.js'
import { count, expectProblem, registerCompany } from '../support/http.js'
import { expectLedgerSound, fund, newKey, partnerWithAccount } from '../support/money.js'

let app: FastifyInstance
beforeAll(async () => {
  app = await buildTestApp({ PROTUS_SWEEP_INTERVAL_SECONDS: '0' })
})
afterAll(async () => {
  await expectLedgerSound(app)
  await app.close()
})

async function transfersCount() {
  return count(app, 'ledger_transfers')
}

describe('priced by service', () => {
  it('charges a service times quantity and names the service', async () => {
    const p = await partnerWithAccount(app, 10_000)
    const svc = (
      await app.inject({
        method: 'POST',
        url: '/v1/services',
        headers: { authorization: p.auth },
        payload: { name: 'Client', price: 150 },
      })
    ).json()
    const res = await p.post('/v1/charges', { account: p.account.id, service: svc.id, quantity: 3 })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json()).toMatchObject({ amount: 450, service: svc.id, quantity: 3 })
    const hold = await p.post('/v1/holds', { account: p.account.id, service: svc.id })
    expect(hold.json()).toMatchObject({ amount: 150, service: svc.id, quantity: 1 })
  })

  it('refuses an archived service with 422 service_inactive, a foreign currency with 422 currency_mismatch, and another partner’s service with 404', async () => {
    const p = await partnerWithAccount(app, 10_000)
    const create = (payload: object) =>
      app.inject({ method: 'POST', url: '/v1/services', headers: { authorization: p.auth }, payload })
    const archived = (await create({ name: 'Old', price: 10 })).json()
    await app.inject({
      method: 'PATCH',
      url: `/v1/services/${archived.id}`,
      headers: { authorization: p.auth },
      payload: { active: false },
    })
    const usd = (await create({ name: 'Dollar', price: 10, currency: 'USD' })).json()
    const other = await registerCompany(app)
    const foreign = (
      await app.inject({
        method: 'POST',
        url: '/v1/services',
        headers: { authorization: other.auth },
        payload: { name: 'X', price: 1 },
      })
    ).json()
    const before = await transfersCount()
    expectProblem(
      await p.post('/v1/charges', { account: p.account.id, service: archived.id }),
      422,
      'service_inactive',
    )
    expectProblem(
      await p.post('/v1/holds', { account: p.account.id, service: usd.id }),
      422,
      'currency_mismatch',
    )
    expectProblem(
      await p.post('/v1/charges', { account: p.account.id, service: foreign.id }),
      404,
      'not_found',
    )
    expect(await transfersCount()).toBe(before)
  })
})

describe('bad input', () => {
  it.each([
    ['both amount and service', { amount: 10, service: 'svc_x' }],
    ['neither amount nor service', {}],
    ['quantity without service', { amount: 10, quantity: 2 }],
    ['a zero amount', { amount: 0 }],
    ['a fractional amount', { amount: 1.5 }],
    ['an amount over 10^12', { amount: 1_000_000_000_001 }],
    ['an amount as a string', { amount: '10' }],
    ['a quantity of 1001', { service: 'svc_x', quantity: 1001 }],
    [
      '21 metadata keys',
      { amount: 10, metadata: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v'])) },
    ],
    ['a metadata value over 500 characters', { amount: 10, metadata: { note: 'x'.repeat(501) } }],
    ['a non-string metadata value', { amount: 10, metadata: { n: 1 } }],
    ['an unknown field', { amount: 10, capture: true }],
  ])('rejects a charge with %s with 400 and moves nothing', async (_label, body) => {
    const p = await partnerWithAccount(app, 1000)
    const before = await transfersCount()
    expectProblem(await p.post('/v1/charges', { account: p.account.id, ...body }), 400, 'validation_failed')
    expect(await transfersCount()).toBe(before)
  })

  it.each([
    ['expires_in under 60', { expires_in: 59 }],
    ['expires_in over 30 days', { expires_in: 2_592_001 }],
  ])('rejects a hold with %s', async (_label, body) => {
    const p = await partnerWithAccount(app, 1000)
    expectProblem(
      await p.post('/v1/holds', { account: p.account.id, amount: 10, ...body }),
      400,
      'validation_failed',
    )
  })

  it('does not save a 400 under the key: the corrected request with the same key goes through', async () => {
    const p = await partnerWithAccount(app, 1000)
    const key = newKey()
    expectProblem(
      await p.post('/v1/charges', { account: p.account.id, amount: 0 }, key),
      400,
      'validation_failed',
    )
    expect((await p.post('/v1/charges', { account: p.account.id, amount: 10 }, key)).statusCode).toBe(201)
  })
})

describe('decided refusals are saved with the key', () => {
  it('replays 402 insufficient_funds after a top-up instead of charging', async () => {
    const p = await partnerWithAccount(app, 100)
    const key = newKey()
    const refused = await p.post('/v1/charges', { account: p.account.id, amount: 500 }, key)
    expectProblem(refused, 402, 'insufficient_funds')
    await fund(app, p.account.id, 1000)
    const retried = await p.post('/v1/charges', { account: p.account.id, amount: 500 }, key)
    expectProblem(retried, 402, 'insufficient_funds')
    expect(retried.headers['idempotent-replayed']).toBe('true')
    expect(retried.json()).toEqual(refused.json())
    expect((await p.post('/v1/charges', { account: p.account.id, amount: 500 })).statusCode).toBe(201)
  })

  it('does not reveal the balance in insufficient_funds', async () => {
    const p = await partnerWithAccount(app, 1234)
    const problem = expectProblem(
      await p.post('/v1/charges', { account: p.account.id, amount: 5000 }),
      402,
      'insufficient_funds',
    )
    expect(JSON.stringify(problem)).not.toContain('1234')
  })

  it('replays a 404 for another partner’s hold too', async () => {
    const owner = await partnerWithAccount(app, 1000)
    const stranger = await registerCompany(app)
    const hold = (await owner.post('/v1/holds', { account: owner.account.id, amount: 100 })).json()
    const key = newKey()
    const steal = () =>
      app.inject({
        method: 'POST',
        url: `/v1/holds/${hold.id}/capture`,
        headers: { authorization: stranger.auth, 'idempotency-key': key },
        payload: {},
      })
    expectProblem(await steal(), 404, 'not_found')
    expectProblem(await steal(), 404, 'not_found')
    expect((await owner.get(`/v1/holds/${hold.id}`)).json().status).toBe('pending')
  })
})

describe('hold life', () => {
  it('captures in full by default and releases nothing twice', async () => {
    const p = await partnerWithAccount(app, 1000)
    const hold = (await p.post('/v1/holds', { account: p.account.id, amount: 700 })).json()
    const captured = await p.post(`/v1/holds/${hold.id}/capture`)
    expect(captured.json()).toMatchObject({ status: 'captured', captured_amount: 700 })
    const charge = (await p.get(`/v1/charges/${captured.json().charge.id}`)).json()
    expect(charge).toMatchObject({ amount: 700, hold: hold.id, account: p.account.id })
    expect(
      expectProblem(await p.post(`/v1/holds/${hold.id}/capture`), 409, 'hold_not_pending'),
    ).toMatchObject({ hold_status: 'captured' })
  })

  it('refuses a capture larger than the hold with 422 and leaves it pending', async () => {
    const p = await partnerWithAccount(app, 1000)
    const hold = (await p.post('/v1/holds', { account: p.account.id, amount: 300 })).json()
    expectProblem(await p.post(`/v1/holds/${hold.id}/capture`, { amount: 301 }), 422, 'capture_exceeds_hold')
    expect((await p.get(`/v1/holds/${hold.id}`)).json().status).toBe('pending')
    const released = await p.post(`/v1/holds/${hold.id}/release`)
    expect(released.json()).toMatchObject({ status: 'released', captured_amount: 0 })
    const balance = (await p.get(`/v1/accounts/${p.account.id}/balance`)).json()
    expect(balance).toMatchObject({ available: 1000, held: 0 })
  })

  it('lists holds, charges and refunds of one account for the drill-down', async () => {
    const p = await partnerWithAccount(app, 5000)
    const other = await app.inject({
      method: 'POST',
      url: '/v1/accounts',
      headers: { authorization: p.auth, 'idempotency-key': newKey() },
      payload: { external_id: 'other' },
    })
    await fund(app, other.json().id, 1000)
    await p.post('/v1/charges', { account: other.json().id, amount: 10 })
    const charge = (await p.post('/v1/charges', { account: p.account.id, amount: 100 })).json()
    await p.post(`/v1/charges/${charge.id}/refunds`, { amount: 40 })
    await p.post('/v1/holds', { account: p.account.id, amount: 50 })
    const charges = (await p.get(`/v1/charges?account=${p.account.id}`)).json()
    expect(charges.data.map((c: { id: string }) => c.id)).toEqual([charge.id])
    expect((await p.get('/v1/charges')).json().data).toHaveLength(2)
    expect((await p.get(`/v1/refunds?account=${p.account.id}`)).json().data).toMatchObject([
      { charge: charge.id, amount: 40 },
    ])
    expect((await p.get(`/v1/holds?account=${p.account.id}`)).json().data).toMatchObject([
      { amount: 50, status: 'pending' },
    ])
  })
})
