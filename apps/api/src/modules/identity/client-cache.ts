const CLIENT_CACHE_MS = 5_000
const CLIENT_CACHE_SIZE = 1_000

/**
 * Client authentications remembered for a few seconds, so a busy partner does not cost a database
 * read per request. A rotation may end a secret at once, so what is remembered must be forgotten
 * on every process when a rotation is announced; while this process cannot hear announcements,
 * nothing is remembered at all.
 */
export function createClientCache() {
  const entries = new Map<string, { companyId: string; until: number }>()
  let hearing = false
  // Changes whenever something is forgotten: a read that began before must not be remembered,
  // because it may have seen a secret the rotation has just ended.
  let epoch = 0

  /** Forgets every remembered secret of a company, or of everyone. */
  function forget(companyId?: string): void {
    for (const [key, entry] of entries) {
      if (companyId === undefined || entry.companyId === companyId) entries.delete(key)
    }
    epoch++
  }

  return {
    get(key: string, now: number): string | undefined {
      const entry = entries.get(key)
      if (entry && entry.until > now) return entry.companyId
      entries.delete(key)
      return undefined
    },

    /** Where a database read begins; pass it to `remember` with what the read found. */
    epoch: () => epoch,

    /**
     * Remembers a success found by a read that began at `read.epoch`, never past `read.expiresAt`
     * (the secret's own end), unless something was forgotten since.
     */
    remember(key: string, read: { companyId: string; now: number; expiresAt: number; epoch: number }): void {
      if (!hearing || read.epoch !== epoch) return
      if (entries.size >= CLIENT_CACHE_SIZE) entries.delete(entries.keys().next().value as string)
      entries.set(key, {
        companyId: read.companyId,
        until: Math.min(read.now + CLIENT_CACHE_MS, read.expiresAt),
      })
    },

    forget,

    /** Whether announcements reach this process; announcements may have been missed either way. */
    hearing(on: boolean): void {
      hearing = on
      forget()
    },
  }
}

export type ClientCache = ReturnType<typeof createClientCache>
