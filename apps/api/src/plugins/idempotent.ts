import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Queryable } from '../db/database.js'
import { DomainError } from '../lib/domain-error.js'
import {
  type IdempotencyService,
  type IdempotentRequest,
  type JsonResponse,
  requestHash,
  type StoredResponse,
} from '../modules/idempotency/idempotency.service.js'

export const IDEMPOTENCY_HEADER = 'idempotency-key'

/** The Idempotency-Key of a POST that requires one (400 idempotency_key_required without). */
export function idempotentRequest(request: FastifyRequest, principal: string): IdempotentRequest {
  const key = request.headers[IDEMPOTENCY_HEADER]
  if (typeof key !== 'string' || key.length < 1 || key.length > 255) {
    throw new DomainError('idempotency_key_required', 'send an Idempotency-Key header of 1 to 255 characters')
  }
  const path = request.url.split('?')[0] ?? request.url
  return { principal, key, hash: requestHash(request.method, path, request.body), requestId: request.id }
}

/** Sends a response that was (or now is) saved under an idempotency key, exactly as saved. */
export function sendStored(reply: FastifyReply, stored: StoredResponse) {
  if (stored.replayed) reply.header('idempotent-replayed', 'true')
  if (stored.status >= 400) reply.type('application/problem+json')
  else reply.type('application/json; charset=utf-8')
  return reply.status(stored.status).serializer(JSON.stringify).send(stored.body)
}

/** A response as it is saved under a key: JSON only (dates as ISO strings, bigints as numbers). */
export function jsonResponse(status: number, body: unknown): JsonResponse {
  return {
    status,
    body: JSON.parse(JSON.stringify(body, (_k, v) => (typeof v === 'bigint' ? Number(v) : v))),
  }
}

interface Keyed {
  idempotency: IdempotencyService
  principal: string
}

/**
 * A POST that requires an Idempotency-Key: it runs once per key (Stripe semantics), its answer or
 * decided refusal saved and replayed. The effect runs in the key's transaction, so it must use
 * only the `Queryable` it is given.
 */
export async function requireIdempotencyKey(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: Keyed,
  effect: (tx: Queryable) => Promise<JsonResponse>,
) {
  const keyed = idempotentRequest(request, deps.principal)
  return sendStored(reply, await deps.idempotency.run(keyed, effect))
}

/** A POST that moves no money: without an Idempotency-Key it simply runs; with one, as above. */
export async function honourIdempotencyKey(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: Keyed,
  effect: (q: Queryable) => Promise<JsonResponse>,
) {
  if (request.headers[IDEMPOTENCY_HEADER] !== undefined) {
    return requireIdempotencyKey(request, reply, deps, effect)
  }
  const { status, body } = await deps.idempotency.runWithoutKey(effect)
  return reply.status(status).send(body)
}
