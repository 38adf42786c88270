import { describe, expect, it, vi } from 'vitest'
import { ApiError, createHttpClient, NETWORK_ERROR, UNEXPECTED_RESPONSE } from './http.ts'

interface Call {
  url: string
  init: RequestInit
}

function fakeFetch(...responses: Response[]) {
  const calls: Call[] = []
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), init: init ?? {} })
    const next = responses.shift()
    if (!next) throw new Error('no response prepared')
    return next
  })
  return { fetch: fetch as unknown as typeof globalThis.fetch, calls }
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } })

const problem = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ status, title: 'Problem', ...body }), {
    status,
    headers: { 'content-type': 'application/problem+json', ...headers },
  })

const header = (call: Call | undefined, name: string) =>
  ((call?.init.headers ?? {}) as Record<string, string>)[name]

describe('http client', () => {
  it('sends JSON with the session cookie and reads JSON back', async () => {
    const { fetch, calls } = fakeFetch(json(201, { id: 'svc_1' }))
    const client = createHttpClient({ fetch })
    await expect(client.post('/v1/services', { name: 'Client' })).resolves.toEqual({ id: 'svc_1' })
    expect(calls[0]?.url).toBe('/v1/services')
    expect(calls[0]?.init.method).toBe('POST')
    expect(calls[0]?.init.credentials).toBe('same-origin')
    expect(calls[0]?.init.body).toBe('{"name":"Client"}')
    expect(header(calls[0], 'Content-Type')).toBe('application/json')
  })

  it('adds the CSRF token to state-changing requests only', async () => {
    const { fetch, calls } = fakeFetch(
      json(200, {}),
      json(200, {}),
      json(200, {}),
      new Response(null, { status: 204 }),
    )
    const client = createHttpClient({ fetch })
    client.setCsrfToken('tok_1')
    await client.get('/v1/company')
    await client.patch('/v1/company', { name: 'A' })
    await client.put('/v1/me/grants/cli_1/limit', { monthly_limit: 50000 })
    await client.delete('/v1/sessions')
    expect(header(calls[0], 'X-CSRF-Token')).toBeUndefined()
    expect(header(calls[1], 'X-CSRF-Token')).toBe('tok_1')
    expect(calls[2]?.init.method).toBe('PUT')
    expect(header(calls[2], 'X-CSRF-Token')).toBe('tok_1')
    expect(header(calls[3], 'X-CSRF-Token')).toBe('tok_1')
  })

  it('sends an Idempotency-Key only when one is given', async () => {
    const { fetch, calls } = fakeFetch(json(201, {}), json(201, {}))
    const client = createHttpClient({ fetch })
    await client.post('/v1/me/topups', { amount: 50000 }, { idempotencyKey: 'key_1' })
    await client.post('/v1/services', { name: 'Client' })
    expect(header(calls[0], 'Idempotency-Key')).toBe('key_1')
    expect(header(calls[1], 'Idempotency-Key')).toBeUndefined()
  })

  it('sends no body and no content type when there is nothing to send', async () => {
    const { fetch, calls } = fakeFetch(new Response(null, { status: 204 }))
    const client = createHttpClient({ fetch })
    await expect(client.delete('/v1/sessions')).resolves.toBeUndefined()
    expect(calls[0]?.init.body).toBeUndefined()
    expect(header(calls[0], 'Content-Type')).toBeUndefined()
  })

  it('encodes query parameters and leaves out undefined ones', async () => {
    const { fetch, calls } = fakeFetch(json(200, { data: [], has_more: false }))
    const client = createHttpClient({ fetch })
    await client.get('/v1/services', { limit: 50, active: false, starting_after: undefined })
    expect(calls[0]?.url).toBe('/v1/services?limit=50&active=false')
  })

  it('turns a problem document into an ApiError with field messages', async () => {
    const { fetch } = fakeFetch(
      problem(400, {
        code: 'validation_failed',
        title: 'Validation failed',
        detail: 'body is invalid',
        request_id: 'req_1',
        errors: [
          { field: '/email', message: 'must match format "email"' },
          { field: '/recurring/count', message: 'must be <= 365' },
        ],
      }),
    )
    const error = await createHttpClient({ fetch })
      .post('/v1/customers', {})
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    const apiError = error as ApiError
    expect(apiError.status).toBe(400)
    expect(apiError.code).toBe('validation_failed')
    expect(apiError.message).toBe('body is invalid')
    expect(apiError.requestId).toBe('req_1')
    expect(apiError.fieldMessages()).toEqual({
      email: ['must match format "email"'],
      recurring: ['must be <= 365'],
    })
  })

  it('reads Retry-After of a refusal to try again', async () => {
    const { fetch } = fakeFetch(problem(429, { code: 'too_many_attempts' }, { 'retry-after': '30' }))
    const error = (await createHttpClient({ fetch })
      .post('/v1/sessions', {})
      .catch((e: unknown) => e)) as ApiError
    expect(error.code).toBe('too_many_attempts')
    expect(error.retryAfter).toBe(30)
  })

  it('reports a failure without a problem document as an unexpected response', async () => {
    const { fetch } = fakeFetch(
      new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
    )
    const error = (await createHttpClient({ fetch })
      .get('/v1/me')
      .catch((e: unknown) => e)) as ApiError
    expect(error).toBeInstanceOf(ApiError)
    expect(error.code).toBe(UNEXPECTED_RESPONSE)
    expect(error.status).toBe(502)
  })

  it('reports an unreachable server as a network error', async () => {
    const fetch = vi.fn(async () => {
      throw new TypeError('Failed to fetch')
    }) as unknown as typeof globalThis.fetch
    const error = (await createHttpClient({ fetch })
      .get('/v1/me')
      .catch((e: unknown) => e)) as ApiError
    expect(error.code).toBe(NETWORK_ERROR)
    expect(error.status).toBe(0)
  })

  it('tells listeners when the session is gone', async () => {
    const { fetch } = fakeFetch(
      problem(401, { code: 'unauthenticated' }),
      problem(401, { code: 'invalid_credentials' }),
    )
    const client = createHttpClient({ fetch })
    const listener = vi.fn()
    client.onUnauthenticated(listener)
    await client.get('/v1/company').catch(() => undefined)
    await client.post('/v1/sessions', {}).catch(() => undefined)
    expect(listener).toHaveBeenCalledTimes(1)
  })
})
