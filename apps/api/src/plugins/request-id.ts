import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { FastifyBaseLogger } from 'fastify'

/**
 * Every request's id is made here, whatever the caller sends: an id a caller could choose would
 * let it forge or merge lines of another request's log. Echoed in `X-Request-Id` and in problems.
 */
export function genRequestId(): string {
  return `req_${randomUUID().replaceAll('-', '')}`
}

/** How much of a caller's own X-Request-Id the log keeps. */
const CALLER_ID_LENGTH = 128

/**
 * Each request's logger: the server's id, and beside it the caller's X-Request-Id when it sent
 * one (as `caller_request_id`), so its traces can still be matched to PROTUS's log.
 */
export function requestLogger(
  logger: FastifyBaseLogger,
  bindings: Record<string, unknown>,
  opts: object,
  request: Pick<IncomingMessage, 'headers'>,
): FastifyBaseLogger {
  const caller = request.headers['x-request-id']
  const callerId = typeof caller === 'string' ? caller.slice(0, CALLER_ID_LENGTH) : undefined
  return logger.child(callerId ? { ...bindings, caller_request_id: callerId } : bindings, opts)
}
