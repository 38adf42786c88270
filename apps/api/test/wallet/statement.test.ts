import fc from 'fast-check'
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
  available_change: number
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
async function partnerOf(who: Signed & { customer: { id: string } }) {
  const partner = await registerCompany(app)
  const account = await connectPartner(app, who.customer.id, partner.company.id)
  /** Answers what was created, or undefined for a refusal (never a 5xx). */
  const tryPost = async (url: string, payload: object) => {
    const res = await app.inject({
      method: 'POST',
      url,
      headers: { authorization: partner.auth, 'idempotency-key': newKey() },
      payload,
    })
    expect(res.statusCode, res.body).toBeLessThan(500)
    return res.statusCode < 300 ? (res.json() as { id: string }) : undefined
  }
  const post = async (url: string, payload: object) => {
    const created = await tryPost(url, payload)
    expect(created, `${url} was refused`).toBeDefined()
    return created as { id: string }
  }
  const client = await post('/v1/services', { name: 'Client', price: 2_500 })
  const campaign = await post('/v1/services', { name: 'Campaign', price: 10_000 })
  return { ...partner, me: who, account, post, tryPost, services: { client, campaign } }
}

/** Every line's id, read page by page `limit` at a time. */
async function pagedIds(who: Signed, limit: number): Promise<string[]> {
  const seen: string[] = []
  for (;;) {
    const after = seen.length ? `&starting_after=${encodeURIComponent(seen.at(-1) as string)}` : ''
    const page = await entries(who, `?limit=${limit}${after}`)
    expect(page.data.length).toBeLessThanOrEqual(limit)
    seen.push(...page.data.map((e) => e.id))
    if (!page.has_more) return seen
  }
}

/** What can happen to a wallet; indexes pick among the holds and charges made so far. */
const movement = fc.oneof(
  fc.record({ op: fc.constant('top_up' as const), amount: fc.integer({ min: 1, max: 5_000 }) }),
  fc.record({ op: fc.constant('charge' as const), amount: fc.integer({ min: 1, max: 3_000 }) }),
  fc.record({
    op: fc.constant('hold' as const),
    amount: fc.integer({ min: 1, max: 3_000 }),
    expires: fc.boolean(),
  }),
  fc.record({
    op: fc.constant('capture' as const),
    pick: fc.nat(),
    share: fc.double({ min: 0, max: 1, noNaN: true }),
  }),
  fc.record({ op: fc.constant('release' as const), pick: fc.nat() }),
  fc.record({
    op: fc.constant('refund' as const),
    pick: fc.nat(),
    amount: fc.integer({ min: 1, max: 3_000 }),
  }),
  fc.constant({ op: 'expire' as const }),
)

type Movement = typeof movement extends fc.Arbitrary<infer T> ? T : never

/** A partial capture to start each run with, so every run has a rest given back. */
const partialCapture: Movement[] = [
  { op: 'top_up', amount: 1_000 },
  { op: 'hold', amount: 450, expires: false },
  { op: 'capture', pick: 0, share: 2 / 3 },
]

/** Plays the movements through the API; a refused one (not enough money, say) changes nothing. */
async function play(p: Awaited<ReturnType<typeof partnerOf>>, moves: Movement[]) {
  const holds: { id: string; amount: number }[] = []
  const charges: string[] = []
  const { tryPost } = p
  for (const move of moves) {
    const pick = <T>(list: T[]) => ('pick' in move && list.length ? list[move.pick % list.length] : undefined)
    if (move.op === 'top_up') await topUp(app, p.me, move.amount)
    if (move.op === 'charge') {
      const charge = await tryPost('/v1/charges', { account: p.account, amount: move.amount })
      if (charge) charges.push(charge.id)
    }
    if (move.op === 'hold') {
      const expiry = move.expires ? { expires_in: 60 } : {}
      const hold = await tryPost('/v1/holds', { account: p.account, amount: move.amount, ...expiry })
      if (hold) holds.push({ id: hold.id, amount: move.amount })
    }
    const hold = pick(holds)
    if (move.op === 'capture' && hold) {
      const amount = Math.max(1, Math.round(hold.amount * move.share))
      await tryPost(`/v1/holds/${hold.id}/capture`, { amount })
    }
    if (move.op === 'release' && hold) await tryPost(`/v1/holds/${hold.id}/release`, {})
    const charge = pick(charges)
    if (move.op === 'refund' && charge)
      await tryPost(`/v1/charges/${charge}/refunds`, { amount: move.amount })
    if (move.op === 'expire') {
      clock.advance(61_000)
      await app.services.holdSweeper.runOnce()
    }
  }
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
        kind: 'release',
        amount: 4_000,
        direction: 'credit',
        balance_after: 89_000,
        partner,
        service: campaign,
        description: null,
      },
      {
        kind: 'capture',
        amount: 6_000,
        direction: 'debit',
        balance_after: 85_000,
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
      expect.stringMatching(/^ch_.*:rest$/),
      expect.stringMatching(/^ch_/),
      captured.id,
      charge.id,
      topup.id,
    ])
    expect(await walletOf(app, me)).toEqual({ currency: 'RUB', available: 90_000, held: 0, posted: 90_000 })
    await expectLedgerSound(app)
  })

  it('pages with limit and starting_after (the id of the last entry seen), also after a release line', async () => {
    const { me } = await history()
    const all = (await entries(me)).data.map((e) => e.id)
    expect(all).toHaveLength(10)
    for (const limit of [1, 2, 3, 4, 5, 9, 10]) expect(await pagedIds(me, limit)).toEqual(all)
  })

  it('shows a partial capture as a charge out of its hold and the rest given back on a line of its own', async () => {
    const me = await person(app)
    await topUp(app, me, 1_000)
    const p = await partnerOf(me)
    const partial = await p.post('/v1/holds', { account: p.account, amount: 450 })
    await p.post(`/v1/holds/${partial.id}/capture`, { amount: 300 })
    const full = await p.post('/v1/holds', { account: p.account, amount: 200 })
    await p.post(`/v1/holds/${full.id}/capture`, { amount: 200 })
    const lines = (await entries(me)).data.map(
      ({ kind, amount, direction, available_change, balance_after }) => ({
        kind,
        amount,
        direction,
        available_change,
        balance_after,
      }),
    )
    expect(lines).toEqual([
      { kind: 'capture', amount: 200, direction: 'debit', available_change: 0, balance_after: 500 },
      { kind: 'hold', amount: 200, direction: 'debit', available_change: -200, balance_after: 500 },
      { kind: 'release', amount: 150, direction: 'credit', available_change: 150, balance_after: 700 },
      { kind: 'capture', amount: 300, direction: 'debit', available_change: 0, balance_after: 550 },
      { kind: 'hold', amount: 450, direction: 'debit', available_change: -450, balance_after: 550 },
      { kind: 'top_up', amount: 1_000, direction: 'credit', available_change: 1_000, balance_after: 1_000 },
    ])
    expect(await walletOf(app, me)).toEqual({ currency: 'RUB', available: 500, held: 0, posted: 500 })
    await expectLedgerSound(app)
  })

  it("explains every change of the available funds by a line's available_change, whatever the movements", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(movement, { minLength: 1, maxLength: 10 }),
        fc.integer({ min: 1, max: 4 }),
        async (moves, limit) => {
          const me = await person(app)
          const p = await partnerOf(me)
          await play(p, [...partialCapture, ...moves])
          const lines = (await entries(me, '?limit=100')).data
          expect(lines.filter((line) => line.id.endsWith(':rest'))).not.toEqual([])
          let available = 0
          for (const line of [...lines].reverse()) {
            expect(line.available_change, line.id).toBe(
              line.direction === 'credit' ? line.amount : line.kind === 'capture' ? 0 : -line.amount,
            )
            available += line.available_change
            expect(line.balance_after, line.id).toBe(available)
          }
          expect((await walletOf(app, me)).available).toBe(available)
          expect(await pagedIds(me, limit)).toEqual(lines.map((line) => line.id))
        },
      ),
      { numRuns: 12 },
    )
    await expectLedgerSound(app)
  }, 120_000)

  it("refuses a cursor that is not one of the person's entries, and unknown query fields", async () => {
    const me = await person(app)
    const other = await person(app)
    const theirs = await topUp(app, other, 100)
    const mine = await topUp(app, me, 100)
    for (const cursor of [theirs.id, 'top_nope', `${mine.id}:rest`, `${theirs.id}:rest`]) {
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
