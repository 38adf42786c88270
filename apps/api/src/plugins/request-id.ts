import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

const acceptable = /^[A-Za-z0-9._:-]{1,128}$/

/** Keeps a caller's X-Request-Id when it is sane, otherwise makes one; echoed on every response. */
export function genRequestId(request: IncomingMessage): string {
  const given = request.headers['x-request-id']
  if (typeof given === 'string' && acceptable.test(given)) return given
  return `req_${randomUUID().replaceAll('-', '')}`
}
