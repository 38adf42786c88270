import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import express, { type NextFunction, type Response as Reply, type Request } from 'express'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createProtusClient, type ProtusClient } from '../src/client.js'
import { createWebhookHandler, protusAuth, requireScope } from '../src/express.js'
import type { Charge, Scope } from '../src/types.js'
import type { WebhookEvent } from '../src/webhooks.js'
import { type Person, registerCompany, signedInPerson, topUpWallet, walletOf } from './support/people.js'
import { protusServer } from './support/server.js'

/** The partner app of the README, built from its snippets, driven as a person's browser would. */

interface Session {
  pending?: { state: string; codeVerifier: string }
  protus?: { accountId: string; scopes: Scope[] }
}
declare module 'express-serve-static-core' {
  interface Request {
    session: Session
  }
}

/** Just enough of express-session: a cookie naming an in-memory session. */
function sessions() {
  const store = new Map<string, Session>()
  return (req: Request, res: Reply, next: NextFunction) => {
    let sid = /sid=(\w+)/.exec(req.headers.cookie ?? '')?.[1]
    if (!sid || !store.has(sid)) {
      sid = randomBytes(16).toString('hex')
      store.set(sid, {})
      res.setHeader('set-cookie', `sid=${sid}; Path=/; HttpOnly`)
    }
    req.session = store.get(sid) as Session
    next()
  }
}

const server = protusServer()
let protus: ProtusClient
let partner: string
let clientService: string
const events: WebhookEvent[] = []
let close: () => void

beforeAll(async () => {
  const credentials = await registerCompany(server.baseUrl)
  protus = createProtusClient({ baseUrl: server.baseUrl, ...credentials })
  clientService = (await protus.services.create({ name: 'Client', price: 1_500 })).id

  const app = express()
  const listener = app.listen(0, '127.0.0.1')
  await new Promise<void>((resolve) => listener.once('listening', () => resolve()))
  partner = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`
  close = () => listener.close()
  const redirectUri = `${partner}/auth/protus/callback`
  await protus.company.update({ redirect_uris: [redirectUri], webhook_url: `${partner}/webhooks/protus` })

  // README, "Webhooks" (before express.json, so the handler reads the raw body itself).
  app.post(
    '/webhooks/protus',
    createWebhookHandler(credentials.webhookSecret, {
      'charge.succeeded': (event) => void events.push(event),
      'grant.created': (event) => void events.push(event),
    }),
  )
  app.use(sessions())

  // README, "Sign in with PROTUS".
  app.get('/auth/protus', async (req, res) => {
    const scope = String(req.query.scope ?? 'check hold charge profile')
    const { url, state, codeVerifier } = await protus.oauth.authorizationUrl({ redirectUri, scope })
    req.session.pending = { state, codeVerifier }
    res.redirect(url)
  })
  app.get('/auth/protus/callback', async (req, res) => {
    const signIn = await protus.oauth.handleCallback({
      url: req.url,
      redirectUri,
      ...(req.session.pending as { state: string; codeVerifier: string }),
    })
    req.session.protus = { accountId: signIn.accountId, scopes: signIn.scopes }
    res.redirect('/')
  })

  // README, "The scope guard" and "A charge".
  app.get('/', (req, res) => void res.json(req.session.protus ?? null))
  app.use(protusAuth({ protus, session: (req) => req.session.protus }))
  app.post('/clients', requireScope('charge'), async (req, res) => {
    const charge = await protus.charges.create(
      { account: req.protus?.user?.accountId as string, service: clientService, description: 'New client' },
      { idempotencyKey: `client-${randomBytes(4).toString('hex')}` },
    )
    res.status(201).json(charge)
  })
})
afterAll(async () => {
  close?.()
})

/** A browser: one cookie jar per host, following redirects through the partner and PROTUS. */
function browser(person: Person) {
  const jar = new Map<string, string>([[new URL(server.baseUrl).host, person.cookie]])
  async function go(url: string, init: RequestInit = {}): Promise<Response> {
    let next = url
    let method = init.method ?? 'GET'
    for (let hop = 0; hop < 10; hop++) {
      const host = new URL(next).host
      const res = await fetch(next, {
        ...init,
        method,
        redirect: 'manual',
        headers: { ...(init.headers as object), cookie: jar.get(host) ?? '' },
      })
      const set = res.headers.getSetCookie().find((c) => c.startsWith('sid='))
      if (set) jar.set(host, set.split(';')[0] as string)
      const location = res.headers.get('location')
      if (res.status !== 302 || !location) return res
      const target = new URL(location, next)
      // The consent page is the single-page app: the person allows through its API.
      if (target.pathname.startsWith('/consent/')) {
        const requestId = target.pathname.slice('/consent/'.length)
        const decided = await fetch(`${server.baseUrl}/v1/oauth/requests/${requestId}/decision`, {
          method: 'POST',
          headers: { cookie: person.cookie, 'x-csrf-token': person.csrf, 'content-type': 'application/json' },
          body: JSON.stringify({ allow: true, scopes: grants }),
        })
        next = ((await decided.json()) as { redirect_to: string }).redirect_to
      } else {
        next = target.toString()
      }
      method = 'GET'
    }
    throw new Error('too many redirects')
  }
  let grants: Scope[] = []
  return {
    go,
    granting(scopes: Scope[]) {
      grants = scopes
      return this
    },
  }
}

describe('the README integration, end to end', () => {
  it('signs in with check only, is told how to allow charges, allows them, pays and hears the webhook', async () => {
    const person = await signedInPerson(server.baseUrl)
    await topUpWallet(person, 10_000)
    const tab = browser(person)

    const home = await tab.granting(['check']).go(`${partner}/auth/protus?scope=check`)
    expect(await home.json()).toEqual({ accountId: expect.stringMatching(/^acct_/), scopes: ['check'] })
    const denied = await tab.go(`${partner}/clients`, { method: 'POST' })
    expect(denied.status).toBe(403)
    const problem = (await denied.json()) as { reconsent_url: string }
    expect(problem).toMatchObject({
      code: 'insufficient_scope',
      reconsent_url: '/auth/protus?scope=check%20charge',
    })
    expect(await walletOf(person)).toMatchObject({ available: 10_000 })

    const again = await tab.granting(['check', 'charge']).go(`${partner}${problem.reconsent_url}`)
    // The new token carries what was granted before too, so pages needing check still work.
    expect(await again.json()).toMatchObject({ scopes: ['check', 'charge'] })
    const paid = await tab.go(`${partner}/clients`, { method: 'POST' })
    expect(paid.status).toBe(201)
    const charge = (await paid.json()) as Charge
    expect(charge).toMatchObject({ amount: 1_500, service: clientService })
    expect(await walletOf(person)).toMatchObject({ available: 8_500 })

    const deadline = Date.now() + 15_000
    while (!events.some((e) => e.type === 'charge.succeeded' && e.data.id === charge.id)) {
      if (Date.now() > deadline)
        throw new Error(`no charge.succeeded webhook; got ${events.map((e) => e.type)}`)
      await new Promise((r) => setTimeout(r, 50))
    }
    expect(events.filter((e) => e.type === 'grant.created')).toHaveLength(2)
  })
})
