import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { onPostgres } from '../support/app.js'
import {
  authorizeUrl,
  consent,
  formPost,
  partnerClient,
  pkce,
  REDIRECT_URI,
  signedInPerson,
} from '../support/oauth.js'
import { cliBuilt } from '../support/processes.js'
import { serversSharingDatabase } from '../support/shared-database.js'

// Each server process remembers the live tokens it introspected. A revocation on one process must
// reach the other's memory through PostgreSQL (NOTIFY on commit) within 100 ms, and a process that
// stops hearing announcements must stop answering from memory.
describe.skipIf(!onPostgres || !cliBuilt)('token revocation across two server processes', () => {
  let shared: Awaited<ReturnType<typeof serversSharingDatabase>>
  let app: FastifyInstance

  beforeAll(async () => {
    shared = await serversSharingDatabase(2, { PROTUS_DB_POOL_SIZE: '4', PROTUS_WEBHOOK_WORKER: '0' })
    app = shared.app
  }, 60_000)
  afterAll(() => shared.stop())

  /** A partner and a person's tokens, made through the in-process app on the shared schema. */
  async function connected() {
    const partner = await partnerClient(app)
    const person = await signedInPerson(app)
    const { verifier, challenge } = pkce()
    const url = authorizeUrl({
      response_type: 'code',
      client_id: partner.clientId,
      redirect_uri: REDIRECT_URI,
      scope: 'check',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    })
    const callback = await consent(app, person.session.headers, url, { allow: true, scopes: ['check'] })
    const res = await formPost(
      app,
      '/oauth/token',
      {
        grant_type: 'authorization_code',
        code: callback.searchParams.get('code') as string,
        redirect_uri: REDIRECT_URI,
        code_verifier: verifier,
      },
      partner.auth,
    )
    expect(res.statusCode, res.body).toBe(200)
    return { partner, person, tokens: res.json() as { access_token: string; refresh_token: string } }
  }

  const post = (i: number, path: string, auth: string, form: Record<string, string>) =>
    fetch(`${shared.baseUrl(i)}${path}`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form),
    })
  const active = async (i: number, auth: string, token: string) =>
    ((await (await post(i, '/oauth/introspect', auth, { token })).json()) as { active: boolean }).active

  /** Milliseconds from now until server `i` calls `token` inactive (gives up after 5 s). */
  async function inactiveAfter(i: number, auth: string, token: string): Promise<number> {
    const started = performance.now()
    while (await active(i, auth, token)) {
      if (performance.now() - started > 5_000) break
      await new Promise((resolve) => setTimeout(resolve, 1))
    }
    return performance.now() - started
  }

  it('answers a token both servers introspected from memory: a change behind their backs is not seen', async () => {
    const { partner, tokens } = await connected()
    for (const i of [0, 1, 0, 1]) expect(await active(i, partner.auth, tokens.access_token)).toBe(true)
    await app.db.query('UPDATE oauth_tokens SET revoked_at = now() WHERE client_id = $1', [partner.clientId])
    expect([
      await active(0, partner.auth, tokens.access_token),
      await active(1, partner.auth, tokens.access_token),
    ]).toEqual([true, true])
  })

  it('calls a token revoked through one server inactive on the other within 100 ms', async () => {
    const delays: number[] = []
    for (let round = 0; round < 5; round++) {
      const { partner, tokens } = await connected()
      for (const i of [0, 1, 0, 1]) expect(await active(i, partner.auth, tokens.access_token)).toBe(true)
      const res = await post(0, '/oauth/revoke', partner.auth, { token: tokens.access_token })
      expect(res.status).toBe(200)
      expect(await active(0, partner.auth, tokens.access_token)).toBe(false)
      delays.push(await inactiveAfter(1, partner.auth, tokens.access_token))
    }
    console.log(
      `revoked on server 0, inactive on server 1 after ${delays.map((d) => d.toFixed(1)).join(', ')} ms`,
    )
    for (const delay of delays) expect(delay).toBeLessThan(100)
  })

  it('calls the tokens of a partner the person disconnects through one server inactive on the other within 100 ms', async () => {
    const { partner, person, tokens } = await connected()
    for (const i of [0, 1, 0, 1]) expect(await active(i, partner.auth, tokens.access_token)).toBe(true)
    const res = await fetch(`${shared.baseUrl(0)}/v1/me/grants/${partner.clientId}`, {
      method: 'DELETE',
      headers: person.session.headers,
    })
    expect(res.status).toBe(204)
    expect(await inactiveAfter(1, partner.auth, tokens.access_token)).toBeLessThan(100)
  })

  it('forgets what it remembers and asks the database while its listening connection is down', async () => {
    const { partner, tokens } = await connected()
    for (const i of [1, 1]) expect(await active(i, partner.auth, tokens.access_token)).toBe(true)
    // Revoked without an announcement, as if the NOTIFY were lost with the connection.
    await app.db.query('UPDATE oauth_tokens SET revoked_at = now() WHERE client_id = $1', [partner.clientId])
    expect(await active(1, partner.auth, tokens.access_token)).toBe(true)
    await app.db.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE query = 'LISTEN "protus_oauth_revocations"' AND application_name = 'protus_' || current_schema()`,
    )
    expect(await inactiveAfter(1, partner.auth, tokens.access_token)).toBeLessThan(1_000)
  })
})
