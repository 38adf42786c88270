import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createManualClock } from '../../src/lib/clock.js'
import { basic, expectProblem, registerCompany, signIn } from '../support/http.js'
import { newKey } from '../support/money.js'
import {
  authorizeUrl,
  consent,
  formPost,
  listeningApp,
  partnerClient,
  pkce,
  REDIRECT_URI,
  signedInPerson,
} from '../support/oauth.js'

const clock = createManualClock(new Date())
let app: FastifyInstance
let issuer: string
beforeAll(async () => {
  ;({ app, issuer } = await listeningApp({ clock }))
})
afterAll(() => app.close())

type Partner = Awaited<ReturnType<typeof partnerClient>>
type Person = Awaited<ReturnType<typeof signedInPerson>>

function request(partner: Partner, overrides: Record<string, string | undefined> = {}) {
  const { verifier, challenge } = pkce()
  const params = {
    response_type: 'code',
    client_id: partner.clientId,
    redirect_uri: REDIRECT_URI,
    scope: 'check charge',
    state: 'st-123',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...overrides,
  }
  return { url: authorizeUrl(params), verifier }
}

async function codeFor(partner: Partner, person: Person, scopes = ['check', 'charge']) {
  const { url, verifier } = request(partner, { scope: scopes.join(' ') })
  const callback = await consent(app, person.session.headers, url, { allow: true, scopes })
  return { code: callback.searchParams.get('code') as string, verifier }
}

const exchange = (partner: Partner, form: Record<string, string>) =>
  formPost(app, '/oauth/token', form, partner.auth)

async function tokensFor(partner: Partner, person: Person) {
  const { code, verifier } = await codeFor(partner, person)
  const res = await exchange(partner, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT_URI,
    code_verifier: verifier,
  })
  expect(res.statusCode, res.body).toBe(200)
  return res.json() as { access_token: string; refresh_token: string; scope: string }
}

const introspect = async (partner: Partner, token: string) =>
  (await formPost(app, '/oauth/introspect', { token }, partner.auth)).json()

describe('authorization endpoint', () => {
  it('publishes RFC 8414 metadata', async () => {
    const res = await app.inject({ method: 'GET', url: '/.well-known/oauth-authorization-server' })
    expect(res.json()).toMatchObject({
      issuer,
      authorization_endpoint: `${issuer}/oauth/authorize`,
      token_endpoint: `${issuer}/oauth/token`,
      scopes_supported: ['check', 'hold', 'charge', 'profile', 'email'],
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      authorization_response_iss_parameter_supported: true,
    })
  })

  it('sends a person without a session to sign in, and back to the same request', async () => {
    const partner = await partnerClient(app)
    const { url } = request(partner)
    const res = await app.inject({ method: 'GET', url })
    expect(res.statusCode).toBe(302)
    expect(res.headers.location).toBe(`/sign-in?kind=customer&redirect=${encodeURIComponent(url)}`)
  })

  it.each([
    ['an unknown client', () => ({ client_id: 'cli_unknown' }), 'No partner'],
    ['a redirect URI with a trailing slash', () => ({ redirect_uri: `${REDIRECT_URI}/` }), 'redirect_uri'],
    [
      'a redirect URI in other case',
      () => ({ redirect_uri: REDIRECT_URI.toUpperCase().replace('HTTPS', 'https') }),
      'redirect_uri',
    ],
    ['no redirect URI', () => ({ redirect_uri: undefined }), 'redirect_uri'],
  ])('shows an error page and never redirects for %s', async (_label, override, text) => {
    const partner = await partnerClient(app)
    const res = await app.inject({ method: 'GET', url: request(partner, override()).url })
    expect(res.statusCode).toBe(400)
    expect(res.headers.location).toBeUndefined()
    expect(res.headers['content-type']).toMatch(/text\/html/)
    expect(res.body).toContain(text)
  })

  it("says so in the visitor's language, from Accept-Language", async () => {
    const partner = await partnerClient(app)
    const { url } = request(partner, { client_id: 'cli_unknown' })
    const russian = await app.inject({
      method: 'GET',
      url,
      headers: { 'accept-language': 'ru-RU,ru;q=0.9,en;q=0.5' },
    })
    expect(russian.statusCode).toBe(400)
    expect(russian.body).toContain('<html lang="ru">')
    expect(russian.body).toContain('Партнёр с таким client_id не зарегистрирован.')
    expect(russian.body).not.toContain('No partner')
    const english = await app.inject({ method: 'GET', url, headers: { 'accept-language': 'de-DE' } })
    expect(english.body).toContain('<html lang="en">')
    expect(english.body).toContain('No partner is registered with this client_id.')
  })

  it.each([
    ['a missing code_challenge', { code_challenge: undefined }, 'invalid_request'],
    ['the plain PKCE method', { code_challenge_method: 'plain' }, 'invalid_request'],
    ['no PKCE method', { code_challenge_method: undefined }, 'invalid_request'],
    ['an unknown scope', { scope: 'check admin' }, 'invalid_scope'],
    ['no scope', { scope: undefined }, 'invalid_scope'],
    ['response_type=token', { response_type: 'token' }, 'unsupported_response_type'],
  ])('redirects %s back with the error, state and iss', async (_label, override, error) => {
    const partner = await partnerClient(app)
    const person = await signedInPerson(app)
    const res = await app.inject({
      method: 'GET',
      url: request(partner, override).url,
      headers: { cookie: person.session.cookie },
    })
    expect(res.statusCode).toBe(302)
    const location = new URL(String(res.headers.location))
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI)
    expect(location.searchParams.get('error')).toBe(error)
    expect(location.searchParams.get('state')).toBe('st-123')
    expect(location.searchParams.get('iss')).toBe(issuer)
    expect(location.searchParams.get('code')).toBeNull()
  })

  it('redirects a denial with access_denied and the state', async () => {
    const partner = await partnerClient(app)
    const person = await signedInPerson(app)
    const callback = await consent(app, person.session.headers, request(partner).url, { allow: false })
    expect(callback.searchParams.get('error')).toBe('access_denied')
    expect(callback.searchParams.get('state')).toBe('st-123')
    expect(callback.searchParams.get('iss')).toBe(issuer)
  })

  it('keeps consent requests to their person, once, and refuses an empty allow', async () => {
    const partner = await partnerClient(app)
    const person = await signedInPerson(app)
    const other = await signedInPerson(app)
    const first = await app.inject({
      method: 'GET',
      url: request(partner).url,
      headers: { cookie: person.session.cookie },
    })
    const id = String(first.headers.location).replace('/consent/', '')
    const view = await app.inject({
      method: 'GET',
      url: `/v1/oauth/requests/${id}`,
      headers: { cookie: person.session.cookie },
    })
    expect(view.json()).toMatchObject({
      client: { client_id: partner.clientId, name: partner.company.name },
      scopes: [
        { scope: 'check', granted: false },
        { scope: 'charge', granted: false },
      ],
    })
    expectProblem(
      await app.inject({
        method: 'GET',
        url: `/v1/oauth/requests/${id}`,
        headers: { cookie: other.session.cookie },
      }),
      404,
      'not_found',
    )
    const decide = (who: Person, payload: object) =>
      app.inject({
        method: 'POST',
        url: `/v1/oauth/requests/${id}/decision`,
        headers: who.session.headers,
        payload,
      })
    expectProblem(await decide(other, { allow: true, scopes: ['check'] }), 404, 'not_found')
    expectProblem(await decide(person, { allow: true, scopes: [] }), 400, 'validation_failed')
    expectProblem(
      await decide(person, { allow: true, scopes: ['check'], extra: 1 }),
      400,
      'validation_failed',
    )
    expect((await decide(person, { allow: true, scopes: ['check'] })).statusCode).toBe(200)
    expectProblem(await decide(person, { allow: true, scopes: ['check'] }), 404, 'not_found')
  })
})

describe('token endpoint', () => {
  it('refuses a wrong code_verifier, a missing one, and another redirect_uri with invalid_grant or invalid_request', async () => {
    const partner = await partnerClient(app)
    const person = await signedInPerson(app)
    const a = await codeFor(partner, person)
    const wrong = await exchange(partner, {
      grant_type: 'authorization_code',
      code: a.code,
      redirect_uri: REDIRECT_URI,
      code_verifier: pkce().verifier,
    })
    expect([wrong.statusCode, wrong.json().error]).toEqual([400, 'invalid_grant'])
    const b = await codeFor(partner, person)
    const missing = await exchange(partner, {
      grant_type: 'authorization_code',
      code: b.code,
      redirect_uri: REDIRECT_URI,
    })
    expect([missing.statusCode, missing.json().error]).toEqual([400, 'invalid_request'])
    const c = await codeFor(partner, person)
    const elsewhere = await exchange(partner, {
      grant_type: 'authorization_code',
      code: c.code,
      redirect_uri: 'https://messages.example/other',
      code_verifier: c.verifier,
    })
    expect([elsewhere.statusCode, elsewhere.json().error]).toEqual([400, 'invalid_grant'])
  })

  it('answers the token response with no-store and the scope', async () => {
    const partner = await partnerClient(app)
    const person = await signedInPerson(app)
    const { code, verifier } = await codeFor(partner, person)
    const res = await exchange(partner, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
    })
    expect(res.headers['cache-control']).toBe('no-store')
    expect(res.json()).toEqual({
      access_token: expect.stringMatching(/^pat_[A-Za-z0-9_-]{43}$/),
      token_type: 'Bearer',
      expires_in: 600,
      refresh_token: expect.stringMatching(/^prt_/),
      scope: 'check charge',
    })
    const rows = await app.db.query<{ token_digest: string }>('SELECT token_digest FROM oauth_tokens')
    expect(JSON.stringify(rows)).not.toContain(res.json().access_token)
  })

  it('revokes the tokens of a code used twice', async () => {
    const partner = await partnerClient(app)
    const person = await signedInPerson(app)
    const { code, verifier } = await codeFor(partner, person)
    const form = {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
    }
    const first = (await exchange(partner, form)).json()
    const second = await exchange(partner, form)
    expect([second.statusCode, second.json().error]).toEqual([400, 'invalid_grant'])
    expect(await introspect(partner, first.access_token)).toEqual({ active: false })
    expect(await introspect(partner, first.refresh_token)).toEqual({ active: false })
  })

  it('refuses a code after its 60 seconds', async () => {
    const partner = await partnerClient(app)
    const person = await signedInPerson(app)
    const { code, verifier } = await codeFor(partner, person)
    clock.advance(61_000)
    const res = await exchange(partner, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
    })
    expect([res.statusCode, res.json().error]).toEqual([400, 'invalid_grant'])
  })

  it('refuses another client’s code', async () => {
    const partner = await partnerClient(app)
    const thief = await partnerClient(app)
    const person = await signedInPerson(app)
    const { code, verifier } = await codeFor(partner, person)
    const res = await exchange(thief, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
    })
    expect([res.statusCode, res.json().error]).toEqual([400, 'invalid_grant'])
  })

  it('authenticates clients by Basic or by post, not both, and answers 401 invalid_client with WWW-Authenticate', async () => {
    const partner = await partnerClient(app)
    const bad = await formPost(
      app,
      '/oauth/token',
      { grant_type: 'refresh_token', refresh_token: 'x' },
      basic(partner.clientId, 'sk_wrong'),
    )
    expect([bad.statusCode, bad.json().error]).toEqual([401, 'invalid_client'])
    expect(bad.headers['www-authenticate']).toBe('Basic realm="PROTUS"')
    const none = await formPost(app, '/oauth/token', { grant_type: 'refresh_token', refresh_token: 'x' })
    expect(none.statusCode).toBe(401)
    const both = await formPost(
      app,
      '/oauth/token',
      {
        grant_type: 'refresh_token',
        refresh_token: 'x',
        client_id: partner.clientId,
        client_secret: partner.clientSecret,
      },
      partner.auth,
    )
    expect([both.statusCode, both.json().error]).toEqual([400, 'invalid_request'])
    const post = await formPost(app, '/oauth/token', {
      grant_type: 'refresh_token',
      refresh_token: 'x',
      client_id: partner.clientId,
      client_secret: partner.clientSecret,
    })
    expect([post.statusCode, post.json().error]).toEqual([400, 'invalid_grant'])
    const type = await exchange(partner, { grant_type: 'password' })
    expect(type.json().error).toBe('unsupported_grant_type')
    const json = await app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { authorization: partner.auth },
      payload: { grant_type: 'refresh_token' },
    })
    expect([json.statusCode, json.json().error]).toEqual([400, 'invalid_request'])
    const repeated = await app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { authorization: partner.auth, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'grant_type=refresh_token&grant_type=authorization_code',
    })
    expect(repeated.json().error).toBe('invalid_request')
  })
})

describe('refresh tokens', () => {
  it('rotates; a retry within the grace window gets a new pair and voids the first one', async () => {
    const partner = await partnerClient(app)
    const person = await signedInPerson(app)
    const tokens = await tokensFor(partner, person)
    const first = (
      await exchange(partner, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token })
    ).json()
    expect(first.refresh_token).not.toBe(tokens.refresh_token)
    clock.advance(2_000)
    const retried = await exchange(partner, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
    })
    expect(retried.statusCode).toBe(200)
    expect(await introspect(partner, first.access_token)).toEqual({ active: false })
    expect((await introspect(partner, retried.json().access_token)).active).toBe(true)
  })

  it('revokes the grant when a used refresh token comes back later', async () => {
    const partner = await partnerClient(app)
    const person = await signedInPerson(app)
    const tokens = await tokensFor(partner, person)
    const next = (
      await exchange(partner, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token })
    ).json()
    clock.advance(60_000)
    const reuse = await exchange(partner, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
    })
    expect([reuse.statusCode, reuse.json().error]).toEqual([400, 'invalid_grant'])
    expect(await introspect(partner, next.access_token)).toEqual({ active: false })
    const after = await exchange(partner, { grant_type: 'refresh_token', refresh_token: next.refresh_token })
    expect(after.json().error).toBe('invalid_grant')
    const grants = await app.inject({
      method: 'GET',
      url: '/v1/me/grants',
      headers: { cookie: person.session.cookie },
    })
    expect(grants.json().data).toEqual([])
    const accountId = (
      await app.db.query<{ account_id: string }>('SELECT account_id FROM oauth_grants WHERE client_id = $1', [
        partner.clientId,
      ])
    )[0]?.account_id
    const charge = await app.inject({
      method: 'POST',
      url: '/v1/charges',
      headers: { authorization: partner.auth, 'idempotency-key': newKey() },
      payload: { account: accountId, amount: 1 },
    })
    expectProblem(charge, 403, 'grant_revoked')
  })

  it('narrows the scope on request, never widens it', async () => {
    const partner = await partnerClient(app)
    const person = await signedInPerson(app)
    const tokens = await tokensFor(partner, person)
    const wider = await exchange(partner, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      scope: 'check hold',
    })
    expect(wider.json().error).toBe('invalid_scope')
    const narrower = await exchange(partner, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      scope: 'check',
    })
    expect(narrower.json().scope).toBe('check')
  })
})

describe('introspection, revocation and userinfo', () => {
  it('answers another client exactly { active: false } and ignores its revocation', async () => {
    const partner = await partnerClient(app)
    const other = await partnerClient(app)
    const person = await signedInPerson(app)
    const tokens = await tokensFor(partner, person)
    expect(await introspect(other, tokens.access_token)).toEqual({ active: false })
    expect(await introspect(partner, 'pat_nonsense')).toEqual({ active: false })
    const res = await formPost(app, '/oauth/revoke', { token: tokens.access_token }, other.auth)
    expect(res.statusCode).toBe(200)
    expect((await introspect(partner, tokens.access_token)).active).toBe(true)
  })

  it('expires access tokens after 10 minutes', async () => {
    const partner = await partnerClient(app)
    const person = await signedInPerson(app)
    const tokens = await tokensFor(partner, person)
    clock.advance(601_000)
    expect(await introspect(partner, tokens.access_token)).toEqual({ active: false })
  })

  it('revokes a refresh token with the grant’s access tokens, and answers 200 for unknown tokens', async () => {
    const partner = await partnerClient(app)
    const person = await signedInPerson(app)
    const tokens = await tokensFor(partner, person)
    expect(
      (await formPost(app, '/oauth/revoke', { token: tokens.refresh_token }, partner.auth)).statusCode,
    ).toBe(200)
    expect(await introspect(partner, tokens.access_token)).toEqual({ active: false })
    expect(
      (await exchange(partner, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token })).json()
        .error,
    ).toBe('invalid_grant')
    expect((await formPost(app, '/oauth/revoke', { token: 'unknown' }, partner.auth)).statusCode).toBe(200)
  })

  it('answers userinfo only with a live access token, with what the scopes allow', async () => {
    const partner = await partnerClient(app)
    const person = await signedInPerson(app)
    const tokens = await tokensFor(partner, person)
    const info = await app.inject({
      method: 'GET',
      url: '/oauth/userinfo',
      headers: { authorization: `Bearer ${tokens.access_token}` },
    })
    expect(info.json()).toEqual({ sub: expect.stringMatching(/^acct_/) })
    const none = await app.inject({ method: 'GET', url: '/oauth/userinfo' })
    expect([none.statusCode, none.json().error]).toEqual([401, 'invalid_token'])
    expect(none.headers['www-authenticate']).toContain('invalid_token')
    const refresh = await app.inject({
      method: 'GET',
      url: '/oauth/userinfo',
      headers: { authorization: `Bearer ${tokens.refresh_token}` },
    })
    expect(refresh.statusCode).toBe(401)
  })

  it('keeps a company session from authorizing as a person', async () => {
    const partner = await partnerClient(app)
    const company = await registerCompany(app)
    const session = await signIn(app, 'company', company.email, company.password)
    const res = await app.inject({
      method: 'GET',
      url: request(partner).url,
      headers: { cookie: session.cookie },
    })
    expect(String(res.headers.location)).toMatch(/^\/sign-in\?kind=customer/)
  })
})
