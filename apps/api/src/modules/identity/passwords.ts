import { hash, verify } from '@node-rs/argon2'
import { createWorkLimiter } from '../../lib/work-limiter.js'

// OWASP Password Storage Cheat Sheet: argon2id, 19 MiB, 2 iterations, 1 lane.
const ARGON2ID = 2 // Algorithm.Argon2id, a const enum that cannot be imported as a value here
const options = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const

/** Waiting places per running slot: at ~50 ms a hash, a full queue waits a few tenths of a second. */
const QUEUE_PER_SLOT = 4
const MAX_WAIT_MS = 2_000

let decoy: Promise<string> | undefined

/**
 * Every argon2 hash and check of the process, at most `concurrency` at once (each holds 19 MiB and
 * a thread of the pool that DNS lookups and file reads share). A short queue absorbs a burst;
 * beyond it the caller gets 503 `busy` with Retry-After.
 */
export function createPasswords(deps: { concurrency: number }) {
  const work = createWorkLimiter({
    concurrency: deps.concurrency,
    queue: deps.concurrency * QUEUE_PER_SLOT,
    maxWaitMs: MAX_WAIT_MS,
    retryAfterSeconds: 1,
  })

  return {
    hash: (password: string): Promise<string> => work.run(() => hash(password, options)),

    /**
     * Checks a password against a stored hash. Without a stored hash (unknown email) it still
     * spends the same work on a decoy, so response time does not tell whether the email is registered.
     */
    async check(storedHash: string | undefined, password: string): Promise<boolean> {
      if (storedHash !== undefined) return work.run(() => verify(storedHash, password).catch(() => false))
      decoy ??= hash('decoy password that nobody has', options)
      const decoyHash = await decoy
      await work.run(() => verify(decoyHash, password).catch(() => false))
      return false
    },

    /** The limiter itself: its counts for metrics, and tests hold its slots. */
    work,
  }
}

export type Passwords = ReturnType<typeof createPasswords>
