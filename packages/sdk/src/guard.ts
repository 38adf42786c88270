import type { Introspection, ProtusOAuth } from './oauth.js'
import type { Scope } from './types.js'

/** The person a request acts for, as `protusAuth()` resolved it. */
export interface ProtusUser {
  /** Their account at your company (`acct_…`): bill this. */
  accountId: string
  /** What they allow you: a token's live scopes, or what your session remembered. */
  scopes: Scope[]
  via: 'token' | 'session'
  /** The bearer token the request carried. */
  accessToken?: string
}

/** What your session knows of the signed-in person (saved at sign-in, or for a direct user). */
export interface SessionUser {
  accountId: string
  scopes: readonly Scope[]
}

/** Options of `protusAuth()` in either framework; `Req` is the framework's request. */
export interface ProtusAuthOptions<Req> {
  /** Your client (or its `oauth`), used to introspect bearer tokens. */
  protus: { oauth: Pick<ProtusOAuth, 'introspect'> } | Pick<ProtusOAuth, 'introspect'>
  /** Finds the person in your own session when the request has no bearer token. */
  session?: (request: Req) => SessionUser | null | undefined | Promise<SessionUser | null | undefined>
  /**
   * Where the person grants missing scopes. It is given the scopes to ask for: those granted
   * already and the missing ones, since PROTUS issues a token with just the scopes asked for.
   * By default `/auth/protus?scope=<scopes>`, a route
   * of yours that starts Sign in with PROTUS with that scope (see the README).
   */
  reconsentUrl?: (scopes: Scope[], request: Req) => string | Promise<string>
}

/** What `protusAuth()` leaves on the request for `requireScope()` and your handlers. */
export interface ProtusRequestState {
  user: ProtusUser | null
  /** A bearer token was presented but is not live. */
  invalidToken: boolean
  reconsentUrl: (scopes: Scope[]) => string | Promise<string>
}

const problemBase = 'https://protus.dev/problems/'

const defaultReconsent = (scopes: Scope[]) => `/auth/protus?scope=${encodeURIComponent(scopes.join(' '))}`

const scopeOrder: readonly Scope[] = ['check', 'hold', 'charge', 'profile', 'email']

function bearerOf(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')
  return match?.[1]
}

/** Resolves the person behind a request: a bearer token first, then your session. */
export async function resolveState<Req>(
  options: ProtusAuthOptions<Req>,
  request: Req,
  authorization: string | undefined,
): Promise<ProtusRequestState> {
  const reconsentUrl = (scopes: Scope[]) => (options.reconsentUrl ?? defaultReconsent)(scopes, request)
  const token = bearerOf(authorization)
  if (token !== undefined) {
    const oauth = 'oauth' in options.protus ? options.protus.oauth : options.protus
    const info: Introspection = await oauth.introspect(token)
    // A refresh token is live too, but only access tokens may be presented.
    if (!info.active || info.token_type !== 'Bearer') return { user: null, invalidToken: true, reconsentUrl }
    return {
      user: { accountId: info.sub, scopes: info.scopes, via: 'token', accessToken: token },
      invalidToken: false,
      reconsentUrl,
    }
  }
  const session = await options.session?.(request)
  const user: ProtusUser | null = session
    ? { accountId: session.accountId, scopes: [...session.scopes], via: 'session' }
    : null
  return { user, invalidToken: false, reconsentUrl }
}

/** An HTTP answer for the frameworks to send. */
export interface Denial {
  status: 401 | 403
  headers: Record<string, string>
  body: Record<string, unknown>
}

/**
 * Decides whether a request may go on: undefined when it may, the answer otherwise. 401 without a
 * person; 403 `insufficient_scope` naming the missing scopes with a URL that asks for them.
 */
export async function checkScopes(
  state: ProtusRequestState | null | undefined,
  needed: readonly Scope[],
): Promise<Denial | undefined> {
  if (!state) throw new Error('requireScope() needs protusAuth() to run first on this route')
  if (!state.user) {
    return {
      status: 401,
      headers: {
        'content-type': 'application/problem+json',
        'www-authenticate': state.invalidToken ? 'Bearer error="invalid_token"' : 'Bearer',
      },
      body: {
        type: `${problemBase}unauthenticated`,
        title: 'Authentication is required',
        status: 401,
        code: 'unauthenticated',
        detail: state.invalidToken
          ? 'The access token is invalid, expired or revoked'
          : 'Sign in with PROTUS first',
      },
    }
  }
  const granted = state.user.scopes
  const missing = needed.filter((s) => !granted.includes(s))
  if (missing.length === 0) return undefined
  const scope = missing.join(' ')
  const headers: Record<string, string> = { 'content-type': 'application/problem+json' }
  if (state.user.via === 'token')
    headers['www-authenticate'] = `Bearer error="insufficient_scope", scope="${scope}"`
  return {
    status: 403,
    headers,
    body: {
      type: `${problemBase}insufficient_scope`,
      title: 'The account did not grant the scope this needs',
      status: 403,
      code: 'insufficient_scope',
      detail: `This needs the ${scope} scope${missing.length > 1 ? 's' : ''}, which you did not allow. Grant ${missing.length > 1 ? 'them' : 'it'} at reconsent_url.`,
      scope,
      missing_scopes: missing,
      reconsent_url: await state.reconsentUrl(
        scopeOrder.filter((s) => granted.includes(s) || missing.includes(s)),
      ),
    },
  }
}
