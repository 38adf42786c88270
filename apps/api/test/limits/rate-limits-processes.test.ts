import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { onPostgres } from '../support/app.js'
import { registerCustomer, signIn, unique } from '../support/http.js'
import { newKey } from '../support/money.js'
import { cliBuilt } from '../support/processes.js'
import { serversSharingDatabase } from '../support/shared-database.js'

/** Waits into the next window when fewer than 15 s are left of this one, so a test stays inside one. */
async function withinOneWindow(windowMs: number) {
  const left = windowMs - (Date.now() % windowMs)
  if (left < 15_000) await sleep(left + 100)
}

// Each server process counts in the database, so a client cannot spread its requests over the
// processes behind a load balancer to get more than the limit.
describe.skipIf(!onPostgres || !cliBuilt)('per-address limits across two server processes', () => {
  let shared: Awaited<ReturnType<typeof serversSharingDatabase>>

  beforeAll(async () => {
    shared = await serversSharingDatabase(2, {
      PROTUS_DB_POOL_SIZE: '4',
      PROTUS_WEBHOOK_WORKER: '0',
      PROTUS_REGISTRATIONS_PER_HOUR: '3',
      PROTUS_TOPUPS_PER_MINUTE: '2',
    })
  }, 60_000)
  afterAll(() => shared.stop())

  const post = (server: number, path: string, body: object, headers: Record<string, string> = {}) =>
    fetch(`${shared.baseUrl(server)}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    })

  async function expectLimited(res: Response) {
    expect(res.status).toBe(429)
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    expect(((await res.json()) as { code: string }).code).toBe('rate_limited')
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
  }

  it('holds the registration limit whichever process answers', async () => {
    await withinOneWindow(3_600_000)
    const person = () => {
      const name = unique('spread').replace('-', '_')
      return { email: `${name}@example.com`, username: name, password: 'correct horse' }
    }
    expect((await post(0, '/v1/customers', person())).status).toBe(201)
    expect((await post(1, '/v1/customers', person())).status).toBe(201)
    const { email, password } = person()
    expect((await post(0, '/v1/companies', { email, password, name: 'Spread Ltd' })).status).toBe(201)
    await expectLimited(await post(1, '/v1/customers', person()))
    await expectLimited(await post(0, '/v1/customers', person()))
  })

  it('holds the top-up limit whichever process answers', async () => {
    // Registered and signed in through the in-process app, whose limits are out of the way.
    const { email, password } = await registerCustomer(shared.app)
    const me = await signIn(shared.app, 'customer', email, password)
    const topUp = (server: number) =>
      post(server, '/v1/me/topups', { amount: 1_000 }, { ...me.headers, 'idempotency-key': newKey() })
    await withinOneWindow(60_000)
    expect((await topUp(0)).status).toBe(201)
    expect((await topUp(1)).status).toBe(201)
    await expectLimited(await topUp(0))
    await expectLimited(await topUp(1))
  })
})
