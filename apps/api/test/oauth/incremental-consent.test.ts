import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  authorizeUrl,
  consent,
  listeningApp,
  partnerClient,
  pkce,
  REDIRECT_URI,
  signedInPerson,
} from '../support/oauth.js'

let app: FastifyInstance
beforeAll(async () => {
  ;({ app } = await listeningApp())
})
afterAll(() => app.close())

type Partner = Awaited<ReturnType<typeof partnerClient>>
type Person = Awaited<ReturnType<typeof signedInPerson>>

const ask = (partner: Partner, scope: string) =>
  authorizeUrl({
    response_type: 'code',
    client_id: partner.clientId,
    redirect_uri: REDIRECT_URI,
    scope,
    state: 'st-1',
    code_challenge: pkce().challenge,
    code_challenge_method: 'S256',
  })

/** Starts a request and answers the consent page's view of it. */
async function consentView(partner: Partner, person: Person, scope: string) {
  const started = await app.inject({
    method: 'GET',
    url: ask(partner, scope),
    headers: { cookie: person.session.cookie },
  })
  expect(started.statusCode, started.body).toBe(302)
  const id = String(started.headers.location).replace('/consent/', '')
  const view = await app.inject({
    method: 'GET',
    url: `/v1/oauth/requests/${id}`,
    headers: { cookie: person.session.cookie },
  })
  expect(view.statusCode, view.body).toBe(200)
  return view.json()
}

/** The billing scopes of the partner's one account, as the partner reads them. */
const grantedScopes = async (partner: Partner) => {
  const accounts = await app.inject({
    method: 'GET',
    url: '/v1/accounts',
    headers: { authorization: partner.auth },
  })
  expect(accounts.json().data).toHaveLength(1)
  return accounts.json().data[0].scopes
}

describe('a request for one more scope from a partner the person allowed before', () => {
  it('asks only about the new scope, names the kept ones, and allowing it adds to the grant', async () => {
    const partner = await partnerClient(app)
    const person = await signedInPerson(app)
    const first = await consentView(partner, person, 'check charge')
    expect(first.kept_scopes).toEqual([])

    // The person allowed check and profile, not charge; the partner now asks for charge alone.
    await consent(app, person.session.headers, ask(partner, 'check profile'), {
      allow: true,
      scopes: ['check', 'profile'],
    })
    const more = await consentView(partner, person, 'charge')
    expect(more.scopes).toEqual([{ scope: 'charge', granted: false }])
    expect(more.kept_scopes).toEqual(['check', 'profile'])

    const callback = await consent(app, person.session.headers, ask(partner, 'charge'), {
      allow: true,
      scopes: ['charge'],
    })
    expect(callback.searchParams.get('code')).toBeTruthy()
    // The partner's account names the billing scopes; profile stays in the grant (see below).
    expect(await grantedScopes(partner)).toEqual(['check', 'charge'])

    // Asked about a granted scope and a new one, the granted one is marked and not listed as kept.
    const mixed = await consentView(partner, person, 'check hold')
    expect(mixed.scopes).toEqual([
      { scope: 'check', granted: true },
      { scope: 'hold', granted: false },
    ])
    expect(mixed.kept_scopes).toEqual(['charge', 'profile'])
  })
})
