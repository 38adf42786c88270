import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { onPostgres } from '../support/app.js'
import { expectMoneyMatches, fundAll } from '../support/money-checks.js'
import { cliBuilt, type ServerProcess } from '../support/processes.js'
import { serversSharingDatabase } from '../support/shared-database.js'
import { runWorkload } from '../support/workload.js'

// Two API processes on one PostgreSQL database: the group commit of each must not break the other's.
describe.skipIf(!onPostgres || !cliBuilt)('two API server processes on one PostgreSQL', () => {
  let app: FastifyInstance
  let servers: ServerProcess[] = []
  let shared: Awaited<ReturnType<typeof serversSharingDatabase>>

  beforeAll(async () => {
    // The in-process app creates the schema (and checks the result afterwards) on a fresh database.
    shared = await serversSharingDatabase(2)
    ;({ app, servers } = shared)
  }, 60_000)
  afterAll(() => shared.stop())

  it('keeps every cent when 32 clients spread random operations over both servers', async () => {
    const base = servers[0]?.baseUrl as string
    const company = await fetch(`${base}/v1/companies`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: `two-${Date.now()}@example.com`,
        name: 'Two servers',
        password: 'company password',
      }),
    }).then((r) => r.json() as Promise<{ client_id: string; client_secret: string }>)
    const auth = `Basic ${Buffer.from(`${company.client_id}:${company.client_secret}`).toString('base64')}`
    const accounts: string[] = []
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${base}/v1/accounts`, {
        method: 'POST',
        headers: { authorization: auth, 'idempotency-key': `acct-${i}`, 'content-type': 'application/json' },
        body: JSON.stringify({ external_id: `user-${i}` }),
      })
      accounts.push(((await res.json()) as { id: string }).id)
    }
    const funded = await fundAll(app, accounts, 20_000)
    const report = await runWorkload(
      { baseUrls: servers.map((s) => s.baseUrl), auth, accounts },
      { clients: 32, seconds: 10 },
    )
    console.info(`two servers: ${report.requests} requests, ${report.retries} retried keys`, report.statuses)
    expect(report.requests).toBeGreaterThan(200)
    expect(report.statuses['402 insufficient_funds'] ?? 0).toBeGreaterThan(0)
    await expectMoneyMatches(app, { baseUrl: base, auth, accounts, funded, report })
  }, 90_000)
})
