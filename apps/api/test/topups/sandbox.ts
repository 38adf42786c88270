import { createHmac, hkdfSync, randomBytes } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { expect } from 'vitest'
import type { AppDeps } from '../../src/app.js'
import { newId } from '../../src/lib/ids.js'
import { createBillingRepository } from '../../src/modules/billing/billing.repository.js'
import { buildTestApp } from '../support/app.js'
import { registerCustomer, type Signed, signIn } from '../support/http.js'
import { newKey } from '../support/money.js'

/** A server secret key the tests know, so they can derive the sandbox key as docs/api.md says. */
export const secretKeyHex = randomBytes(32).toString('hex')

/** A test app whose sandbox key the tests can derive, with no background sweeps. */
export function buildSandboxApp(overrides: Record<string, string> = {}, deps: AppDeps = {}) {
  return buildTestApp(
    { PROTUS_SECRET_KEY: secretKeyHex, PROTUS_SWEEP_INTERVAL_SECONDS: '0', ...overrides },
    deps,
  )
}

export function sandboxSignature(body: string, secretKey = secretKeyHex): string {
  const key = Buffer.from(
    hkdfSync('sha256', Buffer.from(secretKey, 'hex'), Buffer.alloc(0), 'protus/sandbox-provider', 32),
  )
  return createHmac('sha256', key).update(body).digest('hex')
}

export interface Topup {
  id: string
  status: 'pending' | 'succeeded' | 'failed'
  amount: number
  currency: string
  checkout_url: string
  created_at: string
  completed_at: string | null
}

/** The payment id at the end of a sandbox checkout URL. */
export const paymentIdOf = (topup: Topup) => new URL(topup.checkout_url).pathname.split('/').pop() as string

/** A registered, signed-in person. */
export async function person(app: FastifyInstance) {
  const registered = await registerCustomer(app)
  const session = await signIn(app, 'customer', registered.email, registered.password)
  return { ...session, customer: registered.customer }
}

export function postTopup(
  app: FastifyInstance,
  who: Signed,
  payload: unknown,
  key: string | null = newKey(),
) {
  return app.inject({
    method: 'POST',
    url: '/v1/me/topups',
    headers: { ...who.headers, ...(key === null ? {} : { 'idempotency-key': key }) },
    payload: payload as object,
  })
}

export async function openTopup(app: FastifyInstance, who: Signed, amount: number): Promise<Topup> {
  const res = await postTopup(app, who, { amount })
  expect(res.statusCode, res.body).toBe(201)
  return res.json()
}

/** The payer's click on the sandbox checkout page: a form post to the checkout URL. */
export function submitCheckout(app: FastifyInstance, topup: Topup, outcome: string) {
  return app.inject({
    method: 'POST',
    url: new URL(topup.checkout_url).pathname,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ outcome }).toString(),
  })
}

/** Opens a top-up and pays it on the sandbox page, as a person would. */
export async function topUp(app: FastifyInstance, who: Signed, amount: number): Promise<Topup> {
  const topup = await openTopup(app, who, amount)
  const paid = await submitCheckout(app, topup, 'succeeded')
  expect(paid.statusCode, paid.body).toBe(200)
  return { ...topup, status: 'succeeded' }
}

export function sendCallback(app: FastifyInstance, body: string, signature = sandboxSignature(body)) {
  return app.inject({
    method: 'POST',
    url: '/v1/providers/sandbox/events',
    headers: { 'content-type': 'application/json', 'x-sandbox-signature': signature },
    payload: body,
  })
}

export const event = (paymentId: string, outcome: 'succeeded' | 'failed') =>
  JSON.stringify({ payment_id: paymentId, outcome })

export async function walletOf(app: FastifyInstance, who: Signed) {
  const res = await app.inject({ method: 'GET', url: '/v1/me/wallet', headers: { cookie: who.cookie } })
  expect(res.statusCode, res.body).toBe(200)
  return res.json() as { currency: string; available: number; held: number; posted: number }
}

/**
 * The person's account at a partner, as signing in with PROTUS will open it. Until the
 * authorization server exists, tests write the row the grant would write.
 */
export async function connectPartner(
  app: FastifyInstance,
  customerId: string,
  companyId: string,
  scopes: ('check' | 'hold' | 'charge')[] = ['check', 'hold', 'charge'],
): Promise<string> {
  const wallet = await app.services.ledger.walletOf(customerId, 'RUB')
  if (wallet === undefined) throw new Error(`no wallet for ${customerId}`)
  const id = newId('acct')
  await createBillingRepository().insertAccount(app.db, {
    id,
    company_id: companyId,
    kind: 'protus',
    customer_id: customerId,
    external_id: null,
    email: null,
    username: null,
    wallet_account_id: wallet,
    currency: 'RUB',
    scopes,
    created_at: new Date(),
  })
  return id
}
