import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import Stripe from 'stripe'

export const FAKE_STRIPE_KEY = 'sk_test_fake'
export const FAKE_STRIPE_WEBHOOK_SECRET = 'whsec_fake_endpoint_secret'

/** What the fake keeps of a Checkout Session: Stripe's own fields, as the API answers them. */
export interface FakeSession {
  id: string
  object: 'checkout.session'
  mode: string
  status: 'open' | 'complete' | 'expired'
  payment_status: 'paid' | 'unpaid'
  amount_total: number
  currency: string
  client_reference_id: string | null
  metadata: Record<string, string>
  success_url: string
  cancel_url: string
  url: string | null
}

/** A create request as Stripe received it: the form fields and the idempotency key. */
export interface CreateRequest {
  params: Record<string, string>
  idempotencyKey: string | undefined
}

// Stripe's largest amount for a single charge in most currencies (8 digits of minor units).
const MAX_AMOUNT = 99_999_999

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': id('req') })
  res.end(JSON.stringify(body))
}

const stripeError = (message: string, code?: string) => ({
  error: { type: 'invalid_request_error', message, ...(code ? { code } : {}) },
})

async function formOf(req: IncomingMessage): Promise<Record<string, string>> {
  let body = ''
  for await (const chunk of req) body += chunk
  return Object.fromEntries(new URLSearchParams(body))
}

/** A new open session, or Stripe's refusal of the amount. */
function sessionFrom(params: Record<string, string>): FakeSession | ReturnType<typeof stripeError> {
  const amount = Number(params['line_items[0][price_data][unit_amount]'])
  if (!Number.isInteger(amount) || amount < 1) return stripeError('unit_amount must be a positive integer')
  if (amount > MAX_AMOUNT) return stripeError('Amount must be no more than 999,999.99', 'amount_too_large')
  const sessionId = id('cs_test')
  return {
    id: sessionId,
    object: 'checkout.session',
    mode: params.mode ?? 'payment',
    status: 'open',
    payment_status: 'unpaid',
    amount_total: amount,
    currency: params['line_items[0][price_data][currency]'] ?? '',
    client_reference_id: params.client_reference_id ?? null,
    metadata: { protus_topup_id: params['metadata[protus_topup_id]'] ?? '' },
    success_url: params.success_url ?? '',
    cancel_url: params.cancel_url ?? '',
    url: `https://checkout.stripe.test/c/pay/${sessionId}`,
  }
}

/**
 * A loopback stand-in for the few Stripe endpoints PROTUS calls (create and retrieve a Checkout
 * Session), with test controls to end a session as a payer or Stripe would, and to sign webhook
 * events the way Stripe does. PROTUS reaches it through PROTUS_STRIPE_API_BASE.
 */
export async function startFakeStripe() {
  const sessions = new Map<string, FakeSession>()
  const byIdempotencyKey = new Map<string, FakeSession>()
  const created: CreateRequest[] = []
  const retrieved: string[] = []
  let down = false

  async function createSession(req: IncomingMessage, res: ServerResponse) {
    const params = await formOf(req)
    const key = req.headers['idempotency-key'] as string | undefined
    created.push({ params, idempotencyKey: key })
    const replay = key ? byIdempotencyKey.get(key) : undefined
    if (replay) return send(res, 200, replay)
    const session = sessionFrom(params)
    if ('error' in session) return send(res, 400, session)
    sessions.set(session.id, session)
    if (key) byIdempotencyKey.set(key, session)
    send(res, 200, session)
  }

  const server = createServer((req, res) => {
    if (down) return req.socket.destroy()
    if (req.headers.authorization !== `Bearer ${FAKE_STRIPE_KEY}`) {
      return send(res, 401, { error: { type: 'invalid_request_error', message: 'Invalid API Key' } })
    }
    const url = new URL(req.url ?? '/', 'http://fake')
    if (req.method === 'POST' && url.pathname === '/v1/checkout/sessions') {
      void createSession(req, res)
      return
    }
    const match = /^\/v1\/checkout\/sessions\/([\w-]+)$/.exec(url.pathname)
    if (req.method === 'GET' && match?.[1]) {
      retrieved.push(match[1])
      const session = sessions.get(match[1])
      if (!session) return send(res, 404, stripeError(`No such checkout.session: '${match[1]}'`))
      return send(res, 200, session)
    }
    send(res, 404, stripeError(`Unrecognized request URL (${req.method}: ${url.pathname})`))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  function session(sessionId: string): FakeSession {
    const found = sessions.get(sessionId)
    if (!found) throw new Error(`the fake Stripe has no session ${sessionId}`)
    return found
  }

  return {
    apiBase: `http://127.0.0.1:${port}`,
    /** The settings a PROTUS needs to use this fake. */
    env(): Record<string, string> {
      return {
        PROTUS_STRIPE_SECRET_KEY: FAKE_STRIPE_KEY,
        PROTUS_STRIPE_WEBHOOK_SECRET: FAKE_STRIPE_WEBHOOK_SECRET,
        PROTUS_STRIPE_API_BASE: `http://127.0.0.1:${port}`,
      }
    },
    created,
    retrieved,
    session,
    /** The session a checkout URL leads to. */
    sessionOf: (checkoutUrl: string) => session(new URL(checkoutUrl).pathname.split('/').pop() ?? ''),
    /** The payer pays; `async` leaves the payment processing (a bank debit), as Stripe does. */
    pay(sessionId: string, opts: { async?: boolean } = {}) {
      const s = session(sessionId)
      s.status = 'complete'
      s.payment_status = opts.async ? 'unpaid' : 'paid'
      s.url = null
      return s
    },
    /** An async payment ends. */
    settleAsync(sessionId: string, paid: boolean) {
      const s = session(sessionId)
      s.payment_status = paid ? 'paid' : 'unpaid'
      return s
    },
    expire(sessionId: string) {
      const s = session(sessionId)
      s.status = 'expired'
      s.url = null
      return s
    },
    /** While down, every connection is dropped. */
    setDown(value: boolean) {
      down = value
    },
    /** A webhook event about a session, signed as Stripe signs it for the endpoint secret. */
    event(type: string, object: unknown, secret = FAKE_STRIPE_WEBHOOK_SECRET) {
      const payload = JSON.stringify({
        id: id('evt'),
        object: 'event',
        api_version: '2026-10-28.endive',
        created: Math.floor(Date.now() / 1000),
        livemode: false,
        pending_webhooks: 1,
        type,
        data: { object },
      })
      return { payload, signature: Stripe.webhooks.generateTestHeaderString({ payload, secret }) }
    },
    async stop() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

export type FakeStripe = Awaited<ReturnType<typeof startFakeStripe>>
