import { createHash } from 'node:crypto'
import type { Database, Queryable } from '../../db/database.js'
import type { Clock } from '../../lib/clock.js'
import { DomainError } from '../../lib/domain-error.js'
import { refusalResponse } from '../../lib/problems.js'
import type { Claim, IdempotencyRepository, SavedResponse } from './idempotency.repository.js'

export interface IdempotentRequest {
  principal: string
  key: string
  /** SHA-256 of the method, path and canonical body: the same key with another request is refused. */
  hash: string
  /** The id of the request that runs the effect; a saved refusal names it. */
  requestId: string
}

/** A response as it is saved under a key and sent: JSON only. */
export interface JsonResponse {
  status: number
  body: unknown
}

export interface StoredResponse extends JsonResponse {
  replayed: boolean
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical)
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    )
  }
  return value
}

export function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify([method, path, canonical(body ?? null)]))
    .digest('hex')
}

/** What a claim that must not run the effect answers: the saved response, or the key's refusal. */
export function settleClaim(claim: Exclude<Claim, { state: 'claimed' }>): StoredResponse | DomainError {
  switch (claim.state) {
    case 'replay':
      return { status: claim.status, body: claim.body, replayed: true }
    case 'reused':
      return new DomainError(
        'idempotency_key_reused',
        'this Idempotency-Key was used with a different request',
      )
    case 'in_progress':
      return new DomainError(
        'idempotency_request_in_progress',
        'a request with this Idempotency-Key is still being processed',
      )
  }
}

/**
 * The response a decided outcome saves under its key: a success as it is, a refusal as its whole
 * problem body. A server fault (5xx) decided nothing: it is thrown, so nothing is saved and a retry
 * tries again.
 */
export function decidedResponse(outcome: JsonResponse | DomainError, requestId: string): JsonResponse {
  if (!(outcome instanceof DomainError)) return outcome
  const response = refusalResponse(outcome, requestId)
  if (response.status >= 500) throw outcome
  return response
}

/** The row that saves a decided response under the request's key. */
export const savedUnder = (request: IdempotentRequest, response: JsonResponse): SavedResponse => ({
  principal: request.principal,
  key: request.key,
  ...response,
})

/**
 * Stripe semantics for POSTs: the same key and request return the saved response; the key is
 * claimed in the transaction of the effect and the response saved before it commits, so a crash
 * in between leaves neither, and a retry runs the effect once.
 */
export function createIdempotencyService(deps: {
  db: Database
  repo: IdempotencyRepository
  clock: Clock
  /** How long a key is replayed before the retention sweep may drop it (at least 24 h). */
  keyHours: number
}) {
  const { db, repo, clock } = deps
  return {
    claim: (tx: Queryable, request: IdempotentRequest) =>
      repo.claim(tx, request.principal, request.key, request.hash, clock.now()),

    save: (tx: Queryable, responses: readonly SavedResponse[]) => repo.save(tx, responses),

    /**
     * Runs `effect` once per key in one transaction with the claim and the saved response. A
     * DomainError the effect throws is a decided refusal: it is saved and replayed like a success.
     */
    async run(
      request: IdempotentRequest,
      effect: (tx: Queryable) => Promise<JsonResponse>,
    ): Promise<StoredResponse> {
      return db.transaction(async (tx) => {
        const claim = await this.claim(tx, request)
        if (claim.state !== 'claimed') {
          const settled = settleClaim(claim)
          if (settled instanceof DomainError) throw settled
          return settled
        }
        let outcome: JsonResponse | DomainError
        // A refusal must leave nothing of the effect behind, only the saved answer.
        await tx.query('SAVEPOINT idempotent_effect')
        try {
          outcome = await effect(tx)
        } catch (error) {
          if (!(error instanceof DomainError)) throw error
          await tx.query('ROLLBACK TO SAVEPOINT idempotent_effect')
          outcome = error
        }
        const response = decidedResponse(outcome, request.requestId)
        await repo.save(tx, [savedUnder(request, response)])
        return { ...response, replayed: false }
      })
    },

    /** The effect of a POST sent without a key (where a key is optional): run as it is. */
    runWithoutKey: <T>(effect: (q: Queryable) => Promise<T>): Promise<T> => effect(db),

    /** Retention: drops at most `limit` keys older than `keyHours` at `now`. */
    prune: (now: Date, limit: number) =>
      repo.deleteOlderThan(db, new Date(now.getTime() - deps.keyHours * 3_600_000), limit),
  }
}

export type IdempotencyService = ReturnType<typeof createIdempotencyService>
