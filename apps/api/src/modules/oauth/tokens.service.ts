import type { Database, Queryable } from '../../db/database.js'
import type { Clock } from '../../lib/clock.js'
import { randomToken, sha256 } from '../../lib/secrets.js'
import type { AccountsService } from '../billing/accounts.service.js'
import type { IdentityService } from '../identity/identity.service.js'
import { OauthError } from './oauth.errors.js'
import { type ActiveToken, type OauthRepository, REVOCATIONS_CHANNEL } from './oauth.repository.js'
import { canonical, formatScope, parseScope, verifierMatches } from './scopes.js'
import { createTokenCache } from './token-cache.js'

/** A retried refresh within this window gets a new pair instead of counting as reuse. */
export const REFRESH_GRACE_MS = 10_000

export interface Client {
  clientId: string
  companyId: string
}

export interface TokenResponse {
  access_token: string
  token_type: 'Bearer'
  expires_in: number
  refresh_token: string
  scope: string
}

const digest = (token: string) => sha256(token).toString('hex')

/**
 * The token, introspection, revocation and userinfo endpoints. Tokens are opaque 256-bit random
 * strings kept as SHA-256 digests; `sub` is the person's account id at the partner.
 */
export function createTokensService(deps: {
  db: Database
  repo: OauthRepository
  identity: IdentityService
  accounts: AccountsService
  clock: Clock
  issuer: string
  accessTokenTtlSeconds: number
  refreshTokenTtlSeconds: number
}) {
  const { db, repo, identity, accounts, clock, issuer } = deps
  const cache = createTokenCache()

  /** This process forgets a revoked grant's tokens before answering; the others hear the NOTIFY. */
  function revoked(grantId: string | undefined): void {
    if (grantId) cache.forget(grantId)
  }

  /** A token with its grant: from memory when this process read it live lately, else from the database. */
  async function lookup(token: string): Promise<ActiveToken | undefined> {
    const key = digest(token)
    const now = clock.now().getTime()
    const cached = cache.get(key, now)
    if (cached) return cached
    const epoch = cache.epoch()
    const row = await repo.findToken(db, key)
    if (isLive(row)) cache.remember(row, now, epoch)
    return row
  }

  async function issuePair(
    tx: Queryable,
    grantId: string,
    clientId: string,
    scopes: readonly string[],
    parent: string | null,
  ) {
    const now = clock.now()
    const access = randomToken(32, 'pat_')
    const refresh = randomToken(32, 'prt_')
    const base = {
      grant_id: grantId,
      client_id: clientId,
      scopes: canonical(scopes),
      created_at: now,
      parent_digest: parent,
    }
    await repo.insertToken(tx, {
      ...base,
      token_digest: digest(access),
      kind: 'access',
      expires_at: new Date(now.getTime() + deps.accessTokenTtlSeconds * 1000),
    })
    await repo.insertToken(tx, {
      ...base,
      token_digest: digest(refresh),
      kind: 'refresh',
      expires_at: new Date(now.getTime() + deps.refreshTokenTtlSeconds * 1000),
    })
    await repo.touchGrant(tx, grantId, now)
    return {
      access_token: access,
      token_type: 'Bearer' as const,
      expires_in: deps.accessTokenTtlSeconds,
      refresh_token: refresh,
      scope: formatScope(scopes),
    }
  }

  /**
   * Revokes a grant everywhere: its tokens, the grant, and billing on the person's account; every
   * process forgets its tokens when the transaction commits. The caller calls `revoked` after it.
   */
  async function revokeGrant(tx: Queryable, grantId: string): Promise<void> {
    const now = clock.now()
    const grant = await repo.findGrant(tx, grantId)
    if (!grant) return
    await repo.revokeTokens(tx, { grantId }, now)
    await repo.revokeGrant(tx, grantId, now)
    await repo.announceRevocation(tx, grantId)
    await accounts.revokeGrant(tx, grant.account_id, grant.scopes)
  }

  /** Revokes a grant in a transaction of its own (reuse, or a person disconnecting a partner). */
  async function revokeGrantNow(grantId: string): Promise<void> {
    await db.transaction((tx) => revokeGrant(tx, grantId))
    revoked(grantId)
  }

  /** A token that is live right now: not expired, not revoked, of a live grant. */
  function isLive(token: ActiveToken | undefined): token is ActiveToken {
    const now = clock.now().getTime()
    return (
      !!token &&
      !token.revoked_at &&
      !token.grant_revoked_at &&
      (!token.expires_at || token.expires_at.getTime() > now)
    )
  }

  async function exchangeCode(
    client: Client,
    form: Record<string, string | undefined>,
  ): Promise<TokenResponse> {
    const { code, redirect_uri: redirectUri, code_verifier: verifier } = form
    if (!code || !redirectUri || !verifier) {
      throw new OauthError('invalid_request', 'code, redirect_uri and code_verifier are required')
    }
    // The reuse revocation must commit even though the request fails, so the outcome is returned.
    let revokedGrant: string | undefined
    const outcome = await db.transaction(async (tx) => {
      const row = await repo.takeCode(tx, digest(code), clock.now())
      if (!row || row.client_id !== client.clientId)
        return new OauthError('invalid_grant', 'unknown authorization code')
      if (row.used_at) {
        await repo.revokeTokens(tx, { grantId: row.grant_id }, clock.now())
        await repo.announceRevocation(tx, row.grant_id)
        revokedGrant = row.grant_id
        return new OauthError(
          'invalid_grant',
          'the authorization code was used already; its tokens are revoked',
        )
      }
      if (row.expires_at.getTime() <= clock.now().getTime())
        return new OauthError('invalid_grant', 'the authorization code expired')
      if (row.redirect_uri !== redirectUri)
        return new OauthError('invalid_grant', 'redirect_uri does not match the authorization request')
      if (!verifierMatches(verifier, row.code_challenge))
        return new OauthError('invalid_grant', 'code_verifier does not match the code_challenge')
      const grant = await repo.findGrant(tx, row.grant_id)
      if (!grant || grant.revoked_at) return new OauthError('invalid_grant', 'the grant was revoked')
      return issuePair(tx, grant.id, client.clientId, row.scopes, null)
    })
    revoked(revokedGrant)
    if (outcome instanceof OauthError) throw outcome
    return outcome
  }

  /**
   * Rotation in one statement (`oauth_refresh`): the new pair is made here and only its digests
   * go to the database. A rotated token presented after the grace window is reuse (RFC 9700):
   * the grant is revoked, with billing, in a transaction of its own.
   */
  async function refresh(client: Client, form: Record<string, string | undefined>): Promise<TokenResponse> {
    if (!form.refresh_token) throw new OauthError('invalid_request', 'refresh_token is required')
    const narrowed = form.scope === undefined ? undefined : parseScope(form.scope)
    if (form.scope !== undefined && !narrowed) throw new OauthError('invalid_scope')
    const access = randomToken(32, 'pat_')
    const refreshToken = randomToken(32, 'prt_')
    const answer = await repo.refresh(db, {
      clientId: client.clientId,
      presentedDigest: digest(form.refresh_token),
      scopes: narrowed ?? null,
      now: clock.now(),
      graceMs: REFRESH_GRACE_MS,
      accessDigest: digest(access),
      accessTtlSeconds: deps.accessTokenTtlSeconds,
      refreshDigest: digest(refreshToken),
      refreshTtlSeconds: deps.refreshTokenTtlSeconds,
    })
    switch (answer.outcome) {
      case 'issued':
      case 'reissued':
        // A retry revoked the pair issued for the first try: forget it here before answering.
        if (answer.outcome === 'reissued') revoked(answer.grant_id)
        return {
          access_token: access,
          token_type: 'Bearer',
          expires_in: deps.accessTokenTtlSeconds,
          refresh_token: refreshToken,
          scope: formatScope(answer.scopes),
        }
      case 'invalid_scope':
        throw new OauthError('invalid_scope', 'the scope is larger than granted')
      case 'reused':
        await revokeGrantNow(answer.grant_id as string)
        throw new OauthError('invalid_grant', 'the refresh token was used already; the grant is revoked')
      default:
        throw new OauthError('invalid_grant', 'unknown, expired or revoked refresh token')
    }
  }

  return {
    async token(client: Client, form: Record<string, string | undefined>): Promise<TokenResponse> {
      switch (form.grant_type) {
        case 'authorization_code':
          return exchangeCode(client, form)
        case 'refresh_token':
          return refresh(client, form)
        case undefined:
          throw new OauthError('invalid_request', 'grant_type is required')
        default:
          throw new OauthError('unsupported_grant_type')
      }
    },

    /** RFC 7662: anything but a live token of this client is exactly { active: false }. */
    async introspect(client: Client, token: string | undefined) {
      if (!token) throw new OauthError('invalid_request', 'token is required')
      const row = await lookup(token)
      if (!isLive(row) || row.client_id !== client.clientId) return { active: false as const }
      return {
        active: true as const,
        scope: formatScope(row.scopes),
        client_id: row.client_id,
        sub: row.account_id,
        exp: Math.floor((row.expires_at as Date).getTime() / 1000),
        iat: Math.floor(row.created_at.getTime() / 1000),
        iss: issuer,
        token_type: row.kind === 'access' ? 'Bearer' : 'refresh_token',
      }
    },

    /** RFC 7009: only the owning client's tokens; a refresh token takes the grant's access tokens along. */
    async revoke(client: Client, token: string | undefined): Promise<void> {
      if (!token) throw new OauthError('invalid_request', 'token is required')
      const grantId = await db.transaction(async (tx) => {
        const row = await repo.findToken(tx, digest(token), true)
        if (!row || row.client_id !== client.clientId) return undefined
        const now = clock.now()
        await repo.revokeTokens(tx, { digest: row.token_digest }, now)
        if (row.kind === 'refresh') await repo.revokeAccessTokensOfGrant(tx, row.grant_id, now)
        await repo.announceRevocation(tx, row.grant_id)
        return row.grant_id
      })
      revoked(grantId)
    },

    async userinfo(accessToken: string | undefined) {
      const row = accessToken ? await lookup(accessToken) : undefined
      if (!isLive(row) || row.kind !== 'access') throw new OauthError('invalid_token')
      const info: { sub: string; preferred_username?: string; email?: string; email_verified?: boolean } = {
        sub: row.account_id,
      }
      if (row.scopes.includes('profile') || row.scopes.includes('email')) {
        const person = await identity.getCustomer(row.customer_id)
        if (row.scopes.includes('profile')) info.preferred_username = person.username
        if (row.scopes.includes('email')) {
          info.email = person.email
          info.email_verified = person.email_verified
        }
      }
      return info
    },

    revokeGrantNow,

    /**
     * Hears the revocations of every process on the database and forgets the tokens they end;
     * while they cannot be heard, nothing is remembered.
     */
    watchRevocations(): Promise<() => Promise<void>> {
      return db.listen(REVOCATIONS_CHANNEL, {
        // An empty payload might have been about any grant.
        notification: (grantId) => cache.forget(grantId || undefined),
        listening: (on) => cache.hearing(on),
      })
    },

    /** Tokens this process remembers (for tests and metrics). */
    cachedTokens: () => cache.size,
  }
}

export type TokensService = ReturnType<typeof createTokensService>
