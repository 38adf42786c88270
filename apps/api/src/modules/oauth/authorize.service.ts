import type { Database, Queryable } from '../../db/database.js'
import type { Clock } from '../../lib/clock.js'
import { DomainError } from '../../lib/domain-error.js'
import { newId } from '../../lib/ids.js'
import { randomToken, sha256 } from '../../lib/secrets.js'
import type { AccountsService } from '../billing/accounts.service.js'
import type { CompanySettingsService } from '../identity/company-settings.service.js'
import { AuthorizePageError, OauthError, type OauthErrorCode, oauthErrors } from './oauth.errors.js'
import type { GrantRow, OauthRepository } from './oauth.repository.js'
import { canonical, isChallenge, type OauthScope, parseScope } from './scopes.js'

export const CODE_TTL_MS = 60_000
const REQUEST_TTL_MS = 10 * 60_000

export interface AuthorizeQuery {
  response_type?: string
  client_id?: string
  redirect_uri?: string
  scope?: string
  state?: string
  code_challenge?: string
  code_challenge_method?: string
}

/** A checked authorization request: the client is known and the redirect URI registered. */
export interface ValidRequest {
  companyId: string
  companyName: string
  clientId: string
  redirectUri: string
  scopes: OauthScope[]
  state: string | undefined
  codeChallenge: string
}

export type AuthorizeOutcome =
  | { kind: 'sign_in' }
  | { kind: 'consent'; requestId: string }
  | { kind: 'redirect'; location: string }

/**
 * The authorization endpoint and consent: checks the request (RFC 9700 profile: PKCE S256 for
 * every client, byte-exact redirect URIs), asks the person when needed, records the grant and
 * issues a single-use code.
 */
export function createAuthorizeService(deps: {
  db: Database
  repo: OauthRepository
  companies: CompanySettingsService
  accounts: AccountsService
  /** The person's username and email, which the partner sees with `profile` and `email`. */
  person: (customerId: string) => Promise<{ username: string; email: string }>
  clock: Clock
  issuer: string
}) {
  const { db, repo, companies, accounts, clock, issuer } = deps

  /** The redirect back to the client, with `iss` on every answer (RFC 9207). */
  function redirectTo(redirectUri: string, params: Record<string, string | undefined>): string {
    const url = new URL(redirectUri)
    for (const [key, value] of Object.entries({ ...params, iss: issuer })) {
      if (value !== undefined) url.searchParams.set(key, value)
    }
    return url.toString()
  }

  /** Checks the request; errors that cannot be redirected safely throw AuthorizePageError. */
  async function validate(query: AuthorizeQuery): Promise<ValidRequest> {
    if (!query.client_id) throw new AuthorizePageError('no_client_id', 'The request has no client_id.')
    const client = await companies.findClient(query.client_id)
    if (!client)
      throw new AuthorizePageError('unknown_client', 'No partner is registered with this client_id.')
    if (!query.redirect_uri || !client.redirectUris.includes(query.redirect_uri)) {
      throw new AuthorizePageError(
        'redirect_uri_mismatch',
        'The redirect_uri is not one the partner registered (they are compared exactly).',
      )
    }
    const redirectUri = query.redirect_uri
    const refuse = (error: OauthErrorCode, description: string = oauthErrors[error].description) =>
      new OauthError(
        error,
        description,
        redirectTo(redirectUri, { error, error_description: description, state: query.state }),
      )
    if (query.response_type !== 'code') throw refuse('unsupported_response_type')
    if (!query.code_challenge) throw refuse('invalid_request', 'code_challenge is required (PKCE with S256)')
    if (query.code_challenge_method !== 'S256')
      throw refuse('invalid_request', 'code_challenge_method must be S256')
    if (!isChallenge(query.code_challenge))
      throw refuse('invalid_request', 'code_challenge must be 43 base64url characters')
    const scopes = parseScope(query.scope)
    if (!scopes) throw refuse('invalid_scope', 'scope must list only check, hold, charge, profile and email')
    return {
      companyId: client.companyId,
      companyName: client.name,
      clientId: query.client_id,
      redirectUri,
      scopes,
      state: query.state,
      codeChallenge: query.code_challenge,
    }
  }

  async function issueCode(
    tx: Queryable,
    grant: GrantRow,
    request: { clientId: string; redirectUri: string; codeChallenge: string; state: string | undefined },
    scopes: readonly string[],
  ): Promise<string> {
    const code = randomToken(32)
    const now = clock.now()
    await repo.insertCode(tx, {
      code_digest: sha256(code).toString('hex'),
      grant_id: grant.id,
      client_id: request.clientId,
      redirect_uri: request.redirectUri,
      scopes: canonical(scopes),
      code_challenge: request.codeChallenge,
      created_at: now,
      expires_at: new Date(now.getTime() + CODE_TTL_MS),
      used_at: null,
    })
    return redirectTo(request.redirectUri, { code, state: request.state })
  }

  return {
    validate,

    /** A person who granted at least these scopes already is not asked again. */
    async authorize(request: ValidRequest, customerId: string | undefined): Promise<AuthorizeOutcome> {
      if (!customerId) return { kind: 'sign_in' }
      const grant = await repo.liveGrant(db, request.companyId, customerId)
      if (grant && request.scopes.every((s) => grant.scopes.includes(s))) {
        const location = await db.transaction((tx) => issueCode(tx, grant, request, request.scopes))
        return { kind: 'redirect', location }
      }
      const now = clock.now()
      const id = newId('areq', now.getTime())
      await repo.insertRequest(db, {
        id,
        client_id: request.clientId,
        company_id: request.companyId,
        customer_id: customerId,
        redirect_uri: request.redirectUri,
        scopes: request.scopes,
        state: request.state ?? null,
        code_challenge: request.codeChallenge,
        created_at: now,
        expires_at: new Date(now.getTime() + REQUEST_TTL_MS),
        decided_at: null,
      })
      return { kind: 'consent', requestId: id }
    },

    /** What the consent page shows. */
    async describeRequest(customerId: string, id: string) {
      const request = await repo.findRequest(db, id)
      const now = clock.now()
      if (!request || request.customer_id !== customerId || request.decided_at || request.expires_at <= now) {
        throw new DomainError('not_found', 'no such authorization request, or it expired')
      }
      const client = await companies.findClient(request.client_id)
      const grant = await repo.liveGrant(db, request.company_id, customerId)
      return {
        id: request.id,
        client: { client_id: request.client_id, name: client?.name ?? '' },
        redirect_uri: request.redirect_uri,
        scopes: request.scopes.map((scope) => ({ scope, granted: grant?.scopes.includes(scope) ?? false })),
        kept_scopes: (grant?.scopes ?? []).filter((scope) => !request.scopes.includes(scope)),
        monthly_limit: grant ? await accounts.monthlyLimit(grant.account_id) : null,
        expires_at: request.expires_at,
      }
    },

    /**
     * The person's answer. Allowing records the grant (the scopes shown are replaced by the ones
     * switched on; others granted before stay) and, on first consent, the person's account at the
     * partner. Answers where to send the browser.
     */
    async decide(
      customerId: string,
      id: string,
      decision: { allow: boolean; scopes?: string[]; monthly_limit?: number | null },
    ): Promise<string> {
      const person = decision.allow ? await deps.person(customerId) : undefined
      return db.transaction(async (tx) => {
        const request = await repo.findRequest(tx, id, true)
        const now = clock.now()
        if (
          !request ||
          request.customer_id !== customerId ||
          request.decided_at ||
          request.expires_at <= now
        ) {
          throw new DomainError('not_found', 'no such authorization request, or it expired')
        }
        await repo.decideRequest(tx, id, now)
        const state = request.state ?? undefined
        if (!decision.allow) {
          return redirectTo(request.redirect_uri, {
            error: 'access_denied',
            error_description: 'The person denied access',
            state,
          })
        }
        const chosen = canonical((decision.scopes ?? []).filter((s) => request.scopes.includes(s)))
        if (chosen.length === 0) {
          throw new DomainError('validation_failed', 'allow at least one of the requested scopes', {
            errors: [{ field: '/scopes', message: 'must contain at least one requested scope' }],
          })
        }
        let grant = await repo.liveGrant(tx, request.company_id, customerId, true)
        const scopes = canonical([
          ...(grant?.scopes ?? []).filter((s) => !request.scopes.includes(s)),
          ...chosen,
        ])
        const limit = decision.monthly_limit
        const account = await accounts.connectCustomer(
          tx,
          request.company_id,
          customerId,
          scopes,
          limit === undefined || limit === null ? limit : BigInt(limit),
          person,
        )
        if (grant) {
          await repo.updateGrantScopes(tx, grant.id, scopes, now)
          grant = { ...grant, scopes }
        } else {
          grant = {
            id: newId('grant', now.getTime()),
            company_id: request.company_id,
            client_id: request.client_id,
            customer_id: customerId,
            account_id: account.id,
            scopes,
            created_at: now,
            updated_at: now,
            last_used_at: null,
            revoked_at: null,
          }
          await repo.insertGrant(tx, grant)
        }
        return issueCode(
          tx,
          grant,
          {
            clientId: request.client_id,
            redirectUri: request.redirect_uri,
            codeChallenge: request.code_challenge,
            state,
          },
          chosen,
        )
      })
    },
  }
}

export type AuthorizeService = ReturnType<typeof createAuthorizeService>
