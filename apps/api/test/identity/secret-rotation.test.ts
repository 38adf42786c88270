import { randomBytes } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database, Listener } from '../../src/db/database.js'
import { systemClock } from '../../src/lib/clock.js'
import { createCompanySecrets } from '../../src/modules/identity/company-secrets.js'
import { createIdentityRepository } from '../../src/modules/identity/identity.repository.js'
import { createIdentityService, type IdentityService } from '../../src/modules/identity/identity.service.js'
import { buildTestApp } from '../support/app.js'
import { basic, registerCompany, signIn } from '../support/http.js'

let app: FastifyInstance
beforeAll(async () => {
  app = await buildTestApp()
})
afterAll(() => app.close())

const getCompany = (authorization: string) =>
  app.inject({ method: 'GET', url: '/v1/company', headers: { authorization } })

describe('rotation with the default overlap', () => {
  it('keeps the previous client secret working for a day when no body is sent', async () => {
    const { company, auth: oldAuth, email, password } = await registerCompany(app)
    const session = await signIn(app, 'company', email, password)
    expect((await getCompany(oldAuth)).statusCode).toBe(200)
    const res = await app.inject({
      method: 'POST',
      url: '/v1/company/secrets/client_secret/rotate',
      headers: session.headers,
    })
    expect(res.statusCode, res.body).toBe(200)
    const expiresAt = new Date(res.json().previous_expires_at).getTime()
    expect(Math.abs(expiresAt - (Date.now() + 86_400_000))).toBeLessThan(5_000)
    expect((await getCompany(oldAuth)).statusCode).toBe(200)
    const newAuth = basic(company.client_id, res.json().client_secret)
    expect((await getCompany(newAuth)).statusCode).toBe(200)
  })
})

// The identity service under test gets the app's database with a listen the test drives: it
// decides when the service hears rotations and what it hears. A secret is ended behind the
// service's back (an UPDATE without an announcement), so only a remembered success lets it in.
describe('remembered client credentials', () => {
  let identity: IdentityService
  let listener: Listener | undefined

  beforeAll(async () => {
    const db: Database = {
      ...app.db,
      async listen(_channel, l) {
        listener = l
        return async () => {}
      },
    }
    const repo = createIdentityRepository()
    identity = createIdentityService({
      db,
      repo,
      clock: systemClock,
      throttle: app.services.throttle,
      passwords: app.services.passwords,
      secrets: createCompanySecrets({ repo, key: randomBytes(32) }),
      sessionTtlSeconds: 3600,
    })
    await identity.watchSecretRotations()
  })

  /** A company whose client secret the service has just accepted. */
  async function accepted() {
    const { company } = await registerCompany(app)
    const accept = () => identity.authenticateClient(company.client_id, company.client_secret)
    expect(await accept()).toBe(company.id)
    return { company, accept }
  }
  const endSecretsQuietly = (companyId: string) =>
    app.db.query(
      `UPDATE identity_company_secrets SET expires_at = now() - interval '1 second' WHERE company_id = $1`,
      [companyId],
    )

  it('are remembered while rotations can be heard, and forgotten when one is heard', async () => {
    listener?.listening(true)
    const { company, accept } = await accepted()
    await endSecretsQuietly(company.id)
    expect(await accept()).toBe(company.id)
    listener?.notification(JSON.stringify({ company_id: company.id, kind: 'webhook_secret' }))
    expect(await accept()).toBe(company.id)
    listener?.notification(JSON.stringify({ company_id: company.id, kind: 'client_secret' }))
    expect(await accept()).toBeUndefined()
  })

  it('are forgotten on an announcement that cannot be read', async () => {
    listener?.listening(true)
    const { company, accept } = await accepted()
    await endSecretsQuietly(company.id)
    listener?.notification('not json')
    expect(await accept()).toBeUndefined()
  })

  it('are not remembered at all while rotations cannot be heard', async () => {
    listener?.listening(true)
    const { company, accept } = await accepted()
    listener?.listening(false)
    expect(await accept()).toBe(company.id)
    await endSecretsQuietly(company.id)
    expect(await accept()).toBeUndefined()
  })

  it('are not remembered before listening has started', async () => {
    listener?.listening(false)
    const { company, accept } = await accepted()
    await endSecretsQuietly(company.id)
    expect(await accept()).toBeUndefined()
  })
})
