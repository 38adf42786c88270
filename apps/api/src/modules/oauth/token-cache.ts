import type { ActiveToken } from './oauth.repository.js'

/** Tokens remembered at most; an entry is a few hundred bytes. */
export const TOKEN_CACHE_SIZE = 10_000
/** A bound besides the token's own expiry, should an announcement ever be lost unnoticed. */
const TOKEN_CACHE_MS = 60_000

/**
 * Live tokens by digest, so introspection and userinfo of a busy token cost no database read. A
 * revocation anywhere is announced (NOTIFY with the grant id) and every process forgets the
 * grant's tokens; while this process cannot hear announcements, nothing is remembered and nothing
 * is answered from memory. An entry never outlives its token's expiry.
 */
export function createTokenCache(size = TOKEN_CACHE_SIZE) {
  // A Map iterates in insertion order: re-inserting on a hit keeps the least recently used first.
  const entries = new Map<string, { token: ActiveToken; until: number }>()
  let hearing = false
  // Changes whenever something is forgotten: a read that began before must not be remembered,
  // because it may have seen a token the revocation has just ended.
  let epoch = 0

  /** Forgets the tokens of a grant, or every token. */
  function forget(grantId?: string): void {
    if (grantId === undefined) entries.clear()
    else for (const [key, entry] of entries) if (entry.token.grant_id === grantId) entries.delete(key)
    epoch++
  }

  return {
    get(digest: string, now: number): ActiveToken | undefined {
      const entry = entries.get(digest)
      if (!entry) return undefined
      entries.delete(digest)
      if (!hearing || entry.until <= now) return undefined
      entries.set(digest, entry)
      return entry.token
    },

    /** Where a database read begins; pass it to `remember` with what the read found. */
    epoch: () => epoch,

    /** Remembers a live token read at `readEpoch`, unless something was forgotten since. */
    remember(token: ActiveToken, now: number, readEpoch: number): void {
      if (!hearing || readEpoch !== epoch || !token.expires_at) return
      const until = Math.min(token.expires_at.getTime(), now + TOKEN_CACHE_MS)
      if (until <= now) return
      entries.delete(token.token_digest)
      if (entries.size >= size) entries.delete(entries.keys().next().value as string)
      entries.set(token.token_digest, { token, until })
    },

    forget,

    /** Whether announcements reach this process; some may have been missed either way. */
    hearing(on: boolean): void {
      hearing = on
      forget()
    },

    get size() {
      return entries.size
    },
  }
}

export type TokenCache = ReturnType<typeof createTokenCache>
