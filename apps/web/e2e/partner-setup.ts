import { randomBytes } from 'node:crypto'
import { type APIRequestContext, type Page, request } from 'playwright-core'
import { afterAll, beforeAll, expect } from 'vitest'
import { type PartnerSite, pkce, startPartnerSite } from './partner-site.ts'
import { type BrowserSuite, fillIn, unique } from './support.ts'

export const PASSWORD = 'correct horse battery'

export interface PartnerFixtures {
  /** The partner's site, where the browser comes back to with a code. */
  site: PartnerSite
  /** Calls to the suite's server, as the partner's server or as anyone. */
  api: APIRequestContext
}

/** The hooks that start a partner's site and an API client for the suite's server, once per suite. */
export function partnerFixtures(suite: BrowserSuite): PartnerFixtures {
  const fixtures = {} as PartnerFixtures
  beforeAll(async () => {
    fixtures.site = await startPartnerSite()
    fixtures.api = await request.newContext({ baseURL: suite.server.baseUrl })
  })
  afterAll(async () => {
    await fixtures.api?.dispose()
    await fixtures.site?.close()
  })
  return fixtures
}

export interface Partner {
  name: string
  clientId: string
  /** The partner server's HTTP Basic credentials. */
  auth: string
}

/** A partner company, registered over the API, with `redirectUri` as its one redirect URI. */
export async function registerPartner(api: APIRequestContext, redirectUri: string): Promise<Partner> {
  const name = unique('Messages')
  const created = await api.post('/v1/companies', {
    data: { email: `${name.toLowerCase()}@example.com`, name, password: PASSWORD },
  })
  expect(created.status(), await created.text()).toBe(201)
  const { client_id: clientId, client_secret: clientSecret } = (await created.json()) as {
    client_id: string
    client_secret: string
  }
  const auth = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`
  const updated = await api.patch('/v1/company', {
    headers: { authorization: auth },
    data: { redirect_uris: [redirectUri] },
  })
  expect(updated.status(), await updated.text()).toBe(200)
  return { name, clientId, auth }
}

/** A person, registered over the API. */
export async function registerPerson(api: APIRequestContext) {
  const username = unique('pat')
  const email = `${username}@example.com`
  const created = await api.post('/v1/customers', { data: { email, username, password: PASSWORD } })
  expect(created.status(), await created.text()).toBe(201)
  return { email, username }
}

/** Where the partner sends the browser: the authorization endpoint with PKCE and a fresh state. */
export function authorizeUrl(clientId: string, redirectUri: string, scope: string) {
  const { verifier, challenge } = pkce()
  const state = randomBytes(16).toString('base64url')
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    scope,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  })
  return { url: `/oauth/authorize?${query}`, state, verifier }
}

/** Signs in as a person on the sign-in page the browser is on. */
export async function signIn(page: Page, email: string): Promise<void> {
  await fillIn(page, 'Email', email)
  await fillIn(page, 'Password', PASSWORD)
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
}

/** Money in the signed-in person's wallet, paid on the sandbox checkout page. */
export async function topUp(page: Page, amount: string): Promise<void> {
  await page.goto('/wallet')
  await page.getByRole('button', { name: 'Top up' }).click()
  await page.getByRole('textbox', { name: 'Amount' }).fill(amount)
  await page.getByRole('button', { name: 'Continue to payment' }).click()
  await page.getByRole('button', { name: 'Pay' }).click()
  await page.getByRole('heading', { name: 'Payment received' }).waitFor()
}
