import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createManualClock } from '../../src/lib/clock.js'
import { expectProblem, registerCompany, type Signed, signIn } from '../support/http.js'
import { expectLedgerSound, newKey } from '../support/money.js'
import { buildSandboxApp, connectPartner, person, type Topup, topUp, walletOf } from '../topups/sandbox.js'

const clock = createManualClock(new Date())
let app: FastifyInstance
beforeAll(async () => {
  app = await buildSandboxApp({}, { clock })
})
afterAll(async () => {
  await expectLedgerSound(app)
  await app.close()
})

interface Entry {
  id: string
  kind: string
  amount: number
  direction: 'debit' | 'credit'
  balance_after: number
  partner: { id: string; name: string } | null
  service: { id: string; name: string } | null
  description: string | null
  created_at: string
}

async function entries(who: Signed, query = '') {
  const res = await app.inject({
    method: 'GET',
    url: `/v1/me/entries${query}`,
    headers: { cookie: who.cookie },
  })
  expect(res.statusCode, res.body).toBe(200)
  return res.json() as { data: Entry[]; has_more: boolean }
}

/** A partner the person signed in to, with two services, billing the person over the API. */
async function partnerOf(who: { customer: { id: string } }) {
  const partner = await registerCompany(app)
  const account = await connectPartner(app, who.customer.id, partner.company.id)
  const post = async (url: string, payload: object) => {
    const res = await app.inject({
      method: 'POST',
      url,
      headers: { authorization: partner.auth, 'idempotency-key': newKey() },
      payload,
    })
    expect(res.statusCode, res.body).toBeLessThan(300)
    return res.json() as { id: string }
  }
  const client = await post('/v1/services', { name: 'Client', price: 2_500 })
  const campaign = await post('/v1/services', { name: 'Campaign', price: 10_000 })
  return { ...partner, account, post, services: { client, campaign } }
}

/** Top-up, charge, hold and capture, hold and release, refund, hold and expiry. */
async function history() {
  const me = await person(app)
  const topup: Topup = await topUp(app, me, 100_000)
  const p = await partnerOf(me)
  const charge = await p.post('/v1/charges', {
    account: p.account,
    service: p.services.client.id,
    quantity: 2,
    description: 'Two clients',
  })
  const captured = await p.post('/v1/holds', { account: p.account, service: p.services.campaign.id })
  await p.post(`/v1/holds/${captured.id}/capture`, { amount: 6_000 })
  const released = await p.post('/v1/holds', { account: p.account, amount: 3_000, description: 'Draft' })
  await p.post(`/v1/holds/${released.id}/release`, {})
  const refund = await p.post(`/v1/charges/${charge.id}/refunds`, { amount: 1_000 })
  await p.post('/v1/holds', { account: p.account, amount: 2_000, expires_in: 60 })
  clock.advance(61_000)
  expect(await app.services.holdSweeper.runOnce()).toBe(1)
  return { me, p, topup, charge, captured, released, refund }
}

describe('GET /v1/me/entries', () => {
  it('lists every movement newest first with its kind, direction, balance after, partner and service', async () => {
    const { me, p, topup, charge, captured, released, refund } = await history()
    const { data, has_more } = await entries(me)
    expect(has_more).toBe(false)
    const partner = { id: p.company.id, name: p.company.name }
    const client = { id: p.services.client.id, name: 'Client' }
    const campaign = { id: p.services.campaign.id, name: 'Campaign' }
    const rows = data.map(({ kind, amount, direction, balance_after, partner, service, description }) => ({
      kind,
      amount,
      direction,
      balance_after,
      partner,
      service,
      description,
    }))
    expect(rows).toEqual([
      {
        kind: 'expiry',
        amount: 2_000,
        direction: 'credit',
        balance_after: 90_000,
        partner,
        service: null,
        description: null,
      },
      {
        kind: 'hold',
        amount: 2_000,
        direction: 'debit',
        balance_after: 88_000,
        partner,
        service: null,
        description: null,
      },
      {
        kind: 'refund',
        amount: 1_000,
        direction: 'credit',
        balance_after: 90_000,
        partner,
        service: client,
        description: 'Two clients',
      },
      {
        kind: 'release',
        amount: 3_000,
        direction: 'credit',
        balance_after: 89_000,
        partner,
        service: null,
        description: 'Draft',
      },
      {
        kind: 'hold',
        amount: 3_000,
        direction: 'debit',
        balance_after: 86_000,
        partner,
        service: null,
        description: 'Draft',
      },
      {
        kind: 'capture',
        amount: 6_000,
        direction: 'debit',
        balance_after: 89_000,
        partner,
        service: campaign,
        description: null,
      },
      {
        kind: 'hold',
        amount: 10_000,
        direction: 'debit',
        balance_after: 85_000,
        partner,
        service: campaign,
        description: null,
      },
      {
        kind: 'charge',
        amount: 5_000,
        direction: 'debit',
        balance_after: 95_000,
        partner,
        service: client,
        description: 'Two clients',
      },
      {
        kind: 'top_up',
        amount: 100_000,
        direction: 'credit',
        balance_after: 100_000,
        partner: null,
        service: null,
        description: null,
      },
    ])
    expect(data.map((e) => e.id)).toEqual([
      expect.stringMatching(/:expired$/),
      expect.stringMatching(/^hold_/),
      refund.id,
      `${released.id}:released`,
      released.id,
      expect.stringMatching(/^ch_/),
      captured.id,
      charge.id,
      topup.id,
    ])
    expect(await walletOf(app, me)).toEqual({ currency: 'RUB', available: 90_000, held: 0, posted: 90_000 })
    await expectLedgerSound(app)
  })

  it('pages with limit and starting_after (the id of the last entry seen)', async () => {
    const { me } = await history()
    const all = (await entries(me)).data.map((e) => e.id)
    const seen: string[] = []
    let page = await entries(me, '?limit=4')
    for (;;) {
      expect(page.data.length).toBeLessThanOrEqual(4)
      seen.push(...page.data.map((e) => e.id))
      if (!page.has_more) break
      page = await entries(me, `?limit=4&starting_after=${encodeURIComponent(seen.at(-1) as string)}`)
    }
    expect(seen).toEqual(all)
    expect(all).toHaveLength(9)
  })

  it("refuses a cursor that is not one of the person's entries, and unknown query fields", async () => {
    const me = await person(app)
    const other = await person(app)
    const theirs = await topUp(app, other, 100)
    for (const cursor of [theirs.id, 'top_nope']) {
      const problem = expectProblem(
        await app.inject({
          method: 'GET',
          url: `/v1/me/entries?starting_after=${cursor}`,
          headers: { cookie: me.cookie },
        }),
        400,
        'validation_failed',
      )
      expect(problem.errors).toEqual([
        { field: 'querystring:/starting_after', message: 'is not an entry of this wallet' },
      ])
    }
    for (const query of ['?limit=0', '?limit=101', '?account=x']) {
      expectProblem(
        await app.inject({ method: 'GET', url: `/v1/me/entries${query}`, headers: { cookie: me.cookie } }),
        400,
        'validation_failed',
      )
    }
    await expectLedgerSound(app)
  })

  it('is empty for a new person', async () => {
    const me = await person(app)
    expect(await entries(me)).toEqual({ data: [], has_more: false })
  })
})

describe('GET /v1/me/accounts', () => {
  it("lists the person's accounts at partners with the partner's name, spent, held and scopes", async () => {
    const me = await person(app)
    await topUp(app, me, 50_000)
    const a = await partnerOf(me)
    const b = await partnerOf(me)
    const charge = await a.post('/v1/charges', { account: a.account, amount: 7_000 })
    await a.post(`/v1/charges/${charge.id}/refunds`, { amount: 2_000 })
    await b.post('/v1/holds', { account: b.account, amount: 4_000 })
    const res = await app.inject({ method: 'GET', url: '/v1/me/accounts', headers: { cookie: me.cookie } })
    expect(res.statusCode, res.body).toBe(200)
    const { data } = res.json() as { data: { id: string }[] }
    expect(data).toHaveLength(2)
    expect(data.find((x) => x.id === a.account)).toEqual({
      id: a.account,
      company: { id: a.company.id, name: a.company.name },
      spent: 5_000,
      held: 0,
      scopes: ['check', 'hold', 'charge'],
      created_at: expect.any(String),
      last_activity_at: expect.any(String),
    })
    expect(data.find((x) => x.id === b.account)).toMatchObject({
      company: { id: b.company.id, name: b.company.name },
      spent: 0,
      held: 4_000,
    })
    expect(await walletOf(app, me)).toMatchObject({ available: 41_000, held: 4_000, posted: 45_000 })
    await expectLedgerSound(app)
  })

  it('is empty for a person who has not signed in to any partner', async () => {
    const me = await person(app)
    const res = await app.inject({ method: 'GET', url: '/v1/me/accounts', headers: { cookie: me.cookie } })
    expect(res.json()).toEqual({ data: [] })
  })
})

describe('GET /v1/me/wallet', () => {
  it('answers zero for a new person', async () => {
    const me = await person(app)
    expect(await walletOf(app, me)).toEqual({ currency: 'RUB', available: 0, held: 0, posted: 0 })
  })

  it('needs a signed-in person: 401 without a session, 403 for a company', async () => {
    const company = await registerCompany(app)
    const session = await signIn(app, 'company', company.email, company.password)
    for (const url of ['/v1/me/wallet', '/v1/me/entries', '/v1/me/accounts']) {
      expectProblem(await app.inject({ method: 'GET', url }), 401, 'unauthenticated')
      expectProblem(
        await app.inject({ method: 'GET', url, headers: { cookie: session.cookie } }),
        403,
        'forbidden',
      )
      expectProblem(
        await app.inject({ method: 'GET', url, headers: { authorization: company.auth } }),
        401,
        'unauthenticated',
      )
    }
  })
})
