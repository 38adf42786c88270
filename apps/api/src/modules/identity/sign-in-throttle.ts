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

/** An account of the email being signed in to. */
export interface SignInAccount {
  kind: PrincipalKind
  id: string
}

/** One counted attempt: the keys it was counted against, the address it came from, the kinds it may try. */
export interface SignInAttempt {
  counted: string[]
  addressDigest: string
  /** The kinds whose email key let this attempt through (or did not count it). */
  kinds: PrincipalKind[]
  /** The 429 for the kinds left out, to answer if none of `kinds` opens: one of them might have. */
  heldBack?: DomainError
}

const emailDigest = (kind: PrincipalKind, email: string) =>
  sha256(`email\n${kind}\n${emailKey(email)}`).toString('hex')

const isWaiting = (count: AttemptCount | undefined) =>
  Boolean(count && !count.let_through && count.blocked_until)

const secondsBefore = (now: Date, seconds: number) => new Date(now.getTime() - seconds * 1000)

function refusal(counts: readonly AttemptCount[], now: Date): DomainError | undefined {
  const waits = counts.filter(isWaiting).map((c) => (c.blocked_until as Date).getTime() - now.getTime())
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
    /**
     * Counts an attempt at the accounts of `email` of the given kinds (one kind, or every kind when
     * the client did not say which): once against the address, and once against each kind's email
     * key, so that no mix of requests with and without a kind gets more guesses at an account than
     * its own key allows. `accounts` are those of the email that exist. An address known to one of
     * them is not held back by the email's count, except of another account of the email whose
     * password this attempt tries too. Throws 429 too_many_attempts (counted all the same) while the
     * address must wait, or every kind's key; a kind whose key waits is left out of `kinds`, and
     * `heldBack` is the answer if none of the others opens.
     */
    async attempt(input: {
      kinds: readonly PrincipalKind[]
      email: string
      ip: string
      accounts: readonly SignInAccount[]
    }): Promise<SignInAttempt> {
      const now = clock.now()
      const addressDigest = sha256(`address\n${addressKey(input.ip)}`).toString('hex')
      const since = secondsBefore(now, SIGN_IN_LIMITS.knownAddressSeconds)
      const knownTo = new Set<PrincipalKind>()
      for (const account of input.accounts)
        if (await repo.isKnownAddress(db, account, addressDigest, since)) knownTo.add(account.kind)
      const held = input.kinds.filter((kind) => {
        if (knownTo.has(kind)) return false
        // No account of this kind: an attempt from the owner's device of the other guesses nothing here.
        return knownTo.size === 0 || input.accounts.some((a) => a.kind === kind)
      })
      // Email keys in one fixed order (by kind), then the address, so that two statements never
      // lock each other's rows the other way round.
      const emailKeys = new Map([...held].sort().map((kind) => [kind, emailDigest(kind, input.email)]))
      const keys: ThrottleKey[] = [...emailKeys.values()].map((digest) => ({ digest, scope: 'email' }))
      keys.push({ digest: addressDigest, scope: 'address' })
      const counts = await repo.countAttempt(db, keys, now, {
        free: SIGN_IN_LIMITS.free,
        maxWaitSeconds: SIGN_IN_LIMITS.maxWaitSeconds,
        quietSince: secondsBefore(now, SIGN_IN_LIMITS.quietResetSeconds),
      })
      const countOf = (digest: string | undefined) => counts.find((c) => c.key_digest === digest)
      // A kind whose key waits is not tried; the others still are, so that a stranger guessing at
      // one account of the email does not hold back its owner's other account on a known device.
      const kinds = input.kinds.filter((kind) => !isWaiting(countOf(emailKeys.get(kind))))
      const refused = refusal(counts, now)
      if (refused && (isWaiting(countOf(addressDigest)) || kinds.length === 0)) throw refused
      return { counted: keys.map((k) => k.digest), addressDigest, kinds, heldBack: refused }
    },

    /** The password was right for `accounts`: the attempt is taken back and its address known to them. */
    async succeeded(attempt: SignInAttempt, accounts: readonly SignInAccount[]): Promise<void> {
      await repo.uncountAttempt(db, attempt.counted, SIGN_IN_LIMITS.free)
      for (const account of accounts)
        await repo.rememberAddress(db, account, attempt.addressDigest, clock.now())
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
