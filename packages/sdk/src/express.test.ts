import type { AddressInfo } from 'node:net'
import express from 'express'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { introspectionOf, newWebhookSecret, signedEvent } from '../test/support/fixtures.js'
import { createWebhookHandler, protusAuth, requireScope } from './express.js'

const secret = newWebhookSecret()
const oauth = introspectionOf('pat_check', 'acct_tok', ['check'], 'prt_check')
const received: string[] = []
let base = ''
let close: () => void

beforeAll(async () => {
  const app = express()
  // The webhook route sits before express.json(), so it reads the raw body itself.
  app.post(
    '/webhooks/protus',
    createWebhookHandler(secret, { 'charge.succeeded': (event) => void received.push(event.data.id) }),
  )
  app.post(
    '/webhooks/raw',
    express.raw({ type: 'application/json' }),
    createWebhookHandler(secret, {
      'charge.succeeded': (event) => void received.push(`raw:${event.data.id}`),
    }),
  )
  app.use(express.json())
  app.post('/webhooks/parsed', createWebhookHandler(secret, {}))
  app.use(
    protusAuth({
      protus: { oauth },
      session: (req) =>
        req.headers['x-session'] === 'direct'
          ? { accountId: 'acct_direct', scopes: ['check', 'hold', 'charge'] }
          : undefined,
    }),
  )
  app.get('/me', (req, res) => void res.json(req.protus?.user ?? null))
  app.post(
    '/clients',
    requireScope('charge'),
    (req, res) => void res.json({ charged: req.protus?.user?.accountId }),
  )
  app.post(
    '/page',
    requireScope('hold', 'charge', {
      onDenied: (_req, res, problem) =>
        void res.status(problem.status).send(`grant at ${problem.reconsent_url}`),
    }),
    (_req, res) => void res.send('ok'),
  )
  const server = app.listen(0, '127.0.0.1')
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  close = () => server.close()
})
afterAll(() => close())

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

describe('protusAuth and requireScope (express)', () => {
  it('resolves the person from a bearer token by introspection', async () => {
    const res = await fetch(`${base}/me`, { headers: bearer('pat_check') })
    expect(await res.json()).toEqual({
      accountId: 'acct_tok',
      scopes: ['check'],
      via: 'token',
      accessToken: 'pat_check',
    })
  })

  it('resolves the person from the session when there is no token', async () => {
    const res = await fetch(`${base}/clients`, { method: 'POST', headers: { 'x-session': 'direct' } })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ charged: 'acct_direct' })
  })

  it('answers 403 insufficient_scope naming the missing scope, with a URL asking for it and those granted', async () => {
    const res = await fetch(`${base}/clients`, { method: 'POST', headers: bearer('pat_check') })
    expect(res.status).toBe(403)
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    expect(res.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope", scope="charge"')
    expect(await res.json()).toMatchObject({
      type: 'https://protus.dev/problems/insufficient_scope',
      status: 403,
      code: 'insufficient_scope',
      scope: 'charge',
      missing_scopes: ['charge'],
      reconsent_url: '/auth/protus?scope=check%20charge',
    })
  })

  it('answers 401 without a person and for a dead token, and takes no refresh token for an access token', async () => {
    const anonymous = await fetch(`${base}/clients`, { method: 'POST' })
    expect(anonymous.status).toBe(401)
    expect(await anonymous.json()).toMatchObject({ code: 'unauthenticated' })
    const dead = await fetch(`${base}/clients`, { method: 'POST', headers: bearer('pat_revoked') })
    expect(dead.status).toBe(401)
    expect(dead.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"')
    const refresh = await fetch(`${base}/me`, { headers: bearer('prt_check') })
    expect(await refresh.json()).toBeNull()
  })

  it('lets the partner answer a denial its own way', async () => {
    const res = await fetch(`${base}/page`, { method: 'POST', headers: bearer('pat_check') })
    expect(res.status).toBe(403)
    expect(await res.text()).toBe('grant at /auth/protus?scope=check%20hold%20charge')
  })
})

describe('createWebhookHandler (express)', () => {
  const { body, headers } = signedEvent(secret, 'charge.succeeded', { id: 'ch_7' })

  it('verifies the raw body it reads itself, runs the handler once and acknowledges a duplicate', async () => {
    const first = await fetch(`${base}/webhooks/protus`, { method: 'POST', headers: headers('evt_a'), body })
    expect(first.status).toBe(200)
    const again = await fetch(`${base}/webhooks/protus`, { method: 'POST', headers: headers('evt_a'), body })
    expect(await again.json()).toEqual({ received: true, duplicate: true })
    expect(received.filter((id) => id === 'ch_7')).toHaveLength(1)
  })

  it('verifies a body kept raw by express.raw()', async () => {
    const res = await fetch(`${base}/webhooks/raw`, { method: 'POST', headers: headers('evt_b'), body })
    expect(res.status).toBe(200)
    expect(received).toContain('raw:ch_7')
  })

  it('answers 400 for a forged body', async () => {
    const res = await fetch(`${base}/webhooks/protus`, {
      method: 'POST',
      headers: headers('evt_c'),
      body: body.replace('ch_7', 'ch_8'),
    })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ received: false, error: 'no_matching_signature' })
  })

  it('fails loudly when express.json() already parsed the body', async () => {
    const res = await fetch(`${base}/webhooks/parsed`, { method: 'POST', headers: headers('evt_d'), body })
    expect(res.status).toBe(500)
  })
})
