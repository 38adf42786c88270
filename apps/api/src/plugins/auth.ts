import { timingSafeEqual } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { DomainError } from '../lib/domain-error.js'
import { unstorable } from '../lib/text.js'
import type { IdentityService, Principal, Session } from '../modules/identity/identity.service.js'

export const SESSION_COOKIE = 'protus_session'
/** The session cookie over https: the browser keeps a `__Host-` cookie only if it is Secure, Path=/ and has no Domain. */
export const SECURE_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`
export const CSRF_HEADER = 'x-csrf-token'

/**
 * Who may call a route:
 * - `customer` / `company`: a signed-in person or company (session cookie);
 * - `partner`: a company's session or its server with HTTP Basic client credentials;
 * - `dashboard`: a company's session only; its valid client credentials get 403 `dashboard_only`
 *   (what a leaked secret must not be able to do, such as rotating the secrets);
 * - `session`: anyone signed in.
 *
 * A 401 on `/v1` carries no `WWW-Authenticate: Basic` challenge, so a browser never pops up a
 * credential prompt over the web app.
 */
export type AuthRequirement = 'customer' | 'company' | 'partner' | 'dashboard' | 'session'

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: AuthRequirement
  }
  interface FastifyRequest {
    principal: Principal | null
    session: Session | null
  }
}

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** HTTP Basic credentials, each part form-urlencoded as RFC 6749 §2.3.1 asks. */
export function parseBasic(header: string | undefined): { id: string; secret: string } | undefined {
  if (!header?.toLowerCase().startsWith('basic ')) return undefined
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 1) return undefined
  // RFC 6749 §2.3.1: both parts are form-urlencoded before encoding.
  const formDecode = (s: string) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '))
    } catch {
      return s
    }
  }
  const id = formDecode(decoded.slice(0, colon))
  const secret = formDecode(decoded.slice(colon + 1))
  // Decoded text the request checks never saw: what cannot be stored is no client id anyone has.
  if (unstorable(id) || unstorable(secret)) return undefined
  return { id, secret }
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/**
 * The session cookie that fits the request, by its protocol after proxy trust: over https
 * `__Host-protus_session`, Secure, which neither a plain-http answer nor a sibling subdomain can
 * set or overwrite; over http (a local run) `protus_session`. Each is read only on requests of
 * its own kind, so a cookie planted without those guarantees never authenticates an https request.
 */
export function sessionCookie(request: FastifyRequest) {
  const secure = request.protocol === 'https'
  return {
    name: secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE,
    options: { path: '/', httpOnly: true, sameSite: 'lax' as const, secure },
  }
}

export function sessionToken(request: FastifyRequest): string | undefined {
  return request.cookies[sessionCookie(request).name] || undefined
}

async function authenticate(identity: IdentityService, request: FastifyRequest, need: AuthRequirement) {
  const authorization = request.headers.authorization
  const companyAccount = need === 'partner' || need === 'dashboard'
  if (companyAccount && authorization) {
    const basic = parseBasic(authorization)
    const companyId = basic && (await identity.authenticateClient(basic.id, basic.secret))
    if (!companyId) {
      throw new DomainError(
        'invalid_client_credentials',
        'HTTP Basic credentials are not a valid client_id and client_secret',
      )
    }
    if (need === 'dashboard') {
      throw new DomainError('dashboard_only', 'sign in to the company dashboard to do this')
    }
    request.principal = { kind: 'company', id: companyId, via: 'basic' }
    return
  }
  const token = sessionToken(request)
  const session = token ? await identity.resolveSession(token, { ip: request.ip }) : undefined
  if (!session) {
    throw new DomainError(
      'unauthenticated',
      need === 'partner' ? 'sign in or use HTTP Basic client credentials' : 'sign in first',
    )
  }
  const wanted = companyAccount ? 'company' : need
  if (wanted !== 'session' && session.principal.kind !== wanted) {
    throw new DomainError('forbidden', `this needs a ${wanted} account`)
  }
  if (unsafeMethods.has(request.method)) {
    const presented = request.headers[CSRF_HEADER]
    if (typeof presented !== 'string' || !sameText(presented, session.csrfToken)) {
      throw new DomainError(
        'csrf_token_invalid',
        `send the session's csrf_token in the ${CSRF_HEADER} header`,
      )
    }
  }
  request.session = session
  request.principal = session.principal
}

/** Resolves the caller of every route that declares `config.auth`, before its body is read. */
export const authPlugin = fp(async (app: FastifyInstance, opts: { identity: IdentityService }) => {
  app.decorateRequest('principal', null)
  app.decorateRequest('session', null)
  app.addHook('onRequest', async (request: FastifyRequest, _reply: FastifyReply) => {
    const need = request.routeOptions.config.auth
    if (need) await authenticate(opts.identity, request, need)
  })
})

/** The signed-in principal of a route that declared `config.auth`. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new DomainError('unauthenticated')
  return request.principal
}
