import type { FastifyInstance } from 'fastify'
import * as oidc from 'openid-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectProblem } from '../support/http.js'
import { expectLedgerSound, fund, newKey } from '../support/money.js'
import { consent, listeningApp, partnerClient, REDIRECT_URI, signedInPerson } from '../support/oauth.js'

let app: FastifyInstance
let issuer: string
beforeAll(async () => {
  ;({ app, issuer } = await listeningApp())
})
afterAll(async () => {
  await expectLedgerSound(app)
  await app.close()
})

describe('Sign in with PROTUS through openid-client', () => {
  it('discovers, authorizes with PKCE, enforces the granted scopes on billing, refreshes and revokes', async () => {
    const partner = await partnerClient(app)
    const person = await signedInPerson(app)
    await fund(app, person.customer.id, 10_000)

    const config = await oidc.discovery(
      new URL(issuer),
      partner.clientId,
      partner.clientSecret,
      oidc.ClientSecretBasic(partner.clientSecret),
      {
        algorithm: 'oauth2',
        execute: [oidc.allowInsecureRequests],
      },
    )
    expect(config.serverMetadata().code_challenge_methods_supported).toEqual(['S256'])

    const verifier = oidc.randomPKCECodeVerifier()
    const state = oidc.randomState()
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI,
      scope: 'check hold charge',
      state,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    })
    // The person switches `hold` off on the consent page.
    const callback = await consent(app, person.session.headers, url.pathname + url.search, {
      allow: true,
      scopes: ['check', 'charge'],
    })
    expect(callback.searchParams.get('iss')).toBe(issuer)

    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
    })
    expect(tokens.scope).toBe('check charge')
    expect(tokens.token_type).toBe('bearer')
    expect(tokens.expires_in).toBe(600)

    const introspected = await oidc.tokenIntrospection(config, tokens.access_token)
    expect(introspected).toMatchObject({
      active: true,
      scope: 'check charge',
      client_id: partner.clientId,
      iss: issuer,
    })
    const accountId = introspected.sub as string
    expect(accountId).toMatch(/^acct_/)

    const bill = (path: string, body: object) =>
      app.inject({
        method: 'POST',
        url: path,
        headers: { authorization: partner.auth, 'idempotency-key': newKey() },
        payload: body,
      })
    expect(
      expectProblem(await bill('/v1/holds', { account: accountId, amount: 100 }), 403, 'insufficient_scope'),
    ).toMatchObject({ scope: 'hold' })
    expect((await bill('/v1/charges', { account: accountId, amount: 250 })).statusCode).toBe(201)
    const balance = await app.inject({
      method: 'GET',
      url: `/v1/accounts/${accountId}/balance`,
      headers: { authorization: partner.auth },
    })
    expect(balance.json()).toMatchObject({ available: 9750 })

    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token as string)
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token)
    expect(refreshed.scope).toBe('check charge')
    expect((await oidc.tokenIntrospection(config, refreshed.access_token)).active).toBe(true)

    // The person revokes the partner in Connected services.
    const grants = await app.inject({
      method: 'GET',
      url: '/v1/me/grants',
      headers: { cookie: person.session.cookie },
    })
    expect(grants.json().data).toMatchObject([
      { client_id: partner.clientId, scopes: ['check', 'charge'], account_id: accountId, spent: 250 },
    ])
    const revoked = await app.inject({
      method: 'DELETE',
      url: `/v1/me/grants/${partner.clientId}`,
      headers: person.session.headers,
    })
    expect(revoked.statusCode).toBe(204)

    expect(await oidc.tokenIntrospection(config, refreshed.access_token)).toEqual({ active: false })
    await expect(oidc.refreshTokenGrant(config, refreshed.refresh_token as string)).rejects.toMatchObject({
      error: 'invalid_grant',
    })
    expectProblem(await bill('/v1/charges', { account: accountId, amount: 1 }), 403, 'grant_revoked')
    expect(
      (
        await app.inject({ method: 'GET', url: '/v1/me/grants', headers: { cookie: person.session.cookie } })
      ).json().data,
    ).toEqual([])
  })

  it('does not ask a returning person who granted the scopes already, and answers userinfo by scope', async () => {
    const partner = await partnerClient(app)
    const person = await signedInPerson(app)
    const config = await oidc.discovery(
      new URL(issuer),
      partner.clientId,
      partner.clientSecret,
      oidc.ClientSecretPost(partner.clientSecret),
      {
        algorithm: 'oauth2',
        execute: [oidc.allowInsecureRequests],
      },
    )
    const run = async (scope: string, decision?: { allow: boolean; scopes: string[] }) => {
      const verifier = oidc.randomPKCECodeVerifier()
      const state = oidc.randomState()
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: REDIRECT_URI,
        scope,
        state,
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      })
      const first = await app.inject({
        method: 'GET',
        url: url.pathname + url.search,
        headers: { cookie: person.session.cookie },
      })
      expect(first.statusCode).toBe(302)
      const asked = String(first.headers.location).startsWith('/consent/')
      if (asked && !decision) return { asked, tokens: undefined }
      const callback = decision
        ? await consent(app, person.session.headers, url.pathname + url.search, decision)
        : new URL(String(first.headers.location))
      return {
        asked,
        tokens: await oidc.authorizationCodeGrant(config, callback, {
          pkceCodeVerifier: verifier,
          expectedState: state,
        }),
      }
    }
    const first = await run('check profile email', { allow: true, scopes: ['check', 'profile', 'email'] })
    expect(first.asked).toBe(true)
    const withEmail = await oidc.fetchUserInfo(
      config,
      first.tokens?.access_token as string,
      oidc.skipSubjectCheck,
    )
    expect(withEmail).toEqual({
      sub: expect.stringMatching(/^acct_/),
      preferred_username: person.username,
      email: person.email,
      email_verified: false,
    })
    const again = await run('check profile')
    expect(again.asked).toBe(false)
    expect(again.tokens?.scope).toBe('check profile')
    const info = await oidc.fetchUserInfo(config, again.tokens?.access_token as string, oidc.skipSubjectCheck)
    expect(info).toEqual({ sub: expect.stringMatching(/^acct_/), preferred_username: person.username })
    const more = await run('check charge')
    expect(more.asked).toBe(true)
  })
})
