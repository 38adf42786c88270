import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../support/app.js'
import { connectedPerson } from '../support/grants.js'
import { expectProblem } from '../support/http.js'
import { expectLedgerSound } from '../support/money.js'

type Connected = Awaited<ReturnType<typeof connectedPerson>>

async function releasedEvents(c: Connected) {
  const res = await c.get('/v1/webhook-deliveries?type=hold.released')
  return (res.json() as { data: { event: { data: { id: string; reason?: string } } }[] }).data.map(
    (d) => d.event.data,
  )
}

/** What the person's wallet has now, as the person sees it. */
async function wallet(app: FastifyInstance, c: Connected) {
  const res = await app.inject({ method: 'GET', url: '/v1/me/wallet', headers: c.person.session.headers })
  expect(res.statusCode, res.body).toBe(200)
  return res.json() as { available: number; held: number }
}

describe('revocation stops money at once', () => {
  let app: FastifyInstance
  beforeAll(async () => {
    app = await buildTestApp()
  })
  afterAll(() => app.close())

  it('releases every open hold of the grant in the revoking transaction, reason grant_revoked', async () => {
    const c = await connectedPerson(app, { balance: 10_000 })
    const holds = [
      (await c.post('/v1/holds', { account: c.accountId, amount: 3000 })).json() as { id: string },
      (await c.post('/v1/holds', { account: c.accountId, amount: 2000 })).json() as { id: string },
    ]
    expect((await c.post('/v1/charges', { account: c.accountId, amount: 1000 })).statusCode).toBe(201)
    expect(await wallet(app, c)).toMatchObject({ available: 4000, held: 5000 })

    expect((await c.revoke()).statusCode).toBe(204)
    // The answer of the revoke means the money is free again: no sweeper, no waiting.
    expect(await wallet(app, c)).toMatchObject({ available: 9000, held: 0 })
    for (const hold of holds) {
      expect((await c.get(`/v1/holds/${hold.id}`)).json()).toMatchObject({ status: 'released' })
    }
    const released = await releasedEvents(c)
    expect(released.map((e) => e.id).sort()).toEqual(holds.map((h) => h.id).sort())
    expect(released.every((e) => e.reason === 'grant_revoked')).toBe(true)

    expectProblem(await c.post('/v1/charges', { account: c.accountId, amount: 1 }), 403, 'grant_revoked')
    expectProblem(await c.post('/v1/holds', { account: c.accountId, amount: 1 }), 403, 'grant_revoked')
    await expectLedgerSound(app)
  })

  it('refuses every charge sent after the revoke answered while 300 race it, and loses nothing', async () => {
    const c = await connectedPerson(app, { balance: 1_000_000 })
    let revokeAnswered = false
    let sent = 0
    const outcomes: { status: number; code?: string; amount: number; afterRevoke: boolean; kind: string }[] =
      []
    const client = async (worker: number) => {
      while (sent < 320) {
        sent++
        const amount = 1 + ((sent * 7) % 50)
        const kind = sent % 5 === 0 ? 'hold' : 'charge'
        const afterRevoke = revokeAnswered
        const res = await c.post(`/v1/${kind}s`, { account: c.accountId, amount })
        outcomes.push({ status: res.statusCode, code: res.json().code, amount, afterRevoke, kind })
        if (worker === 0 && sent >= 120 && !revokeAnswered && !revoking) {
          revoking = true
          const revoked = await c.revoke()
          expect(revoked.statusCode).toBe(204)
          revokeAnswered = true
        }
      }
    }
    let revoking = false
    await Promise.all(Array.from({ length: 32 }, (_, i) => client(i)))

    expect(outcomes.length).toBeGreaterThanOrEqual(300)
    const after = outcomes.filter((o) => o.afterRevoke)
    expect(after.length).toBeGreaterThan(50)
    for (const o of after) expect(o, JSON.stringify(o)).toMatchObject({ status: 403, code: 'grant_revoked' })
    for (const o of outcomes.filter((x) => x.status !== 201)) {
      expect([403]).toContain(o.status)
      expect(o.code).toBe('grant_revoked')
    }

    const charged = outcomes.filter((o) => o.kind === 'charge' && o.status === 201)
    expect(charged.length).toBeGreaterThan(0)
    const total = charged.reduce((sum, o) => sum + o.amount, 0)
    // Every hold was released with the revoke: the wallet lost exactly the charges answered 201.
    expect(await wallet(app, c)).toMatchObject({ available: 1_000_000 - total, held: 0 })
    const account = await c.get(`/v1/accounts/${c.accountId}`)
    expect(account.json()).toMatchObject({ spent: total, held: 0 })
    const pending = await app.db.query<{ n: bigint }>(
      `SELECT count(*)::bigint AS n FROM billing_holds WHERE account_id = $1 AND status = 'pending'`,
      [c.accountId],
    )
    expect(Number(pending[0]?.n)).toBe(0)
    // In the ledger's own order, no charge of the partner on the account came after the revoke's
    // releases: a charge that raced the revoke committed before it or not at all.
    const [order] = await app.db.query<{ last_charge: bigint; first_release: bigint | null }>(
      `SELECT max(seq) FILTER (WHERE kind = 'posted') AS last_charge,
              min(seq) FILTER (WHERE kind = 'void_pending' AND user_data->>'reason' = 'grant_revoked') AS first_release
         FROM ledger_transfers WHERE user_data->>'account_id' = $1`,
      [c.accountId],
    )
    expect(order?.first_release).not.toBeNull()
    expect(Number(order?.last_charge)).toBeLessThan(Number(order?.first_release))
    await expectLedgerSound(app)
  })

  it('takes a narrowed grant into account under the same lock, releasing holds that can no longer be captured', async () => {
    const c = await connectedPerson(app, { balance: 5000 })
    const hold = (await c.post('/v1/holds', { account: c.accountId, amount: 1500 })).json() as { id: string }
    // Asked again (for profile too), the person switches everything off but check.
    await c.allow({ request: ['check', 'hold', 'charge', 'profile'], scopes: ['check'] })
    expect(await c.grant()).toMatchObject({ scopes: ['check'] })
    expect((await c.get(`/v1/holds/${hold.id}`)).json()).toMatchObject({ status: 'released' })
    expect((await releasedEvents(c)).map((e) => e.reason)).toEqual(['scope_removed'])
    expect(await wallet(app, c)).toMatchObject({ available: 5000, held: 0 })
    const refused = await c.post('/v1/charges', { account: c.accountId, amount: 1 })
    expectProblem(refused, 403, 'insufficient_scope')
    expect(refused.json().scope).toBe('charge')
    expectProblem(await c.post('/v1/holds', { account: c.accountId, amount: 1 }), 403, 'insufficient_scope')
    await expectLedgerSound(app)
  })

  it('keeps holds open when a narrowed grant still allows capturing them', async () => {
    const c = await connectedPerson(app, { balance: 5000 })
    const hold = (await c.post('/v1/holds', { account: c.accountId, amount: 1500 })).json() as { id: string }
    await c.allow({ request: ['hold', 'charge', 'profile'], scopes: ['charge'] })
    expect(await c.grant()).toMatchObject({ scopes: ['check', 'charge'] })
    expect((await c.get(`/v1/holds/${hold.id}`)).json()).toMatchObject({ status: 'pending' })
    expectProblem(await c.post('/v1/holds', { account: c.accountId, amount: 1 }), 403, 'insufficient_scope')
    const captured = await c.post(`/v1/holds/${hold.id}/capture`)
    expect(captured.statusCode, captured.body).toBe(200)
    await expectLedgerSound(app)
  })

  it('lets a hold live at most 7 days', async () => {
    const c = await connectedPerson(app)
    const tooLong = await c.post('/v1/holds', { account: c.accountId, amount: 10, expires_in: 604_801 })
    expectProblem(tooLong, 400, 'validation_failed')
    const week = await c.post('/v1/holds', { account: c.accountId, amount: 10, expires_in: 604_800 })
    expect(week.statusCode, week.body).toBe(201)
    const created = new Date(week.json().created_at).getTime()
    expect(new Date(week.json().expires_at).getTime() - created).toBe(604_800_000)
  })
})
