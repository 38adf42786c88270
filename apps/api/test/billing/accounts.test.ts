import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../support/app.js'
import { count, expectProblem, registerCompany, registerCustomer, signIn } from '../support/http.js'
import { expectLedgerSound, newKey, partnerWithAccount } from '../support/money.js'

let app: FastifyInstance
beforeAll(async () => {
  app = await buildTestApp({ PROTUS_SWEEP_INTERVAL_SECONDS: '0' })
})
afterAll(async () => {
  await expectLedgerSound(app)
  await app.close()
})

const openAccount = (auth: string, payload: object, key = newKey()) =>
  app.inject({
    method: 'POST',
    url: '/v1/accounts',
    headers: { authorization: auth, 'idempotency-key': key },
    payload,
  })

describe('POST /v1/accounts', () => {
  it('opens a managed account with all three scopes and its own empty wallet', async () => {
    const { auth } = await registerCompany(app)
    const res = await openAccount(auth, { external_id: 'user-1', email: 'u1@example.com', username: 'u1' })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json()).toEqual({
      id: expect.stringMatching(/^acct_/),
      kind: 'managed',
      external_id: 'user-1',
      email: 'u1@example.com',
      username: 'u1',
      currency: 'RUB',
      scopes: ['check', 'hold', 'charge'],
      spent: 0,
      held: 0,
      refunded: 0,
      last_activity_at: null,
      spending_limit: null,
      created_at: expect.any(String),
    })
    const balance = await app.inject({
      method: 'GET',
      url: `/v1/accounts/${res.json().id}/balance`,
      headers: { authorization: auth },
    })
    expect(balance.json()).toEqual({
      account: res.json().id,
      currency: 'RUB',
      available: 0,
      held: 0,
      spending_limit: null,
    })
  })

  it('answers 200 with the same account for the same external_id under a new key', async () => {
    const { auth } = await registerCompany(app)
    const first = await openAccount(auth, { external_id: 'same' })
    const second = await openAccount(auth, { external_id: 'same' })
    expect(second.statusCode).toBe(200)
    expect(second.json().id).toBe(first.json().id)
  })

  it('opens exactly one account when many requests for one external_id race', async () => {
    const { auth } = await registerCompany(app)
    const before = await count(app, 'billing_accounts')
    const results = await Promise.all(
      Array.from({ length: 8 }, () => openAccount(auth, { external_id: 'racer' })),
    )
    expect(new Set(results.map((r) => r.json().id)).size).toBe(1)
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(1)
    expect(await count(app, 'billing_accounts')).toBe(before + 1)
  })

  it('keeps external ids per partner', async () => {
    const a = await registerCompany(app)
    const b = await registerCompany(app)
    const one = await openAccount(a.auth, { external_id: 'shared-id' })
    const two = await openAccount(b.auth, { external_id: 'shared-id' })
    expect(two.statusCode).toBe(201)
    expect(two.json().id).not.toBe(one.json().id)
  })

  it.each([
    ['an empty external_id', { external_id: '' }, '/external_id'],
    ['a 129-character external_id', { external_id: 'x'.repeat(129) }, '/external_id'],
    ['a bad email', { external_id: 'a', email: 'nope' }, '/email'],
    ['an unknown field', { external_id: 'a', scopes: ['charge'] }, '/scopes'],
  ])('rejects %s with 400 and opens nothing', async (_label, payload, field) => {
    const { auth } = await registerCompany(app)
    const before = await count(app, 'billing_accounts')
    const problem = expectProblem(await openAccount(auth, payload), 400, 'validation_failed')
    expect(problem.errors?.map((e) => e.field)).toContain(field)
    expect(await count(app, 'billing_accounts')).toBe(before)
  })

  it('needs an Idempotency-Key and partner credentials', async () => {
    const { auth } = await registerCompany(app)
    const noKey = await app.inject({
      method: 'POST',
      url: '/v1/accounts',
      headers: { authorization: auth },
      payload: { external_id: 'k' },
    })
    expectProblem(noKey, 400, 'idempotency_key_required')
    const longKey = await openAccount(auth, { external_id: 'k' }, 'k'.repeat(256))
    expectProblem(longKey, 400, 'idempotency_key_required')
    expectProblem(
      await app.inject({ method: 'POST', url: '/v1/accounts', payload: { external_id: 'k' } }),
      401,
      'unauthenticated',
    )
    const person = await registerCustomer(app)
    const session = await signIn(app, 'customer', person.email, person.password)
    const res = await app.inject({
      method: 'POST',
      url: '/v1/accounts',
      headers: { ...session.headers, 'idempotency-key': newKey() },
      payload: { external_id: 'k' },
    })
    expectProblem(res, 403, 'forbidden')
  })
})

describe('reading accounts', () => {
  it('shows spent, held, refunded and last activity per account', async () => {
    const p = await partnerWithAccount(app, 10_000)
    const charge = (await p.post('/v1/charges', { account: p.account.id, amount: 3000 })).json()
    await p.post(`/v1/charges/${charge.id}/refunds`, { amount: 500 })
    await p.post('/v1/holds', { account: p.account.id, amount: 1200 })
    const res = await p.get(`/v1/accounts/${p.account.id}`)
    expect(res.json()).toMatchObject({
      spent: 2500,
      refunded: 500,
      held: 1200,
      last_activity_at: expect.any(String),
    })
    const list = await p.get('/v1/accounts')
    expect(list.json()).toMatchObject({
      has_more: false,
      data: [{ id: p.account.id, spent: 2500, held: 1200 }],
    })
  })

  it('paginates accounts newest first', async () => {
    const { auth } = await registerCompany(app)
    const ids: string[] = []
    for (let i = 0; i < 3; i++) ids.push((await openAccount(auth, { external_id: `p${i}` })).json().id)
    const page1 = await app.inject({
      method: 'GET',
      url: '/v1/accounts?limit=2',
      headers: { authorization: auth },
    })
    expect(page1.json().data.map((a: { id: string }) => a.id)).toEqual([ids[2], ids[1]])
    expect(page1.json().has_more).toBe(true)
    const page2 = await app.inject({
      method: 'GET',
      url: `/v1/accounts?limit=2&starting_after=${ids[1]}`,
      headers: { authorization: auth },
    })
    expect(page2.json()).toMatchObject({ has_more: false, data: [{ id: ids[0] }] })
  })

  it('answers 404 for another partner’s account on every route', async () => {
    const owner = await partnerWithAccount(app, 1000)
    const stranger = await registerCompany(app)
    for (const url of [`/v1/accounts/${owner.account.id}`, `/v1/accounts/${owner.account.id}/balance`]) {
      expectProblem(
        await app.inject({ method: 'GET', url, headers: { authorization: stranger.auth } }),
        404,
        'not_found',
      )
    }
    expectProblem(
      await app.inject({
        method: 'GET',
        url: '/v1/accounts/acct_nope/balance',
        headers: { authorization: stranger.auth },
      }),
      404,
      'not_found',
    )
  })
})
