import type { Queryable } from '../../db/database.js'
import { deleteBatch } from '../../db/prune.js'
import type { PrincipalKind } from './identity.repository.js'

export type ThrottleScope = 'email' | 'address'

export interface ThrottleKey {
  digest: string
  scope: ThrottleScope
}

export interface ThrottlePolicy {
  /** Attempts per scope before each further one makes the next wait (2 or more: a first attempt never waits). */
  free: Record<ThrottleScope, number>
  maxWaitSeconds: number
  /** A key with no attempt since then starts counting again from one. */
  quietSince: Date
}

export interface AttemptCount {
  key_digest: string
  attempts: number
  /** Whether this attempt may go on to the password check (the key was not waiting). */
  let_through: boolean
  blocked_until: Date | null
}

/** Reads and writes the sign-in throttle's two `identity_*` tables. */
export function createSignInThrottleRepository() {
  return {
    /**
     * Counts one attempt against every key in one statement, so parallel attempts are each counted
     * and each see the count before them. A key that is waiting keeps its wait (the attempt is
     * refused); otherwise, past the free attempts, the attempt sets the next wait: 1 s, 2 s, 4 s, …
     * Keys are given in a fixed order (email before address), so two statements never lock each
     * other's rows the other way round.
     */
    async countAttempt(
      q: Queryable,
      keys: readonly ThrottleKey[],
      now: Date,
      policy: ThrottlePolicy,
    ): Promise<AttemptCount[]> {
      const values = keys.map((_, i) => `($${6 + 2 * i}, $${7 + 2 * i}, 1, 1, NULL, $1::timestamptz)`)
      const quiet = 'a.updated_at <= $2::timestamptz'
      const n = `(CASE WHEN ${quiet} THEN 1 ELSE a.attempts + 1 END)`
      const waiting = `(NOT ${quiet} AND a.blocked_until > $1::timestamptz)`
      const free = `(CASE a.scope WHEN 'email' THEN $3::int ELSE $4::int END)`
      const wait = `least(power(2, least(${n} - ${free}, 30)), $5::int) * interval '1 second'`
      return q.query<AttemptCount>(
        `INSERT INTO identity_sign_in_attempts AS a (key_digest, scope, attempts, checked, blocked_until, updated_at)
         VALUES ${values.join(', ')}
         ON CONFLICT (key_digest) DO UPDATE SET
           attempts = ${n},
           checked = CASE WHEN ${waiting} THEN a.checked ELSE ${n} END,
           blocked_until = CASE
             WHEN ${waiting} THEN a.blocked_until
             WHEN ${n} >= ${free} THEN $1::timestamptz + ${wait}
             ELSE NULL END,
           updated_at = $1::timestamptz
         RETURNING key_digest, attempts, checked = attempts AS let_through, blocked_until`,
        [
          now,
          policy.quietSince,
          policy.free.email,
          policy.free.address,
          policy.maxWaitSeconds,
          ...keys.flatMap((k) => [k.digest, k.scope]),
        ],
      )
    },

    /**
     * Takes one attempt back from each key (it signed in, or was never checked). A key left within
     * its free attempts waits no more; above them, its wait stays.
     */
    async uncountAttempt(
      q: Queryable,
      digests: readonly string[],
      free: ThrottlePolicy['free'],
    ): Promise<void> {
      await q.query(
        `UPDATE identity_sign_in_attempts SET
           attempts = attempts - 1,
           checked = least(checked, attempts - 1),
           blocked_until = CASE WHEN attempts - 1 < (CASE scope WHEN 'email' THEN $2::int ELSE $3::int END)
             THEN NULL ELSE blocked_until END
         WHERE key_digest = ANY ($1::text[]) AND attempts > 0`,
        [digests, free.email, free.address],
      )
    },

    /** Deletes at most `limit` keys that neither wait nor count any more (quiet since `quietSince`). */
    pruneAttempts(q: Queryable, now: Date, quietSince: Date, limit: number): Promise<number> {
      return deleteBatch(
        q,
        'identity_sign_in_attempts',
        'key_digest',
        'updated_at <= $1 AND (blocked_until IS NULL OR blocked_until <= $2)',
        [quietSince, now],
        limit,
      )
    },

    async isKnownAddress(
      q: Queryable,
      principal: { kind: PrincipalKind; id: string },
      addressDigest: string,
      since: Date,
    ): Promise<boolean> {
      const rows = await q.query(
        `SELECT 1 FROM identity_known_addresses
         WHERE principal_kind = $1 AND principal_id = $2 AND address_digest = $3 AND last_success_at > $4`,
        [principal.kind, principal.id, addressDigest, since],
      )
      return rows.length > 0
    },

    async rememberAddress(
      q: Queryable,
      principal: { kind: PrincipalKind; id: string },
      addressDigest: string,
      now: Date,
    ): Promise<void> {
      await q.query(
        `INSERT INTO identity_known_addresses AS k (principal_kind, principal_id, address_digest, last_success_at)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (principal_kind, principal_id, address_digest)
         DO UPDATE SET last_success_at = greatest(k.last_success_at, EXCLUDED.last_success_at)`,
        [principal.kind, principal.id, addressDigest, now],
      )
    },

    /** Deletes at most `limit` addresses that last signed in before `before`. */
    pruneKnownAddresses(q: Queryable, before: Date, limit: number): Promise<number> {
      return deleteBatch(
        q,
        'identity_known_addresses',
        'principal_kind, principal_id, address_digest',
        'last_success_at <= $1',
        [before],
        limit,
      )
    },
  }
}

export type SignInThrottleRepository = ReturnType<typeof createSignInThrottleRepository>
