import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createManualClock } from '../../src/lib/clock.js'
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

// Each process remembers live tokens it introspected. These tests first let the app remember a
// token, then revoke it by each way there is, and expect the very next answer to say inactive.
const clock = createManualClock(new Date())
let app: FastifyInstance
beforeAll(async () => {
  ;({ app } = await listeningApp({ clock }))
})
afterAll(() => app.close())

type Partner = Awaited<ReturnType<typeof partnerClient>>
type Person = Awaited<ReturnType<typeof signedInPerson>>
type Pair = { access_token: string; refresh_token: string }

async function codeFor(partner: Partner, person: Person) {
  const { verifier, challenge } = pkce()
  const url = authorizeUrl({
    response_type: 'code',
    client_id: partner.clientId,
    redirect_uri: REDIRECT_URI,
    scope: 'check charge',
    state: 'st',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  })
  const callback = await consent(app, person.session.headers, url, {
    allow: true,
    scopes: ['check', 'charge'],
  })
  return {
    grant_type: 'authorization_code',
    code: callback.searchParams.get('code') as string,
    redirect_uri: REDIRECT_URI,
    code_verifier: verifier,
  }
}

async function token(partner: Partner, form: Record<string, string>) {
  const res = await formPost(app, '/oauth/token', form, partner.auth)
  return { status: res.statusCode, body: res.json() as Pair & { error?: string } }
}

async function connected() {
  const partner = await partnerClient(app)
  const person = await signedInPerson(app)
  const { body } = await token(partner, await codeFor(partner, person))
  return { partner, person, tokens: body as Pair }
}

const introspect = async (partner: Partner, t: string) =>
  (await formPost(app, '/oauth/introspect', { token: t }, partner.auth)).json() as { active: boolean }

const userinfo = (t: string) =>
  app.inject({ method: 'GET', url: '/oauth/userinfo', headers: { authorization: `Bearer ${t}` } })

/** Introspects until the answer comes from memory (two live answers), so a revocation must reach it. */
async function remembered(partner: Partner, ...tokens: string[]) {
  for (const t of tokens) {
    expect((await introspect(partner, t)).active).toBe(true)
    expect((await introspect(partner, t)).active).toBe(true)
  }
}

describe('the introspection cache', () => {
  it('answers a remembered token from memory: a change behind its back is not seen', async () => {
    const { partner, tokens } = await connected()
    await remembered(partner, tokens.access_token)
    // Revoked without an announcement: only the cache can still call it active.
    await app.db.query('UPDATE oauth_tokens SET revoked_at = now() WHERE client_id = $1', [partner.clientId])
    expect((await introspect(partner, tokens.access_token)).active).toBe(true)
    expect((await userinfo(tokens.access_token)).statusCode).toBe(200)
  })

  it('never answers a remembered token past its expiry', async () => {
    const { partner, tokens } = await connected()
    await remembered(partner, tokens.access_token)
    clock.advance(601_000)
    expect(await introspect(partner, tokens.access_token)).toEqual({ active: false })
  })

  it('forgets an access token revoked at the revocation endpoint', async () => {
    const { partner, tokens } = await connected()
    await remembered(partner, tokens.access_token)
    await formPost(app, '/oauth/revoke', { token: tokens.access_token }, partner.auth)
    expect(await introspect(partner, tokens.access_token)).toEqual({ active: false })
    expect((await userinfo(tokens.access_token)).statusCode).toBe(401)
  })

  it("forgets the grant's access tokens when its refresh token is revoked", async () => {
    const { partner, tokens } = await connected()
    await remembered(partner, tokens.access_token, tokens.refresh_token)
    await formPost(app, '/oauth/revoke', { token: tokens.refresh_token }, partner.auth)
    expect(await introspect(partner, tokens.access_token)).toEqual({ active: false })
    expect(await introspect(partner, tokens.refresh_token)).toEqual({ active: false })
  })

  it('forgets the tokens of a partner the person disconnects', async () => {
    const { partner, person, tokens } = await connected()
    await remembered(partner, tokens.access_token)
    const res = await app.inject({
      method: 'DELETE',
      url: `/v1/me/grants/${partner.clientId}`,
      headers: person.session.headers,
    })
    expect(res.statusCode, res.body).toBe(204)
    expect(await introspect(partner, tokens.access_token)).toEqual({ active: false })
    expect((await userinfo(tokens.access_token)).statusCode).toBe(401)
  })

  it('forgets the tokens of a grant revoked because a rotated refresh token came back', async () => {
    const { partner, tokens } = await connected()
    const next = (await token(partner, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token }))
      .body
    await remembered(partner, next.access_token, next.refresh_token)
    clock.advance(60_000)
    const reuse = await token(partner, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token })
    expect([reuse.status, reuse.body.error]).toEqual([400, 'invalid_grant'])
    expect(await introspect(partner, next.access_token)).toEqual({ active: false })
    expect(await introspect(partner, next.refresh_token)).toEqual({ active: false })
  })

  it('forgets the pair of a first try when a refresh is retried within the grace window', async () => {
    const { partner, tokens } = await connected()
    const first = (await token(partner, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token }))
      .body
    await remembered(partner, first.access_token)
    clock.advance(2_000)
    const retried = await token(partner, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token })
    expect(retried.status).toBe(200)
    expect(await introspect(partner, first.access_token)).toEqual({ active: false })
    expect((await introspect(partner, retried.body.access_token)).active).toBe(true)
  })

  it('forgets the tokens of an authorization code used twice', async () => {
    const partner = await partnerClient(app)
    const person = await signedInPerson(app)
    const form = await codeFor(partner, person)
    const first = (await token(partner, form)).body
    await remembered(partner, first.access_token)
    const second = await token(partner, form)
    expect([second.status, second.body.error]).toEqual([400, 'invalid_grant'])
    expect(await introspect(partner, first.access_token)).toEqual({ active: false })
  })
})
