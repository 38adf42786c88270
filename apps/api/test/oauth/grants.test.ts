import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createManualClock } from '../../src/lib/clock.js'
import { buildTestApp } from '../support/app.js'
import { connectedPerson } from '../support/grants.js'
import { expectProblem } from '../support/http.js'
import { expectLedgerSound } from '../support/money.js'
import { signedInPerson } from '../support/oauth.js'

type Connected = Awaited<ReturnType<typeof connectedPerson>>
type Listed = { client_id: string; account_id: string; spent: number; revoked_at: string | null }

const clock = createManualClock(new Date())

describe('GET /v1/me/grants: connected partners, and on request the disconnected ones', () => {
  let app: FastifyInstance
  beforeAll(async () => {
    app = await buildTestApp({}, { clock })
  })
  afterAll(() => app.close())

  async function grants(headers: Record<string, string>, query = ''): Promise<Listed[]> {
    const res = await app.inject({ method: 'GET', url: `/v1/me/grants${query}`, headers })
    expect(res.statusCode, res.body).toBe(200)
    return (res.json() as { data: Listed[] }).data
  }
  const listed = (c: Connected, query = '') => grants(c.person.session.headers, query)

  it('keeps a revoked partner out of the plain list and gives it, with its spending and revoke time, with include=revoked', async () => {
    const c = await connectedPerson(app, { balance: 10_000 })
    expect((await c.post('/v1/charges', { account: c.accountId, amount: 2500 })).statusCode).toBe(201)
    expect(await listed(c)).toMatchObject([{ client_id: c.partner.clientId, spent: 2500, revoked_at: null }])

    clock.advance(60_000)
    const revokedAt = clock.now().toISOString()
    expect((await c.revoke()).statusCode).toBe(204)

    expect(await listed(c)).toEqual([])
    expect(await listed(c, '?include=revoked')).toMatchObject([
      { client_id: c.partner.clientId, account_id: c.accountId, spent: 2500, revoked_at: revokedAt },
    ])
    // What it spent stays spent: the wallet lost exactly the charge.
    const wallet = await app.inject({
      method: 'GET',
      url: '/v1/me/wallet',
      headers: c.person.session.headers,
    })
    expect(wallet.json()).toMatchObject({ available: 7500, held: 0 })
    await expectLedgerSound(app)
  })

  it('lists a partner once: as connected when allowed again, else with its latest revoke', async () => {
    const c = await connectedPerson(app, { balance: 10_000 })
    expect((await c.post('/v1/charges', { account: c.accountId, amount: 700 })).statusCode).toBe(201)
    expect((await c.revoke()).statusCode).toBe(204)
    clock.advance(60_000)
    await c.allow({ scopes: ['check', 'charge'] })

    const again = await listed(c, '?include=revoked')
    expect(again).toMatchObject([{ client_id: c.partner.clientId, spent: 700, revoked_at: null }])
    expect(again).toHaveLength(1)

    clock.advance(60_000)
    const lastRevokedAt = clock.now().toISOString()
    expect((await c.revoke()).statusCode).toBe(204)
    expect(await listed(c, '?include=revoked')).toMatchObject([
      { client_id: c.partner.clientId, spent: 700, revoked_at: lastRevokedAt },
    ])
    expect(await listed(c, '?include=revoked')).toHaveLength(1)
    await expectLedgerSound(app)
  })

  it('shows a person none of another person’s former partners', async () => {
    const c = await connectedPerson(app, { balance: 0 })
    expect((await c.revoke()).statusCode).toBe(204)
    const stranger = await signedInPerson(app)
    expect(await grants(stranger.session.headers, '?include=revoked')).toEqual([])
    expect(await listed(c, '?include=revoked')).toHaveLength(1)
  })

  it('refuses an unknown include with 400 validation_failed', async () => {
    const c = await connectedPerson(app, { balance: 0 })
    const res = await app.inject({
      method: 'GET',
      url: '/v1/me/grants?include=everything',
      headers: c.person.session.headers,
    })
    expectProblem(res, 400, 'validation_failed')
  })
})
