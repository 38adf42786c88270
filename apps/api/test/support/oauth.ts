import { createHash, randomBytes } from 'node:crypto'
import { createServer } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { expect } from 'vitest'
import { buildTestApp } from './app.js'
import { registerCompany, registerCustomer, signIn } from './http.js'

/** A free loopback port, so the issuer URL can be known before the server listens. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
    server.on('error', reject)
  })
}

/** A PROTUS server listening on loopback whose issuer is its own URL. */
export async function listeningApp(
  deps: Parameters<typeof buildTestApp>[1] = {},
  env: Record<string, string> = {},
) {
  const port = await freePort()
  const issuer = `http://127.0.0.1:${port}`
  const app = await buildTestApp(
    { PROTUS_ISSUER: issuer, PROTUS_PUBLIC_URL: issuer, PROTUS_SWEEP_INTERVAL_SECONDS: '0', ...env },
    deps,
  )
  await app.listen({ port, host: '127.0.0.1' })
  return { app, issuer }
}

export const REDIRECT_URI = 'https://messages.example/auth/protus/callback'

/** A partner with a registered redirect URI. */
export async function partnerClient(app: FastifyInstance, redirectUris = [REDIRECT_URI]) {
  const partner = await registerCompany(app)
  const res = await app.inject({
    method: 'PATCH',
    url: '/v1/company',
    headers: { authorization: partner.auth },
    payload: { redirect_uris: redirectUris },
  })
  expect(res.statusCode, res.body).toBe(200)
  return { ...partner, clientId: partner.company.client_id, clientSecret: partner.company.client_secret }
}

/** A signed-in person (cookie and CSRF headers). */
export async function signedInPerson(app: FastifyInstance) {
  const person = await registerCustomer(app)
  const session = await signIn(app, 'customer', person.email, person.password)
  return { ...person, session }
}

export function pkce() {
  const verifier = randomBytes(32).toString('base64url')
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') }
}

export function authorizeUrl(params: Record<string, string | undefined>): string {
  const query = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined) query.set(k, v)
  return `/oauth/authorize?${query}`
}

/**
 * Walks the browser part over HTTP: the authorization endpoint with the person's cookie, the
 * consent page's API with the scopes switched on, and answers the final redirect URL.
 */
export async function consent(
  app: FastifyInstance,
  cookieHeaders: Record<string, string>,
  url: string,
  decision: { allow: boolean; scopes?: string[] },
): Promise<URL> {
  const first = await app.inject({ method: 'GET', url, headers: { cookie: cookieHeaders.cookie as string } })
  expect(first.statusCode, first.body).toBe(302)
  const location = first.headers.location as string
  if (!location.startsWith('/consent/')) return new URL(location)
  const requestId = location.slice('/consent/'.length)
  const res = await app.inject({
    method: 'POST',
    url: `/v1/oauth/requests/${requestId}/decision`,
    headers: cookieHeaders,
    payload: decision,
  })
  expect(res.statusCode, res.body).toBe(200)
  return new URL(res.json().redirect_to)
}

/** Form POST with Basic client authentication. */
export function formPost(app: FastifyInstance, url: string, form: Record<string, string>, auth?: string) {
  return app.inject({
    method: 'POST',
    url,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(auth ? { authorization: auth } : {}),
    },
    payload: new URLSearchParams(form).toString(),
  })
}
