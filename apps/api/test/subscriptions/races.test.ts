import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectedPerson } from '../support/grants.js'
import { expectLedgerSound } from '../support/money.js'
import {
  chargesOf,
  type ManualClock,
  recurringService,
  renewAt,
  type SubscriptionBody,
  subscribe,
  subscriptionsApp,
} from './helpers.js'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('subscriptions under concurrent requests', () => {
  let app: FastifyInstance
  let clock: ManualClock
  beforeAll(async () => {
    ;({ app, clock } = await subscriptionsApp('2030-03-01T00:00:00.000Z'))
  })
  afterAll(() => app.close())

  it('leaves no live subscription on an account whose revocation answered, while 40 starts race it', async () => {
    const c = await connectedPerson(app, { balance: 1_000_000 })
    const service = await recurringService(c, 10, { interval: 'day', count: 1 })
    const starts = Array.from({ length: 40 }, async (_, i) => {
      await sleep(i % 20)
      return subscribe(c, { account: c.accountId, service: service.id })
    })
    const revoked = sleep(8).then(() => c.revoke())
    const answers = await Promise.all(starts)
    expect((await revoked).statusCode).toBe(204)

    const created = answers.filter((a) => a.statusCode === 201).map((a) => (a.json() as SubscriptionBody).id)
    for (const refused of answers.filter((a) => a.statusCode !== 201)) {
      expect({ status: refused.statusCode, code: refused.json().code }).toEqual({
        status: 403,
        code: 'grant_revoked',
      })
    }
    const rows = await app.db.query<{ id: string; status: string; cancel_reason: string | null }>(
      'SELECT id, status, cancel_reason FROM subscriptions WHERE account_id = $1 ORDER BY id',
      [c.accountId],
    )
    // Every subscription that started was ended by the revocation; none started after it.
    expect(rows.map((r) => r.id)).toEqual([...created].sort())
    for (const row of rows) expect(row).toMatchObject({ status: 'canceled', cancel_reason: 'grant_revoked' })
    expect(await chargesOf(c, c.accountId)).toHaveLength(created.length)
    await renewAt(app, clock, '2030-03-05T00:00:00.000Z')
    expect(await chargesOf(c, c.accountId)).toHaveLength(created.length)
    await expectLedgerSound(app)
  })

  it('charges a past-due period once when Pay now races the scheduled retry', async () => {
    clock.set(new Date('2030-04-01T00:00:00.000Z'))
    const c = await connectedPerson(app, { balance: 100 })
    const service = await recurringService(c, 100, { interval: 'week', count: 1 })
    const sub = (await subscribe(c, { account: c.accountId, service: service.id })).json() as SubscriptionBody
    await renewAt(app, clock, sub.current_period_end)
    const { fund } = await import('../support/money.js')
    await fund(app, c.person.customer.id, 1000)
    clock.set(new Date(Date.parse(sub.current_period_end) + 86_400_000))
    const [paid] = await Promise.all([
      app.inject({
        method: 'POST',
        url: `/v1/me/subscriptions/${sub.id}/pay`,
        headers: c.person.session.headers,
      }),
      app.services.renewals.runOnce(),
    ])
    // Whoever came second found it paid: Pay now answers 409 or the worker had nothing to do.
    expect([200, 409]).toContain(paid.statusCode)
    const charges = await chargesOf(c, c.accountId)
    expect(charges).toHaveLength(2)
    expect((await c.get(`/v1/subscriptions/${sub.id}`)).json()).toMatchObject({
      status: 'active',
      current_period_start: sub.current_period_end,
      latest_charge: charges[1]?.id,
    })
    await expectLedgerSound(app)
  })
})
