import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import http from 'node:http'
import https from 'node:https'
import type { LookupFunction } from 'node:net'
import { isPrivateHost, isPublicAddress } from '../../lib/public-address.js'

/** What one POST to a partner came to. */
export interface SendOutcome {
  httpStatus: number | null
  error: string | null
  durationMs: number
  responseExcerpt: string | null
  /** No answer within the timeout, connecting or waiting: the attempt took the whole time. */
  timedOut: boolean
}

export interface SendOptions {
  timeoutMs: number
  /** Allow loopback, private and link-local targets (development, tests, the demo). */
  allowPrivate: boolean
}

const EXCERPT_BYTES = 1024
/** Read at most this much of a response, so that a connection can be reused; the rest is cut. */
const DRAIN_BYTES = 64 * 1024

class RefusedAddress extends Error {
  readonly code = 'EPROTUS_PRIVATE'
}

/** DNS lookup that refuses names resolving to a non-public address, so the checked address is the one used. */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 0)
    const refused = addresses.find((a) => !isPublicAddress(a.address))
    if (refused) {
      return callback(
        new RefusedAddress(`${hostname} resolves to ${refused.address}, which is not public`),
        '',
        0,
      )
    }
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses)
    const [first] = addresses
    if (!first) return callback(new Error(`${hostname} has no address`), '', 0)
    callback(null, first.address, first.family)
  })
}

function describeError(error: NodeJS.ErrnoException, timeoutMs: number): string {
  if (error instanceof RefusedAddress) return `refused: ${error.message}`
  switch (error.code) {
    case 'ETIMEDOUT_PROTUS':
      return `timeout: no answer within ${timeoutMs / 1000} s`
    case 'ECONNREFUSED':
      return 'connection refused'
    case 'ECONNRESET':
      return 'connection reset'
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found'
    default:
      return error.code ? `${error.code}: ${error.message}` : error.message
  }
}

/**
 * POSTs webhooks: no redirects followed, a deadline for the whole exchange, only public addresses
 * unless told otherwise, and at most 1 KiB of the answer kept. Connections are kept alive.
 */
export function createWebhookSender(options: SendOptions) {
  const agentOptions = {
    keepAlive: true,
    maxSockets: 64,
    lookup: options.allowPrivate ? undefined : publicOnlyLookup,
  }
  const agents = { 'http:': new http.Agent(agentOptions), 'https:': new https.Agent(agentOptions) }

  function send(rawUrl: string, headers: Record<string, string>, body: string): Promise<SendOutcome> {
    const started = performance.now()
    const done = (outcome: Omit<SendOutcome, 'durationMs' | 'timedOut'>, timedOut = false): SendOutcome => ({
      ...outcome,
      durationMs: Math.round(performance.now() - started),
      timedOut,
    })
    let url: URL
    try {
      url = new URL(rawUrl)
    } catch {
      return Promise.resolve(done({ httpStatus: null, error: 'invalid URL', responseExcerpt: null }))
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return Promise.resolve(done({ httpStatus: null, error: 'unsupported scheme', responseExcerpt: null }))
    }
    if (!options.allowPrivate && isPrivateHost(url.hostname)) {
      const error = `refused: ${url.hostname} is not a public address`
      return Promise.resolve(done({ httpStatus: null, error, responseExcerpt: null }))
    }

    return new Promise((resolve) => {
      const request = (url.protocol === 'https:' ? https : http).request(url, {
        method: 'POST',
        agent: agents[url.protocol as 'http:' | 'https:'],
        headers: { ...headers, 'content-length': Buffer.byteLength(body), 'user-agent': 'PROTUS-Webhooks/1' },
      })
      const deadline = setTimeout(() => {
        request.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT_PROTUS' }))
      }, options.timeoutMs)
      let settled = false
      const finish = (outcome: Omit<SendOutcome, 'durationMs' | 'timedOut'>, timedOut = false) => {
        if (settled) return
        settled = true
        clearTimeout(deadline)
        resolve(done(outcome, timedOut))
      }
      request.on('error', (error: NodeJS.ErrnoException) => {
        const described = describeError(error, options.timeoutMs)
        finish(
          { httpStatus: null, error: described, responseExcerpt: null },
          error.code === 'ETIMEDOUT_PROTUS',
        )
      })
      request.on('response', (response) => {
        const chunks: Buffer[] = []
        let read = 0
        const answer = () => {
          const excerpt = Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8')
          finish({ httpStatus: response.statusCode ?? null, error: null, responseExcerpt: excerpt || null })
        }
        response.on('data', (chunk: Buffer) => {
          if (read < EXCERPT_BYTES) chunks.push(chunk)
          read += chunk.length
          if (read > DRAIN_BYTES) {
            answer()
            response.destroy()
          }
        })
        response.on('end', answer)
        response.on('error', answer)
        response.on('close', answer)
      })
      request.end(body)
    })
  }

  return {
    send,
    close() {
      agents['http:'].destroy()
      agents['https:'].destroy()
    },
  }
}

export type WebhookSender = ReturnType<typeof createWebhookSender>
