import Fastify, { type FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createProtusClient, type ProtusClient } from '../src/client.js'
import { ProtusError } from '../src/errors.js'
import { createWebhookHandler } from '../src/fastify.js'
import type { Service } from '../src/types.js'
import { type WebhookEvent, webhookEventTypes } from '../src/webhooks.js'
import { refusal } from './support/fixtures.js'
import { payCheckout, registerCompany } from './support/people.js'
import { type ProtusServer, protusServer, startProtus } from './support/server.js'

const DAY = 86_400
/** The same moment a month later (UTC), on the month's last day when it is shorter. */
function monthAfter(iso: string): string {
  const at = new Date(iso)
  const month = at.getUTCMonth() + 1
  const last = new Date(Date.UTC(at.getUTCFullYear(), month + 1, 0)).getUTCDate()
  const next = new Date(at)
  next.setUTCDate(1)
  next.setUTCMonth(month)
  next.setUTCDate(Math.min(at.getUTCDate(), last))
  return next.toISOString()
}

const secondsToMonthAfter = (iso: string) => Math.ceil((Date.parse(monthAfter(iso)) - Date.parse(iso)) / 1000)

// The clock is the server's, shared by everything on it: this file has a server of its own.
let server: ProtusServer
let protus: ProtusClient
let receiver: FastifyInstance
let monthly: Service
const events: WebhookEvent[] = []

beforeAll(async () => {
  server = await startProtus({
    PROTUS_TEST_CLOCK: 'true',
    PROTUS_WEBHOOK_ALLOW_PRIVATE: '1',
    PROTUS_WEBHOOK_POLL_MS: '50',
  })
  const credentials = await registerCompany(server.baseUrl)
  protus = createProtusClient({ baseUrl: server.baseUrl, ...credentials, retries: { baseDelayMs: 10 } })
  receiver = Fastify()
  const record = (event: WebhookEvent) => void events.push(event)
  await receiver.register(
    createWebhookHandler(
      credentials.webhookSecret,
      Object.fromEntries(webhookEventTypes.map((type) => [type, record])),
    ),
  )
  const url = await receiver.listen({ port: 0, host: '127.0.0.1' })
  await protus.company.update({ webhook_url: `${url}/webhooks/protus` })
  monthly = await protus.services.create({
    name: 'Pro',
    price: 29_900,
    recurring: { interval: 'month', count: 1 },
  })
}, 120_000)

afterAll(async () => {
  await receiver?.close()
  await server?.stop()
})

const refused = (call: Promise<unknown>) => refusal(call, ProtusError)

let users = 0
async function fundedAccount(amount: number) {
  const account = await protus.ensureAccount({ externalId: `sub-user-${++users}` })
  if (amount > 0) {
    const topup = await protus.accounts.createTopup(account.id, { amount })
    await payCheckout(topup.checkout_url as string)
  }
  return account
}

/** The subscription events received for one subscription, in arrival order. */
async function eventsOf(id: string, count: number): Promise<WebhookEvent[]> {
  const of = () =>
    events.filter((e) => {
      if (!e.type.startsWith('subscription.')) return false
      const data = e.data as { id?: string; subscription?: { id: string } }
      return (data.subscription?.id ?? data.id) === id
    })
  const deadline = Date.now() + 15_000
  while (of().length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
  return of()
}

describe('subscriptions through the SDK', () => {
  it('lists the five subscription events among the event types', () => {
    expect(webhookEventTypes).toEqual(
      expect.arrayContaining([
        'subscription.created',
        'subscription.renewed',
        'subscription.payment_failed',
        'subscription.updated',
        'subscription.canceled',
      ]),
    )
  })

  it('starts a monthly subscription once per key, renews it when the sandbox clock passes the period end, and ends it at period end', async () => {
    const account = await fundedAccount(150_000)
    const key = `pro-${account.id}`
    const started = await protus.subscriptions.create(
      { account: account.id, service: monthly.id, quantity: 2, metadata: { plan: 'pro' } },
      { idempotencyKey: key },
    )
    expect(started).toMatchObject({
      id: expect.stringMatching(/^sub_/),
      account: account.id,
      service: monthly.id,
      quantity: 2,
      amount: 59_800,
      currency: 'RUB',
      interval: 'month',
      interval_count: 1,
      status: 'active',
      cancel_at_period_end: false,
      cancel_reason: null,
      latest_charge: expect.stringMatching(/^ch_/),
      metadata: { plan: 'pro' },
    })
    expect(started.current_period_start).toBe(started.created_at)
    expect(started.current_period_end).toBe(monthAfter(started.current_period_start))
    expect(started.next_charge_at).toBe(started.current_period_end)
    // The same key replays the answer: one subscription, one charge.
    const again = await protus.subscriptions.create(
      { account: account.id, service: monthly.id, quantity: 2, metadata: { plan: 'pro' } },
      { idempotencyKey: key },
    )
    expect(again).toEqual(started)
    expect((await protus.subscriptions.list({ account: account.id })).data).toEqual([started])
    expect(await protus.accounts.balance(account.id)).toMatchObject({ available: 90_200 })

    // A price change applies to new subscriptions only.
    await protus.services.update(monthly.id, { price: 35_000 })
    const { now: before } = await protus.sandbox.clock()
    const { now } = await protus.sandbox.advanceClock(secondsToMonthAfter(before))
    expect(Date.parse(now)).toBeGreaterThanOrEqual(Date.parse(started.current_period_end))
    const renewed = await protus.subscriptions.retrieve(started.id)
    expect(renewed).toMatchObject({
      status: 'active',
      amount: 59_800,
      current_period_start: started.current_period_end,
      current_period_end: monthAfter(started.current_period_end),
    })
    expect(renewed.latest_charge).not.toBe(started.latest_charge)
    const charges = await protus.charges.list({ account: account.id })
    expect(charges.data.map((c) => [c.id, c.amount]).sort()).toEqual(
      [
        [started.latest_charge, 59_800],
        [renewed.latest_charge, 59_800],
      ].sort(),
    )
    expect(await protus.accounts.balance(account.id)).toMatchObject({ available: 150_000 - 2 * 59_800 })

    const ending = await protus.subscriptions.cancel(started.id)
    expect(ending).toMatchObject({ status: 'active', cancel_at_period_end: true, next_charge_at: null })
    await protus.sandbox.advanceClock(32 * DAY)
    const ended = await protus.subscriptions.retrieve(started.id)
    expect(ended).toMatchObject({
      status: 'canceled',
      cancel_reason: 'canceled_by_partner',
      latest_charge: renewed.latest_charge,
      next_charge_at: null,
    })
    expect((await protus.charges.list({ account: account.id })).data).toHaveLength(2)
    const error = await refused(protus.subscriptions.cancel(started.id))
    expect(error).toMatchObject({ code: 'subscription_canceled', status: 409 })

    // The events, typed by the SDK, in the order of the changes.
    const received = await eventsOf(started.id, 4)
    expect(received.map((e) => e.type)).toEqual([
      'subscription.created',
      'subscription.renewed',
      'subscription.updated',
      'subscription.canceled',
    ])
    const renewal = received[1]
    if (renewal?.type !== 'subscription.renewed') throw new Error('no renewal event')
    expect(renewal.data.charge).toMatchObject({ id: renewed.latest_charge, amount: 59_800 })
    expect(renewal.data.subscription.current_period_start).toBe(started.current_period_end)
  })

  it('refuses without funds (no subscription), a one-off service and an unknown one', async () => {
    const empty = await fundedAccount(0)
    const poor = await refused(protus.subscriptions.create({ account: empty.id, service: monthly.id }))
    expect(poor).toMatchObject({ code: 'insufficient_funds', status: 402 })
    expect((await protus.subscriptions.list({ account: empty.id })).data).toEqual([])

    const once = await protus.services.create({ name: 'One-off', price: 100 })
    const rich = await fundedAccount(1_000)
    const notRecurring = await refused(protus.subscriptions.create({ account: rich.id, service: once.id }))
    expect(notRecurring).toMatchObject({ code: 'service_not_recurring', status: 422 })
    const missing = await refused(protus.subscriptions.retrieve('sub_missing'))
    expect(missing).toMatchObject({ code: 'not_found', status: 404 })
  })

  it('turns a refused renewal into past_due with a payment_failed event, and cancels at once when asked', async () => {
    const basic = await protus.services.create({
      name: 'Basic',
      price: 20_000,
      recurring: { interval: 'month', count: 1 },
    })
    const account = await fundedAccount(20_000)
    const sub = await protus.subscriptions.create({ account: account.id, service: basic.id })
    expect(sub.amount).toBe(20_000)
    const { now } = await protus.sandbox.clock()
    await protus.sandbox.advanceClock(secondsToMonthAfter(now))
    const due = await protus.subscriptions.retrieve(sub.id)
    expect(due).toMatchObject({
      status: 'past_due',
      current_period_end: sub.current_period_end,
      last_payment_error: { code: 'insufficient_funds' },
      latest_charge: sub.latest_charge,
    })
    expect(due.next_retry_at).not.toBeNull()
    expect(due.next_charge_at).toBe(due.next_retry_at)
    expect((await protus.subscriptions.list({ status: 'past_due' })).data.map((s) => s.id)).toContain(sub.id)

    const canceled = await protus.subscriptions.cancel(sub.id)
    expect(canceled).toMatchObject({ status: 'canceled', cancel_reason: 'canceled_by_partner' })
    const received = await eventsOf(sub.id, 3)
    expect(received.map((e) => e.type)).toEqual([
      'subscription.created',
      'subscription.payment_failed',
      'subscription.canceled',
    ])
    const failed = received[1]
    if (failed?.type !== 'subscription.payment_failed') throw new Error('no payment_failed event')
    expect(failed.data).toMatchObject({ code: 'insufficient_funds', next_retry_at: due.next_retry_at })
  })
})

describe('the sandbox clock', () => {
  it('is not there on a server without PROTUS_TEST_CLOCK', async () => {
    const plain = createProtusClient({
      baseUrl: protusServer().baseUrl,
      ...(await registerCompany(protusServer().baseUrl)),
    })
    expect(await refused(plain.sandbox.clock())).toMatchObject({ code: 'not_found', status: 404 })
  })

  it('only moves forward, by 1 to 31622400 seconds', async () => {
    const { now } = await protus.sandbox.clock()
    const moved = await protus.sandbox.advanceClock(3_600)
    expect(Date.parse(moved.now) - Date.parse(now)).toBeGreaterThanOrEqual(3_600_000)
    const tooFar = await refused(protus.sandbox.advanceClock(31_622_401))
    expect(tooFar).toMatchObject({ code: 'validation_failed', status: 400 })
  })
})
