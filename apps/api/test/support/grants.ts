import type { FastifyInstance } from 'fastify'
import { expect } from 'vitest'
import { fund, newKey } from './money.js'
import { authorizeUrl, consent, partnerClient, pkce, REDIRECT_URI, signedInPerson } from './oauth.js'

/**
 * A PROTUS person with a funded wallet who signed in to a partner (a new one unless given) with
 * PROTUS, allowing `scopes` and, when given, a monthly spending limit; with the partner's calls
 * on the account.
 */
export async function connectedPerson(
  app: FastifyInstance,
  opts: {
    scopes?: string[]
    monthlyLimit?: number | null
    balance?: number
    partner?: Awaited<ReturnType<typeof partnerClient>>
  } = {},
) {
  const scopes = opts.scopes ?? ['check', 'hold', 'charge']
  const partner = opts.partner ?? (await partnerClient(app))
  const person = await signedInPerson(app)
  if (opts.balance !== 0) await fund(app, person.customer.id, opts.balance ?? 100_000)
  /** Consents to a request for `request` scopes (default: those allowed), allowing `scopes`. */
  const allow = async ({
    request,
    ...decision
  }: {
    scopes: string[]
    monthly_limit?: number | null
    request?: string[]
  }) => {
    const url = authorizeUrl({
      response_type: 'code',
      client_id: partner.clientId,
      redirect_uri: REDIRECT_URI,
      scope: (request ?? decision.scopes).join(' '),
      state: newKey(),
      code_challenge: pkce().challenge,
      code_challenge_method: 'S256',
    })
    const back = await consent(app, person.session.headers, url, { allow: true, ...decision })
    expect(back.searchParams.get('code')).toBeTruthy()
  }
  await allow({ scopes, ...(opts.monthlyLimit === undefined ? {} : { monthly_limit: opts.monthlyLimit }) })
  const grants = await app.inject({ method: 'GET', url: '/v1/me/grants', headers: person.session.headers })
  const accountId = (grants.json() as { data: { client_id: string; account_id: string }[] }).data.find(
    (g) => g.client_id === partner.clientId,
  )?.account_id as string

  const post = (url: string, payload: object = {}, key = newKey()) =>
    app.inject({
      method: 'POST',
      url,
      headers: { authorization: partner.auth, 'idempotency-key': key },
      payload,
    })
  const get = (url: string) => app.inject({ method: 'GET', url, headers: { authorization: partner.auth } })
  const grant = async () =>
    (
      (await app.inject({ method: 'GET', url: '/v1/me/grants', headers: person.session.headers })).json() as {
        data: Record<string, unknown>[]
      }
    ).data.find((g) => g.client_id === partner.clientId)
  const setLimit = (monthlyLimit: unknown) =>
    app.inject({
      method: 'PUT',
      url: `/v1/me/grants/${partner.clientId}/limit`,
      headers: person.session.headers,
      payload: { monthly_limit: monthlyLimit },
    })
  const revoke = () =>
    app.inject({
      method: 'DELETE',
      url: `/v1/me/grants/${partner.clientId}`,
      headers: person.session.headers,
    })
  return { partner, person, accountId, allow, post, get, grant, setLimit, revoke }
}
