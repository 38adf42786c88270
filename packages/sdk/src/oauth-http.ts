import { ProtusOAuthError } from './errors.js'
import { backoff, basicAuthorization, type RetryOptions } from './http.js'

/** The OAuth endpoints' transport: RFC 6749 JSON errors, client_secret_basic, retries where safe. */
export function createOAuthTransport(options: {
  clientId: string
  clientSecret: string
  fetch?: typeof fetch
  retries?: number | RetryOptions
  sleep?: (ms: number) => Promise<void>
}) {
  const doFetch = options.fetch ?? globalThis.fetch
  const given = typeof options.retries === 'number' ? { retries: options.retries } : (options.retries ?? {})
  const retry = { retries: 2, baseDelayMs: 300, maxDelayMs: 5_000, ...given }
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
  const authorization = basicAuthorization(options.clientId, options.clientSecret)

  async function attempt(url: string, init: RequestInit): Promise<unknown> {
    let response: Response
    let text: string
    try {
      response = await doFetch(url, { ...init, signal: AbortSignal.timeout(30_000) })
      text = await response.text()
    } catch (error) {
      throw new ProtusOAuthError('connection_failed', (error as Error).message, 0, error)
    }
    let body: unknown
    try {
      body = text ? JSON.parse(text) : null
    } catch {
      body = undefined
    }
    if (response.ok && body !== undefined) return body
    const error = body as { error?: string; error_description?: string } | undefined
    if (error?.error) {
      throw new ProtusOAuthError(
        error.error as ProtusOAuthError['error'],
        error.error_description,
        response.status,
      )
    }
    throw new ProtusOAuthError('unexpected_response', `HTTP ${response.status}`, response.status)
  }

  /** One call; when `retried`, network errors and 5xx are tried again with backoff. */
  async function send(url: string, init: RequestInit, retried: boolean): Promise<unknown> {
    for (let n = 0; ; n++) {
      try {
        return await attempt(url, init)
      } catch (error) {
        const failure = error as ProtusOAuthError
        const transient = failure.status === 0 || failure.status >= 500
        if (!retried || !transient || n >= retry.retries) throw failure
      }
      await sleep(backoff(n, retry))
    }
  }

  return {
    send,
    /** A form POST with the client's credentials (client_secret_basic). */
    form: (url: string, params: Record<string, string>, retried: boolean) =>
      send(
        url,
        {
          method: 'POST',
          headers: {
            authorization,
            accept: 'application/json',
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: new URLSearchParams(params).toString(),
        },
        retried,
      ),
  }
}
