import type { Database } from '../../db/database.js'
import type { OauthRepository } from './oauth.repository.js'

/**
 * A used code is kept this long past its expiry: until then a second use still revokes the
 * tokens the first one got (RFC 6749 §4.1.2), even when the rightful client comes late.
 */
export const USED_CODE_MEMORY_MS = 86_400_000

/**
 * What the OAuth tables keep only while it can still matter. A row goes once no request can be
 * answered differently for it: an expired or revoked token is refused exactly like an unknown one,
 * and a rotated refresh token stays until it expires, because presenting it again before then
 * revokes the grant (reuse detection). Grants are never deleted.
 */
export function createOauthRetention(deps: { db: Database; repo: OauthRepository }) {
  const { db, repo } = deps
  return {
    /** Authorization requests past their 10 minutes, decided or not. */
    pruneRequests: (now: Date, limit: number) => repo.deleteExpiredRequests(db, now, limit),

    /** Authorization codes past their 60 seconds; used ones a day later. */
    pruneCodes: (now: Date, limit: number) =>
      repo.deleteExpiredCodes(db, now, new Date(now.getTime() - USED_CODE_MEMORY_MS), limit),

    /** Access and refresh tokens that expired or were revoked. */
    pruneTokens: (now: Date, limit: number) => repo.deleteDeadTokens(db, now, limit),
  }
}

export type OauthRetention = ReturnType<typeof createOauthRetention>
