import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectedPerson } from '../support/grants.js'
import { expectProblem } from '../support/http.js'
import { expectLedgerSound, newKey } from '../support/money.js'
import {
  chargesOf,
  eventsOf,
  type ManualClock,
  recurringService,
  renewAt,
  type SubscriptionBody,
  subscribe,
  subscriptionsApp,
} from './helpers.js'

describe('partner subscriptions API', () => {
  let app: FastifyInstance
  let clock: ManualClock
  beforeAll(async () => {
    ;({ app, clock } = await subscriptionsApp('2030-01-31T10:00:00.000Z'))
  })
  afterAll(() => app.close())

  it('starts a subscription with the first period charged at once, and answers 201 with its shape', async () => {
    const c = await connectedPerson(app, { balance: 10_000 })
    const service = await recurringService(c, 1500)
    const res = await subscribe(c, {
      account: c.accountId,
      service: service.id,
      quantity: 2,
      metadata: { plan: 'pro' },
    })
    expect(res.statusCode, res.body).toBe(201)
    const sub = res.json() as SubscriptionBody
    expect(sub).toEqual({
      id: expect.stringMatching(/^sub_/),
      account: c.accountId,
      service: service.id,
      quantity: 2,
      amount: 3000,
      currency: 'RUB',
      interval: 'month',
      interval_count: 1,
      status: 'active',
      current_period_start: '2030-01-31T10:00:00.000Z',
      current_period_end: '2030-02-28T10:00:00.000Z',
      cancel_at_period_end: false,
      next_charge_at: '2030-02-28T10:00:00.000Z',
      next_retry_at: null,
      last_payment_error: null,
      canceled_at: null,
      cancel_reason: null,
      latest_charge: expect.stringMatching(/^ch_/),
      metadata: { plan: 'pro' },
      created_at: '2030-01-31T10:00:00.000Z',
    })
    // The first period's charge is an ordinary charge of the partner.
    const charge = (await c.get(`/v1/charges/${sub.latest_charge}`)).json()
    expect(charge).toMatchObject({ amount: 3000, account: c.accountId, service: service.id, quantity: 2 })
    expect((await c.get(`/v1/accounts/${c.accountId}/balance`)).json()).toMatchObject({ available: 7000 })
    expect((await c.get(`/v1/subscriptions/${sub.id}`)).json()).toEqual(sub)
    const events = await eventsOf(c)
    const types = events.map((e) => e.type)
    expect(types.slice(types.indexOf('charge.succeeded'))).toEqual([
      'charge.succeeded',
      'subscription.created',
    ])
    expect(events.at(-1)?.data).toEqual(sub)
    // The person's statement marks the charge as the subscription's.
    const entries = await app.inject({
      method: 'GET',
      url: '/v1/me/entries',
      headers: c.person.session.headers,
    })
    const entry = (
      entries.json() as { data: { kind: string; amount: number; subscription: string | null }[] }
    ).data[0]
    expect(entry).toMatchObject({ kind: 'charge', amount: 3000, subscription: sub.id })
    await expectLedgerSound(app)
  })

  it('replays the answer for the same Idempotency-Key and starts one subscription', async () => {
    const c = await connectedPerson(app, { balance: 10_000 })
    const service = await recurringService(c, 1000)
    const key = newKey()
    const first = await subscribe(c, { account: c.accountId, service: service.id }, key)
    const again = await subscribe(c, { account: c.accountId, service: service.id }, key)
    expect(first.statusCode).toBe(201)
    expect(again.statusCode).toBe(201)
    expect(again.headers['idempotent-replayed']).toBe('true')
    expect(again.json()).toEqual(first.json())
    const list = (await c.get(`/v1/subscriptions?account=${c.accountId}`)).json() as { data: unknown[] }
    expect(list.data).toHaveLength(1)
    expect(await chargesOf(c, c.accountId)).toHaveLength(1)
    expectProblem(
      await subscribe(c, { account: c.accountId, service: service.id, quantity: 3 }, key),
      422,
      'idempotency_key_reused',
    )
    expectProblem(
      await c.post('/v1/subscriptions', { account: c.accountId, service: service.id }, ''),
      400,
      'idempotency_key_required',
    )
  })

  it('refuses with 402 insufficient_funds, saves the refusal under the key, and leaves no subscription', async () => {
    const c = await connectedPerson(app, { balance: 500 })
    const service = await recurringService(c, 1000)
    const key = newKey()
    expectProblem(
      await subscribe(c, { account: c.accountId, service: service.id }, key),
      402,
      'insufficient_funds',
    )
    const list = (await c.get(`/v1/subscriptions?account=${c.accountId}`)).json() as { data: unknown[] }
    expect(list.data).toEqual([])
    expect(await chargesOf(c, c.accountId)).toEqual([])
    // Sticky: after a top-up the same key still answers the refusal.
    await app.inject({ method: 'GET', url: '/healthz' })
    const { fund } = await import('../support/money.js')
    await fund(app, c.person.customer.id, 5000)
    const replay = await subscribe(c, { account: c.accountId, service: service.id }, key)
    expectProblem(replay, 402, 'insufficient_funds')
    expect(replay.headers['idempotent-replayed']).toBe('true')
    const rows = await app.db.query('SELECT * FROM subscriptions WHERE account_id = $1', [c.accountId])
    expect(rows).toEqual([])
    expect((await eventsOf(c)).filter((e) => e.type.startsWith('subscription.'))).toEqual([])
    await expectLedgerSound(app)
  })

  it('refuses one-off and archived services with 422, and another partner’s account with 404', async () => {
    const c = await connectedPerson(app, { balance: 10_000 })
    const oneOff = await recurringService(c, 1000, null)
    expectProblem(
      await subscribe(c, { account: c.accountId, service: oneOff.id }),
      422,
      'service_not_recurring',
    )
    const archived = await recurringService(c, 1000)
    const patch = await app.inject({
      method: 'PATCH',
      url: `/v1/services/${archived.id}`,
      headers: { authorization: c.partner.auth },
      payload: { active: false },
    })
    expect(patch.statusCode, patch.body).toBe(200)
    expectProblem(await subscribe(c, { account: c.accountId, service: archived.id }), 422, 'service_inactive')
    const other = await connectedPerson(app, { balance: 10_000 })
    const live = await recurringService(c, 1000)
    expectProblem(await subscribe(c, { account: other.accountId, service: live.id }), 404, 'not_found')
    expectProblem(
      await subscribe(c, { account: c.accountId, service: live.id, quantity: 0 }),
      400,
      'validation_failed',
    )
    expect(await chargesOf(c, c.accountId)).toEqual([])
  })

  it('refuses without the charge scope (403 insufficient_scope) and over the spending limit (402)', async () => {
    const noCharge = await connectedPerson(app, { scopes: ['check', 'hold'] })
    const service = await recurringService(noCharge, 1000)
    expectProblem(
      await subscribe(noCharge, { account: noCharge.accountId, service: service.id }),
      403,
      'insufficient_scope',
    )
    const limited = await connectedPerson(app, { monthlyLimit: 900 })
    const priced = await recurringService(limited, 1000)
    expectProblem(
      await subscribe(limited, { account: limited.accountId, service: priced.id }),
      402,
      'spending_limit_exceeded',
    )
  })

  it('lists newest first with filters and cursor, and hides another partner’s subscriptions', async () => {
    const c = await connectedPerson(app, { balance: 100_000 })
    const a = await recurringService(c, 100)
    const b = await recurringService(c, 200, { interval: 'week', count: 2 })
    const ids: string[] = []
    for (const service of [a, b, a]) {
      const res = await subscribe(c, { account: c.accountId, service: service.id })
      expect(res.statusCode, res.body).toBe(201)
      ids.push((res.json() as SubscriptionBody).id)
    }
    const cancel = await c.post(`/v1/subscriptions/${ids[0]}/cancel`, { at_period_end: false })
    expect(cancel.statusCode, cancel.body).toBe(200)

    const all = (await c.get(`/v1/subscriptions?account=${c.accountId}`)).json() as {
      data: SubscriptionBody[]
    }
    expect(all.data.map((s) => s.id)).toEqual([...ids].reverse())
    const page = (await c.get(`/v1/subscriptions?account=${c.accountId}&limit=2`)).json() as {
      data: SubscriptionBody[]
      has_more: boolean
    }
    expect(page).toMatchObject({ has_more: true })
    const rest = (
      await c.get(`/v1/subscriptions?account=${c.accountId}&starting_after=${page.data[1]?.id}`)
    ).json()
    expect(rest).toEqual({ data: [all.data[2]], has_more: false })
    const ofB = (await c.get(`/v1/subscriptions?service=${b.id}`)).json() as { data: SubscriptionBody[] }
    expect(ofB.data.map((s) => s.id)).toEqual([ids[1]])
    expect(ofB.data[0]).toMatchObject({ interval: 'week', interval_count: 2, amount: 200 })
    const canceled = (await c.get(`/v1/subscriptions?account=${c.accountId}&status=canceled`)).json() as {
      data: SubscriptionBody[]
    }
    expect(canceled.data.map((s) => s.id)).toEqual([ids[0]])
    expectProblem(await c.get('/v1/subscriptions?status=paused'), 400, 'validation_failed')

    const other = await connectedPerson(app)
    expectProblem(await other.get(`/v1/subscriptions/${ids[1]}`), 404, 'not_found')
    expectProblem(await other.post(`/v1/subscriptions/${ids[1]}/cancel`, {}), 404, 'not_found')
    expect(((await other.get('/v1/subscriptions')).json() as { data: unknown[] }).data).toEqual([])
  })

  it('cancels at period end (no charge, canceled_by_partner at the end) or at once, and 409 when canceled', async () => {
    clock.set(new Date('2030-03-01T00:00:00.000Z'))
    const c = await connectedPerson(app, { balance: 100_000 })
    const service = await recurringService(c, 1000)
    const later = (
      await subscribe(c, { account: c.accountId, service: service.id })
    ).json() as SubscriptionBody
    const now = (await subscribe(c, { account: c.accountId, service: service.id })).json() as SubscriptionBody

    const switched = await c.post(`/v1/subscriptions/${later.id}/cancel`, {})
    expect(switched.statusCode, switched.body).toBe(200)
    expect(switched.json()).toMatchObject({
      status: 'active',
      cancel_at_period_end: true,
      next_charge_at: null,
      canceled_at: null,
      cancel_reason: null,
    })
    // Asked again: nothing more changes, and no second subscription.updated.
    expect((await c.post(`/v1/subscriptions/${later.id}/cancel`, { at_period_end: true })).statusCode).toBe(
      200,
    )

    const ended = await c.post(`/v1/subscriptions/${now.id}/cancel`, { at_period_end: false })
    expect(ended.statusCode, ended.body).toBe(200)
    expect(ended.json()).toMatchObject({
      status: 'canceled',
      cancel_reason: 'canceled_by_partner',
      canceled_at: '2030-03-01T00:00:00.000Z',
      next_charge_at: null,
    })
    expectProblem(await c.post(`/v1/subscriptions/${now.id}/cancel`, {}), 409, 'subscription_canceled')

    // At the period's end the worker ends it without charging.
    expect(await renewAt(app, clock, '2030-04-01T00:00:00.000Z')).toBeGreaterThanOrEqual(1)
    expect((await c.get(`/v1/subscriptions/${later.id}`)).json()).toMatchObject({
      status: 'canceled',
      cancel_reason: 'canceled_by_partner',
      canceled_at: '2030-04-01T00:00:00.000Z',
      current_period_end: '2030-04-01T00:00:00.000Z',
    })
    expect(await chargesOf(c, c.accountId)).toHaveLength(2)
    const events = (await eventsOf(c)).filter((e) => e.type.startsWith('subscription.'))
    const of = (id: string) => events.filter((e) => e.data.id === id).map((e) => e.type)
    expect(of(later.id)).toEqual(['subscription.created', 'subscription.updated', 'subscription.canceled'])
    expect(of(now.id)).toEqual(['subscription.created', 'subscription.canceled'])
    await expectLedgerSound(app)
  })
})
