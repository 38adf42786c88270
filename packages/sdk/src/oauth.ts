import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { ProtusOAuthError } from './errors.js'
import type { RetryOptions } from './http.js'
import { createIntrospectionCache } from './introspection-cache.js'
import { createOAuthTransport } from './oauth-http.js'
import type { Scope } from './types.js'

/** Settings of Sign in with PROTUS; the client's options fit as they are. */
export interface ProtusOAuthOptions {
  /** Where your server reaches PROTUS; its metadata names the public endpoints. */
  baseUrl: string
  clientId: string
  clientSecret: string
  /** The issuer you expect (RFC 8414); by default whatever the metadata at `baseUrl` says. */
  issuer?: string
  fetch?: typeof fetch
  retries?: number | RetryOptions
  /** How long an introspection answer is reused, in ms; default 5000, 0 turns the cache off. */
  introspectionCacheMs?: number
  sleep?: (ms: number) => Promise<void>
  /** The clock, in ms since the epoch; tests move it instead of waiting. */
  now?: () => number
}

/** Authorization server metadata (RFC 8414), the members the SDK uses. */
export interface ServerMetadata {
  issuer: string
  authorization_endpoint: string
  token_endpoint: string
  introspection_endpoint: string
  revocation_endpoint: string
  userinfo_endpoint: string
  authorization_response_iss_parameter_supported?: boolean
}

/** Tokens of one person's grant; keep the refresh token server-side. */
export interface TokenSet {
  accessToken: string
  refreshToken: string
  tokenType: 'Bearer'
  /** What the person granted, which may be less than what was asked. */
  scopes: Scope[]
  /** When the access token stops working, in ms since the epoch. */
  expiresAt: number
}

/** The person as userinfo tells: `sub` is their account at your company (`acct_…`). */
export interface UserInfo {
  sub: string
  /** With the `profile` scope. */
  preferred_username?: string
  /** With the `email` scope. */
  email?: string
}

/** A finished sign-in. */
export interface SignIn {
  /** The person's account at your company: bill it with this id. */
  accountId: string
  scopes: Scope[]
  tokens: TokenSet
  user: UserInfo
}

/** What introspection says of a token (RFC 7662); anything not live is exactly `{ active: false }`. */
export type Introspection =
  | { active: false }
  | {
      active: true
      /** Space-separated, as on the wire. */
      scope: string
      scopes: Scope[]
      client_id: string
      /** The person's account at your company. */
      sub: string
      exp: number
      iat: number
      iss: string
      token_type: string
    }

/** What {@link ProtusOAuth.authorizationUrl} answers: send the browser to `url`, keep the rest. */
export interface AuthorizationRequest {
  url: string
  /** Compare with the callback's `state`; keep it in the person's session. */
  state: string
  /** The PKCE secret; keep it in the person's session until the callback. */
  codeVerifier: string
}

/** What the browser brought back to your redirect URI, and what you kept when it left. */
export interface CallbackInput {
  /** The callback URL, absolute or as your framework gives it (`req.url`). */
  url?: string | URL
  /** Or its parameters. */
  params?: URLSearchParams | Record<string, string | undefined>
  state: string
  codeVerifier: string
  redirectUri: string
}

/**
 * A PKCE pair (RFC 7636, S256): a 256-bit verifier to keep and the challenge to send.
 *
 * @example
 * ```ts
 * const { codeVerifier, codeChallenge } = createPkce()
 * ```
 */
export function createPkce(): { codeVerifier: string; codeChallenge: string } {
  const codeVerifier = randomBytes(32).toString('base64url')
  return { codeVerifier, codeChallenge: createHash('sha256').update(codeVerifier).digest('base64url') }
}

const sameText = (a: string, b: string) => {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

const scopesOf = (scope: string | undefined): Scope[] =>
  (scope ?? '').split(' ').filter((s) => s.length > 0) as Scope[]

/**
 * Sign in with PROTUS (OAuth 2.1: authorization code with PKCE S256, `state`, and the RFC 9207
 * `iss` check), token refresh, cached introspection and revocation. `createProtusClient` makes
 * one as `protus.oauth`.
 *
 * @example
 * ```ts
 * const oauth = createProtusOAuth({ baseUrl, clientId, clientSecret })
 * const { url, state, codeVerifier } = await oauth.authorizationUrl({
 *   redirectUri: 'https://messages.example/auth/protus/callback',
 *   scope: ['check', 'hold', 'charge', 'profile'],
 * })
 * ```
 */
export function createProtusOAuth(options: ProtusOAuthOptions) {
  const baseUrl = options.baseUrl.replace(/\/+$/, '')
  const now = options.now ?? Date.now
  const { send, form } = createOAuthTransport(options)
  const cache = createIntrospectionCache(options.introspectionCacheMs ?? 5_000, now)
  let metadata: Promise<ServerMetadata> | undefined

  function discover(): Promise<ServerMetadata> {
    metadata ??= (async () => {
      const found = (await send(
        `${baseUrl}/.well-known/oauth-authorization-server`,
        { headers: { accept: 'application/json' } },
        true,
      )) as ServerMetadata
      if (options.issuer !== undefined && found.issuer !== options.issuer) {
        throw new ProtusOAuthError('issuer_mismatch', `metadata names issuer ${found.issuer}`)
      }
      return found
    })().catch((error) => {
      metadata = undefined
      throw error
    })
    return metadata
  }

  function tokenSet(raw: {
    access_token: string
    refresh_token: string
    expires_in: number
    scope: string
  }): TokenSet {
    return {
      accessToken: raw.access_token,
      refreshToken: raw.refresh_token,
      tokenType: 'Bearer',
      scopes: scopesOf(raw.scope),
      expiresAt: now() + raw.expires_in * 1000,
    }
  }

  async function userinfo(accessToken: string): Promise<UserInfo> {
    const { userinfo_endpoint } = await discover()
    return (await send(
      userinfo_endpoint,
      { headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' } },
      true,
    )) as UserInfo
  }

  return {
    /** The server's metadata (RFC 8414), fetched once. */
    metadata: discover,

    /**
     * Where to send the browser to sign in (or to grant more scopes). Keep `state` and
     * `codeVerifier` in the person's session for {@link handleCallback}.
     *
     * @example
     * ```ts
     * const { url, state, codeVerifier } = await protus.oauth.authorizationUrl({
     *   redirectUri: 'https://messages.example/auth/protus/callback',
     *   scope: ['check', 'charge', 'profile'],
     * })
     * req.session.protus = { state, codeVerifier }
     * res.redirect(url)
     * ```
     */
    async authorizationUrl(input: {
      redirectUri: string
      scope: readonly Scope[] | string
      state?: string
    }): Promise<AuthorizationRequest> {
      const { authorization_endpoint } = await discover()
      const { codeVerifier, codeChallenge } = createPkce()
      const state = input.state ?? randomBytes(16).toString('base64url')
      const url = new URL(authorization_endpoint)
      const scope = typeof input.scope === 'string' ? input.scope : input.scope.join(' ')
      url.search = new URLSearchParams({
        response_type: 'code',
        client_id: options.clientId,
        redirect_uri: input.redirectUri,
        scope,
        state,
        code_challenge: codeChallenge,
        code_challenge_method: 'S256',
      }).toString()
      return { url: url.toString(), state, codeVerifier }
    },

    /**
     * Finishes a sign-in at your redirect URI: checks `iss` and `state`, turns an error answer
     * (such as `access_denied`) into {@link ProtusOAuthError}, exchanges the code and reads
     * userinfo. The code is never sent twice, since a reused code revokes the grant.
     *
     * @example
     * ```ts
     * const { state, codeVerifier } = req.session.protus
     * const signIn = await protus.oauth.handleCallback({ url: req.url, state, codeVerifier, redirectUri })
     * req.session.user = { accountId: signIn.accountId, scopes: signIn.scopes, tokens: signIn.tokens }
     * ```
     */
    async handleCallback(input: CallbackInput): Promise<SignIn> {
      const meta = await discover()
      const params = callbackParams(input)
      const iss = params.get('iss')
      if (iss === null ? meta.authorization_response_iss_parameter_supported : iss !== meta.issuer) {
        throw new ProtusOAuthError('issuer_mismatch', `expected iss ${meta.issuer}, got ${iss ?? 'none'}`)
      }
      const state = params.get('state')
      if (state === null || !sameText(state, input.state)) {
        throw new ProtusOAuthError('state_mismatch', 'the callback does not belong to this sign-in')
      }
      const error = params.get('error')
      if (error !== null) {
        throw new ProtusOAuthError(
          error as ProtusOAuthError['error'],
          params.get('error_description') ?? undefined,
        )
      }
      const code = params.get('code')
      if (!code) throw new ProtusOAuthError('missing_code', 'the callback has no code')
      const raw = (await form(
        meta.token_endpoint,
        {
          grant_type: 'authorization_code',
          code,
          redirect_uri: input.redirectUri,
          code_verifier: input.codeVerifier,
        },
        false,
      )) as Parameters<typeof tokenSet>[0]
      const tokens = tokenSet(raw)
      const user = await userinfo(tokens.accessToken)
      return { accountId: user.sub, scopes: tokens.scopes, tokens, user }
    },

    /**
     * New tokens for a refresh token, which is then used up (rotation): store the new one.
     * `scope` asks for fewer scopes than granted.
     *
     * @example
     * ```ts
     * if (Date.now() > tokens.expiresAt - 30_000) tokens = await protus.oauth.refresh(tokens.refreshToken)
     * ```
     */
    async refresh(refreshToken: string, input: { scope?: readonly Scope[] } = {}): Promise<TokenSet> {
      const { token_endpoint } = await discover()
      const params: Record<string, string> = { grant_type: 'refresh_token', refresh_token: refreshToken }
      if (input.scope) params.scope = input.scope.join(' ')
      // PROTUS answers a rotation retried within 10 s with a fresh pair, so retrying is safe.
      return tokenSet((await form(token_endpoint, params, true)) as Parameters<typeof tokenSet>[0])
    },

    /**
     * Whether a token is live and what it allows (RFC 7662). Answers are reused for
     * `introspectionCacheMs` (never past the token's expiry); {@link revoke} and
     * {@link forgetAccount} drop them sooner.
     *
     * @example
     * ```ts
     * const info = await protus.oauth.introspect(bearer)
     * if (info.active && info.scopes.includes('charge')) await chargeFor(info.sub)
     * ```
     */
    introspect(token: string): Promise<Introspection> {
      return cache.get(token, async () => {
        const { introspection_endpoint } = await discover()
        const raw = (await form(introspection_endpoint, { token }, true)) as Record<string, unknown>
        if (raw.active !== true) return { active: false }
        const active = raw as Omit<Extract<Introspection, { active: true }>, 'scopes'>
        return { ...active, scopes: scopesOf(active.scope) }
      })
    },

    /**
     * Revokes a token (RFC 7009); a refresh token takes the grant's access tokens along. The
     * introspection cache forgets every answer at once: which cached access tokens belong to a
     * revoked refresh token's grant cannot be told from here.
     *
     * @example
     * ```ts
     * await protus.oauth.revoke(session.tokens.refreshToken)
     * ```
     */
    async revoke(token: string): Promise<void> {
      cache.forgetAccount()
      const { revocation_endpoint } = await discover()
      await form(revocation_endpoint, { token }, true)
      // An introspection that started before the revocation may have cached the old answer.
      cache.forgetAccount()
    },

    /**
     * Drops cached introspections of one account, for example on a `grant.revoked` webhook, or
     * of every account when called without one.
     *
     * @example
     * ```ts
     * 'grant.revoked': (event) => protus.oauth.forgetAccount(event.data.account)
     * ```
     */
    forgetAccount(accountId?: string): void {
      cache.forgetAccount(accountId)
    },

    /**
     * The person behind an access token.
     *
     * @example
     * ```ts
     * const { sub, email } = await protus.oauth.userinfo(tokens.accessToken)
     * ```
     */
    userinfo,
  }
}

/** Sign in with PROTUS, as {@link createProtusOAuth} makes it. */
export type ProtusOAuth = ReturnType<typeof createProtusOAuth>

function callbackParams(input: CallbackInput): URLSearchParams {
  if (input.url !== undefined) return new URL(input.url, 'http://callback.invalid').searchParams
  if (input.params instanceof URLSearchParams) return input.params
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(input.params ?? {}))
    if (value !== undefined) params.set(key, value)
  return params
}
