import { createHash } from 'node:crypto'
import type { Introspection } from './oauth.js'

const MAX_CACHED = 10_000

interface Entry {
  until: number
  sub?: string
  value: Promise<Introspection>
}

/**
 * Introspection answers kept for a few seconds, keyed by the token's digest (tokens never sit
 * in memory as keys). Concurrent lookups of one token share one request; an answer is never
 * kept past the token's expiry, and a failed lookup is not kept at all.
 */
export function createIntrospectionCache(ttlMs: number, now: () => number) {
  const entries = new Map<string, Entry>()
  const keyOf = (token: string) => createHash('sha256').update(token).digest('base64url')

  return {
    get(token: string, load: () => Promise<Introspection>): Promise<Introspection> {
      const key = keyOf(token)
      const hit = entries.get(key)
      if (hit && hit.until > now()) return hit.value
      entries.delete(key)
      const value = load()
      if (ttlMs <= 0) return value
      const entry: Entry = { until: now() + ttlMs, value }
      if (entries.size >= MAX_CACHED) entries.delete(entries.keys().next().value as string)
      entries.set(key, entry)
      value.then(
        (info) => {
          if (!info.active) return
          entry.sub = info.sub
          entry.until = Math.min(entry.until, info.exp * 1000)
        },
        () => {
          if (entries.get(key) === entry) entries.delete(key)
        },
      )
      return value
    },

    forgetToken(token: string): void {
      entries.delete(keyOf(token))
    },

    /** One account's answers, or all of them. */
    forgetAccount(sub?: string): void {
      for (const [key, entry] of entries) {
        if (sub === undefined || entry.sub === sub) entries.delete(key)
      }
    },
  }
}
