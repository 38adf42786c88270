// Grants and tokens on PROTUS the way a partner gets them: over HTTP, through the authorization
// endpoint with a signed-in person's cookie, the consent decision, and the code exchange.
import { createHash, randomBytes } from 'node:crypto'
import { inParallel, post, settledCompany } from './seed.mjs'

export const REDIRECT_URI = 'https://messages.example/auth/protus/callback'
export const SCOPE = 'check charge'

/** A partner company with a registered redirect URI; answers its client credentials. */
async function partnerClient(url) {
  const { company, auth } = await settledCompany(url, 'oauth', { redirect_uris: [REDIRECT_URI] })
  return { clientId: company.client_id, auth }
}

/** A person registered and signed in: the session cookie and the CSRF header. */
async function signedInPerson(url, tag, i) {
  const name = `bench-person-${tag}-${i}`
  const email = `${name}@example.com`
  const password = 'bench person password'
  await post(url, '/v1/customers', { email, username: name, password })
  const res = await fetch(`${url}/v1/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'customer', email, password }),
  })
  if (res.status !== 201) throw new Error(`POST /v1/sessions answered ${res.status}: ${await res.text()}`)
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .find((c) => c.startsWith('protus_session='))
  if (!cookie) throw new Error('signing in set no protus_session cookie')
  const { csrf_token: csrf } = await res.json()
  return { cookie, csrf }
}

/**
 * One grant: GET /oauth/authorize with the person's cookie, POST the consent decision (allow,
 * scopes on), then POST /oauth/token with the code and the PKCE verifier, Basic client auth.
 */
async function grantTokens(url, partner, person) {
  const verifier = randomBytes(32).toString('base64url')
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: partner.clientId,
    redirect_uri: REDIRECT_URI,
    scope: SCOPE,
    state: randomBytes(8).toString('hex'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  })
  const first = await fetch(`${url}/oauth/authorize?${query}`, {
    headers: { cookie: person.cookie },
    redirect: 'manual',
  })
  let location = first.headers.get('location') ?? ''
  if (first.status !== 302)
    throw new Error(`GET /oauth/authorize answered ${first.status}: ${await first.text()}`)
  if (location.startsWith('/consent/')) {
    const id = location.slice('/consent/'.length)
    const decision = await post(
      url,
      `/v1/oauth/requests/${id}/decision`,
      { allow: true, scopes: SCOPE.split(' ') },
      { cookie: person.cookie, 'x-csrf-token': person.csrf },
    )
    location = decision.redirect_to
  }
  const code = new URL(location).searchParams.get('code')
  if (!code) throw new Error(`the authorization answered no code: ${location}`)
  const res = await fetch(`${url}/oauth/token`, {
    method: 'POST',
    headers: { authorization: partner.auth, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
    }),
  })
  const body = await res.json()
  if (!res.ok || !body.refresh_token)
    throw new Error(`POST /oauth/token answered ${res.status}: ${JSON.stringify(body)}`)
  return { access_token: body.access_token, refresh_token: body.refresh_token }
}

/**
 * A partner and `grants` people, each with one grant to it and one token pair. A grant per person
 * keeps refreshes from queueing on one grant row (every token issue updates the grant's
 * last_used_at).
 */
export async function seedGrants(url, grants) {
  const partner = await partnerClient(url)
  const tag = randomBytes(4).toString('hex')
  const tokens = await inParallel(grants, 8, async (i) =>
    grantTokens(url, partner, await signedInPerson(url, tag, i)),
  )
  return { auth: partner.auth, tokens }
}
