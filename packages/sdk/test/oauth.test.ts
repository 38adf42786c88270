import type { AddressInfo } from 'node:net'
import express from 'express'
import { beforeAll, describe, expect, it } from 'vitest'
import { createProtusClient, type ProtusClient } from '../src/client.js'
import { ProtusError, ProtusOAuthError } from '../src/errors.js'
import { protusAuth, requireScope } from '../src/express.js'
import type { Scope } from '../src/types.js'
import { refusal } from './support/fixtures.js'
import {
  consent,
  type Person,
  registerCompany,
  revokePartner,
  signedInPerson,
  topUpWallet,
  walletOf,
} from './support/people.js'
import { protusServer } from './support/server.js'

const redirectUri = 'http://127.0.0.1:9/auth/protus/callback'
const server = protusServer()
let protus: ProtusClient
let clientId: string

beforeAll(async () => {
  const credentials = await registerCompany(server.baseUrl)
  clientId = credentials.clientId
  protus = createProtusClient({ baseUrl: server.baseUrl, ...credentials })
  await protus.company.update({ redirect_uris: [redirectUri] })
})

/** The partner starts a sign-in, the person consents in their browser, the partner handles the callback. */
async function signIn(person: Person, scope: Scope[], granted: Scope[] = scope) {
  const started = await protus.oauth.authorizationUrl({ redirectUri, scope })
  const callback = await consent(person, started.url, { allow: true, scopes: granted })
  expect(callback.startsWith(redirectUri)).toBe(true)
  return protus.oauth.handleCallback({ ...started, url: callback, redirectUri })
}

describe('Sign in with PROTUS', () => {
  it('signs a person in with the scopes they chose, and bills only what those allow', async () => {
    const person = await signedInPerson(server.baseUrl)
    await topUpWallet(person, 20_000)
    const result = await signIn(person, ['check', 'hold', 'profile', 'email'], ['check', 'hold', 'profile'])
    expect(result.accountId).toMatch(/^acct_/)
    expect(result.scopes).toEqual(['check', 'hold', 'profile'])
    expect(result.user).toEqual({ sub: result.accountId, preferred_username: expect.stringMatching(/^ann-/) })
    expect(result.tokens.expiresAt).toBeGreaterThan(Date.now())

    expect(await protus.accounts.balance(result.accountId)).toMatchObject({ available: 20_000 })
    const refused = await refusal(
      protus.charges.create({ account: result.accountId, amount: 100 }),
      ProtusError,
    )
    expect(refused).toMatchObject({ code: 'insufficient_scope', status: 403 })
    expect(refused.problem?.scope).toBe('charge')
    const hold = await protus.holds.create({ account: result.accountId, amount: 5_000 })
    expect(await walletOf(person)).toMatchObject({ available: 15_000, held: 5_000 })
    await protus.holds.release(hold.id)
    expect(await walletOf(person)).toMatchObject({ available: 20_000, held: 0 })
  })

  it('asks again for just the missing scope, after which charges work', async () => {
    const person = await signedInPerson(server.baseUrl)
    await topUpWallet(person, 10_000)
    const first = await signIn(person, ['check'])
    const more = await signIn(person, ['charge'])
    expect(more.accountId).toBe(first.accountId)
    expect(more.scopes).toEqual(['charge'])
    const charge = await protus.charges.create({ account: more.accountId, amount: 2_500 })
    expect(charge.amount).toBe(2_500)
    expect(await walletOf(person)).toMatchObject({ available: 7_500 })
    expect(await protus.accounts.get(more.accountId)).toMatchObject({
      scopes: ['check', 'charge'],
      spent: 2_500,
    })
  })

  it('reports a denial as access_denied', async () => {
    const person = await signedInPerson(server.baseUrl)
    const started = await protus.oauth.authorizationUrl({ redirectUri, scope: ['check'] })
    const callback = await consent(person, started.url, { allow: false })
    const error = await refusal(
      protus.oauth.handleCallback({ ...started, url: callback, redirectUri }),
      ProtusOAuthError,
    )
    expect(error.error).toBe('access_denied')
  })

  it('refuses a callback for another sign-in without spending its code', async () => {
    const person = await signedInPerson(server.baseUrl)
    const started = await protus.oauth.authorizationUrl({ redirectUri, scope: ['check'] })
    const callback = await consent(person, started.url, { allow: true, scopes: ['check'] })
    const forged = await refusal(
      protus.oauth.handleCallback({ ...started, url: callback, state: 'someone else', redirectUri }),
      ProtusOAuthError,
    )
    expect(forged.error).toBe('state_mismatch')
    const signedIn = await protus.oauth.handleCallback({ ...started, url: callback, redirectUri })
    expect(signedIn.scopes).toEqual(['check'])
    // A code is single use: the server refuses it the second time.
    const reused = await refusal(
      protus.oauth.handleCallback({ ...started, url: callback, redirectUri }),
      ProtusOAuthError,
    )
    expect(reused).toMatchObject({ error: 'invalid_grant', status: 400 })
  })
})

describe('tokens', () => {
  it('introspects, refreshes, and revokes with the cache forgetting at once', async () => {
    const person = await signedInPerson(server.baseUrl)
    const { tokens, accountId } = await signIn(person, ['check', 'hold'])
    expect(await protus.oauth.introspect(tokens.accessToken)).toMatchObject({
      active: true,
      sub: accountId,
      scopes: ['check', 'hold'],
      client_id: clientId,
    })
    const fresh = await protus.oauth.refresh(tokens.refreshToken)
    expect(fresh.accessToken).not.toBe(tokens.accessToken)
    expect((await protus.oauth.userinfo(fresh.accessToken)).sub).toBe(accountId)

    await protus.oauth.revoke(tokens.accessToken)
    expect(await protus.oauth.introspect(tokens.accessToken)).toEqual({ active: false })
    expect((await protus.oauth.introspect(fresh.accessToken)).active).toBe(true)
    await protus.oauth.revoke(fresh.refreshToken)
    // Revoking the refresh token took its access token along; the cache must not hide that.
    expect(await protus.oauth.introspect(fresh.accessToken)).toEqual({ active: false })
  })

  it('sees a grant the person revoked: inactive tokens and grant_revoked on billing', async () => {
    const person = await signedInPerson(server.baseUrl)
    await topUpWallet(person, 1_000)
    const { tokens, accountId } = await signIn(person, ['check', 'charge'])
    expect((await protus.oauth.introspect(tokens.accessToken)).active).toBe(true)
    await revokePartner(person, clientId)
    protus.oauth.forgetAccount(accountId)
    expect(await protus.oauth.introspect(tokens.accessToken)).toEqual({ active: false })
    const refused = await refusal(protus.charges.create({ account: accountId, amount: 100 }), ProtusError)
    expect(refused).toMatchObject({ code: 'grant_revoked', status: 403 })
    const refresh = await refusal(protus.oauth.refresh(tokens.refreshToken), ProtusOAuthError)
    expect(refresh.error).toBe('invalid_grant')
    expect(await walletOf(person)).toMatchObject({ available: 1_000 })
  })
})

describe('scope guard against real tokens', () => {
  it('lets a token with charge through and answers 403 with a re-consent URL to one without', async () => {
    const app = express()
    app.use(protusAuth({ protus }))
    app.post(
      '/clients',
      requireScope('charge'),
      (req, res) => void res.json({ account: req.protus?.user?.accountId }),
    )
    const listener = app.listen(0, '127.0.0.1')
    await new Promise<void>((resolve) => listener.once('listening', () => resolve()))
    const base = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`
    try {
      const person = await signedInPerson(server.baseUrl)
      const checkOnly = await signIn(person, ['check'])
      const denied = await fetch(`${base}/clients`, {
        method: 'POST',
        headers: { authorization: `Bearer ${checkOnly.tokens.accessToken}` },
      })
      expect(denied.status).toBe(403)
      expect(await denied.json()).toMatchObject({
        code: 'insufficient_scope',
        reconsent_url: '/auth/protus?scope=check%20charge',
      })

      const charging = await signIn(person, ['check', 'charge'])
      const allowed = await fetch(`${base}/clients`, {
        method: 'POST',
        headers: { authorization: `Bearer ${charging.tokens.accessToken}` },
      })
      expect(allowed.status).toBe(200)
      expect(await allowed.json()).toEqual({ account: charging.accountId })
    } finally {
      listener.close()
    }
  })
})
