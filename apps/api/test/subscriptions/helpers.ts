import type { FastifyInstance } from 'fastify'
import { expect } from 'vitest'
import { createManualClock } from '../../src/lib/clock.js'
import { buildTestApp } from '../support/app.js'
import type { connectedPerson } from '../support/grants.js'
import { newKey } from '../support/money.js'

export type ManualClock = ReturnType<typeof createManualClock>
export type Connected = Awaited<ReturnType<typeof connectedPerson>>

export interface SubscriptionBody {
  id: string
  account: string
  service: string
  quantity: number
  amount: number
  currency: string
  interval: string
  interval_count: number
  status: 'active' | 'past_due' | 'canceled'
  current_period_start: string
  current_period_end: string
  cancel_at_period_end: boolean
  next_charge_at: string | null
  next_retry_at: string | null
  last_payment_error: { code: string; message: string } | null
  canceled_at: string | null
  cancel_reason: string | null
  latest_charge: string | null
  metadata: Record<string, string>
  created_at: string
}

/** An app on a manual clock (the renewal worker runs only when a test calls it). */
export async function subscriptionsApp(start = '2030-01-31T10:00:00.000Z', env: Record<string, string> = {}) {
  const clock = createManualClock(new Date(start))
  const app = await buildTestApp(
    { PROTUS_SWEEP_INTERVAL_SECONDS: '0', LOG_LEVEL: 'error', ...env },
    { clock },
  )
  return { app, clock }
}

/** A recurring service of the partner: `price` every `count` `interval`s. */
export async function recurringService(
  c: Pick<Connected, 'post'>,
  price: number,
  recurring: { interval: 'day' | 'week' | 'month' | 'year'; count: number } | null = {
    interval: 'month',
    count: 1,
  },
) {
  const res = await c.post('/v1/services', { name: `Pro ${newKey()}`, price, recurring })
  expect(res.statusCode, res.body).toBe(201)
  return res.json() as { id: string; price: number }
}

export async function subscribe(c: Pick<Connected, 'post'>, body: object, key = newKey()) {
  return c.post('/v1/subscriptions', body, key)
}

/** Moves the clock to `at` and runs the renewal worker there. */
export async function renewAt(app: FastifyInstance, clock: ManualClock, at: Date | string) {
  clock.set(new Date(at))
  return app.services.renewals.runOnce()
}

/** The events of one type the partner was sent (or will be), oldest first. */
export async function eventsOf(c: Pick<Connected, 'get'>, type?: string) {
  const all: { event: { type: string; data: Record<string, unknown> }; id: string }[] = []
  let after: string | undefined
  for (;;) {
    const query = new URLSearchParams({ limit: '100', ...(type ? { type } : {}) })
    if (after) query.set('starting_after', after)
    const res = await c.get(`/v1/webhook-deliveries?${query}`)
    expect(res.statusCode, res.body).toBe(200)
    const page = res.json() as { data: (typeof all)[number][]; has_more: boolean }
    all.push(...page.data)
    if (!page.has_more) break
    after = page.data.at(-1)?.id
  }
  return all.reverse().map((d) => d.event)
}

/** The charges of the subscription's account, oldest first. */
export async function chargesOf(c: Pick<Connected, 'get'>, account: string) {
  const res = await c.get(`/v1/charges?account=${account}&limit=100`)
  expect(res.statusCode, res.body).toBe(200)
  return (
    res.json() as {
      data: { id: string; amount: number; created_at: string; metadata: Record<string, string> }[]
    }
  ).data.reverse()
}
