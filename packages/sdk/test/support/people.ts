import { randomBytes } from 'node:crypto'
import { expect } from 'vitest'

/** What a person's browser does on PROTUS, over plain HTTP: register, sign in, top up, consent. */

const unique = (label: string) => `${label}-${randomBytes(4).toString('hex')}`

async function json(res: Response, status: number) {
  const text = await res.text()
  expect(res.status, text).toBe(status)
  return text ? JSON.parse(text) : null
}

/** Registers a partner company; answers its credentials (shown only now). */
export async function registerCompany(baseUrl: string, name = unique('messages')) {
  const res = await fetch(`${baseUrl}/v1/companies`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: `${name}@example.com`,
      name: `Messages ${name}`,
      password: 'company password',
    }),
  })
  const body = await json(res, 201)
  return {
    id: body.id as string,
    clientId: body.client_id as string,
    clientSecret: body.client_secret as string,
    webhookSecret: body.webhook_secret as string,
  }
}

export interface Person {
  baseUrl: string
  cookie: string
  csrf: string
}

/** Registers a person and signs them in. */
export async function signedInPerson(baseUrl: string): Promise<Person> {
  const name = unique('ann')
  const email = `${name}@example.com`
  const password = 'correct horse'
  const headers = { 'content-type': 'application/json' }
  await json(
    await fetch(`${baseUrl}/v1/customers`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ email, username: name, password }),
    }),
    201,
  )
  const res = await fetch(`${baseUrl}/v1/sessions`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ email, password, kind: 'customer' }),
  })
  const cookie = (res.headers.getSetCookie().find((c) => c.startsWith('protus_session=')) ?? '').split(';')[0]
  const body = await json(res, 201)
  return { baseUrl, cookie: cookie as string, csrf: body.csrf_token }
}

const personHeaders = (p: Person) => ({
  cookie: p.cookie,
  'x-csrf-token': p.csrf,
  'content-type': 'application/json',
})

/** Registers a partner company and signs it in to its dashboard, as its browser does. */
export async function companyWithDashboard(baseUrl: string) {
  const name = unique('payee')
  const credentials = await registerCompany(baseUrl, name)
  const res = await fetch(`${baseUrl}/v1/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `${name}@example.com`, password: 'company password', kind: 'company' }),
  })
  const cookie = (res.headers.getSetCookie().find((c) => c.startsWith('protus_session=')) ?? '').split(';')[0]
  const body = await json(res, 201)
  const dashboard: Person = { baseUrl, cookie: cookie as string, csrf: body.csrf_token }
  return { credentials, dashboard }
}

/** The company asks for a payout in its dashboard (the API leaves this to the dashboard). */
export async function requestPayout(dashboard: Person, amount: number): Promise<{ id: string }> {
  const res = await fetch(`${dashboard.baseUrl}/v1/payouts`, {
    method: 'POST',
    headers: { ...personHeaders(dashboard), 'idempotency-key': randomBytes(8).toString('hex') },
    body: JSON.stringify({ amount }),
  })
  return json(res, 201)
}

/** The payer's click on "Pay" on the sandbox checkout page. */
export async function payCheckout(checkoutUrl: string): Promise<void> {
  const res = await fetch(checkoutUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'outcome=succeeded',
  })
  expect(res.status, await res.text()).toBe(200)
}

/** Tops up the person's own wallet through the sandbox provider. */
export async function topUpWallet(p: Person, amount: number): Promise<void> {
  const res = await fetch(`${p.baseUrl}/v1/me/topups`, {
    method: 'POST',
    headers: { ...personHeaders(p), 'idempotency-key': randomBytes(8).toString('hex') },
    body: JSON.stringify({ amount }),
  })
  const topup = await json(res, 201)
  await payCheckout(topup.checkout_url)
}

export async function walletOf(p: Person): Promise<{ available: number; held: number; posted: number }> {
  return json(await fetch(`${p.baseUrl}/v1/me/wallet`, { headers: { cookie: p.cookie } }), 200)
}

/**
 * Follows an authorization URL as the person's browser would: the authorization endpoint with
 * the session cookie, then the consent page's decision. Answers the URL PROTUS sends the browser
 * back to (the partner's redirect URI with code, state and iss).
 */
export async function consent(
  p: Person,
  authorizationUrl: string,
  decision: { allow: boolean; scopes?: string[] },
) {
  const first = await fetch(authorizationUrl, { headers: { cookie: p.cookie }, redirect: 'manual' })
  expect(first.status, await first.text()).toBe(302)
  const location = first.headers.get('location') as string
  if (!location.startsWith('/consent/')) return location
  const requestId = location.slice('/consent/'.length)
  const res = await fetch(`${p.baseUrl}/v1/oauth/requests/${requestId}/decision`, {
    method: 'POST',
    headers: personHeaders(p),
    body: JSON.stringify(decision),
  })
  return (await json(res, 200)).redirect_to as string
}

/** The person revokes the partner in "Connected services". */
export async function revokePartner(p: Person, clientId: string): Promise<void> {
  const res = await fetch(`${p.baseUrl}/v1/me/grants/${encodeURIComponent(clientId)}`, {
    method: 'DELETE',
    headers: { cookie: p.cookie, 'x-csrf-token': p.csrf },
  })
  expect(res.status, await res.text()).toBe(204)
}
