import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createManualClock } from '../../src/lib/clock.js'
import { buildTestApp, onPostgres } from '../support/app.js'
import { connectedPerson } from '../support/grants.js'
import { expectProblem } from '../support/http.js'
import { expectLedgerSound, partnerWithAccount } from '../support/money.js'
import { authorizeUrl, pkce, REDIRECT_URI } from '../support/oauth.js'
import { cliBuilt } from '../support/processes.js'
import { serversSharingDatabase } from '../support/shared-database.js'

type Connected = Awaited<ReturnType<typeof connectedPerson>>

/** The events of one type the partner's outbox holds, oldest first. */
async function partnerEvents(c: Connected, type: string) {
  const res = await c.get(`/v1/webhook-deliveries?type=${type}`)
  expect(res.statusCode, res.body).toBe(200)
  return (res.json() as { data: { event: { data: Record<string, unknown> } }[] }).data
    .map((d) => d.event.data)
    .reverse()
}

describe('monthly spending limits', () => {
  let app: FastifyInstance
  beforeAll(async () => {
    app = await buildTestApp()
  })
  afterAll(() => app.close())

  const charge = (c: Connected, amount: number) => c.post('/v1/charges', { account: c.accountId, amount })
  const hold = (c: Connected, amount: number) => c.post('/v1/holds', { account: c.accountId, amount })

  it('refuses a charge or hold past the limit with 402 spending_limit_exceeded, open holds counting', async () => {
    const c = await connectedPerson(app, { monthlyLimit: 1000 })
    expect((await charge(c, 600)).statusCode).toBe(201)
    const held = await hold(c, 300)
    expect(held.statusCode, held.body).toBe(201)

    const refused = await charge(c, 200)
    expectProblem(refused, 402, 'spending_limit_exceeded')
    expect(refused.json()).toMatchObject({ limit: 1000, remaining: 100 })
    expectProblem(await hold(c, 101), 402, 'spending_limit_exceeded')
    expect((await charge(c, 100)).statusCode).toBe(201)
    expectProblem(await charge(c, 1), 402, 'spending_limit_exceeded')

    // Nothing of the refusals reached the ledger: 700 charged, 300 held.
    const balance = await c.get(`/v1/accounts/${c.accountId}/balance`)
    expect(balance.json()).toMatchObject({ available: 100_000 - 1000, held: 300 })
    expect(await c.grant()).toMatchObject({ monthly_limit: 1000, spent_this_month: 700, limit_remaining: 0 })
    await expectLedgerSound(app)
  })

  it('never refuses a capture for the limit: the hold counted already', async () => {
    const c = await connectedPerson(app, { monthlyLimit: 1000 })
    const held = (await hold(c, 800)).json() as { id: string }
    // Even with the limit lowered below what the hold took.
    expect((await c.setLimit(500)).statusCode).toBe(200)
    const captured = await c.post(`/v1/holds/${held.id}/capture`, { amount: 700 })
    expect(captured.statusCode, captured.body).toBe(200)
    expect(await c.grant()).toMatchObject({ monthly_limit: 500, spent_this_month: 700, limit_remaining: 0 })
    await expectLedgerSound(app)
  })

  it('gives the room back when a hold is released or a charge refunded', async () => {
    const c = await connectedPerson(app, { monthlyLimit: 1000 })
    const held = (await hold(c, 1000)).json() as { id: string }
    expectProblem(await charge(c, 1), 402, 'spending_limit_exceeded')
    expect((await c.post(`/v1/holds/${held.id}/release`)).statusCode).toBe(200)
    const charged = (await charge(c, 1000)).json() as { id: string }
    expectProblem(await charge(c, 1), 402, 'spending_limit_exceeded')
    const refund = await c.post(`/v1/charges/${charged.id}/refunds`, { amount: 400 })
    expect(refund.statusCode, refund.body).toBe(201)
    expect((await charge(c, 400)).statusCode).toBe(201)
    const last = await charge(c, 1)
    expectProblem(last, 402, 'spending_limit_exceeded')
    expect(last.json()).toMatchObject({ limit: 1000, remaining: 0 })
    await expectLedgerSound(app)
  })

  it('keeps a refused operation refused on a retry with the same key', async () => {
    const c = await connectedPerson(app, { monthlyLimit: 100 })
    const first = await c.post('/v1/charges', { account: c.accountId, amount: 200 }, 'limit-key-1')
    expectProblem(first, 402, 'spending_limit_exceeded')
    expect((await c.setLimit(null)).statusCode).toBe(200)
    const replay = await c.post('/v1/charges', { account: c.accountId, amount: 200 }, 'limit-key-1')
    expect(replay.statusCode).toBe(402)
    expect(replay.json()).toEqual(first.json())
    expect((await charge(c, 200)).statusCode).toBe(201)
    await expectLedgerSound(app)
  })

  it('lets exactly the charges that fit through when 64 arrive at once', async () => {
    const c = await connectedPerson(app, { monthlyLimit: 1000 })
    const answers = await Promise.all(Array.from({ length: 64 }, () => charge(c, 100)))
    const codes = answers.map((a) => a.statusCode)
    expect(codes.filter((s) => s === 201)).toHaveLength(10)
    expect(codes.filter((s) => s === 402)).toHaveLength(54)
    for (const refused of answers.filter((a) => a.statusCode === 402)) {
      expect(refused.json().code).toBe('spending_limit_exceeded')
    }
    const balance = await c.get(`/v1/accounts/${c.accountId}/balance`)
    expect(balance.json()).toMatchObject({ available: 99_000, held: 0 })
    await expectLedgerSound(app)
  })

  it('shows the partner the limit with the check scope and tells it with grant.updated', async () => {
    const c = await connectedPerson(app)
    const before = await c.get(`/v1/accounts/${c.accountId}`)
    expect(before.json().spending_limit).toBeNull()

    const set = await c.setLimit(5000)
    expect(set.statusCode, set.body).toBe(200)
    expect(set.json()).toMatchObject({
      client_id: c.partner.clientId,
      monthly_limit: 5000,
      spent_this_month: 0,
      limit_remaining: 5000,
      limit_resets_at: expect.any(String),
    })
    expect((await charge(c, 1200)).statusCode).toBe(201)
    expect((await hold(c, 300)).statusCode).toBe(201)
    const limit = { monthly: 5000, remaining: 3500, resets_at: expect.any(String) }
    expect((await c.get(`/v1/accounts/${c.accountId}`)).json().spending_limit).toEqual(limit)
    const balance = (await c.get(`/v1/accounts/${c.accountId}/balance`)).json()
    expect(balance.spending_limit).toEqual(limit)
    const resetsAt = new Date(balance.spending_limit.resets_at)
    expect(resetsAt.getUTCDate()).toBe(1)
    expect(resetsAt.getUTCHours()).toBe(0)
    expect(resetsAt.getTime()).toBeGreaterThan(Date.now())

    expect((await c.setLimit(null)).json()).toMatchObject({ monthly_limit: null, limit_remaining: null })
    expect((await c.get(`/v1/accounts/${c.accountId}`)).json().spending_limit).toBeNull()
    const updates = await partnerEvents(c, 'grant.updated')
    expect(updates).toHaveLength(2)
    expect(updates.map((u) => u.monthly_limit)).toEqual([5000, null])
    expect(updates[0]).toMatchObject({
      object: 'grant',
      account: c.accountId,
      scopes: ['check', 'hold', 'charge'],
    })
  })

  it('hides the limit from a partner without the check scope, and managed accounts have none', async () => {
    const c = await connectedPerson(app, { scopes: ['hold', 'charge'], monthlyLimit: 700 })
    expect((await c.get(`/v1/accounts/${c.accountId}`)).json().spending_limit).toBeNull()
    expectProblem(await charge(c, 701), 402, 'spending_limit_exceeded')
    const managed = await partnerWithAccount(app)
    expect((await managed.get(`/v1/accounts/${managed.account.id}`)).json().spending_limit).toBeNull()
    expect((await managed.get(`/v1/accounts/${managed.account.id}/balance`)).json().spending_limit).toBeNull()
  })

  it('takes the limit at consent, shows it when the partner asks again, and keeps it unless changed', async () => {
    const c = await connectedPerson(app, { scopes: ['check'], monthlyLimit: 2500 })
    expect(await c.grant()).toMatchObject({ monthly_limit: 2500 })
    const created = await partnerEvents(c, 'grant.created')
    expect(created.at(-1)).toMatchObject({ monthly_limit: 2500 })
    // Asking for more scopes shows the consent page again, with the limit already set.
    const asked = await app.inject({
      method: 'GET',
      url: authorizeUrl({
        response_type: 'code',
        client_id: c.partner.clientId,
        redirect_uri: REDIRECT_URI,
        scope: 'check charge',
        code_challenge: pkce().challenge,
        code_challenge_method: 'S256',
      }),
      headers: { cookie: c.person.session.cookie },
    })
    const shown = await app.inject({
      method: 'GET',
      url: `/v1/oauth/requests/${(asked.headers.location as string).slice('/consent/'.length)}`,
      headers: c.person.session.headers,
    })
    expect(shown.statusCode, shown.body).toBe(200)
    expect(shown.json()).toMatchObject({ monthly_limit: 2500 })
    await c.allow({ scopes: ['check', 'charge'] })
    expect(await c.grant()).toMatchObject({ scopes: ['check', 'charge'], monthly_limit: 2500 })
    await c.allow({ scopes: ['check', 'hold', 'charge'], monthly_limit: null })
    expect(await c.grant()).toMatchObject({ monthly_limit: null })
  })

  it('refuses a limit that is not a positive integer of minor units with 400, changing nothing', async () => {
    const c = await connectedPerson(app, { monthlyLimit: 900 })
    for (const bad of [0, -5, 1.5, '100', 1_000_000_000_001, true, {}]) {
      expectProblem(await c.setLimit(bad), 400, 'validation_failed')
    }
    const missing = await app.inject({
      method: 'PUT',
      url: `/v1/me/grants/${c.partner.clientId}/limit`,
      headers: c.person.session.headers,
      payload: {},
    })
    expectProblem(missing, 400, 'validation_failed')
    const unknown = await app.inject({
      method: 'PUT',
      url: '/v1/me/grants/no-such-client/limit',
      headers: c.person.session.headers,
      payload: { monthly_limit: 100 },
    })
    expectProblem(unknown, 404, 'not_found')
    const noCsrf = await app.inject({
      method: 'PUT',
      url: `/v1/me/grants/${c.partner.clientId}/limit`,
      headers: { cookie: c.person.session.cookie },
      payload: { monthly_limit: 100 },
    })
    expectProblem(noCsrf, 403, 'csrf_token_invalid')
    expect(await c.grant()).toMatchObject({ monthly_limit: 900 })
    expect(await partnerEvents(c, 'grant.updated')).toHaveLength(0)
  })

  it('refuses a consent with a bad limit and grants nothing', async () => {
    const c = await connectedPerson(app, { scopes: ['check'] })
    const { partner, person } = c
    const url = authorizeUrl({
      response_type: 'code',
      client_id: partner.clientId,
      redirect_uri: REDIRECT_URI,
      scope: 'charge',
      code_challenge: pkce().challenge,
      code_challenge_method: 'S256',
    })
    const start = await app.inject({ method: 'GET', url, headers: { cookie: person.session.cookie } })
    const requestId = (start.headers.location as string).slice('/consent/'.length)
    const decided = await app.inject({
      method: 'POST',
      url: `/v1/oauth/requests/${requestId}/decision`,
      headers: person.session.headers,
      payload: { allow: true, scopes: ['charge'], monthly_limit: 0 },
    })
    expectProblem(decided, 400, 'validation_failed')
    expect(await c.grant()).toMatchObject({ scopes: ['check'], monthly_limit: null })
  })
})

describe('the month of a spending limit', () => {
  it('starts afresh on the first of the next calendar month, UTC', async () => {
    const clock = createManualClock(new Date('2030-01-31T23:58:00Z'))
    const app = await buildTestApp({ PROTUS_SWEEP_INTERVAL_SECONDS: '0' }, { clock })
    try {
      const c = await connectedPerson(app, { monthlyLimit: 1000 })
      expect((await c.post('/v1/charges', { account: c.accountId, amount: 1000 })).statusCode).toBe(201)
      expectProblem(
        await c.post('/v1/charges', { account: c.accountId, amount: 1 }),
        402,
        'spending_limit_exceeded',
      )
      expect((await c.get(`/v1/accounts/${c.accountId}`)).json().spending_limit).toEqual({
        monthly: 1000,
        remaining: 0,
        resets_at: '2030-02-01T00:00:00.000Z',
      })
      // Still January.
      clock.advance(60_000)
      expectProblem(
        await c.post('/v1/holds', { account: c.accountId, amount: 1 }),
        402,
        'spending_limit_exceeded',
      )
      clock.advance(60_000)
      const held = await c.post('/v1/holds', { account: c.accountId, amount: 400 })
      expect(held.statusCode, held.body).toBe(201)
      expect((await c.post('/v1/charges', { account: c.accountId, amount: 600 })).statusCode).toBe(201)
      expectProblem(
        await c.post('/v1/charges', { account: c.accountId, amount: 1 }),
        402,
        'spending_limit_exceeded',
      )
      expect(await c.grant()).toMatchObject({
        spent_this_month: 600,
        limit_remaining: 0,
        limit_resets_at: '2030-03-01T00:00:00.000Z',
      })
      await expectLedgerSound(app)
    } finally {
      await app.close()
    }
  })
})

// Two API processes on one PostgreSQL: each batches its own charges, and the limit holds across both.
describe.skipIf(!onPostgres || !cliBuilt)('a spending limit across two server processes', () => {
  let shared: Awaited<ReturnType<typeof serversSharingDatabase>>

  beforeAll(async () => {
    shared = await serversSharingDatabase(2, { PROTUS_WEBHOOK_WORKER: '0' })
  }, 90_000)
  afterAll(() => shared.stop())

  it('lets exactly the 13 charges that fit through when 64 arrive at once, half on each server', async () => {
    const { app } = shared
    const c = await connectedPerson(app, { monthlyLimit: 1300 })
    const answers = await Promise.all(
      Array.from({ length: 64 }, async (_, i) => {
        const res = await fetch(`${shared.baseUrl(i)}/v1/charges`, {
          method: 'POST',
          headers: {
            authorization: c.partner.auth,
            'idempotency-key': `two-${i}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({ account: c.accountId, amount: 100 }),
        })
        return { status: res.status, body: (await res.json()) as { code?: string } }
      }),
    )
    expect(answers.filter((a) => a.status === 201)).toHaveLength(13)
    const refused = answers.filter((a) => a.status !== 201)
    expect(refused).toHaveLength(51)
    expect(refused.every((a) => a.status === 402 && a.body.code === 'spending_limit_exceeded')).toBe(true)
    expect((await c.get(`/v1/accounts/${c.accountId}`)).json()).toMatchObject({
      spent: 1300,
      spending_limit: { monthly: 1300, remaining: 0 },
    })
    await expectLedgerSound(app)
  }, 60_000)
})
