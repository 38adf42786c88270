import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { requestLogger } from '../../src/plugins/request-id.js'
import { buildTestApp } from '../support/app.js'
import { registerCustomer } from '../support/http.js'
import { openTopup, person } from '../topups/sandbox.js'

/** The directives of a Content-Security-Policy header, each with its sources. */
function directives(res: LightMyRequestResponse): Map<string, string[]> {
  const header = res.headers['content-security-policy']
  expect(typeof header, 'a Content-Security-Policy header').toBe('string')
  return new Map(
    String(header)
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...sources]) => [name as string, sources]),
  )
}

/** What every HTML answer must say: never framed, no inline script, nosniff. */
function expectLockedPage(res: LightMyRequestResponse) {
  expect(res.headers['content-type']).toMatch(/^text\/html/)
  const csp = directives(res)
  expect(csp.get('frame-ancestors')).toEqual(["'none'"])
  const scripts = csp.get('script-src') ?? csp.get('default-src')
  expect(scripts, 'script-src or default-src').toBeDefined()
  expect(scripts).not.toContain("'unsafe-inline'")
  expect(scripts).not.toContain("'unsafe-eval'")
  expect(res.headers['x-frame-options']).toBe('DENY')
  expect(res.headers['x-content-type-options']).toBe('nosniff')
  return csp
}

/** A server-rendered page's inline style sheets are exactly the ones its policy lets in by hash. */
function expectStylesAllowed(res: LightMyRequestResponse, csp: Map<string, string[]>) {
  const sheets = [...res.body.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1] as string)
  expect(sheets.length).toBeGreaterThan(0)
  for (const sheet of sheets) {
    const hash = createHash('sha256').update(sheet).digest('base64')
    expect(csp.get('style-src')).toContain(`'sha256-${hash}'`)
  }
  expect(res.body).not.toMatch(/<script|\son[a-z]+=|style="/i)
}

const webDir = mkdtempSync(join(tmpdir(), 'protus-web-'))
writeFileSync(
  join(webDir, 'index.html'),
  '<!doctype html><title>PROTUS</title><div id="app"></div><script type="module" src="/assets/app.js"></script>',
)

let app: FastifyInstance
let proxied: FastifyInstance
beforeAll(async () => {
  ;[app, proxied] = await Promise.all([
    buildTestApp({ PROTUS_WEB_DIR: webDir }),
    buildTestApp({ PROTUS_TRUST_PROXY: 'loopback', PROTUS_WEB_DIR: webDir }),
  ])
})
afterAll(async () => {
  await Promise.all([app?.close(), proxied?.close()])
  rmSync(webDir, { recursive: true, force: true })
})

describe('HTML answers', () => {
  it('serve the web app under a CSP with only its own scripts, never framed', async () => {
    for (const url of ['/', '/wallet', '/consent?request=x']) {
      const res = await app.inject({ method: 'GET', url, headers: { accept: 'text/html' } })
      expect(res.statusCode, url).toBe(200)
      const csp = expectLockedPage(res)
      expect(csp.get('script-src')).toEqual(["'self'"])
      expect(csp.get('object-src')).toEqual(["'none'"])
      expect(csp.get('base-uri')).toEqual(["'self'"])
      expect(res.headers['referrer-policy']).toBe('same-origin')
    }
  })

  it.skipIf(!existsSync(fileURLToPath(new URL('../../../web/dist/index.html', import.meta.url))))(
    'the built web app has no inline script the policy would block',
    () => {
      const html = readFileSync(
        fileURLToPath(new URL('../../../web/dist/index.html', import.meta.url)),
        'utf8',
      )
      const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)]
      expect(scripts.length).toBeGreaterThan(0)
      for (const [, attributes, body] of scripts) {
        expect(attributes).toMatch(/\ssrc="\//)
        expect(body?.trim()).toBe('')
      }
      expect(html).not.toMatch(/\son[a-z]+=/i)
    },
  )

  it('the OAuth error page allows its own style sheet by hash and nothing inline else', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/oauth/authorize?client_id=cli_unknown&response_type=code&redirect_uri=https%3A%2F%2Fx.example%2Fcb',
    })
    expect(res.statusCode).toBe(400)
    const csp = expectLockedPage(res)
    expect(csp.get('default-src')).toEqual(["'none'"])
    expectStylesAllowed(res, csp)
    expect(res.headers['referrer-policy']).toBe('no-referrer')
  })

  it('the sandbox checkout page posts only to PROTUS and allows its own style sheet by hash', async () => {
    const me = await person(app)
    const topup = await openTopup(app, me, 10_000)
    const res = await app.inject({ method: 'GET', url: new URL(topup.checkout_url).pathname })
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('<form method="post"')
    const csp = expectLockedPage(res)
    expect(csp.get('form-action')).toEqual(["'self'"])
    expectStylesAllowed(res, csp)
    expect(res.headers['referrer-policy']).toBe('no-referrer')
    expect(res.headers['cache-control']).toBe('no-store')
  })

  it('the API documentation page loads only its own scripts, never framed', async () => {
    const res = await app.inject({ method: 'GET', url: '/docs' })
    expect(res.statusCode).toBe(200)
    const csp = expectLockedPage(res)
    expect(csp.get('script-src')).toEqual(["'self'"])
  })
})

describe('every answer', () => {
  it('carries nosniff and no framing on JSON, problems and 404s too', async () => {
    const answers = await Promise.all([
      app.inject({ method: 'GET', url: '/healthz' }),
      app.inject({ method: 'GET', url: '/v1/me' }),
      app.inject({ method: 'GET', url: '/v1/nothing-here' }),
      app.inject({
        method: 'POST',
        url: '/v1/customers',
        payload: '{',
        headers: { 'content-type': 'application/json' },
      }),
    ])
    expect(answers.map((res) => res.statusCode)).toEqual([200, 401, 404, 400])
    for (const res of answers) {
      expect(res.headers['x-content-type-options']).toBe('nosniff')
      expect(res.headers['x-frame-options']).toBe('DENY')
      expect(directives(res).get('frame-ancestors')).toEqual(["'none'"])
    }
  })
})

describe('HSTS', () => {
  it('is sent over https as a trusted proxy reports it', async () => {
    const res = await proxied.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-forwarded-proto': 'https' },
    })
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000')
  })

  it('is never sent over plain http', async () => {
    const direct = await proxied.inject({ method: 'GET', url: '/healthz' })
    const forwarded = await proxied.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-forwarded-proto': 'http' },
    })
    expect(direct.headers['strict-transport-security']).toBeUndefined()
    expect(forwarded.headers['strict-transport-security']).toBeUndefined()
  })

  it('is not sent when X-Forwarded-Proto comes from a client no proxy setting trusts', async () => {
    const untrusted = await proxied.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-forwarded-proto': 'https' },
      remoteAddress: '203.0.113.9',
    })
    const noProxy = await app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-forwarded-proto': 'https' },
    })
    expect(untrusted.headers['strict-transport-security']).toBeUndefined()
    expect(noProxy.headers['strict-transport-security']).toBeUndefined()
  })
})

describe('the session cookie', () => {
  async function signInOn(server: FastifyInstance, headers: Record<string, string>, remoteAddress?: string) {
    const { email, password } = await registerCustomer(server)
    const res = await server.inject({
      method: 'POST',
      url: '/v1/sessions',
      payload: { email, password, kind: 'customer' },
      headers,
      ...(remoteAddress ? { remoteAddress } : {}),
    })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.cookies).toHaveLength(1)
    return { cookie: res.cookies[0] as (typeof res.cookies)[number], csrf: res.json().csrf_token as string }
  }

  it('is __Host-protus_session, Secure, Path=/ and without Domain over https behind a trusted proxy', async () => {
    const https = { 'x-forwarded-proto': 'https' }
    const { cookie, csrf } = await signInOn(proxied, https)
    expect(cookie).toMatchObject({ name: '__Host-protus_session', secure: true, httpOnly: true, path: '/' })
    expect(cookie.sameSite).toBe('Lax')
    expect(cookie.domain).toBeUndefined()

    const session = `__Host-protus_session=${cookie.value}`
    const me = await proxied.inject({ method: 'GET', url: '/v1/me', headers: { ...https, cookie: session } })
    expect(me.statusCode).toBe(200)
    // The same token under the plain name is not a session over https.
    const plain = await proxied.inject({
      method: 'GET',
      url: '/v1/me',
      headers: { ...https, cookie: `protus_session=${cookie.value}` },
    })
    expect(plain.statusCode).toBe(401)
    // Nor is the prefixed one over http.
    const overHttp = await proxied.inject({ method: 'GET', url: '/v1/me', headers: { cookie: session } })
    expect(overHttp.statusCode).toBe(401)

    // CSRF still guards the prefixed cookie; signing out clears it with the attributes that set it.
    const noToken = await proxied.inject({
      method: 'DELETE',
      url: '/v1/sessions',
      headers: { ...https, cookie: session },
    })
    expect(noToken.statusCode).toBe(403)
    const out = await proxied.inject({
      method: 'DELETE',
      url: '/v1/sessions',
      headers: { ...https, cookie: session, 'x-csrf-token': csrf },
    })
    expect(out.statusCode).toBe(204)
    expect(out.cookies[0]).toMatchObject({
      name: '__Host-protus_session',
      value: '',
      secure: true,
      path: '/',
    })
  })

  it('is plain protus_session, not Secure, over http and from an untrusted X-Forwarded-Proto', async () => {
    for (const [server, remoteAddress] of [
      [app, undefined],
      [proxied, '203.0.113.9'],
    ] as const) {
      const { cookie } = await signInOn(server, { 'x-forwarded-proto': 'https' }, remoteAddress)
      expect(cookie).toMatchObject({ name: 'protus_session', httpOnly: true, path: '/' })
      expect(cookie.secure).toBeFalsy()
    }
  })
})

describe('request ids', () => {
  it('are made by the server, whatever the caller sends', async () => {
    const given = await app.inject({ method: 'GET', url: '/v1/me', headers: { 'x-request-id': 'abc-123' } })
    const id = given.headers['x-request-id']
    expect(id).toMatch(/^req_[0-9a-f]{32}$/)
    expect(given.json().request_id).toBe(id)
    const again = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'abc-123' } })
    expect(again.headers['x-request-id']).toMatch(/^req_[0-9a-f]{32}$/)
    expect(again.headers['x-request-id']).not.toBe(id)
  })
})

describe('the request log', () => {
  it("keeps the caller's X-Request-Id beside the server's id, cut to 128 characters", () => {
    const lines: Record<string, unknown>[] = []
    const logger = pino({}, { write: (line: string) => lines.push(JSON.parse(line)) })
    const headers = { 'x-request-id': `trace-${'x'.repeat(200)}` }
    requestLogger(logger, { reqId: 'req_1' }, {}, { headers }).info('incoming request')
    requestLogger(logger, { reqId: 'req_2' }, {}, { headers: {} }).info('incoming request')
    expect(lines[0]).toMatchObject({
      reqId: 'req_1',
      caller_request_id: headers['x-request-id'].slice(0, 128),
    })
    expect(lines[1]?.reqId).toBe('req_2')
    expect(lines[1]).not.toHaveProperty('caller_request_id')
  })
})
