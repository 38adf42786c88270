import { randomBytes } from 'node:crypto'
import type { APIRequestContext, Page } from 'playwright-core'
import { expect } from 'vitest'
import { pkce } from './partner-site.ts'
import { byTestId, fill, unique } from './support.ts'

export const PASSWORD = 'correct horse battery'

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
  await fill(page, 'sign-in-email', email)
  await fill(page, 'sign-in-password', PASSWORD)
  await byTestId(page, 'sign-in-submit').click()
}
