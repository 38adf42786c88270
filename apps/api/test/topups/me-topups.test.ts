import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { count, expectProblem, registerCompany, signIn } from '../support/http.js'
import { expectLedgerSound, newKey } from '../support/money.js'
import { buildSandboxApp, openTopup, person, postTopup, type Topup, topUp, walletOf } from './sandbox.js'

let app: FastifyInstance
beforeAll(async () => {
  app = await buildSandboxApp({ PROTUS_PUBLIC_URL: 'https://wallet.example.test/' })
})
afterAll(async () => {
  await expectLedgerSound(app)
  await app.close()
})

describe('POST /v1/me/topups', () => {
  it('opens a pending top-up with a sandbox checkout URL under PROTUS_PUBLIC_URL', async () => {
    const me = await person(app)
    const res = await postTopup(app, me, { amount: 150_000 })
    expect(res.statusCode, res.body).toBe(201)
    const topup = res.json() as Topup
    expect(topup).toEqual({
      id: expect.stringMatching(/^top_[0-9a-z]{26}$/),
      status: 'pending',
      amount: 150_000,
      currency: 'RUB',
      checkout_url: expect.stringMatching(
        /^https:\/\/wallet\.example\.test\/sandbox\/checkout\/sbx_[\w-]{24}$/,
      ),
      created_at: expect.any(String),
      completed_at: null,
    })
    expect(await walletOf(app, me)).toMatchObject({ available: 0, posted: 0 })
  })

  it('answers the same top-up to a retry with the same key and refuses the key with another amount', async () => {
    const me = await person(app)
    const key = newKey()
    const before = await count(app, 'topups_payments')
    const first = await postTopup(app, me, { amount: 500 }, key)
    const again = await postTopup(app, me, { amount: 500 }, key)
    expect(again.statusCode).toBe(201)
    expect(again.headers['idempotent-replayed']).toBe('true')
    expect(again.json()).toEqual(first.json())
    expectProblem(await postTopup(app, me, { amount: 600 }, key), 422, 'idempotency_key_reused')
    expect(await count(app, 'topups_payments')).toBe(before + 1)
  })

  it('needs an Idempotency-Key', async () => {
    const me = await person(app)
    expectProblem(await postTopup(app, me, { amount: 500 }, null), 400, 'idempotency_key_required')
  })

  it.each([
    [{ amount: 0 }, '/amount'],
    [{ amount: -100 }, '/amount'],
    [{ amount: 12.5 }, '/amount'],
    [{ amount: '100' }, '/amount'],
    [{ amount: 1_000_000_000_001 }, '/amount'],
    [{}, '/amount'],
    [{ amount: 100, currency: 'USD' }, '/currency'],
  ])('refuses %j with 400 validation_failed naming %s', async (payload, field) => {
    const me = await person(app)
    const before = await count(app, 'topups_payments')
    const problem = expectProblem(await postTopup(app, me, payload), 400, 'validation_failed')
    expect(problem.errors?.map((e) => e.field)).toContain(field)
    expect(await count(app, 'topups_payments')).toBe(before)
  })

  it('takes the largest amount, 10^12 minor units', async () => {
    const me = await person(app)
    expect((await openTopup(app, me, 1_000_000_000_000)).amount).toBe(1_000_000_000_000)
  })

  it('needs a signed-in person with the CSRF token', async () => {
    const me = await person(app)
    const noSession = await app.inject({
      method: 'POST',
      url: '/v1/me/topups',
      headers: { 'idempotency-key': newKey() },
      payload: { amount: 100 },
    })
    expectProblem(noSession, 401, 'unauthenticated')
    const noCsrf = await app.inject({
      method: 'POST',
      url: '/v1/me/topups',
      headers: { cookie: me.cookie, 'idempotency-key': newKey() },
      payload: { amount: 100 },
    })
    expectProblem(noCsrf, 403, 'csrf_token_invalid')
  })

  it('refuses a company session with 403 forbidden', async () => {
    const partner = await registerCompany(app)
    const session = await signIn(app, 'company', partner.email, partner.password)
    expectProblem(await postTopup(app, session, { amount: 100 }), 403, 'forbidden')
  })
})

describe('GET /v1/me/topups/{id}', () => {
  it("answers the person's own top-up, and its outcome once paid", async () => {
    const me = await person(app)
    const topup = await topUp(app, me, 2_500)
    const res = await app.inject({
      method: 'GET',
      url: `/v1/me/topups/${topup.id}`,
      headers: { cookie: me.cookie },
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({
      id: topup.id,
      status: 'succeeded',
      amount: 2_500,
      checkout_url: topup.checkout_url,
      completed_at: expect.any(String),
    })
    expect(await walletOf(app, me)).toMatchObject({ available: 2_500, posted: 2_500, held: 0 })
  })

  it("answers 404 for someone else's top-up and for an unknown id", async () => {
    const owner = await person(app)
    const other = await person(app)
    const topup = await openTopup(app, owner, 100)
    for (const url of [`/v1/me/topups/${topup.id}`, '/v1/me/topups/top_00000000000000000000000000']) {
      expectProblem(
        await app.inject({ method: 'GET', url, headers: { cookie: other.cookie } }),
        404,
        'not_found',
      )
    }
  })
})
