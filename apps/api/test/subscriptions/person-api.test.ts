import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectedPerson } from '../support/grants.js'
import { expectProblem } from '../support/http.js'
import { expectLedgerSound, fund, newKey } from '../support/money.js'
import { authorizeUrl, consent, partnerClient, pkce, REDIRECT_URI } from '../support/oauth.js'
import {
  type Connected,
  chargesOf,
  eventsOf,
  type ManualClock,
  recurringService,
  renewAt,
  type SubscriptionBody,
  subscribe,
  subscriptionsApp,
} from './helpers.js'

type PersonSubscription = Omit<SubscriptionBody, 'metadata'> & {
  client_id: string
  partner_name: string
  service_name: string
}

const DAY = 86_400_000

describe('a person’s subscriptions', () => {
  let app: FastifyInstance
  let clock: ManualClock
  beforeAll(async () => {
    ;({ app, clock } = await subscriptionsApp('2030-05-01T09:00:00.000Z'))
  })
  afterAll(() => app.close())

  const mine = async (c: Connected) => {
    const res = await app.inject({
      method: 'GET',
      url: '/v1/me/subscriptions',
      headers: c.person.session.headers,
    })
    expect(res.statusCode, res.body).toBe(200)
    return (res.json() as { data: PersonSubscription[] }).data
  }
  const act = (c: Connected, id: string, action: 'cancel' | 'pay', headers = c.person.session.headers) =>
    app.inject({ method: 'POST', url: `/v1/me/subscriptions/${id}/${action}`, headers })

  async function started(c: Connected, price: number, interval: 'day' | 'week' = 'week') {
    const service = await recurringService(c, price, { interval, count: 1 })
    const res = await subscribe(c, { account: c.accountId, service: service.id, metadata: { seat: 'a' } })
    expect(res.statusCode, res.body).toBe(201)
    return res.json() as SubscriptionBody
  }

  it('lists the person’s subscriptions at every partner, newest first, with the partner’s and service’s names', async () => {
    clock.set(new Date('2030-05-01T09:00:00.000Z'))
    const first = await connectedPerson(app, { balance: 10_000 })
    const atFirst = await started(first, 300)
    // The same person signs in to a second partner too.
    const partner = await partnerClient(app)
    const url = authorizeUrl({
      response_type: 'code',
      client_id: partner.clientId,
      redirect_uri: REDIRECT_URI,
      scope: 'check hold charge',
      state: newKey(),
      code_challenge: pkce().challenge,
      code_challenge_method: 'S256',
    })
    await consent(app, first.person.session.headers, url, {
      allow: true,
      scopes: ['check', 'hold', 'charge'],
    })
    const grants = await app.inject({
      method: 'GET',
      url: '/v1/me/grants',
      headers: first.person.session.headers,
    })
    const accountAtSecond = (
      grants.json() as { data: { client_id: string; account_id: string }[] }
    ).data.find((g) => g.client_id === partner.clientId)?.account_id as string
    const second = {
      post: (path: string, payload: object = {}) =>
        app.inject({
          method: 'POST',
          url: path,
          headers: { authorization: partner.auth, 'idempotency-key': newKey() },
          payload,
        }),
    }
    const service = await recurringService(second, 450)
    const res = await second.post('/v1/subscriptions', { account: accountAtSecond, service: service.id })
    expect(res.statusCode, res.body).toBe(201)
    const atSecond = res.json() as SubscriptionBody
    const canceled = await second.post(`/v1/subscriptions/${atSecond.id}/cancel`, { at_period_end: false })
    expect(canceled.statusCode).toBe(200)

    const list = await mine(first)
    expect(list.map((s) => s.id)).toEqual([atSecond.id, atFirst.id])
    const { metadata: _metadata, ...withoutMetadata } = atFirst
    expect(list[1]).toEqual({
      ...withoutMetadata,
      client_id: first.partner.clientId,
      partner_name: first.partner.name,
      service_name: expect.stringMatching(/^Pro /),
    })
    expect(list[0]).toMatchObject({ status: 'canceled', client_id: partner.clientId, amount: 450 })
    // Another person sees none of them.
    const other = await connectedPerson(app, { balance: 0 })
    expect(await mine(other)).toEqual([])
    const anonymous = await app.inject({ method: 'GET', url: '/v1/me/subscriptions' })
    expectProblem(anonymous, 401, 'unauthenticated')
  })

  it('cancels at the end of the paid period, ended by the worker as canceled_by_person with no further charge', async () => {
    clock.set(new Date('2030-06-01T09:00:00.000Z'))
    const c = await connectedPerson(app, { balance: 10_000 })
    const sub = await started(c, 300)
    const res = await act(c, sub.id, 'cancel')
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({
      id: sub.id,
      status: 'active',
      cancel_at_period_end: true,
      next_charge_at: null,
      client_id: c.partner.clientId,
    })
    // Without the CSRF header the session may not change anything.
    expectProblem(
      await act(c, sub.id, 'cancel', { cookie: c.person.session.cookie }),
      403,
      'csrf_token_invalid',
    )
    await renewAt(app, clock, sub.current_period_end)
    expect((await c.get(`/v1/subscriptions/${sub.id}`)).json()).toMatchObject({
      status: 'canceled',
      cancel_reason: 'canceled_by_person',
      canceled_at: sub.current_period_end,
    })
    expect(await chargesOf(c, c.accountId)).toHaveLength(1)
    expectProblem(await act(c, sub.id, 'cancel'), 409, 'subscription_canceled')
    const other = await connectedPerson(app, { balance: 0 })
    expectProblem(await act(other, sub.id, 'cancel'), 404, 'not_found')
    expectProblem(await act(other, 'sub_nothing', 'pay'), 404, 'not_found')
  })

  it('ends a past-due subscription at once when the person cancels it', async () => {
    clock.set(new Date('2030-07-01T09:00:00.000Z'))
    const c = await connectedPerson(app, { balance: 300 })
    const sub = await started(c, 300, 'day')
    await renewAt(app, clock, sub.current_period_end)
    const res = await act(c, sub.id, 'cancel')
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({
      status: 'canceled',
      cancel_reason: 'canceled_by_person',
      next_retry_at: null,
    })
  })

  it('pays a past-due subscription now: refused while the wallet is empty, schedule unchanged; paid after a top-up', async () => {
    clock.set(new Date('2030-08-01T09:00:00.000Z'))
    const c = await connectedPerson(app, { balance: 800 })
    const sub = await started(c, 800)
    expectProblem(await act(c, sub.id, 'pay'), 409, 'subscription_not_past_due')

    const due = sub.current_period_end
    await renewAt(app, clock, due)
    const pastDue = (await c.get(`/v1/subscriptions/${sub.id}`)).json() as SubscriptionBody
    expect(pastDue).toMatchObject({
      status: 'past_due',
      next_retry_at: new Date(Date.parse(due) + DAY).toISOString(),
    })

    clock.set(new Date(Date.parse(due) + 3_600_000))
    const refused = expectProblem(await act(c, sub.id, 'pay'), 402, 'insufficient_funds')
    expect(refused.detail).toEqual(expect.any(String))
    expect((await c.get(`/v1/subscriptions/${sub.id}`)).json()).toMatchObject({
      status: 'past_due',
      next_retry_at: pastDue.next_retry_at,
      last_payment_error: { code: 'insufficient_funds' },
    })

    await fund(app, c.person.customer.id, 800)
    clock.set(new Date(Date.parse(due) + 2 * 3_600_000))
    const paid = await act(c, sub.id, 'pay')
    expect(paid.statusCode, paid.body).toBe(200)
    const body = paid.json() as PersonSubscription
    expect(body).toMatchObject({
      status: 'active',
      current_period_start: due,
      current_period_end: new Date(Date.parse(due) + 7 * DAY).toISOString(),
      next_charge_at: new Date(Date.parse(due) + 7 * DAY).toISOString(),
      next_retry_at: null,
      last_payment_error: null,
    })
    const charges = await chargesOf(c, c.accountId)
    expect(charges).toHaveLength(2)
    expect(body.latest_charge).toBe(charges[1]?.id)
    expect(charges[1]?.created_at).toBe(new Date(Date.parse(due) + 2 * 3_600_000).toISOString())
    expectProblem(await act(c, sub.id, 'pay'), 409, 'subscription_not_past_due')
    // The retry that was scheduled finds nothing to do.
    await renewAt(app, clock, pastDue.next_retry_at as string)
    expect(await chargesOf(c, c.accountId)).toHaveLength(2)

    const types = (await eventsOf(c))
      .filter((e) => e.type.startsWith('subscription.'))
      .map((e) => [e.type, e.data.code ?? null])
    expect(types).toEqual([
      ['subscription.created', null],
      ['subscription.payment_failed', 'insufficient_funds'],
      ['subscription.payment_failed', 'insufficient_funds'],
      ['subscription.renewed', null],
    ])
    await expectLedgerSound(app)
  })

  it('answers Pay now with the grant’s refusal when the partner may no longer charge', async () => {
    clock.set(new Date('2030-09-01T09:00:00.000Z'))
    const c = await connectedPerson(app, { balance: 500, monthlyLimit: 600 })
    const sub = await started(c, 500, 'day')
    await fund(app, c.person.customer.id, 5000)
    await renewAt(app, clock, sub.current_period_end)
    expect((await c.get(`/v1/subscriptions/${sub.id}`)).json()).toMatchObject({
      status: 'past_due',
      last_payment_error: { code: 'spending_limit_exceeded' },
    })
    expectProblem(await act(c, sub.id, 'pay'), 402, 'spending_limit_exceeded')
    expect((await c.setLimit(null)).statusCode).toBe(200)
    expect((await act(c, sub.id, 'pay')).statusCode).toBe(200)
  })
})
