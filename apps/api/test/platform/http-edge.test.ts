import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../support/app.js'
import { count, expectProblem, unique } from '../support/http.js'

let app: FastifyInstance
let webDir: string
beforeAll(async () => {
  webDir = await mkdtemp(join(tmpdir(), 'protus-web-'))
  await writeFile(join(webDir, 'index.html'), '<!doctype html><title>PROTUS</title><div id="app"></div>')
  await writeFile(join(webDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>')
  app = await buildTestApp({ PROTUS_WEB_DIR: webDir })
})
afterAll(() => app.close())

const register = (
  payload: string,
  headers: Record<string, string> = { 'content-type': 'application/json' },
) => app.inject({ method: 'POST', url: '/v1/customers', payload, headers })

describe('bad requests at the edge', () => {
  it('answers malformed JSON with 400 malformed_json and writes nothing', async () => {
    const before = await count(app, 'identity_customers')
    expectProblem(await register('{"email": "a@b.c",'), 400, 'malformed_json')
    expect(await count(app, 'identity_customers')).toBe(before)
  })

  it('answers a missing body with 400 validation_failed', async () => {
    expectProblem(await register(''), 400, 'validation_failed')
  })

  it('answers a non-JSON content type with 415 unsupported_media_type', async () => {
    const name = unique('p')
    const form = `email=${name}%40example.com&username=${name}&password=longenough`
    expectProblem(
      await register(form, { 'content-type': 'application/x-www-form-urlencoded' }),
      415,
      'unsupported_media_type',
    )
    expectProblem(await register('hello', { 'content-type': 'text/plain' }), 415, 'unsupported_media_type')
  })

  it('answers a body over 1 MiB with 413 payload_too_large', async () => {
    const huge = JSON.stringify({
      email: 'a@example.com',
      username: 'someone',
      password: 'x'.repeat(1024 * 1024),
    })
    expectProblem(await register(huge), 413, 'payload_too_large')
  })

  it('rejects prototype pollution attempts', async () => {
    const res = await register(
      '{"__proto__": {"admin": true}, "email": "a@example.com", "username": "abc", "password": "longenough"}',
    )
    expect(res.statusCode).toBe(400)
  })

  it('answers an unknown API route with a problem+json 404', async () => {
    expectProblem(await app.inject({ method: 'GET', url: '/v1/nothing-here' }), 404, 'not_found')
    expectProblem(await app.inject({ method: 'DELETE', url: '/v1/customers' }), 404, 'not_found')
  })

  it('answers 401 on /v1 without a WWW-Authenticate challenge, so browsers never prompt for a password', async () => {
    const wrong = `Basic ${Buffer.from('cli_nobody:sk_wrong').toString('base64')}`
    const answers = [
      [await app.inject({ method: 'GET', url: '/v1/services' }), 'unauthenticated'],
      [
        await app.inject({ method: 'GET', url: '/v1/services', headers: { authorization: wrong } }),
        'invalid_client_credentials',
      ],
      [
        await app.inject({ method: 'GET', url: '/v1/services', headers: { authorization: 'Bearer x' } }),
        'invalid_client_credentials',
      ],
      [await app.inject({ method: 'GET', url: '/v1/me' }), 'unauthenticated'],
    ] as const
    for (const [res, code] of answers) {
      expectProblem(res, 401, code)
      expect(res.headers['www-authenticate']).toBeUndefined()
    }
  })
})

describe('request ids', () => {
  it("makes every request's id itself, never taking the caller's; problems carry it", async () => {
    for (const given of ['abc-123', 'bad id with spaces']) {
      const res = await app.inject({ method: 'GET', url: '/v1/me', headers: { 'x-request-id': given } })
      expect(res.headers['x-request-id']).toMatch(/^req_[0-9a-f]{32}$/)
      expect(res.json().request_id).toBe(res.headers['x-request-id'])
    }
  })
})

describe('operations endpoints', () => {
  it('GET /healthz and /readyz answer ok', async () => {
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' })
    expect((await app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({ status: 'ok' })
  })

  it('GET /docs/json is an OpenAPI 3.1 document with the routes and the problem schema', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json()
    expect(doc.openapi).toBe('3.1.0')
    for (const path of [
      '/v1/customers',
      '/v1/companies',
      '/v1/sessions',
      '/v1/me',
      '/v1/company',
      '/v1/services',
      '/v1/services/{id}',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path)
    }
    expect(doc.components.schemas.Problem).toBeDefined()
    expect(doc.components.securitySchemes.basicAuth).toEqual(expect.objectContaining({ scheme: 'basic' }))
    const docs = await app.inject({ method: 'GET', url: '/docs' })
    expect([200, 302]).toContain(docs.statusCode)
  })
})

describe('the web app', () => {
  it('serves index.html at / and for any page path a browser asks for', async () => {
    const root = await app.inject({ method: 'GET', url: '/', headers: { accept: 'text/html' } })
    expect(root.statusCode).toBe(200)
    expect(root.body).toContain('<title>PROTUS</title>')
    const deep = await app.inject({
      method: 'GET',
      url: '/company/services',
      headers: { accept: 'text/html,*/*' },
    })
    expect(deep.statusCode).toBe(200)
    expect(deep.headers['cache-control']).toBe('no-cache')
    expect(deep.body).toContain('<div id="app">')
  })

  it('serves the app at / and for page paths whatever the Accept header, as curl or a script asks', async () => {
    for (const accept of [undefined, '*/*', 'application/json']) {
      const headers = accept ? { accept } : {}
      for (const url of ['/', '/wallet', '/company/services?tab=1']) {
        const res = await app.inject({ method: 'GET', url, headers })
        expect(res.statusCode, `${url} with Accept ${accept}`).toBe(200)
        expect(res.headers['content-type']).toMatch(/^text\/html/)
        expect(res.body).toContain('<div id="app">')
      }
    }
    const head = await app.inject({ method: 'HEAD', url: '/' })
    expect(head.statusCode).toBe(200)
    expect(head.headers['content-type']).toMatch(/^text\/html/)
    expect(head.body).toBe('')
  })

  it('keeps API paths and missing files problem+json 404s, whatever the Accept header', async () => {
    const apiPaths = [
      '/v1',
      '/v1/nothing',
      '/oauth/nothing',
      '/docs/nothing',
      '/.well-known/nothing',
      '/metrics/x',
    ]
    for (const url of apiPaths) {
      for (const accept of ['*/*', 'text/html']) {
        expectProblem(await app.inject({ method: 'GET', url, headers: { accept } }), 404, 'not_found')
      }
    }
    for (const url of ['/logo.png', '/assets/missing.js', '/robots.txt']) {
      expectProblem(await app.inject({ method: 'GET', url }), 404, 'not_found')
      expectProblem(await app.inject({ method: 'GET', url, headers: { accept: '*/*' } }), 404, 'not_found')
    }
    expectProblem(await app.inject({ method: 'POST', url: '/wallet', payload: {} }), 404, 'not_found')
  })

  it('sends a browser asking for /favicon.ico to the app icon', async () => {
    const res = await app.inject({ method: 'GET', url: '/favicon.ico' })
    expect(res.statusCode).toBe(301)
    expect(res.headers.location).toBe('/favicon.svg')
    const icon = await app.inject({ method: 'GET', url: '/favicon.svg' })
    expect(icon.statusCode).toBe(200)
    expect(icon.headers['content-type']).toMatch(/^image\/svg\+xml/)
  })

  it('does not answer API paths or non-page requests with the page', async () => {
    expectProblem(
      await app.inject({ method: 'GET', url: '/v1/unknown', headers: { accept: 'text/html' } }),
      404,
      'not_found',
    )
    expectProblem(
      await app.inject({ method: 'GET', url: '/assets/missing.js', headers: { accept: '*/*' } }),
      404,
      'not_found',
    )
  })
})
