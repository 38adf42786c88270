import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addInterval } from '../../src/modules/subscriptions/periods.js'
import { connectedPerson } from '../support/grants.js'
import { expectProblem } from '../support/http.js'
import { expectLedgerSound, fund } from '../support/money.js'
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

const DAY = 86_400_000
const plus = (iso: string, ms: number) => new Date(new Date(iso).getTime() + ms).toISOString()

async function started(c: Connected, price: number, recurring?: Parameters<typeof recurringService>[2]) {
  const service = await recurringService(c, price, recurring)
  const res = await subscribe(c, { account: c.accountId, service: service.id })
  expect(res.statusCode, res.body).toBe(201)
  return { service, sub: res.json() as SubscriptionBody }
}

const read = async (c: Connected, id: string) =>
  (await c.get(`/v1/subscriptions/${id}`)).json() as SubscriptionBody

/** What the wallet has left, as the partner reads it (the person's session does not last a year). */
async function walletAvailable(c: Connected) {
  const res = await c.get(`/v1/accounts/${c.accountId}/balance`)
  expect(res.statusCode, res.body).toBe(200)
  return (res.json() as { available: number }).available
}

/** The subscription.* events of one subscription, oldest first. */
async function subscriptionEvents(c: Connected, id: string) {
  return (await eventsOf(c))
    .filter((e) => e.type.startsWith('subscription.'))
    .filter((e) => (e.data.id ?? (e.data.subscription as { id?: string } | undefined)?.id) === id)
}

describe('renewals', () => {
  let app: FastifyInstance
  let clock: ManualClock
  beforeAll(async () => {
    ;({ app, clock } = await subscriptionsApp('2030-01-31T10:00:00.000Z'))
  })
  afterAll(() => app.close())

  it('charges 13 monthly periods from a Jan 31 anchor exactly once each, at the fixed price, on the right dates', async () => {
    clock.set(new Date('2030-01-31T10:00:00.000Z'))
    const c = await connectedPerson(app, { balance: 100_000 })
    const { service, sub } = await started(c, 1234)
    // A later price change applies to new subscriptions only.
    const patched = await app.inject({
      method: 'PATCH',
      url: `/v1/services/${service.id}`,
      headers: { authorization: c.partner.auth },
      payload: { price: 9999 },
    })
    expect(patched.statusCode, patched.body).toBe(200)

    const cadence = { interval: 'month', count: 1 } as const
    const anchor = new Date(sub.created_at)
    for (let n = 1; n <= 12; n++) {
      const end = addInterval(anchor, cadence, n)
      // A millisecond early nothing is due.
      await renewAt(app, clock, new Date(end.getTime() - 1))
      expect((await read(c, sub.id)).current_period_end).toBe(end.toISOString())
      // Passes asked for at once (the server's timer, the sandbox clock) charge the period once.
      clock.set(end)
      const { renewals } = app.services
      await Promise.all([renewals.runOnce(), renewals.runOnce(), renewals.runOnce()])
      const now = await read(c, sub.id)
      expect(now).toMatchObject({
        status: 'active',
        amount: 1234,
        current_period_start: end.toISOString(),
        current_period_end: addInterval(anchor, cadence, n + 1).toISOString(),
        next_charge_at: addInterval(anchor, cadence, n + 1).toISOString(),
      })
    }
    const charges = await chargesOf(c, c.accountId)
    expect(charges).toHaveLength(13)
    expect(charges.map((ch) => ch.amount)).toEqual(Array(13).fill(1234))
    expect(charges.map((ch) => ch.created_at)).toEqual([
      '2030-01-31T10:00:00.000Z',
      '2030-02-28T10:00:00.000Z',
      '2030-03-31T10:00:00.000Z',
      '2030-04-30T10:00:00.000Z',
      '2030-05-31T10:00:00.000Z',
      '2030-06-30T10:00:00.000Z',
      '2030-07-31T10:00:00.000Z',
      '2030-08-31T10:00:00.000Z',
      '2030-09-30T10:00:00.000Z',
      '2030-10-31T10:00:00.000Z',
      '2030-11-30T10:00:00.000Z',
      '2030-12-31T10:00:00.000Z',
      '2031-01-31T10:00:00.000Z',
    ])
    expect(charges.every((ch) => ch.metadata.subscription === sub.id)).toBe(true)
    expect((await read(c, sub.id)).latest_charge).toBe(charges.at(-1)?.id)
    // Money in equals money out: what the wallet lost is what the partner was paid, no more.
    expect(await walletAvailable(c)).toBe(100_000 - 13 * 1234)
    expect((await c.get(`/v1/accounts/${c.accountId}`)).json()).toMatchObject({ spent: 13 * 1234, held: 0 })
    const periods = await app.db.query<{ period: number; charge_id: string }>(
      'SELECT period, charge_id FROM subscription_periods WHERE subscription_id = $1 ORDER BY period',
      [sub.id],
    )
    expect(periods.map((p) => p.period)).toEqual([...Array(13).keys()])
    expect(periods.map((p) => p.charge_id)).toEqual(charges.map((ch) => ch.id))
    // Every renewal charge's ledger transfer names the subscription.
    const transfers = await app.db.query<{ n: bigint }>(
      `SELECT count(*)::bigint AS n FROM ledger_transfers WHERE user_data->>'subscription_id' = $1`,
      [sub.id],
    )
    expect(Number(transfers[0]?.n)).toBe(13)
    const renewed = (await subscriptionEvents(c, sub.id)).filter((e) => e.type === 'subscription.renewed')
    expect(renewed).toHaveLength(12)
    expect(renewed[0]?.data).toMatchObject({
      subscription: { id: sub.id, current_period_start: '2030-02-28T10:00:00.000Z' },
      charge: { id: charges[1]?.id, amount: 1234 },
    })
    await expectLedgerSound(app)
  })

  it('goes past due on an empty wallet, retries 1, 3 and 5 days after, then cancels with payment_failed, webhooks in order', async () => {
    clock.set(new Date('2032-01-10T00:00:00.000Z'))
    const c = await connectedPerson(app, { balance: 700 })
    const { sub } = await started(c, 700, { interval: 'week', count: 1 })
    const due = '2032-01-17T00:00:00.000Z'
    expect(sub.current_period_end).toBe(due)

    await renewAt(app, clock, due)
    expect(await read(c, sub.id)).toMatchObject({
      status: 'past_due',
      current_period_start: '2032-01-10T00:00:00.000Z',
      current_period_end: due,
      next_retry_at: plus(due, DAY),
      next_charge_at: plus(due, DAY),
      last_payment_error: { code: 'insufficient_funds', message: expect.any(String) },
      canceled_at: null,
    })
    // Not before the retry is due.
    await renewAt(app, clock, plus(due, DAY - 1))
    expect((await read(c, sub.id)).next_retry_at).toBe(plus(due, DAY))
    await renewAt(app, clock, plus(due, DAY))
    expect(await read(c, sub.id)).toMatchObject({ status: 'past_due', next_retry_at: plus(due, 3 * DAY) })
    await renewAt(app, clock, plus(due, 3 * DAY))
    expect(await read(c, sub.id)).toMatchObject({ status: 'past_due', next_retry_at: plus(due, 5 * DAY) })
    await renewAt(app, clock, plus(due, 5 * DAY))
    expect(await read(c, sub.id)).toMatchObject({
      status: 'canceled',
      cancel_reason: 'payment_failed',
      canceled_at: plus(due, 5 * DAY),
      next_retry_at: null,
      next_charge_at: null,
      current_period_end: due,
      last_payment_error: { code: 'insufficient_funds' },
    })
    // Nothing more happens to it.
    await renewAt(app, clock, '2032-03-01T00:00:00.000Z')
    expect(await chargesOf(c, c.accountId)).toHaveLength(1)

    const events = await subscriptionEvents(c, sub.id)
    expect(events.map((e) => e.type)).toEqual([
      'subscription.created',
      'subscription.payment_failed',
      'subscription.payment_failed',
      'subscription.payment_failed',
      'subscription.payment_failed',
      'subscription.canceled',
    ])
    expect(
      events
        .filter((e) => e.type === 'subscription.payment_failed')
        .map((e) => [e.data.code, e.data.next_retry_at]),
    ).toEqual([
      ['insufficient_funds', plus(due, DAY)],
      ['insufficient_funds', plus(due, 3 * DAY)],
      ['insufficient_funds', plus(due, 5 * DAY)],
      ['insufficient_funds', null],
    ])
    expect(events[1]?.data.subscription).toMatchObject({ id: sub.id, status: 'past_due' })
    expect(events.at(-1)?.data).toMatchObject({
      id: sub.id,
      status: 'canceled',
      cancel_reason: 'payment_failed',
    })
    await expectLedgerSound(app)
  })

  it('recovers at a scheduled retry after a top-up, paying the missed period from the old end: the anchor never moves', async () => {
    clock.set(new Date('2033-01-31T00:00:00.000Z'))
    const c = await connectedPerson(app, { balance: 500 })
    const { sub } = await started(c, 500)
    await renewAt(app, clock, '2033-02-28T00:00:00.000Z')
    expect((await read(c, sub.id)).status).toBe('past_due')
    await fund(app, c.person.customer.id, 500)
    await renewAt(app, clock, '2033-03-01T00:00:00.000Z')
    expect(await read(c, sub.id)).toMatchObject({
      status: 'active',
      current_period_start: '2033-02-28T00:00:00.000Z',
      current_period_end: '2033-03-31T00:00:00.000Z',
      next_retry_at: null,
      last_payment_error: null,
    })
    const charges = await chargesOf(c, c.accountId)
    expect(charges.map((ch) => ch.created_at)).toEqual([
      '2033-01-31T00:00:00.000Z',
      '2033-03-01T00:00:00.000Z',
    ])
    // A later failure counts its retries afresh from its own first refusal.
    await renewAt(app, clock, '2033-03-31T00:00:00.000Z')
    expect(await read(c, sub.id)).toMatchObject({
      status: 'past_due',
      next_retry_at: '2033-04-01T00:00:00.000Z',
    })
    await expectLedgerSound(app)
  })

  it('refuses a renewal over the person’s spending limit, and ends as payment_failed', async () => {
    clock.set(new Date('2034-01-05T00:00:00.000Z'))
    const c = await connectedPerson(app, { balance: 100_000 })
    const { sub } = await started(c, 1000)
    expect((await c.setLimit(500)).statusCode).toBe(200)
    await renewAt(app, clock, '2034-02-05T00:00:00.000Z')
    expect(await read(c, sub.id)).toMatchObject({
      status: 'past_due',
      last_payment_error: { code: 'spending_limit_exceeded' },
    })
    for (const days of [1, 3, 5]) await renewAt(app, clock, plus('2034-02-05T00:00:00.000Z', days * DAY))
    expect(await read(c, sub.id)).toMatchObject({ status: 'canceled', cancel_reason: 'payment_failed' })
    expect(await chargesOf(c, c.accountId)).toHaveLength(1)
    expect(await walletAvailable(c)).toBe(99_000)
    await expectLedgerSound(app)
  })

  it('refuses renewals of an archived service with service_inactive, and ends as service_archived', async () => {
    clock.set(new Date('2035-01-05T00:00:00.000Z'))
    const c = await connectedPerson(app, { balance: 100_000 })
    const { service, sub } = await started(c, 1000, { interval: 'day', count: 3 })
    const archived = await app.inject({
      method: 'PATCH',
      url: `/v1/services/${service.id}`,
      headers: { authorization: c.partner.auth },
      payload: { active: false },
    })
    expect(archived.statusCode).toBe(200)
    const due = '2035-01-08T00:00:00.000Z'
    await renewAt(app, clock, due)
    expect(await read(c, sub.id)).toMatchObject({
      status: 'past_due',
      last_payment_error: { code: 'service_inactive' },
    })
    for (const days of [1, 3, 5]) await renewAt(app, clock, plus(due, days * DAY))
    expect(await read(c, sub.id)).toMatchObject({ status: 'canceled', cancel_reason: 'service_archived' })
    expect(await chargesOf(c, c.accountId)).toHaveLength(1)
    await expectLedgerSound(app)
  })

  it('cancels every subscription of the account at once when the person revokes the partner', async () => {
    clock.set(new Date('2036-01-05T00:00:00.000Z'))
    const c = await connectedPerson(app, { balance: 1500 })
    const { sub: active } = await started(c, 1000)
    const { sub: pastDue } = await started(c, 500, { interval: 'day', count: 1 })
    await renewAt(app, clock, '2036-01-06T00:00:00.000Z')
    expect((await read(c, pastDue.id)).status).toBe('past_due')

    expect((await c.revoke()).statusCode).toBe(204)
    for (const id of [active.id, pastDue.id]) {
      expect(await read(c, id)).toMatchObject({
        status: 'canceled',
        cancel_reason: 'grant_revoked',
        canceled_at: '2036-01-06T00:00:00.000Z',
        next_charge_at: null,
      })
      expect((await subscriptionEvents(c, id)).at(-1)).toMatchObject({ type: 'subscription.canceled' })
    }
    await renewAt(app, clock, '2036-03-01T00:00:00.000Z')
    expect(await chargesOf(c, c.accountId)).toHaveLength(2)
    await expectLedgerSound(app)
  })

  it('cancels the subscriptions when the person takes the charge scope away', async () => {
    clock.set(new Date('2037-01-05T00:00:00.000Z'))
    const c = await connectedPerson(app, { balance: 5000 })
    const { sub } = await started(c, 1000)
    // Asked again (for profile too), the person switches charge off.
    await c.allow({ request: ['check', 'hold', 'charge', 'profile'], scopes: ['check', 'hold'] })
    expect(await c.grant()).toMatchObject({ scopes: ['check', 'hold'] })
    expect(await read(c, sub.id)).toMatchObject({ status: 'canceled', cancel_reason: 'grant_revoked' })
    // A new consent with charge does not bring it back.
    await c.allow({ request: ['check', 'hold', 'charge', 'profile'], scopes: ['check', 'hold', 'charge'] })
    expect((await read(c, sub.id)).status).toBe('canceled')
    expectProblem(await c.post(`/v1/subscriptions/${sub.id}/cancel`, {}), 409, 'subscription_canceled')
  })

  it('ends a past-due subscription at once when the partner cancels it, even at period end', async () => {
    clock.set(new Date('2038-01-05T00:00:00.000Z'))
    const c = await connectedPerson(app, { balance: 100 })
    const { sub } = await started(c, 100, { interval: 'day', count: 1 })
    await renewAt(app, clock, '2038-01-06T00:00:00.000Z')
    const res = await c.post(`/v1/subscriptions/${sub.id}/cancel`, { at_period_end: true })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({
      status: 'canceled',
      cancel_reason: 'canceled_by_partner',
      next_retry_at: null,
      next_charge_at: null,
    })
  })

  it('tells the sandbox clock when it is next due', async () => {
    clock.set(new Date('2039-01-05T00:00:00.000Z'))
    // Everything from the earlier tests has run or ended by now.
    await app.services.renewals.runOnce()
    const before = await app.services.renewals.nextDueAt()
    const c = await connectedPerson(app, { balance: 100_000 })
    await started(c, 100, { interval: 'day', count: 2 })
    const next = await app.services.renewals.nextDueAt()
    expect(next?.toISOString()).toBe(
      before && before < new Date('2039-01-07T00:00:00.000Z')
        ? before.toISOString()
        : '2039-01-07T00:00:00.000Z',
    )
  })
})
