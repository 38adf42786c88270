import Fastify, { type FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { introspectionOf, newWebhookSecret, signedEvent } from '../test/support/fixtures.js'
import { createWebhookHandler, protusAuth, requireScope } from './fastify.js'

const secret = newWebhookSecret()
const oauth = introspectionOf('pat_hold', 'acct_tok', ['check', 'hold'])
const received: string[] = []
let app: FastifyInstance

beforeAll(async () => {
  app = Fastify()
  await app.register(
    protusAuth({
      protus: oauth,
      session: (request) =>
        request.headers['x-session'] === 'person' ? { accountId: 'acct_ses', scopes: ['check'] } : undefined,
      reconsentUrl: (scopes) => `https://partner.test/grant?scope=${scopes.join('+')}`,
    }),
  )
  await app.register(
    createWebhookHandler(secret, { 'hold.created': (event) => void received.push(event.data.id) }),
  )
  app.get('/me', async (request) => request.protus?.user ?? null)
  app.post('/json', async (request) => request.body)
  app.post('/holds', { preHandler: requireScope('hold') }, async (request) => ({
    held: request.protus?.user?.accountId,
  }))
  app.post('/charges', { preHandler: requireScope('charge') }, async () => ({ charged: true }))
  await app.ready()
})
afterAll(() => app.close())

describe('protusAuth and requireScope (fastify)', () => {
  it('resolves the person from a bearer token and lets a granted scope through', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/holds',
      headers: { authorization: 'Bearer pat_hold' },
    })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ held: 'acct_tok' })
  })

  it('answers 403 insufficient_scope with the re-consent URL for a missing scope', async () => {
    const res = await app.inject({ method: 'POST', url: '/charges', headers: { 'x-session': 'person' } })
    expect(res.statusCode).toBe(403)
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
    expect(res.json()).toMatchObject({
      code: 'insufficient_scope',
      scope: 'charge',
      reconsent_url: 'https://partner.test/grant?scope=check+charge',
    })
  })

  it('answers 401 for a dead token and leaves routes without requireScope alone', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/holds',
      headers: { authorization: 'Bearer pat_gone' },
    })
    expect(res.statusCode).toBe(401)
    expect(res.json()).toMatchObject({ code: 'unauthenticated' })
    const me = await app.inject({ method: 'GET', url: '/me' })
    expect(me.statusCode).toBe(200)
    expect(me.body).toBe('null')
  })
})

describe('createWebhookHandler (fastify)', () => {
  const { body, headers } = signedEvent(secret, 'hold.created', { id: 'hold_3' })

  it('verifies the raw body, runs the handler once and reports the duplicate', async () => {
    const first = await app.inject({
      method: 'POST',
      url: '/webhooks/protus',
      headers: headers('evt_1'),
      payload: body,
    })
    expect(first.statusCode).toBe(200)
    const again = await app.inject({
      method: 'POST',
      url: '/webhooks/protus',
      headers: headers('evt_1'),
      payload: body,
    })
    expect(again.json()).toEqual({ received: true, duplicate: true })
    expect(received).toEqual(['hold_3'])
  })

  it('answers 400 for a forged body', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/webhooks/protus',
      headers: headers('evt_2'),
      payload: body.replace('hold_3', 'hold_4'),
    })
    expect(res.statusCode).toBe(400)
  })

  it('keeps JSON parsing for the rest of the app', async () => {
    const res = await app.inject({ method: 'POST', url: '/json', payload: { a: 1 } })
    expect(res.json()).toEqual({ a: 1 })
  })
})
