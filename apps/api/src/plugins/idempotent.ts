import type { FastifyReply, FastifyRequest } from 'fastify'
import { DomainError } from '../lib/domain-error.js'
import {
  type IdempotentRequest,
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
  return { principal, key, hash: requestHash(request.method, path, request.body) }
}

/** Sends a response that was (or now is) saved under an idempotency key, exactly as saved. */
export function sendStored(reply: FastifyReply, stored: StoredResponse) {
  if (stored.replayed) reply.header('idempotent-replayed', 'true')
  if (stored.status >= 400) reply.type('application/problem+json')
  else reply.type('application/json; charset=utf-8')
  return reply.status(stored.status).serializer(JSON.stringify).send(stored.body)
}
