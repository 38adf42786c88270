// The one HTTP client of the web app: JSON in and out, the session cookie, the CSRF header on
// state-changing requests, and RFC 9457 problems turned into ApiError.

export interface FieldError {
  /** JSON pointer into the request body, e.g. "/email". */
  field: string
  message: string
}

export interface Problem {
  type?: string
  title: string
  status: number
  code: string
  detail?: string
  request_id?: string
  errors?: FieldError[]
}

/** Codes the client itself produces when no problem document came back. */
export const NETWORK_ERROR = 'network_error'
export const UNEXPECTED_RESPONSE = 'unexpected_response'

export class ApiError extends Error {
  override readonly name = 'ApiError'
  readonly status: number
  readonly code: string
  readonly title: string
  readonly detail: string | undefined
  readonly requestId: string | undefined
  readonly fieldErrors: FieldError[]
  /** Seconds from the Retry-After header of a 429. */
  readonly retryAfter: number | undefined

  constructor(problem: Problem, retryAfter?: number) {
    super(problem.detail ?? problem.title)
    this.status = problem.status
    this.code = problem.code
    this.title = problem.title
    this.detail = problem.detail
    this.requestId = problem.request_id
    this.fieldErrors = problem.errors ?? []
    this.retryAfter = retryAfter
  }

  /** Field messages keyed by the top-level body property: "/recurring/count" -> "recurring". */
  fieldMessages(): Record<string, string[]> {
    const byField: Record<string, string[]> = {}
    for (const { field, message } of this.fieldErrors) {
      const name = field.replace(/^\//, '').split('/')[0] || '_'
      byField[name] = [...(byField[name] ?? []), message]
    }
    return byField
  }
}

export type Query = Record<string, string | number | boolean | undefined>

export interface PostOptions {
  /** Sent as the Idempotency-Key header: the same key makes a retry answer like the first try. */
  idempotencyKey?: string
}

export interface HttpClient {
  get<T>(path: string, query?: Query): Promise<T>
  post<T>(path: string, body?: unknown, options?: PostOptions): Promise<T>
  patch<T>(path: string, body: unknown): Promise<T>
  put<T>(path: string, body: unknown): Promise<T>
  delete<T>(path: string): Promise<T>
  /** The session's CSRF token, from POST /v1/sessions or GET /v1/me; null after sign-out. */
  setCsrfToken(token: string | null): void
  /** Called whenever the server answers 401 unauthenticated (for example, an expired session). */
  onUnauthenticated(listener: () => void): () => void
}

export interface HttpClientOptions {
  baseUrl?: string
  fetch?: typeof globalThis.fetch
}

const UNSAFE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE'])

function buildUrl(baseUrl: string, path: string, query?: Query): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) params.set(key, String(value))
  }
  const search = params.toString()
  return `${baseUrl}${path}${search ? `?${search}` : ''}`
}

function parseRetryAfter(header: string | null): number | undefined {
  if (!header) return undefined
  const seconds = Number(header)
  if (Number.isFinite(seconds)) return seconds
  const date = Date.parse(header)
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000))
}

function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && typeof (value as Problem).code === 'string'
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

async function readResponse<T>(response: Response): Promise<T> {
  const text = response.status === 204 ? '' : await response.text()
  const body = text ? parseJson(text) : undefined
  if (response.ok) {
    if (text && body === undefined) {
      throw new ApiError({ code: UNEXPECTED_RESPONSE, title: 'Unexpected response', status: response.status })
    }
    return body as T
  }
  const retryAfter = parseRetryAfter(response.headers.get('retry-after'))
  if (isProblem(body)) throw new ApiError({ ...body, status: response.status }, retryAfter)
  throw new ApiError(
    {
      code: UNEXPECTED_RESPONSE,
      title: response.statusText || 'Unexpected response',
      status: response.status,
    },
    retryAfter,
  )
}

export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const baseUrl = options.baseUrl ?? ''
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
  const listeners = new Set<() => void>()
  let csrfToken: string | null = null

  async function request<T>(
    method: string,
    path: string,
    body?: unknown,
    query?: Query,
    extraHeaders: Record<string, string> = {},
  ): Promise<T> {
    const headers: Record<string, string> = {
      Accept: 'application/json, application/problem+json',
      ...extraHeaders,
    }
    if (body !== undefined) headers['Content-Type'] = 'application/json'
    if (UNSAFE_METHODS.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken
    let response: Response
    try {
      response = await doFetch(buildUrl(baseUrl, path, query), {
        method,
        headers,
        credentials: 'same-origin',
        body: body === undefined ? undefined : JSON.stringify(body),
      })
    } catch (cause) {
      const detail = cause instanceof Error ? cause.message : String(cause)
      throw new ApiError({ code: NETWORK_ERROR, title: 'Network error', status: 0, detail })
    }
    try {
      return await readResponse<T>(response)
    } catch (error) {
      if (error instanceof ApiError && error.status === 401 && error.code === 'unauthenticated') {
        for (const listener of listeners) listener()
      }
      throw error
    }
  }

  return {
    get: (path, query) => request('GET', path, undefined, query),
    post: (path, body, options) =>
      request(
        'POST',
        path,
        body,
        undefined,
        options?.idempotencyKey ? { 'Idempotency-Key': options.idempotencyKey } : {},
      ),
    patch: (path, body) => request('PATCH', path, body),
    put: (path, body) => request('PUT', path, body),
    delete: (path) => request('DELETE', path),
    setCsrfToken(token) {
      csrfToken = token
    },
    onUnauthenticated(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}

/** The client every store uses. */
export const http = createHttpClient()
