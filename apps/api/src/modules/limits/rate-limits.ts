import type {
  FastifyRateLimitStore,
  FastifyRateLimitStoreCtor,
  RateLimitOptions,
  RateLimitPluginOptions,
} from '@fastify/rate-limit'
import type { LimitsConfig } from '../../config.js'
import type { Database } from '../../db/database.js'
import { addressKey } from '../../lib/client-address.js'
import type { Clock } from '../../lib/clock.js'
import { DomainError } from '../../lib/domain-error.js'
import type { LimitsRepository } from './limits.repository.js'

const MINUTE_MS = 60_000
const HOUR_MS = 60 * MINUTE_MS

/** A route's limit per client address (an IPv6 /64), counted after authentication and validation. */
function perAddress(name: string, max: number, timeWindow: number): RateLimitOptions {
  return {
    max,
    timeWindow,
    hook: 'preHandler',
    keyGenerator: (request) => `${name}:${addressKey(request.ip)}`,
  }
}

/** The per-address limits routes declare as `config.rateLimit`; routes under one name share a count. */
export function addressLimits(limits: LimitsConfig) {
  return {
    registrations: perAddress('registrations', limits.registrationsPerHour, HOUR_MS),
    topups: perAddress('topups', limits.topupsPerMinute, MINUTE_MS),
  }
}

export type AddressLimits = ReturnType<typeof addressLimits>

/**
 * Request counts for `@fastify/rate-limit`, kept in the database in fixed windows (aligned to the
 * epoch) so that a limit holds across every API process.
 */
export function createRateLimits(deps: { db: Database; repo: LimitsRepository; clock: Clock }) {
  const { db, repo, clock } = deps

  /** Counts a hit on `key`; answers the window's count and the milliseconds left in it. */
  async function hit(key: string, windowMs: number): Promise<{ current: number; ttl: number }> {
    const now = clock.now().getTime()
    const start = now - (now % windowMs)
    const current = await repo.hit(db, key, new Date(start), new Date(start + windowMs))
    return { current, ttl: start + windowMs - now }
  }

  /** The plugin's store contract; every route's store counts into the same table. */
  class DatabaseStore implements FastifyRateLimitStore {
    incr(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
      timeWindow: number,
    ) {
      hit(key, timeWindow).then(
        (result) => callback(null, result),
        (error: Error) => callback(error),
      )
    }

    child(): FastifyRateLimitStore {
      return new DatabaseStore()
    }
  }

  const pluginOptions: RateLimitPluginOptions = {
    // Only routes that declare a limit are limited.
    global: false,
    store: DatabaseStore satisfies FastifyRateLimitStoreCtor,
    errorResponseBuilder: (_request, context) =>
      new DomainError('rate_limited', `too many requests; try again in ${context.after}`, {
        headers: { 'retry-after': String(Math.max(1, Math.ceil(context.ttl / 1000))) },
      }),
  }

  return {
    hit,
    pluginOptions,
    /** Retention: drops at most `limit` windows that ended by `now`. */
    prune: (now: Date, limit: number) => repo.pruneWindows(db, now, limit),
  }
}

export type RateLimits = ReturnType<typeof createRateLimits>
