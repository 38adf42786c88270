import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, onPostgres } from '../support/app.js'
import { count, expectProblem } from '../support/http.js'
import { expectLedgerSound, newKey, partnerWithAccount } from '../support/money.js'
import { expectMoneyMatches, fundAll } from '../support/money-checks.js'
import { runWorkload } from '../support/workload.js'

let app: FastifyInstance
let baseUrl: string
beforeAll(async () => {
  app = await buildTestApp({ PROTUS_SWEEP_INTERVAL_SECONDS: '0' })
  await app.listen({ port: 0, host: '127.0.0.1' })
  baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
})
afterAll(async () => {
  await expectLedgerSound(app)
  await app.close()
})

describe('concurrent requests', () => {
  it('lets exactly one of many concurrent captures and releases of one hold win', async () => {
    const p = await partnerWithAccount(app, 5000)
    const hold = (await p.post('/v1/holds', { account: p.account.id, amount: 3000 })).json()
    const attempts = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        i % 2 === 0
          ? p.post(`/v1/holds/${hold.id}/capture`, { amount: 1000 + i })
          : p.post(`/v1/holds/${hold.id}/release`),
      ),
    )
    const winners = attempts.filter((r) => r.statusCode === 200)
    expect(winners).toHaveLength(1)
    for (const loser of attempts.filter((r) => r.statusCode !== 200))
      expectProblem(loser, 409, 'hold_not_pending')
    const final = (await p.get(`/v1/holds/${hold.id}`)).json()
    const winner = winners[0]?.json()
    expect(final.status).toBe(winner.status)
    const spent = final.status === 'captured' ? final.captured_amount : 0
    expect((await p.get(`/v1/accounts/${p.account.id}/balance`)).json()).toMatchObject({
      available: 5000 - spent,
      held: 0,
    })
    await expectLedgerSound(app)
  })

  it('refuses exactly the holds that do not fit when many race for one balance', async () => {
    const p = await partnerWithAccount(app, 1000)
    const attempts = await Promise.all(
      Array.from({ length: 25 }, () => p.post('/v1/holds', { account: p.account.id, amount: 100 })),
    )
    expect(attempts.filter((r) => r.statusCode === 201)).toHaveLength(10)
    const refused = attempts.filter((r) => r.statusCode !== 201)
    expect(refused).toHaveLength(15)
    for (const r of refused) expectProblem(r, 402, 'insufficient_funds')
    expect((await p.get(`/v1/accounts/${p.account.id}/balance`)).json()).toMatchObject({
      available: 0,
      held: 1000,
    })
    await expectLedgerSound(app)
  })

  it('runs one effect for many concurrent requests with the same key', async () => {
    const p = await partnerWithAccount(app, 5000)
    const key = newKey()
    const before = await count(app, 'billing_charges')
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => p.post('/v1/charges', { account: p.account.id, amount: 700 }, key)),
    )
    const done = answers.filter((r) => r.statusCode === 201)
    expect(done.length).toBeGreaterThanOrEqual(1)
    expect(new Set(done.map((r) => r.json().id)).size).toBe(1)
    for (const r of answers.filter((a) => a.statusCode !== 201))
      expectProblem(r, 409, 'idempotency_request_in_progress')
    expect(await count(app, 'billing_charges')).toBe(before + 1)
    expect((await p.get(`/v1/accounts/${p.account.id}/balance`)).json().available).toBe(4300)
  })

  it('keeps every cent under 32 clients of random holds, captures, releases, charges and refunds with retried keys', async () => {
    const p = await partnerWithAccount(app, 0)
    const accounts = [p.account.id]
    for (let i = 0; i < 3; i++) {
      const res = await p.post('/v1/accounts', { external_id: `hot-${i}` })
      accounts.push(res.json().id)
    }
    const funded = await fundAll(app, accounts, 20_000)
    const result = await runWorkload(
      { baseUrls: [baseUrl], auth: p.auth, accounts },
      { clients: 32, seconds: onPostgres ? 10 : 4, atLeast: 300 },
    )
    console.info(`workload: ${result.requests} requests, ${result.retries} retried keys`, result.statuses)
    expect(result.requests).toBeGreaterThan(200)
    expect(result.retries).toBeGreaterThan(20)
    expect(result.statuses['402 insufficient_funds'] ?? 0).toBeGreaterThan(0)
    await expectMoneyMatches(app, { auth: p.auth, accounts, funded, report: result })
  }, 120_000)
})
