import type { FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { buildTestApp } from '../support/app.js'
import { connectedPerson } from '../support/grants.js'
import { expectProblem, signIn } from '../support/http.js'
import { expectLedgerSound, newKey } from '../support/money.js'

// Renewals as a partner sees them in the sandbox: the real offset clock (PROTUS_TEST_CLOCK=true),
// moved with POST /v1/sandbox/clock, and nothing but HTTP requests of the partner (client
// credentials) and of the person (session). No worker polls: the clock's own run does the work.

const DAY_MS = 86_400_000
const HOUR_MS = 3_600_000
/** The most POST /v1/sandbox/clock moves at once (366 days). */
const MAX_ADVANCE_SECONDS = 31_622_400

type Connected = Awaited<ReturnType<typeof connectedPerson>>

// biome-ignore lint/suspicious/noExplicitAny: tests read API objects loosely.
type Json = Record<string, any>

/**
 * `anchor` plus `months` calendar months in UTC with Stripe's month-end rule (a day the target
 * month lacks becomes its last day), always counted from the anchor: the test's own arithmetic,
 * independent of the module's.
 */
function addMonths(anchor: Date, months: number): Date {
  const total = anchor.getUTCMonth() + months
  const year = anchor.getUTCFullYear() + Math.floor(total / 12)
  const month = ((total % 12) + 12) % 12
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate()
  return new Date(
    Date.UTC(
      year,
      month,
      Math.min(anchor.getUTCDate(), lastDay),
      anchor.getUTCHours(),
      anchor.getUTCMinutes(),
      anchor.getUTCSeconds(),
      anchor.getUTCMilliseconds(),
    ),
  )
}

const iso = (d: Date) => d.toISOString()
const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0

const apps: FastifyInstance[] = []
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close()
})

/** An app on a fresh database with the sandbox clock on and no polling worker. */
async function sandboxApp(): Promise<FastifyInstance> {
  const app = await buildTestApp({ PROTUS_TEST_CLOCK: 'true', PROTUS_SWEEP_INTERVAL_SECONDS: '0' })
  apps.push(app)
  return app
}

/**
 * The person's session headers: a fresh sign-in each time, since sessions expire on the clock
 * (14 days), which the tests move by months.
 */
async function personHeaders(app: FastifyInstance, c: Connected): Promise<Record<string, string>> {
  return (await signIn(app, 'customer', c.person.email, c.person.password)).headers
}

/** The partner's and the person's side of one sandbox. */
function sandboxOf(app: FastifyInstance, c: Connected) {
  const auth = c.partner.auth
  const sandbox = {
    async now(): Promise<Date> {
      const res = await app.inject({
        method: 'GET',
        url: '/v1/sandbox/clock',
        headers: { authorization: auth },
      })
      expect(res.statusCode, res.body).toBe(200)
      return new Date(res.json().now)
    },
    /** POST /v1/sandbox/clock; checks the answered `now` is the old one moved by `seconds`. */
    async advance(seconds: number): Promise<Date> {
      const before = await sandbox.now()
      const realBefore = Date.now()
      const res = await app.inject({
        method: 'POST',
        url: '/v1/sandbox/clock',
        headers: { authorization: auth, 'idempotency-key': newKey() },
        payload: { advance_seconds: seconds },
      })
      expect(res.statusCode, res.body).toBe(200)
      const now = new Date(res.json().now)
      const moved = now.getTime() - before.getTime()
      expect(moved).toBeGreaterThanOrEqual(seconds * 1000)
      // Only the real time the request took comes on top (and a little for the GET before it).
      expect(moved).toBeLessThanOrEqual(seconds * 1000 + (Date.now() - realBefore) + 1_000)
      return now
    },
    /** Moves the clock to `at` or a moment (under a second) after it. */
    async advanceTo(at: Date): Promise<Date> {
      const seconds = Math.ceil((at.getTime() - (await sandbox.now()).getTime()) / 1000)
      expect(seconds).toBeGreaterThan(0)
      expect(seconds).toBeLessThanOrEqual(MAX_ADVANCE_SECONDS)
      return sandbox.advance(seconds)
    },
    async subscription(id: string): Promise<Json> {
      const res = await c.get(`/v1/subscriptions/${id}`)
      expect(res.statusCode, res.body).toBe(200)
      return res.json()
    },
    /** The account's charges, oldest first. */
    async charges(): Promise<Json[]> {
      const all: Json[] = []
      let after = ''
      for (;;) {
        const res = await c.get(`/v1/charges?account=${c.accountId}&limit=100${after}`)
        expect(res.statusCode, res.body).toBe(200)
        const page = res.json() as { data: Json[]; has_more: boolean }
        all.push(...page.data)
        if (!page.has_more) break
        after = `&starting_after=${page.data.at(-1)?.id}`
      }
      return all.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    },
    /** The subscription events of `subscriptionId` in the partner's outbox, in the order they were emitted. */
    async events(subscriptionId: string): Promise<{ type: string; timestamp: string; data: Json }[]> {
      const all: Json[] = []
      let after = ''
      for (;;) {
        const res = await c.get(`/v1/webhook-deliveries?limit=100${after}`)
        expect(res.statusCode, res.body).toBe(200)
        const page = res.json() as { data: Json[]; has_more: boolean }
        all.push(...page.data)
        if (!page.has_more) break
        after = `&starting_after=${page.data.at(-1)?.id}`
      }
      return all
        .reverse()
        .map((d) => d.event as { type: string; timestamp: string; data: Json })
        .filter(
          (e) =>
            e.type.startsWith('subscription.') && (e.data.subscription?.id ?? e.data.id) === subscriptionId,
        )
    },
    /** The person's view of their subscriptions. */
    async mine(): Promise<Json[]> {
      const res = await app.inject({
        method: 'GET',
        url: '/v1/me/subscriptions',
        headers: await personHeaders(app, c),
      })
      expect(res.statusCode, res.body).toBe(200)
      return res.json().data
    },
    async wallet(): Promise<{ available: number; held: number }> {
      const res = await app.inject({
        method: 'GET',
        url: '/v1/me/wallet',
        headers: await personHeaders(app, c),
      })
      expect(res.statusCode, res.body).toBe(200)
      return res.json()
    },
  }
  return sandbox
}

/** A recurring service of the partner. */
async function service(c: Connected, price: number, interval = 'month'): Promise<string> {
  const res = await c.post('/v1/services', {
    name: `Pro ${newKey()}`,
    price,
    recurring: { interval, count: 1 },
  })
  expect(res.statusCode, res.body).toBe(201)
  return res.json().id
}

async function subscribe(c: Connected, serviceId: string, quantity = 1): Promise<Json> {
  const res = await c.post('/v1/subscriptions', { account: c.accountId, service: serviceId, quantity })
  expect(res.statusCode, res.body).toBe(201)
  return res.json()
}

/** Tops up the person's wallet as they would: a top-up and the sandbox checkout paid. */
async function topUp(app: FastifyInstance, c: Connected, amount: number): Promise<void> {
  const res = await app.inject({
    method: 'POST',
    url: '/v1/me/topups',
    headers: { ...(await personHeaders(app, c)), 'idempotency-key': newKey() },
    payload: { amount },
  })
  expect(res.statusCode, res.body).toBe(201)
  const paid = await app.inject({
    method: 'POST',
    url: new URL(res.json().checkout_url).pathname,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'outcome=succeeded',
  })
  expect(paid.statusCode, paid.body).toBeLessThan(400)
}

/** The next Jan 31, 12:00 UTC, at least a minute after `after`. */
function nextJanuary31(after: Date): Date {
  const thisYear = new Date(Date.UTC(after.getUTCFullYear(), 0, 31, 12))
  return thisYear.getTime() > after.getTime() + 60_000
    ? thisYear
    : new Date(Date.UTC(after.getUTCFullYear() + 1, 0, 31, 12))
}

/** A person paying a monthly plan (price 1 250 × quantity 2) started on a Jan 31 of the clock. */
async function januarySubscription(app: FastifyInstance, balance: number) {
  const c = await connectedPerson(app, { balance })
  const sandbox = sandboxOf(app, c)
  const start = await sandbox.advanceTo(nextJanuary31(await sandbox.now()))
  const plan = await service(c, 1_250)
  const sub = await subscribe(c, plan, 2)
  const anchor = new Date(sub.current_period_start)
  // Created at the clock's time, on Jan 31.
  expect(anchor.getTime() - start.getTime()).toBeGreaterThanOrEqual(0)
  expect(anchor.getTime() - start.getTime()).toBeLessThan(60_000)
  expect([anchor.getUTCMonth(), anchor.getUTCDate()]).toEqual([0, 31])
  expect(sub).toMatchObject({
    status: 'active',
    amount: 2_500,
    quantity: 2,
    interval: 'month',
    interval_count: 1,
    current_period_end: iso(addMonths(anchor, 1)),
    next_charge_at: iso(addMonths(anchor, 1)),
    cancel_at_period_end: false,
  })
  // The month-end rule the expectations below rely on: Feb 28/29, Mar 31, Apr 30, …, Feb, Mar 31.
  const february = isLeap(anchor.getUTCFullYear()) ? 29 : 28
  const nextFebruary = isLeap(anchor.getUTCFullYear() + 1) ? 29 : 28
  expect(Array.from({ length: 14 }, (_, k) => addMonths(anchor, k + 1).getUTCDate())).toEqual([
    february,
    31,
    30,
    31,
    30,
    31,
    31,
    30,
    31,
    30,
    31,
    31,
    nextFebruary,
    31,
  ])
  return { c, sandbox, sub, anchor }
}

/**
 * After 13 renewals of `januarySubscription`: 14 charges of 2 500 (period 0 and 13 renewals), each
 * made when its period began, 13 subscription.renewed events in period order, the statement marking
 * every one, the wallet debited 14 times, the ledger sound.
 */
async function expectThirteenRenewals(
  app: FastifyInstance,
  world: Awaited<ReturnType<typeof januarySubscription>>,
  balance: number,
) {
  const { c, sandbox, sub, anchor } = world
  const after = await sandbox.subscription(sub.id)
  expect(after).toMatchObject({
    status: 'active',
    amount: 2_500,
    current_period_start: iso(addMonths(anchor, 13)),
    current_period_end: iso(addMonths(anchor, 14)),
    next_charge_at: iso(addMonths(anchor, 14)),
    next_retry_at: null,
    last_payment_error: null,
  })

  const charges = await sandbox.charges()
  expect(charges).toHaveLength(14)
  expect(charges[0]?.id).toBe(sub.latest_charge)
  expect(after.latest_charge).toBe(charges[13]?.id)
  for (const [n, charge] of charges.entries()) {
    expect(charge).toMatchObject({ amount: 2_500, account: c.accountId, status: 'succeeded' })
    // Each renewal was charged at its period's start on the clock (the clock stops there for it).
    const start = addMonths(anchor, n).getTime()
    const made = new Date(charge.created_at).getTime()
    expect(made, `charge of period ${n}`).toBeGreaterThanOrEqual(start)
    expect(made - start, `charge of period ${n}`).toBeLessThan(60_000)
  }

  const events = await sandbox.events(sub.id)
  const renewed = events.filter((e) => e.type === 'subscription.renewed')
  expect(events.map((e) => e.type)).toEqual([
    'subscription.created',
    ...renewed.map(() => 'subscription.renewed'),
  ])
  expect(renewed).toHaveLength(13)
  for (const [i, event] of renewed.entries()) {
    const period = i + 1
    expect(event.data.charge).toMatchObject({ id: charges[period]?.id, amount: 2_500 })
    expect(event.data.subscription).toMatchObject({
      id: sub.id,
      status: 'active',
      current_period_start: iso(addMonths(anchor, period)),
      current_period_end: iso(addMonths(anchor, period + 1)),
      latest_charge: charges[period]?.id,
    })
  }
  const stamps = events.map((e) => new Date(e.timestamp).getTime())
  expect(stamps).toEqual([...stamps].sort((a, b) => a - b))

  // The person's statement marks every one of the subscription's charges.
  const entries = await app.inject({
    method: 'GET',
    url: '/v1/me/entries?limit=100',
    headers: await personHeaders(app, c),
  })
  expect(entries.statusCode, entries.body).toBe(200)
  const charged = (entries.json().data as Json[]).filter((e) => e.kind === 'charge')
  expect(charged).toHaveLength(14)
  for (const entry of charged) expect(entry).toMatchObject({ amount: 2_500, subscription: sub.id })
  expect(await sandbox.wallet()).toMatchObject({ available: balance - 14 * 2_500, held: 0 })
  await expectLedgerSound(app)
}

describe('subscriptions renewed by the sandbox clock', () => {
  it('renews a monthly subscription started on Jan 31 once a month for 13 months, on month-end dates', async () => {
    const app = await sandboxApp()
    const balance = 100_000
    const world = await januarySubscription(app, balance)
    const { sandbox, sub, anchor } = world
    for (let month = 1; month <= 13; month++) {
      // An hour into the month's period: exactly its renewal is due.
      await sandbox.advanceTo(new Date(addMonths(anchor, month).getTime() + HOUR_MS))
      const now = await sandbox.subscription(sub.id)
      expect(now, `month ${month}`).toMatchObject({
        status: 'active',
        current_period_start: iso(addMonths(anchor, month)),
        current_period_end: iso(addMonths(anchor, month + 1)),
        next_charge_at: iso(addMonths(anchor, month + 1)),
      })
      expect(await sandbox.charges(), `month ${month}`).toHaveLength(month + 1)
    }
    // The person sees it with its next charge date.
    const mine = await sandbox.mine()
    expect(mine.find((s) => s.id === sub.id)).toMatchObject({
      status: 'active',
      amount: 2_500,
      next_charge_at: iso(addMonths(anchor, 14)),
      client_id: world.c.partner.clientId,
    })
    await expectThirteenRenewals(app, world, balance)
  }, 120_000)

  it('runs twelve renewals in time order within one move of 366 days, and the 13th on the next move', async () => {
    const app = await sandboxApp()
    const balance = 100_000
    const world = await januarySubscription(app, balance)
    const { sandbox, sub, anchor } = world
    const moved = await sandbox.advance(MAX_ADVANCE_SECONDS)
    // 366 days after Jan 31 is Jan 31 or Feb 1 of the next year: periods 1 to 12 have begun.
    expect(moved.getTime()).toBeGreaterThanOrEqual(addMonths(anchor, 12).getTime())
    expect(moved.getTime()).toBeLessThan(addMonths(anchor, 13).getTime())
    expect(await sandbox.subscription(sub.id)).toMatchObject({
      status: 'active',
      current_period_start: iso(addMonths(anchor, 12)),
      current_period_end: iso(addMonths(anchor, 13)),
    })
    expect(await sandbox.charges()).toHaveLength(13)
    // Past period 13's start (Feb 28/29), before period 14's (Mar 31).
    await sandbox.advanceTo(new Date(addMonths(anchor, 13).getTime() + DAY_MS))
    await expectThirteenRenewals(app, world, balance)
  }, 120_000)
})

describe('a renewal the wallet cannot pay', () => {
  it('goes past_due and retries 1, 3 and 5 days after; "Pay now" after a top-up recovers one, the other is canceled', async () => {
    const app = await sandboxApp()
    const price = 900
    // Two people whose wallets hold exactly the first period.
    const recovers = await connectedPerson(app, { balance: price })
    const runsOut = await connectedPerson(app, { balance: price, partner: recovers.partner })
    const sandbox = sandboxOf(app, recovers)
    const other = sandboxOf(app, runsOut)
    const plan = await service(recovers, price)
    const subA = await subscribe(recovers, plan)
    const subB = await subscribe(runsOut, plan)
    expect(await sandbox.wallet()).toMatchObject({ available: 0 })
    const anchorA = new Date(subA.current_period_start)
    const anchorB = new Date(subB.current_period_start)
    const dueA = addMonths(anchorA, 1)
    const dueB = addMonths(anchorB, 1)

    /** Checks both are past_due after failure number `failures`; answers their next retry times. */
    const expectPastDue = async (failures: number) => {
      const retryDays = [1, 3, 5][failures - 1] as number
      for (const [s, sub, due] of [
        [sandbox, subA, dueA],
        [other, subB, dueB],
      ] as const) {
        const now = await s.subscription(sub.id)
        expect(now, `after failure ${failures}`).toMatchObject({
          status: 'past_due',
          current_period_start: sub.current_period_start,
          current_period_end: iso(due),
          last_payment_error: { code: 'insufficient_funds' },
          latest_charge: sub.latest_charge,
          canceled_at: null,
        })
        // The first failure happened when period 1 came due; retries count from it.
        const retry = new Date(now.next_retry_at).getTime() - due.getTime()
        expect(retry, `after failure ${failures}`).toBeGreaterThanOrEqual(retryDays * DAY_MS)
        expect(retry - retryDays * DAY_MS, `after failure ${failures}`).toBeLessThan(60_000)
        expect(now.next_charge_at).toBe(now.next_retry_at)
      }
      return [await sandbox.subscription(subA.id), await other.subscription(subB.id)] as const
    }

    // Period 1 comes due with empty wallets.
    await sandbox.advanceTo(new Date(Math.max(dueA.getTime(), dueB.getTime()) + HOUR_MS))
    let [a, b] = await expectPastDue(1)
    expect((await sandbox.mine()).find((s) => s.id === subA.id)).toMatchObject({
      status: 'past_due',
      next_retry_at: a.next_retry_at,
    })

    // "Pay now" with an empty wallet is refused and changes nothing.
    const refused = await app.inject({
      method: 'POST',
      url: `/v1/me/subscriptions/${subA.id}/pay`,
      headers: await personHeaders(app, recovers),
    })
    expectProblem(refused, 402, 'insufficient_funds')
    expect(await sandbox.subscription(subA.id)).toMatchObject({
      status: 'past_due',
      next_retry_at: a.next_retry_at,
    })

    // The first retry (day 1) and the second (day 3) fail too.
    await sandbox.advanceTo(
      new Date(Math.max(Date.parse(a.next_retry_at), Date.parse(b.next_retry_at)) + HOUR_MS),
    )
    ;[a, b] = await expectPastDue(2)
    await sandbox.advanceTo(
      new Date(Math.max(Date.parse(a.next_retry_at), Date.parse(b.next_retry_at)) + HOUR_MS),
    )
    ;[a, b] = await expectPastDue(3)

    // A top-up, and "Pay now" pays period 1 at once: the anchor does not move.
    await topUp(app, recovers, 2_000)
    const paid = await app.inject({
      method: 'POST',
      url: `/v1/me/subscriptions/${subA.id}/pay`,
      headers: await personHeaders(app, recovers),
    })
    expect(paid.statusCode, paid.body).toBe(200)
    expect(paid.json()).toMatchObject({
      id: subA.id,
      status: 'active',
      current_period_start: iso(dueA),
      current_period_end: iso(addMonths(anchorA, 2)),
      next_charge_at: iso(addMonths(anchorA, 2)),
      next_retry_at: null,
      last_payment_error: null,
      client_id: recovers.partner.clientId,
    })
    expectProblem(
      await app.inject({
        method: 'POST',
        url: `/v1/me/subscriptions/${subA.id}/pay`,
        headers: await personHeaders(app, recovers),
      }),
      409,
      'subscription_not_past_due',
    )
    expect(await sandbox.wallet()).toMatchObject({ available: 2_000 - price, held: 0 })

    // Day 5: the last retry of the other fails and cancels it; the recovered one is left alone.
    await sandbox.advanceTo(new Date(Date.parse(b.next_retry_at) + HOUR_MS))
    const canceled = await other.subscription(subB.id)
    expect(canceled).toMatchObject({
      status: 'canceled',
      cancel_reason: 'payment_failed',
      next_charge_at: null,
      next_retry_at: null,
      current_period_start: subB.current_period_start,
      last_payment_error: { code: 'insufficient_funds' },
    })
    const canceledAfter = Date.parse(canceled.canceled_at) - dueB.getTime()
    expect(canceledAfter).toBeGreaterThanOrEqual(5 * DAY_MS)
    expect(canceledAfter - 5 * DAY_MS).toBeLessThan(60_000)
    expect(await sandbox.subscription(subA.id)).toMatchObject({
      status: 'active',
      current_period_start: iso(dueA),
      latest_charge: paid.json().latest_charge,
    })

    // Charges: A period 0 and its paid period 1; B period 0 only.
    const chargesA = await sandbox.charges()
    expect(chargesA.map((ch) => ch.amount)).toEqual([price, price])
    expect(chargesA.map((ch) => ch.id)).toEqual([subA.latest_charge, paid.json().latest_charge])
    expect((await other.charges()).map((ch) => ch.id)).toEqual([subB.latest_charge])

    // The webhooks, in commit order: each refusal (the refused "Pay now" too, its retry time
    // unchanged), then the renewal or the end.
    const eventsA = await sandbox.events(subA.id)
    expect(eventsA.map((e) => e.type)).toEqual([
      'subscription.created',
      'subscription.payment_failed',
      'subscription.payment_failed',
      'subscription.payment_failed',
      'subscription.payment_failed',
      'subscription.renewed',
    ])
    const eventsB = await other.events(subB.id)
    expect(eventsB.map((e) => e.type)).toEqual([
      'subscription.created',
      'subscription.payment_failed',
      'subscription.payment_failed',
      'subscription.payment_failed',
      'subscription.payment_failed',
      'subscription.canceled',
    ])
    for (const [events, due, retryDays] of [
      [eventsA, dueA, [1, 1, 3, 5]],
      [eventsB, dueB, [1, 3, 5, null]],
    ] as const) {
      const failed = events.filter((e) => e.type === 'subscription.payment_failed')
      for (const [i, e] of failed.entries()) {
        expect(e.data.code).toBe('insufficient_funds')
        expect(e.data.subscription.next_retry_at).toBe(e.data.next_retry_at)
        const days = retryDays[i]
        if (days === null) {
          // The last refusal has no retry after it.
          expect(e.data.next_retry_at).toBeNull()
          continue
        }
        const retry = Date.parse(e.data.next_retry_at) - due.getTime()
        expect(retry, `payment_failed ${i}`).toBeGreaterThanOrEqual((days as number) * DAY_MS)
        expect(retry - (days as number) * DAY_MS, `payment_failed ${i}`).toBeLessThan(60_000)
      }
    }
    expect(eventsB[5]?.data).toMatchObject({
      id: subB.id,
      status: 'canceled',
      cancel_reason: 'payment_failed',
    })
    expect(eventsA[5]?.data.charge).toMatchObject({ id: paid.json().latest_charge, amount: price })
    expect(eventsA[5]?.data.subscription).toMatchObject({ status: 'active', current_period_start: iso(dueA) })

    // Nothing more is tried: a week on, neither has a new charge.
    await sandbox.advance(7 * 86_400)
    expect(await sandbox.charges()).toHaveLength(2)
    expect(await other.charges()).toHaveLength(1)
    await expectLedgerSound(app)
  }, 120_000)
})
