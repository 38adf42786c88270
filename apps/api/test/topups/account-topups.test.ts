import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { count, expectProblem, registerCompany, signIn } from '../support/http.js'
import { expectLedgerSound, newKey, partnerWithAccount } from '../support/money.js'
import { buildSandboxApp, connectPartner, person, submitCheckout, type Topup, walletOf } from './sandbox.js'

let app: FastifyInstance
beforeAll(async () => {
  app = await buildSandboxApp()
})
afterAll(async () => {
  await expectLedgerSound(app)
  await app.close()
})

type Partner = Awaited<ReturnType<typeof partnerWithAccount>>

const balanceOf = async (p: Partner) =>
  (await p.get(`/v1/accounts/${p.account.id}/balance`)).json() as { available: number; held: number }

describe('POST /v1/accounts/{id}/topups', () => {
  it("answers a checkout link for the partner's managed account; paying it credits that account's wallet", async () => {
    const p = await partnerWithAccount(app, 0)
    const res = await p.post(`/v1/accounts/${p.account.id}/topups`, { amount: 30_000 })
    expect(res.statusCode, res.body).toBe(201)
    const topup = res.json() as Topup
    expect(topup).toMatchObject({
      id: expect.stringMatching(/^top_/),
      status: 'pending',
      amount: 30_000,
      currency: 'RUB',
      checkout_url: expect.stringMatching(/^http:\/\/localhost:\d+\/sandbox\/checkout\/sbx_/),
    })
    expect(await balanceOf(p)).toMatchObject({ available: 0 })
    expect((await submitCheckout(app, topup, 'succeeded')).statusCode).toBe(200)
    expect(await balanceOf(p)).toMatchObject({ available: 30_000, held: 0 })
    // The account can now pay the partner.
    const charge = await p.post('/v1/charges', { account: p.account.id, amount: 10_000 })
    expect(charge.statusCode, charge.body).toBe(201)
    expect(await balanceOf(p)).toMatchObject({ available: 20_000 })
    await expectLedgerSound(app)
  })

  it('sends the user back to a return_url on the origin of a redirect URI, and refuses any other', async () => {
    const p = await partnerWithAccount(app, 0)
    const patched = await app.inject({
      method: 'PATCH',
      url: '/v1/company',
      headers: { authorization: p.auth },
      payload: { redirect_uris: ['https://messages.example/auth/protus/callback'] },
    })
    expect(patched.statusCode).toBe(200)
    for (const returnUrl of [
      'https://evil.example/account',
      'https://messages.example.evil.example/x',
      'javascript:alert(1)',
      'https://messages.example/a#b',
    ]) {
      const refused = await p.post(`/v1/accounts/${p.account.id}/topups`, {
        amount: 100,
        return_url: returnUrl,
      })
      expectProblem(refused, 400, 'validation_failed')
      expect(refused.json().errors[0].field).toBe('/return_url')
    }
    const res = await p.post(`/v1/accounts/${p.account.id}/topups`, {
      amount: 2_500,
      return_url: 'https://messages.example/account?paid=1',
    })
    expect(res.statusCode, res.body).toBe(201)
    const paid = await submitCheckout(app, res.json() as Topup, 'succeeded')
    expect(paid.body).toContain('href="https://messages.example/account?paid=1"')
    expect(await balanceOf(p)).toMatchObject({ available: 2_500 })
    // Without a return_url, a partner's user sees only the result.
    const plain = await p.post(`/v1/accounts/${p.account.id}/topups`, { amount: 100 })
    expect((await submitCheckout(app, plain.json() as Topup, 'failed')).body).not.toContain('<a href')
  })

  it('works from the dashboard session too', async () => {
    const p = await partnerWithAccount(app, 0)
    const session = await signIn(app, 'company', p.email, p.password)
    const res = await app.inject({
      method: 'POST',
      url: `/v1/accounts/${p.account.id}/topups`,
      headers: { ...session.headers, 'idempotency-key': newKey() },
      payload: { amount: 100 },
    })
    expect(res.statusCode, res.body).toBe(201)
  })

  it('replays a retry with the same key and opens one top-up', async () => {
    const p = await partnerWithAccount(app, 0)
    const key = newKey()
    const before = await count(app, 'topups_payments')
    const first = await p.post(`/v1/accounts/${p.account.id}/topups`, { amount: 100 }, key)
    const again = await p.post(`/v1/accounts/${p.account.id}/topups`, { amount: 100 }, key)
    expect(again.headers['idempotent-replayed']).toBe('true')
    expect(again.json()).toEqual(first.json())
    expect(await count(app, 'topups_payments')).toBe(before + 1)
  })

  it("answers 404 for another partner's account, a PROTUS user's account and an unknown one", async () => {
    const p = await partnerWithAccount(app, 0)
    const other = await partnerWithAccount(app, 0)
    const someone = await person(app)
    const protusAccount = await connectPartner(app, someone.customer.id, p.company.id)
    const before = await count(app, 'topups_payments')
    for (const id of [other.account.id, protusAccount, 'acct_00000000000000000000000000']) {
      expectProblem(await p.post(`/v1/accounts/${id}/topups`, { amount: 100 }), 404, 'not_found')
    }
    expect(await count(app, 'topups_payments')).toBe(before)
    expect(await walletOf(app, someone)).toMatchObject({ available: 0 })
  })

  it('saves the 404 under the key like any decided refusal', async () => {
    const p = await partnerWithAccount(app, 0)
    const other = await partnerWithAccount(app, 0)
    const key = newKey()
    await p.post(`/v1/accounts/${other.account.id}/topups`, { amount: 100 }, key)
    const again = await p.post(`/v1/accounts/${other.account.id}/topups`, { amount: 100 }, key)
    expectProblem(again, 404, 'not_found')
    expect(again.headers['idempotent-replayed']).toBe('true')
  })

  it('needs an Idempotency-Key and a valid amount, and names unknown fields', async () => {
    const p = await partnerWithAccount(app, 0)
    const url = `/v1/accounts/${p.account.id}/topups`
    const noKey = await app.inject({
      method: 'POST',
      url,
      headers: { authorization: p.auth },
      payload: { amount: 100 },
    })
    expectProblem(noKey, 400, 'idempotency_key_required')
    const zero = expectProblem(await p.post(url, { amount: 0 }), 400, 'validation_failed')
    expect(zero.errors?.map((e) => e.field)).toEqual(['/amount'])
    const extra = expectProblem(await p.post(url, { amount: 1, account: 'x' }), 400, 'validation_failed')
    expect(extra.errors).toContainEqual({ field: '/account', message: 'is not a known field' })
  })

  it('refuses a person with 403, wrong client credentials with 401', async () => {
    const p = await partnerWithAccount(app, 0)
    const me = await person(app)
    const url = `/v1/accounts/${p.account.id}/topups`
    const asPerson = await app.inject({
      method: 'POST',
      url,
      headers: { ...me.headers, 'idempotency-key': newKey() },
      payload: { amount: 100 },
    })
    expectProblem(asPerson, 403, 'forbidden')
    const stranger = await registerCompany(app)
    const wrong = await app.inject({
      method: 'POST',
      url,
      headers: {
        authorization: p.basic(stranger.company.client_id, 'not the secret'),
        'idempotency-key': newKey(),
      },
      payload: { amount: 100 },
    })
    expectProblem(wrong, 401, 'invalid_client_credentials')
  })
})

describe('GET /v1/accounts/{id}/topups', () => {
  it("lists the managed account's top-ups newest first, as they ended, a page at a time", async () => {
    const p = await partnerWithAccount(app, 0)
    const other = await partnerWithAccount(app, 0)
    const url = `/v1/accounts/${p.account.id}/topups`
    expect((await p.get(url)).json()).toEqual({ data: [], has_more: false })
    const opened: Topup[] = []
    for (const amount of [1_000, 2_000, 3_000]) {
      opened.push((await p.post(url, { amount })).json() as Topup)
    }
    await p.post(`/v1/accounts/${other.account.id}/topups`, { amount: 500 })
    await submitCheckout(app, opened[0] as Topup, 'succeeded')
    await submitCheckout(app, opened[1] as Topup, 'failed')

    const listed = (await p.get(url)).json() as { data: Topup[]; has_more: boolean }
    expect(listed.has_more).toBe(false)
    expect(listed.data.map((t) => [t.amount, t.status])).toEqual([
      [3_000, 'pending'],
      [2_000, 'failed'],
      [1_000, 'succeeded'],
    ])
    expect(listed.data[2]).toMatchObject({ id: opened[0]?.id, account: p.account.id, currency: 'RUB' })
    expect(listed.data[2]?.completed_at).toEqual(expect.any(String))

    const first = (await p.get(`${url}?limit=2`)).json() as { data: Topup[]; has_more: boolean }
    expect([first.data.length, first.has_more]).toEqual([2, true])
    const rest = (await p.get(`${url}?limit=2&starting_after=${first.data[1]?.id}`)).json()
    expect(rest).toEqual({ data: [listed.data[2]], has_more: false })
    expect(await balanceOf(p)).toMatchObject({ available: 1_000 })
  })

  it("answers 404 for another partner's account and a PROTUS user's account, 400 for a bad cursor", async () => {
    const p = await partnerWithAccount(app, 0)
    const other = await partnerWithAccount(app, 0)
    const someone = await person(app)
    const protusAccount = await connectPartner(app, someone.customer.id, p.company.id)
    for (const id of [other.account.id, protusAccount, 'acct_00000000000000000000000000']) {
      expectProblem(await p.get(`/v1/accounts/${id}/topups`), 404, 'not_found')
    }
    expectProblem(
      await p.get(`/v1/accounts/${p.account.id}/topups?starting_after=ch_1`),
      400,
      'validation_failed',
    )
  })
})
