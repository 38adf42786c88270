import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { ProtusOAuthError } from './errors.js'
import { createPkce, createProtusOAuth } from './oauth.js'

const issuer = 'https://protus.test'
const metadata = {
  issuer,
  authorization_endpoint: `${issuer}/oauth/authorize`,
  token_endpoint: `${issuer}/oauth/token`,
  introspection_endpoint: `${issuer}/oauth/introspect`,
  revocation_endpoint: `${issuer}/oauth/revoke`,
  userinfo_endpoint: `${issuer}/oauth/userinfo`,
  authorization_response_iss_parameter_supported: true,
}

type Handler = (url: string, init: RequestInit) => Response | Promise<Response>

/** A fake authorization server: metadata, and whatever each test answers for the rest. */
function fakeServer(handler: Handler) {
  const calls: { url: string; body: string; authorization: string | null }[] = []
  const fetch = async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = String(input)
    if (url.endsWith('/.well-known/oauth-authorization-server')) return Response.json(metadata)
    calls.push({
      url,
      body: String(init.body ?? ''),
      authorization: new Headers(init.headers).get('authorization'),
    })
    return handler(url, init)
  }
  return { fetch: fetch as typeof globalThis.fetch, calls }
}

function oauthWith(handler: Handler, extra: { now?: () => number; introspectionCacheMs?: number } = {}) {
  const server = fakeServer(handler)
  const oauth = createProtusOAuth({
    baseUrl: 'http://internal:8080',
    clientId: 'cl_1',
    clientSecret: 'sk_1',
    fetch: server.fetch,
    sleep: async () => {},
    ...extra,
  })
  return { oauth, calls: server.calls }
}

const tokens = {
  access_token: 'pat_1',
  refresh_token: 'prt_1',
  token_type: 'Bearer',
  expires_in: 600,
  scope: 'check charge',
}

describe('PKCE', () => {
  it('makes a 43-character verifier whose S256 digest is the challenge, fresh every time', () => {
    const a = createPkce()
    const b = createPkce()
    expect(a.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(a.codeChallenge).toBe(createHash('sha256').update(a.codeVerifier).digest('base64url'))
    expect(a.codeVerifier).not.toBe(b.codeVerifier)
  })
})

describe('authorizationUrl', () => {
  it('points at the metadata’s authorization endpoint with PKCE S256, state and the scopes', async () => {
    const { oauth } = oauthWith(() => new Response(null, { status: 500 }))
    const request = await oauth.authorizationUrl({
      redirectUri: 'https://partner.test/cb',
      scope: ['check', 'charge'],
    })
    const url = new URL(request.url)
    expect(url.origin + url.pathname).toBe(`${issuer}/oauth/authorize`)
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'cl_1',
      redirect_uri: 'https://partner.test/cb',
      scope: 'check charge',
      state: request.state,
      code_challenge: createHash('sha256').update(request.codeVerifier).digest('base64url'),
      code_challenge_method: 'S256',
    })
    expect(request.state.length).toBeGreaterThanOrEqual(22)
    expect((await oauth.authorizationUrl({ redirectUri: 'x', scope: 'hold', state: 'mine' })).state).toBe(
      'mine',
    )
  })
})

describe('handleCallback', () => {
  const started = { state: 'st_1', codeVerifier: 'v'.repeat(43), redirectUri: 'https://partner.test/cb' }
  const callback = (params: Record<string, string>) => `/cb?${new URLSearchParams(params)}`
  const happy: Handler = (url) =>
    url.endsWith('/token')
      ? Response.json(tokens)
      : Response.json({ sub: 'acct_9', preferred_username: 'ann' })

  it('exchanges the code with the verifier and reads userinfo', async () => {
    const { oauth, calls } = oauthWith(happy, { now: () => 1_000_000 })
    const signIn = await oauth.handleCallback({
      ...started,
      url: callback({ code: 'c_1', state: 'st_1', iss: issuer }),
    })
    expect(signIn).toEqual({
      accountId: 'acct_9',
      scopes: ['check', 'charge'],
      tokens: {
        accessToken: 'pat_1',
        refreshToken: 'prt_1',
        tokenType: 'Bearer',
        scopes: ['check', 'charge'],
        expiresAt: 1_000_000 + 600_000,
      },
      user: { sub: 'acct_9', preferred_username: 'ann' },
    })
    expect(Object.fromEntries(new URLSearchParams(calls[0]?.body))).toEqual({
      grant_type: 'authorization_code',
      code: 'c_1',
      redirect_uri: started.redirectUri,
      code_verifier: started.codeVerifier,
    })
    expect(calls[0]?.authorization).toMatch(/^Basic /)
    expect(calls[1]?.authorization).toBe('Bearer pat_1')
  })

  it('refuses a callback from another issuer or without iss before using the code (RFC 9207)', async () => {
    for (const iss of ['https://evil.test', undefined]) {
      const { oauth, calls } = oauthWith(happy)
      const params: Record<string, string> = { code: 'c_1', state: 'st_1' }
      if (iss) params.iss = iss
      await expect(oauth.handleCallback({ ...started, url: callback(params) })).rejects.toMatchObject({
        error: 'issuer_mismatch',
      })
      expect(calls).toHaveLength(0)
    }
  })

  it('refuses a callback with another state before using the code', async () => {
    const { oauth, calls } = oauthWith(happy)
    await expect(
      oauth.handleCallback({ ...started, params: { code: 'c_1', state: 'st_other', iss: issuer } }),
    ).rejects.toMatchObject({ error: 'state_mismatch' })
    expect(calls).toHaveLength(0)
  })

  it('turns an error answer such as access_denied into ProtusOAuthError', async () => {
    const { oauth } = oauthWith(happy)
    const error = await oauth
      .handleCallback({
        ...started,
        url: callback({
          error: 'access_denied',
          error_description: 'The person denied access',
          state: 'st_1',
          iss: issuer,
        }),
      })
      .catch((e) => e)
    expect(error).toBeInstanceOf(ProtusOAuthError)
    expect(error).toMatchObject({ error: 'access_denied', description: 'The person denied access' })
  })

  it('never sends a code twice, even when the token endpoint fails', async () => {
    const { oauth, calls } = oauthWith(() => Response.json({ error: 'server_error' }, { status: 500 }))
    await expect(
      oauth.handleCallback({ ...started, url: callback({ code: 'c_1', state: 'st_1', iss: issuer }) }),
    ).rejects.toMatchObject({ error: 'server_error', status: 500 })
    expect(calls).toHaveLength(1)
  })

  it('reports invalid_grant from the token endpoint', async () => {
    const { oauth } = oauthWith(() =>
      Response.json(
        { error: 'invalid_grant', error_description: 'unknown authorization code' },
        { status: 400 },
      ),
    )
    await expect(
      oauth.handleCallback({ ...started, url: callback({ code: 'c_1', state: 'st_1', iss: issuer }) }),
    ).rejects.toMatchObject({ error: 'invalid_grant', status: 400 })
  })
})

describe('introspect', () => {
  const active = (sub: string, exp = 4_000_000_000) => ({
    active: true,
    scope: 'check hold',
    client_id: 'cl_1',
    sub,
    exp,
    iat: 1,
    iss: issuer,
    token_type: 'Bearer',
  })

  it('reuses an answer for 5 seconds, then asks again', async () => {
    let clock = 0
    const { oauth, calls } = oauthWith(() => Response.json(active('acct_1')), { now: () => clock })
    expect(await oauth.introspect('pat_1')).toMatchObject({
      active: true,
      sub: 'acct_1',
      scopes: ['check', 'hold'],
    })
    clock = 4_999
    await oauth.introspect('pat_1')
    expect(calls).toHaveLength(1)
    clock = 5_000
    await oauth.introspect('pat_1')
    expect(calls).toHaveLength(2)
  })

  it('does not reuse an answer past the token’s expiry', async () => {
    let clock = 1_000_000
    const { oauth, calls } = oauthWith(() => Response.json(active('acct_1', 1_001)), { now: () => clock })
    await oauth.introspect('pat_1')
    clock = 1_001_000
    await oauth.introspect('pat_1')
    expect(calls).toHaveLength(2)
  })

  it('forgets a token on revoke and an account on forgetAccount', async () => {
    let live = true
    const { oauth, calls } = oauthWith((url) =>
      url.endsWith('/revoke')
        ? new Response(null, { status: 200 })
        : Response.json(live ? active('acct_1') : { active: false }),
    )
    await oauth.introspect('pat_1')
    live = false
    await oauth.revoke('pat_1')
    expect(await oauth.introspect('pat_1')).toEqual({ active: false })

    live = true
    await oauth.introspect('pat_2')
    live = false
    expect((await oauth.introspect('pat_2')).active).toBe(true)
    oauth.forgetAccount('acct_other')
    expect((await oauth.introspect('pat_2')).active).toBe(true)
    oauth.forgetAccount('acct_1')
    expect(await oauth.introspect('pat_2')).toEqual({ active: false })
    expect(calls.filter((c) => c.url.endsWith('/introspect'))).toHaveLength(4)
  })

  it('forgets every cached answer on revoke, since a refresh token takes its access tokens along', async () => {
    let live = true
    const { oauth, calls } = oauthWith((url) =>
      url.endsWith('/revoke')
        ? new Response(null, { status: 200 })
        : Response.json(live ? active('acct_1') : { active: false }),
    )
    expect((await oauth.introspect('pat_access')).active).toBe(true)
    live = false
    await oauth.revoke('prt_refresh_of_the_same_grant')
    expect(await oauth.introspect('pat_access')).toEqual({ active: false })
    expect(calls.filter((c) => c.url.endsWith('/introspect'))).toHaveLength(2)
  })

  it('shares one request among concurrent introspections of a token', async () => {
    const { oauth, calls } = oauthWith(() => Response.json(active('acct_1')))
    await Promise.all([oauth.introspect('pat_1'), oauth.introspect('pat_1'), oauth.introspect('pat_1')])
    expect(calls).toHaveLength(1)
  })

  it('does not keep a failed introspection', async () => {
    let fail = true
    const { oauth } = oauthWith(() =>
      fail ? Response.json({ error: 'invalid_client' }, { status: 401 }) : Response.json(active('acct_1')),
    )
    await expect(oauth.introspect('pat_1')).rejects.toMatchObject({ error: 'invalid_client' })
    fail = false
    expect((await oauth.introspect('pat_1')).active).toBe(true)
  })
})

describe('refresh', () => {
  it('retries a failed rotation and answers the new pair', async () => {
    let n = 0
    const { oauth, calls } = oauthWith(() =>
      ++n === 1 ? new Response('down', { status: 503 }) : Response.json(tokens),
    )
    const pair = await oauth.refresh('prt_0', { scope: ['check'] })
    expect(pair.refreshToken).toBe('prt_1')
    expect(calls).toHaveLength(2)
    expect(Object.fromEntries(new URLSearchParams(calls[1]?.body))).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'prt_0',
      scope: 'check',
    })
  })
})
