import type { Database } from '../../db/database.js'
import type { Clock } from '../../lib/clock.js'
import { DomainError } from '../../lib/domain-error.js'
import { sha256 } from '../../lib/secrets.js'
import type { IdentityRepository } from './identity.repository.js'

/** Failures allowed per (kind, email, IP) before each further one makes the next attempt wait. */
export const FREE_FAILURES = 5
export const MAX_WAIT_SECONDS = 15 * 60

/** Wait after the n-th failure: 0 up to FREE_FAILURES, then 1 s, 2 s, 4 s … capped at 15 min. */
export function waitAfterFailure(failures: number): number {
  if (failures < FREE_FAILURES) return 0
  return Math.min(2 ** (failures - FREE_FAILURES), MAX_WAIT_SECONDS)
}

/**
 * Exponential backoff for sign-in attempts, kept in the database so that every API replica sees
 * the same counts. It slows guessing without locking the real owner out for long.
 */
export function createSignInThrottle(deps: { db: Database; repo: IdentityRepository; clock: Clock }) {
  const { db, repo, clock } = deps
  const keyOf = (kind: string, email: string, ip: string) =>
    sha256(`${kind}\n${email.trim().toLowerCase()}\n${ip}`).toString('hex')

  return {
    /** Throws 429 too_many_attempts while this key must wait. */
    async assertAllowed(kind: string, email: string, ip: string): Promise<void> {
      const state = await repo.signInFailures(db, keyOf(kind, email, ip))
      const now = clock.now().getTime()
      const until = state?.blocked_until?.getTime() ?? 0
      if (until > now) {
        const retryAfter = Math.ceil((until - now) / 1000)
        throw new DomainError('too_many_attempts', `try again in ${retryAfter} s`, {
          headers: { 'retry-after': String(retryAfter) },
        })
      }
    },

    async recordFailure(kind: string, email: string, ip: string): Promise<void> {
      const key = keyOf(kind, email, ip)
      const now = clock.now()
      const failures = await repo.addSignInFailure(db, key, now)
      const wait = waitAfterFailure(failures)
      if (wait > 0) await repo.blockSignIn(db, key, new Date(now.getTime() + wait * 1000))
    },

    async recordSuccess(kind: string, email: string, ip: string): Promise<void> {
      await repo.clearSignInFailures(db, keyOf(kind, email, ip))
    },
  }
}

export type SignInThrottle = ReturnType<typeof createSignInThrottle>
