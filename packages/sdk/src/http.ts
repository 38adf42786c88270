import { randomUUID } from 'node:crypto'
import { ProtusError, problemError } from './errors.js'

/** How calls are retried: attempts after the first, and the backoff between them. */
export interface RetryOptions {
  /** Retries after the first attempt; default 2. */
  retries?: number
  /** First backoff in ms, doubled on every retry; default 300. */
  baseDelayMs?: number
  /** Longest backoff in ms; default 5000. */
  maxDelayMs?: number
}

/** Settings shared by every call of one client. */
export interface TransportOptions {
  baseUrl: string
  authorization: string
  fetch?: typeof fetch
  retries?: number | RetryOptions
  /** Per-attempt timeout in ms; default 30000. */
  timeoutMs?: number
  /** Waits between retries; tests replace it to run without real delays. */
  sleep?: (ms: number) => Promise<void>
}

/** Options of one call. */
export interface RequestOptions {
  /**
   * The `Idempotency-Key` of this logical operation; a fresh random one when omitted. Retries of
   * the call reuse it, so the server runs the effect once. Pass your own (for example the id of
   * the order being paid) to be safe across restarts of your process too.
   */
  idempotencyKey?: string
  /** Aborts the call, including waits between retries. */
  signal?: AbortSignal
}

export interface Call {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE'
  path: string
  query?: Record<string, string | number | boolean | undefined>
  body?: unknown
  /** POSTs carry a key; `false` only where a repeat cannot cause harm and the server ignores it. */
  idempotent?: boolean
  /** Sent once, never retried: for an effect the server does not deduplicate by key. */
  once?: boolean
  options?: RequestOptions
}

const defaults = { retries: 2, baseDelayMs: 300, maxDelayMs: 5_000 }
const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Exponential backoff with full jitter, so many clients retrying at once spread out. */
export function backoff(attempt: number, retry: Required<RetryOptions>, random = Math.random): number {
  const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** attempt)
  return Math.round(ceiling / 2 + random() * (ceiling / 2))
}

function retryable(status: number, code: string | undefined): boolean {
  // 409 in_progress: the first request with this key is still running; asking again is the cure.
  return status >= 500 || (status === 409 && code === 'idempotency_request_in_progress')
}

/** Sends calls to the PROTUS API: JSON in and out, idempotency keys, retries, problem errors. */
export function createTransport(options: TransportOptions) {
  const baseUrl = options.baseUrl.replace(/\/+$/, '')
  const doFetch = options.fetch ?? globalThis.fetch
  const given = typeof options.retries === 'number' ? { retries: options.retries } : (options.retries ?? {})
  const retry: Required<RetryOptions> = { ...defaults, ...given }
  const sleep = options.sleep ?? realSleep
  const timeoutMs = options.timeoutMs ?? 30_000

  function urlOf(path: string, query: Call['query']): string {
    const url = new URL(baseUrl + path)
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value))
    }
    return url.toString()
  }

  async function attempt(url: string, init: RequestInit, signal: AbortSignal | undefined) {
    const timeout = AbortSignal.timeout(timeoutMs)
    const response = await doFetch(url, {
      ...init,
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    })
    const text = await response.text()
    let body: unknown = null
    if (text.length > 0) {
      try {
        body = JSON.parse(text)
      } catch {
        body = undefined
      }
    }
    return { response, body }
  }

  return {
    baseUrl,
    async request<T>(call: Call): Promise<T> {
      const headers: Record<string, string> = {
        accept: 'application/json',
        authorization: options.authorization,
      }
      if (call.body !== undefined) headers['content-type'] = 'application/json'
      if (call.method === 'POST' && call.idempotent !== false) {
        headers['idempotency-key'] = call.options?.idempotencyKey ?? randomUUID()
      }
      const init: RequestInit = {
        method: call.method,
        headers,
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
      }
      const url = urlOf(call.path, call.query)
      const signal = call.options?.signal
      for (let n = 0; ; n++) {
        let failure: ProtusError
        let waitMs: number | undefined
        try {
          const { response, body } = await attempt(url, init, signal)
          const requestId = response.headers.get('x-request-id') ?? undefined
          if (response.ok) {
            if (body === undefined) {
              throw new ProtusError({
                status: response.status,
                code: 'unexpected_response',
                detail: 'the answer is not JSON',
                requestId,
              })
            }
            return body as T
          }
          failure = problemError(response.status, body, requestId)
          if (!retryable(response.status, failure.code)) throw failure
          const after = Number(response.headers.get('retry-after'))
          if (Number.isFinite(after) && after > 0) waitMs = Math.min(after * 1000, retry.maxDelayMs)
        } catch (error) {
          if (error instanceof ProtusError) throw error
          if (signal?.aborted) throw signal.reason
          failure = new ProtusError({
            status: 0,
            code: 'connection_failed',
            detail: error instanceof Error ? error.message : String(error),
            cause: error,
          })
        }
        if (n >= retry.retries || call.once) throw failure
        await sleep(waitMs ?? backoff(n, retry))
        if (signal?.aborted) throw signal.reason
      }
    },
  }
}

export type Transport = ReturnType<typeof createTransport>

/** HTTP Basic client credentials; each part form-encoded first, as RFC 6749 §2.3.1 asks. */
export function basicAuthorization(clientId: string, clientSecret: string): string {
  const encode = (s: string) => encodeURIComponent(s).replace(/%20/g, '+')
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString('base64')}`
}
