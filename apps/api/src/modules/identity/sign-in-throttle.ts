import type { Database } from '../../db/database.js'
import { addressKey } from '../../lib/client-address.js'
import type { Clock } from '../../lib/clock.js'
import { DomainError } from '../../lib/domain-error.js'
import { sha256 } from '../../lib/secrets.js'
import { emailKey, type PrincipalKind } from './identity.repository.js'
import type { AttemptCount, SignInThrottleRepository, ThrottleKey } from './sign-in-throttle.repository.js'

const MINUTE = 60
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/** The numbers of docs/security.md#sign-in-throttling. */
export const SIGN_IN_LIMITS = {
  /** Attempts before each further one makes the next wait 1 s, 2 s, 4 s, … */
  free: { email: 5, address: 30 },
  maxWaitSeconds: 15 * MINUTE,
  /** A key with no attempt for this long starts again from zero. */
  quietResetSeconds: HOUR,
  /** An address that signed in to an account lets its owner past the email's count this long. */
  knownAddressSeconds: 90 * DAY,
} as const

/** One counted attempt: the keys it was counted against, and whose account it was for. */
export interface SignInAttempt {
  counted: string[]
  addressDigest: string
  principal?: { kind: PrincipalKind; id: string }
}

const secondsBefore = (now: Date, seconds: number) => new Date(now.getTime() - seconds * 1000)

function refusal(counts: readonly AttemptCount[], now: Date): DomainError | undefined {
  const waits = counts
    .filter((c) => !c.let_through && c.blocked_until)
    .map((c) => (c.blocked_until as Date).getTime() - now.getTime())
  if (waits.length === 0) return undefined
  const retryAfter = Math.max(1, Math.ceil(Math.max(...waits) / 1000))
  return new DomainError('too_many_attempts', `try again in ${retryAfter} s`, {
    headers: { 'retry-after': String(retryAfter) },
  })
}

/**
 * Slows password guessing per email and per client address (an IPv6 /64), in the database so that
 * every API process sees the same counts. An attempt is counted before its password is checked, so
 * a parallel burst is counted in full; a successful one is taken back. The email's count does not
 * hold back an address that signed in to that account before: a stranger guessing elsewhere
 * cannot lock the owner out of their own devices.
 */
export function createSignInThrottle(deps: { db: Database; repo: SignInThrottleRepository; clock: Clock }) {
  const { db, repo, clock } = deps

  return {
    /** Counts an attempt; throws 429 too_many_attempts (counted all the same) while a key must wait. */
    async attempt(input: {
      kind: PrincipalKind
      email: string
      ip: string
      principalId?: string
    }): Promise<SignInAttempt> {
      const now = clock.now()
      const addressDigest = sha256(`address\n${addressKey(input.ip)}`).toString('hex')
      const principal = input.principalId ? { kind: input.kind, id: input.principalId } : undefined
      const known =
        principal !== undefined &&
        (await repo.isKnownAddress(
          db,
          principal,
          addressDigest,
          secondsBefore(now, SIGN_IN_LIMITS.knownAddressSeconds),
        ))
      const keys: ThrottleKey[] = [{ digest: addressDigest, scope: 'address' }]
      if (!known) {
        const emailDigest = sha256(`email\n${input.kind}\n${emailKey(input.email)}`).toString('hex')
        keys.unshift({ digest: emailDigest, scope: 'email' })
      }
      const counts = await repo.countAttempt(db, keys, now, {
        free: SIGN_IN_LIMITS.free,
        maxWaitSeconds: SIGN_IN_LIMITS.maxWaitSeconds,
        quietSince: secondsBefore(now, SIGN_IN_LIMITS.quietResetSeconds),
      })
      const refused = refusal(counts, now)
      if (refused) throw refused
      return { counted: keys.map((k) => k.digest), addressDigest, principal }
    },

    /** The password was right: the attempt is taken back and its address known to the account. */
    async succeeded(attempt: SignInAttempt): Promise<void> {
      await repo.uncountAttempt(db, attempt.counted, SIGN_IN_LIMITS.free)
      if (attempt.principal)
        await repo.rememberAddress(db, attempt.principal, attempt.addressDigest, clock.now())
    },

    /** The password was never checked (the server was busy): the attempt guessed nothing. */
    async unchecked(attempt: SignInAttempt): Promise<void> {
      await repo.uncountAttempt(db, attempt.counted, SIGN_IN_LIMITS.free)
    },

    /** Retention: drops at most `limit` counts that no longer slow anyone at `now`. */
    pruneAttempts: (now: Date, limit: number) =>
      repo.pruneAttempts(db, now, secondsBefore(now, SIGN_IN_LIMITS.quietResetSeconds), limit),

    /** Retention: drops at most `limit` known addresses that have not signed in for 90 days at `now`. */
    pruneKnownAddresses: (now: Date, limit: number) =>
      repo.pruneKnownAddresses(db, secondsBefore(now, SIGN_IN_LIMITS.knownAddressSeconds), limit),
  }
}

export type SignInThrottle = ReturnType<typeof createSignInThrottle>
