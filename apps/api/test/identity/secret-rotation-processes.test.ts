import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { onPostgres } from '../support/app.js'
import { basic, unique } from '../support/http.js'
import { cliBuilt } from '../support/processes.js'
import { serversSharingDatabase } from '../support/shared-database.js'

// Each server process remembers client credentials for a few seconds; a secret ended by a rotation
// on one process must stop working on the other within a second all the same.
describe.skipIf(!onPostgres || !cliBuilt)('secret rotation across two server processes', () => {
  let shared: Awaited<ReturnType<typeof serversSharingDatabase>>

  beforeAll(async () => {
    // The in-process app creates the schema on a fresh database; the servers share it.
    shared = await serversSharingDatabase(2, { PROTUS_DB_POOL_SIZE: '4', PROTUS_WEBHOOK_WORKER: '0' })
  }, 60_000)
  afterAll(() => shared.stop())

  const base = (i: number) => shared.baseUrl(i)
  const getCompany = (i: number, authorization: string) =>
    fetch(`${base(i)}/v1/company`, { headers: { authorization } }).then((r) => r.status)

  async function companyOnDashboard() {
    const name = unique('cut')
    const credentials = { email: `${name}@example.com`, password: 'company password' }
    const created = await fetch(`${base(0)}/v1/companies`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...credentials, name }),
    })
    const company = (await created.json()) as { id: string; client_id: string; client_secret: string }
    const signedIn = await fetch(`${base(0)}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...credentials, kind: 'company' }),
    })
    const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0] as string
    const { csrf_token } = (await signedIn.json()) as { csrf_token: string }
    return { company, auth: basic(company.client_id, company.client_secret), cookie, csrf: csrf_token }
  }

  function rotate(
    session: { cookie: string; csrf: string },
    kind: 'client_secret' | 'webhook_secret',
    body?: object,
  ) {
    return fetch(`${base(0)}/v1/company/secrets/${kind}/rotate`, {
      method: 'POST',
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, 'content-type': 'application/json' },
      body: body && JSON.stringify(body),
    })
  }

  /** Milliseconds from now until server `i` refuses `auth`. */
  async function refusedAfter(i: number, auth: string): Promise<number> {
    const started = performance.now()
    while ((await getCompany(i, auth)) !== 401) {
      if (performance.now() - started > 5_000) break
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    return performance.now() - started
  }

  it('both servers remember a client secret they accepted (the cache the rotation must reach)', async () => {
    const { company, auth } = await companyOnDashboard()
    expect([await getCompany(0, auth), await getCompany(1, auth)]).toEqual([200, 200])
    // Ended behind the servers' backs, without an announcement: only their memory lets it in.
    await shared.app.db.query(
      `UPDATE identity_company_secrets SET expires_at = now() - interval '1 second' WHERE company_id = $1`,
      [company.id],
    )
    expect([await getCompany(0, auth), await getCompany(1, auth)]).toEqual([200, 200])
  })

  it('refuses the old secret on both servers within 1 s of a rotation with previous_expires_in 0', async () => {
    const { company, auth: oldAuth, ...session } = await companyOnDashboard()
    for (const i of [0, 1, 0, 1]) expect(await getCompany(i, oldAuth)).toBe(200)

    const res = await rotate(session, 'client_secret', { previous_expires_in: 0 })
    expect(res.status).toBe(200)
    const elapsed = await Promise.all([refusedAfter(0, oldAuth), refusedAfter(1, oldAuth)])
    expect(elapsed[0]).toBeLessThan(1_000)
    expect(elapsed[1]).toBeLessThan(1_000)

    const { client_secret, previous_expires_at } = (await res.json()) as {
      client_secret: string
      previous_expires_at: string
    }
    expect(Math.abs(new Date(previous_expires_at).getTime() - Date.now())).toBeLessThan(2_000)
    const newAuth = basic(company.client_id, client_secret)
    expect([await getCompany(0, newAuth), await getCompany(1, newAuth)]).toEqual([200, 200])
  })

  it('keeps the old secret working on both servers with the default overlap of a day', async () => {
    const { company, auth: oldAuth, ...session } = await companyOnDashboard()
    for (const i of [0, 1]) expect(await getCompany(i, oldAuth)).toBe(200)
    const res = await rotate(session, 'client_secret')
    expect(res.status).toBe(200)
    const { client_secret, previous_expires_at } = (await res.json()) as {
      client_secret: string
      previous_expires_at: string
    }
    expect(Math.abs(new Date(previous_expires_at).getTime() - (Date.now() + 86_400_000))).toBeLessThan(5_000)
    const newAuth = basic(company.client_id, client_secret)
    for (const auth of [oldAuth, newAuth]) {
      expect([await getCompany(0, auth), await getCompany(1, auth)]).toEqual([200, 200])
    }
  })
})
