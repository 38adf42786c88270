import { randomBytes } from 'node:crypto'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { expect } from 'vitest'

export const unique = (label: string) => `${label}-${randomBytes(4).toString('hex')}`

export function basic(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`
}

/** Asserts a problem+json answer with the given status and code, and returns its body. */
export function expectProblem(res: LightMyRequestResponse, status: number, code: string) {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
  const body = res.json()
  expect({ status: res.statusCode, code: body.code }).toEqual({ status, code })
  expect(body.status).toBe(status)
  expect(typeof body.request_id).toBe('string')
  return body as { code: string; detail?: string; errors?: { field: string; message: string }[] }
}

export interface Signed {
  cookie: string
  csrf: string
  id: string
  /** Headers for a state-changing request on this session. */
  headers: Record<string, string>
}

export async function registerCustomer(app: FastifyInstance, overrides: Record<string, unknown> = {}) {
  const name = unique('person')
  const body = { email: `${name}@example.com`, username: name, password: 'correct horse', ...overrides }
  const res = await app.inject({ method: 'POST', url: '/v1/customers', payload: body })
  expect(res.statusCode, res.body).toBe(201)
  return { ...body, customer: res.json() as { id: string; email: string; username: string } }
}

export async function registerCompany(app: FastifyInstance, overrides: Record<string, unknown> = {}) {
  const name = unique('acme')
  const body = {
    email: `${name}@example.com`,
    name: `Acme ${name}`,
    password: 'company password',
    ...overrides,
  }
  const res = await app.inject({ method: 'POST', url: '/v1/companies', payload: body })
  expect(res.statusCode, res.body).toBe(201)
  const company = res.json() as {
    id: string
    client_id: string
    client_secret: string
    webhook_secret: string
    name: string
  }
  return { ...body, company, auth: basic(company.client_id, company.client_secret) }
}

export async function signIn(
  app: FastifyInstance,
  kind: 'customer' | 'company',
  email: string,
  password: string,
  remoteAddress = '127.0.0.1',
): Promise<Signed> {
  const res = await app.inject({
    method: 'POST',
    url: '/v1/sessions',
    payload: { kind, email, password },
    remoteAddress,
  })
  expect(res.statusCode, res.body).toBe(201)
  const cookie = res.cookies.find((c) => c.name === 'protus_session')
  if (!cookie) throw new Error('no session cookie')
  const body = res.json() as { csrf_token: string; id: string }
  const cookieHeader = `protus_session=${cookie.value}`
  return {
    cookie: cookieHeader,
    csrf: body.csrf_token,
    id: body.id,
    headers: { cookie: cookieHeader, 'x-csrf-token': body.csrf_token },
  }
}

export async function count(app: FastifyInstance, table: string): Promise<number> {
  const rows = await app.db.query<{ n: bigint }>(`SELECT count(*)::int8 AS n FROM ${table}`)
  return Number(rows[0]?.n ?? 0)
}
