import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createManualClock } from '../../src/lib/clock.js'
import { buildTestApp } from '../support/app.js'
import { expectProblem, registerCompany, registerCustomer, signIn } from '../support/http.js'

const clock = createManualClock(new Date())
let app: FastifyInstance
beforeAll(async () => {
  app = await buildTestApp({}, { clock })
})
afterAll(() => app.close())

const attempt = (email: string, password: string, kind = 'customer', remoteAddress = '10.0.0.1') =>
  app.inject({ method: 'POST', url: '/v1/sessions', payload: { email, password, kind }, remoteAddress })

describe('signing in', () => {
  it('sets an HttpOnly SameSite=Lax session cookie and GET /v1/me tells who it is', async () => {
    const { email, password, customer } = await registerCustomer(app)
    const res = await attempt(email, password)
    expect(res.statusCode).toBe(201)
    const cookie = res.cookies.find((c) => c.name === 'protus_session')
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' })
    expect(cookie?.secure).toBeFalsy()
    const me = await app.inject({
      method: 'GET',
      url: '/v1/me',
      headers: { cookie: `protus_session=${cookie?.value}` },
    })
    expect(me.statusCode).toBe(200)
    expect(me.json()).toEqual({
      kind: 'customer',
      id: customer.id,
      email,
      username: customer.username,
      email_verified: false,
      csrf_token: res.json().csrf_token,
    })
  })

  it('names the cookie __Host-protus_session and marks it Secure when the request came over https', async () => {
    const { email, password } = await registerCustomer(app)
    const proxied = await buildTestApp({ PROTUS_TRUST_PROXY: 'loopback' })
    try {
      await proxied.inject({
        method: 'POST',
        url: '/v1/customers',
        payload: { email, username: 'secure_one', password },
      })
      const res = await proxied.inject({
        method: 'POST',
        url: '/v1/sessions',
        payload: { email, password, kind: 'customer' },
        headers: { 'x-forwarded-proto': 'https' },
      })
      expect(res.cookies.map((c) => c.name)).toEqual(['__Host-protus_session'])
      expect(res.cookies[0]).toMatchObject({ secure: true, path: '/', httpOnly: true })
      const me = await proxied.inject({
        method: 'GET',
        url: '/v1/me',
        headers: { 'x-forwarded-proto': 'https', cookie: `__Host-protus_session=${res.cookies[0]?.value}` },
      })
      expect(me.statusCode).toBe(200)
    } finally {
      await proxied.close()
    }
  })

  it('signs a company in with kind "company" and describes it', async () => {
    const { email, password, company } = await registerCompany(app)
    const session = await signIn(app, 'company', email, password)
    const me = await app.inject({ method: 'GET', url: '/v1/me', headers: { cookie: session.cookie } })
    expect(me.json()).toMatchObject({ kind: 'company', id: company.id, name: company.name })
  })

  it('answers a wrong password and an unknown email with the same 401 invalid_credentials', async () => {
    const { email } = await registerCustomer(app)
    const wrong = expectProblem(
      await attempt(email, 'wrong password', 'customer', '10.0.0.2'),
      401,
      'invalid_credentials',
    )
    const unknown = expectProblem(
      await attempt('nobody@example.com', 'wrong password', 'customer', '10.0.0.2'),
      401,
      'invalid_credentials',
    )
    expect(wrong.detail).toBe(unknown.detail)
  })

  it('does not sign a person in as a company', async () => {
    const { email, password } = await registerCustomer(app)
    expectProblem(await attempt(email, password, 'company', '10.0.0.3'), 401, 'invalid_credentials')
  })
})

describe('sessions', () => {
  it('GET /v1/me without a session is 401 unauthenticated', async () => {
    expectProblem(await app.inject({ method: 'GET', url: '/v1/me' }), 401, 'unauthenticated')
    expectProblem(
      await app.inject({ method: 'GET', url: '/v1/me', headers: { cookie: 'protus_session=forged' } }),
      401,
      'unauthenticated',
    )
  })

  it('GET /v1/sessions answers 200 with or without a session: signed out is not an error', async () => {
    const state = (cookie?: string) =>
      app.inject({ method: 'GET', url: '/v1/sessions', headers: cookie ? { cookie } : {} })
    for (const res of [await state(), await state('protus_session=forged')]) {
      expect(res.statusCode).toBe(200)
      expect(res.json()).toEqual({ signed_in: false })
    }
    const { email, password } = await registerCustomer(app)
    const session = await signIn(app, 'customer', email, password)
    const me = await app.inject({ method: 'GET', url: '/v1/me', headers: { cookie: session.cookie } })
    const signedIn = await state(session.cookie)
    expect(signedIn.statusCode).toBe(200)
    expect(signedIn.json()).toEqual({ signed_in: true, me: me.json() })
    await app.inject({ method: 'DELETE', url: '/v1/sessions', headers: session.headers })
    expect((await state(session.cookie)).json()).toEqual({ signed_in: false })
  })

  it('DELETE /v1/sessions signs out: the cookie no longer works', async () => {
    const { email, password } = await registerCustomer(app)
    const session = await signIn(app, 'customer', email, password)
    const out = await app.inject({ method: 'DELETE', url: '/v1/sessions', headers: session.headers })
    expect(out.statusCode).toBe(204)
    expect(out.cookies.find((c) => c.name === 'protus_session')?.value).toBe('')
    expectProblem(
      await app.inject({ method: 'GET', url: '/v1/me', headers: { cookie: session.cookie } }),
      401,
      'unauthenticated',
    )
  })

  it('refuses a cookie-authenticated change without the CSRF token with 403 csrf_token_invalid', async () => {
    const { email, password } = await registerCustomer(app)
    const session = await signIn(app, 'customer', email, password)
    const noToken = await app.inject({
      method: 'DELETE',
      url: '/v1/sessions',
      headers: { cookie: session.cookie },
    })
    expectProblem(noToken, 403, 'csrf_token_invalid')
    const wrongToken = await app.inject({
      method: 'DELETE',
      url: '/v1/sessions',
      headers: { cookie: session.cookie, 'x-csrf-token': 'x'.repeat(session.csrf.length) },
    })
    expectProblem(wrongToken, 403, 'csrf_token_invalid')
    // The session is still alive.
    expect(
      (await app.inject({ method: 'GET', url: '/v1/me', headers: { cookie: session.cookie } })).statusCode,
    ).toBe(200)
  })

  it('expires a session after its lifetime', async () => {
    const { email, password } = await registerCustomer(app)
    const session = await signIn(app, 'customer', email, password)
    clock.advance(14 * 86_400_000 + 1_000)
    expectProblem(
      await app.inject({ method: 'GET', url: '/v1/me', headers: { cookie: session.cookie } }),
      401,
      'unauthenticated',
    )
  })
})
