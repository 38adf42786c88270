import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createManualClock } from '../../src/lib/clock.js'
import { buildTestApp } from '../support/app.js'
import { basic, expectProblem, registerCompany, registerCustomer, signIn } from '../support/http.js'

const clock = createManualClock(new Date())
let app: FastifyInstance
beforeAll(async () => {
  app = await buildTestApp({ PROTUS_SECRET_OVERLAP_SECONDS: '3600' }, { clock })
})
afterAll(() => app.close())

const getCompany = (authorization: string) =>
  app.inject({ method: 'GET', url: '/v1/company', headers: { authorization } })

const rotate = (
  headers: Record<string, string>,
  kind: 'client_secret' | 'webhook_secret',
  payload?: object,
) => app.inject({ method: 'POST', url: `/v1/company/secrets/${kind}/rotate`, headers, payload })

describe('GET /v1/company', () => {
  it('answers a partner server with Basic credentials', async () => {
    const { company, auth, email } = await registerCompany(app)
    const res = await getCompany(auth)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({
      id: company.id,
      name: company.name,
      email,
      client_id: company.client_id,
      redirect_uris: [],
      webhook_url: null,
      client_secrets: [
        { hint: `…${company.client_secret.slice(-4)}`, created_at: expect.any(String), expires_at: null },
      ],
      webhook_secrets: [
        { hint: `…${company.webhook_secret.slice(-4)}`, created_at: expect.any(String), expires_at: null },
      ],
      created_at: expect.any(String),
    })
    expect(res.body).not.toContain(company.client_secret)
  })

  it('answers the company dashboard session', async () => {
    const { email, password, company } = await registerCompany(app)
    const session = await signIn(app, 'company', email, password)
    const res = await app.inject({ method: 'GET', url: '/v1/company', headers: { cookie: session.cookie } })
    expect(res.json().id).toBe(company.id)
  })

  it('refuses a wrong client secret with 401 invalid_client_credentials and no browser prompt', async () => {
    const { company } = await registerCompany(app)
    const res = await getCompany(basic(company.client_id, 'sk_wrong'))
    expectProblem(res, 401, 'invalid_client_credentials')
    expect(res.headers['www-authenticate']).toBeUndefined()
    const garbled = await getCompany('Basic !!!')
    expectProblem(garbled, 401, 'invalid_client_credentials')
    expect(garbled.headers['www-authenticate']).toBeUndefined()
  })

  it('refuses no credentials with 401 and a person with 403 forbidden', async () => {
    const none = await app.inject({ method: 'GET', url: '/v1/company' })
    expectProblem(none, 401, 'unauthenticated')
    expect(none.headers['www-authenticate']).toBeUndefined()
    const { email, password } = await registerCustomer(app)
    const session = await signIn(app, 'customer', email, password)
    expectProblem(
      await app.inject({ method: 'GET', url: '/v1/company', headers: { cookie: session.cookie } }),
      403,
      'forbidden',
    )
  })
})

describe('PATCH /v1/company', () => {
  it('sets the name, redirect URIs and webhook URL', async () => {
    const { auth } = await registerCompany(app)
    const res = await app.inject({
      method: 'PATCH',
      url: '/v1/company',
      headers: { authorization: auth },
      payload: {
        name: 'Messages Ltd',
        redirect_uris: [
          'https://messages.example/callback',
          'http://localhost:8088/auth/protus/callback',
          'http://127.0.0.1:9000/cb',
        ],
        webhook_url: 'https://messages.example/webhooks/protus',
      },
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({
      name: 'Messages Ltd',
      redirect_uris: [
        'https://messages.example/callback',
        'http://localhost:8088/auth/protus/callback',
        'http://127.0.0.1:9000/cb',
      ],
      webhook_url: 'https://messages.example/webhooks/protus',
    })
    const cleared = await app.inject({
      method: 'PATCH',
      url: '/v1/company',
      headers: { authorization: auth },
      payload: { webhook_url: null },
    })
    expect(cleared.json()).toMatchObject({ name: 'Messages Ltd', webhook_url: null })
    expect(cleared.json().redirect_uris).toHaveLength(3)
  })

  it.each([
    ['plain http on a public host', { redirect_uris: ['http://messages.example/cb'] }, '/redirect_uris/0'],
    ['a relative URI', { redirect_uris: ['/callback'] }, '/redirect_uris/0'],
    ['a fragment', { redirect_uris: ['https://messages.example/cb#x'] }, '/redirect_uris/0'],
    ['a duplicate', { redirect_uris: ['https://a.example/cb', 'https://a.example/cb'] }, '/redirect_uris/1'],
    ['credentials in the URL', { webhook_url: 'https://user:pw@a.example/hook' }, '/webhook_url'],
    ['an http webhook on a public host', { webhook_url: 'http://a.example/hook' }, '/webhook_url'],
    [
      'more than 10 redirect URIs',
      { redirect_uris: Array.from({ length: 11 }, (_, i) => `https://a.example/${i}`) },
      '/redirect_uris',
    ],
    ['an unknown field', { client_id: 'mine' }, '/client_id'],
  ])('rejects %s with 400 validation_failed and changes nothing', async (_label, payload, field) => {
    const { auth } = await registerCompany(app)
    const before = (await getCompany(auth)).json()
    const res = await app.inject({
      method: 'PATCH',
      url: '/v1/company',
      headers: { authorization: auth },
      payload,
    })
    const problem = expectProblem(res, 400, 'validation_failed')
    expect(problem.errors?.map((e) => e.field)).toContain(field)
    expect((await getCompany(auth)).json()).toEqual(before)
  })

  it('needs the CSRF token when called with the dashboard session', async () => {
    const { email, password } = await registerCompany(app)
    const session = await signIn(app, 'company', email, password)
    const res = await app.inject({
      method: 'PATCH',
      url: '/v1/company',
      headers: { cookie: session.cookie },
      payload: { name: 'X' },
    })
    expectProblem(res, 403, 'csrf_token_invalid')
    const ok = await app.inject({
      method: 'PATCH',
      url: '/v1/company',
      headers: session.headers,
      payload: { name: 'X' },
    })
    expect(ok.json().name).toBe('X')
  })
})

/** A company and its signed-in dashboard session. */
async function companyOnDashboard() {
  const registered = await registerCompany(app)
  const session = await signIn(app, 'company', registered.email, registered.password)
  return { ...registered, session }
}

describe('secret rotation', () => {
  it('issues a new client secret; the old one works for the overlap window, then stops', async () => {
    const { company, auth: oldAuth, session } = await companyOnDashboard()
    const res = await app.inject({
      method: 'POST',
      url: '/v1/company/secrets/client_secret/rotate',
      headers: session.headers,
    })
    expect(res.statusCode).toBe(200)
    const { client_secret, previous_expires_at } = res.json()
    expect(client_secret).toMatch(/^sk_/)
    expect(client_secret).not.toBe(company.client_secret)
    expect(new Date(previous_expires_at).getTime()).toBe(clock.now().getTime() + 3_600_000)
    const newAuth = basic(company.client_id, client_secret)

    expect((await getCompany(oldAuth)).statusCode).toBe(200)
    expect((await getCompany(newAuth)).statusCode).toBe(200)
    const listed = (await getCompany(newAuth)).json().client_secrets
    expect(listed).toHaveLength(2)
    expect(listed[0].expires_at).toBeNull()
    expect(listed[1].expires_at).toBe(previous_expires_at)

    clock.advance(3_600_000 - 1_000)
    expect((await getCompany(oldAuth)).statusCode).toBe(200)
    clock.advance(2_000)
    expectProblem(await getCompany(oldAuth), 401, 'invalid_client_credentials')
    expect((await getCompany(newAuth)).statusCode).toBe(200)
    expect((await getCompany(newAuth)).json().client_secrets).toHaveLength(1)
  })

  it('rotates the webhook secret and keeps both signing during the overlap', async () => {
    const { company, auth, session } = await companyOnDashboard()
    const res = await app.inject({
      method: 'POST',
      url: '/v1/company/secrets/webhook_secret/rotate',
      headers: session.headers,
    })
    expect(res.statusCode).toBe(200)
    const { webhook_secret } = res.json()
    expect(webhook_secret).toMatch(/^whsec_/)
    expect(webhook_secret).not.toBe(company.webhook_secret)
    const info = (await getCompany(auth)).json().webhook_secrets
    expect(info.map((s: { hint: string }) => s.hint)).toEqual([
      `…${webhook_secret.slice(-4)}`,
      `…${company.webhook_secret.slice(-4)}`,
    ])
    clock.advance(3_600_000 + 1_000)
    expect((await getCompany(auth)).json().webhook_secrets).toHaveLength(1)
  })

  it('ends every older client secret at once with previous_expires_in 0, even one just used', async () => {
    const { company, auth: oldAuth, session } = await companyOnDashboard()
    expect((await getCompany(oldAuth)).statusCode).toBe(200)
    const res = await rotate(session.headers, 'client_secret', { previous_expires_in: 0 })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().previous_expires_at).toBe(clock.now().toISOString())
    expectProblem(await getCompany(oldAuth), 401, 'invalid_client_credentials')
    const newAuth = basic(company.client_id, res.json().client_secret)
    const listed = (await getCompany(newAuth)).json().client_secrets
    expect(listed).toEqual([
      { hint: `…${res.json().client_secret.slice(-4)}`, created_at: expect.any(String), expires_at: null },
    ])
  })

  it('stops signing webhooks with the old secret at once with previous_expires_in 0', async () => {
    const { company, auth, session } = await companyOnDashboard()
    const res = await rotate(session.headers, 'webhook_secret', { previous_expires_in: 0 })
    expect(res.statusCode, res.body).toBe(200)
    const { webhook_secret } = res.json()
    expect((await getCompany(auth)).json().webhook_secrets).toHaveLength(1)
    const targets = await app.services.companies.webhookTargets([company.id])
    expect(targets.get(company.id)?.secrets).toEqual([webhook_secret])
  })

  it('keeps the previous secret for previous_expires_in seconds', async () => {
    const { company, auth: oldAuth, session } = await companyOnDashboard()
    const res = await rotate(session.headers, 'client_secret', { previous_expires_in: 60 })
    expect(new Date(res.json().previous_expires_at).getTime()).toBe(clock.now().getTime() + 60_000)
    clock.advance(59_000)
    expect((await getCompany(oldAuth)).statusCode).toBe(200)
    clock.advance(2_000)
    expectProblem(await getCompany(oldAuth), 401, 'invalid_client_credentials')
    expect((await getCompany(basic(company.client_id, res.json().client_secret))).statusCode).toBe(200)
  })

  it.each([
    ['a negative number', { previous_expires_in: -1 }],
    ['more than a day', { previous_expires_in: 86_401 }],
    ['a fraction', { previous_expires_in: 1.5 }],
    ['a string', { previous_expires_in: '0' }],
    ['null', { previous_expires_in: null }],
    ['an unknown field', { expires_in: 0 }],
  ])(
    'rejects previous_expires_in as %s with 400 validation_failed and rotates nothing',
    async (_label, payload) => {
      const { auth, session } = await companyOnDashboard()
      const before = (await getCompany(auth)).json()
      for (const kind of ['client_secret', 'webhook_secret'] as const) {
        expectProblem(await rotate(session.headers, kind, payload), 400, 'validation_failed')
      }
      expect((await getCompany(auth)).json()).toEqual(before)
    },
  )

  it('refuses a rotation with Basic client credentials with 403 dashboard_only and rotates nothing', async () => {
    const { company, auth } = await registerCompany(app)
    const before = (await getCompany(auth)).json()
    for (const kind of ['client_secret', 'webhook_secret'] as const) {
      expectProblem(
        await rotate({ authorization: auth }, kind, { previous_expires_in: 0 }),
        403,
        'dashboard_only',
      )
      expectProblem(await rotate({ authorization: auth }, kind), 403, 'dashboard_only')
      const wrong = await rotate({ authorization: basic(company.client_id, 'sk_wrong') }, kind)
      expectProblem(wrong, 401, 'invalid_client_credentials')
    }
    expect((await getCompany(auth)).json()).toEqual(before)
  })

  it('does not let a person rotate anything', async () => {
    const { email, password } = await registerCustomer(app)
    const session = await signIn(app, 'customer', email, password)
    const res = await app.inject({
      method: 'POST',
      url: '/v1/company/secrets/client_secret/rotate',
      headers: session.headers,
    })
    expectProblem(res, 403, 'forbidden')
  })
})
