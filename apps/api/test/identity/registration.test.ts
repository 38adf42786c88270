import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../support/app.js'
import { count, expectProblem, registerCompany, registerCustomer, unique } from '../support/http.js'

let app: FastifyInstance
beforeAll(async () => {
  app = await buildTestApp()
})
afterAll(() => app.close())

describe('POST /v1/customers', () => {
  it('registers a person and answers 201 with a cus_ id, never the password', async () => {
    const { customer, email, username } = await registerCustomer(app)
    expect(customer).toEqual({
      id: expect.stringMatching(/^cus_[0-9a-z]{26}$/),
      email,
      username,
      created_at: expect.any(String),
    })
    expect(JSON.stringify(customer)).not.toContain('password')
  })

  it('stores an argon2id hash, not the password', async () => {
    const { customer } = await registerCustomer(app, { password: 'plain text secret' })
    const [row] = await app.db.query<{ password_hash: string }>(
      'SELECT password_hash FROM identity_customers WHERE id = $1',
      [customer.id],
    )
    expect(row?.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
  })

  it('refuses a second person with the same email, in any letter case, with 409 email_taken', async () => {
    const { email } = await registerCustomer(app)
    const before = await count(app, 'identity_customers')
    const res = await app.inject({
      method: 'POST',
      url: '/v1/customers',
      payload: { email: email.toUpperCase(), username: unique('other'), password: 'another password' },
    })
    expectProblem(res, 409, 'email_taken')
    expect(await count(app, 'identity_customers')).toBe(before)
  })

  it('refuses a taken username with 409 username_taken', async () => {
    const { username } = await registerCustomer(app)
    const res = await app.inject({
      method: 'POST',
      url: '/v1/customers',
      payload: { email: `${unique('x')}@example.com`, username, password: 'another password' },
    })
    expectProblem(res, 409, 'username_taken')
  })

  it.each([
    ['a short password', { password: 'short' }, '/password'],
    ['a password over 256 characters', { password: 'x'.repeat(257) }, '/password'],
    ['an invalid email', { email: 'not-an-email' }, '/email'],
    ['a username with spaces', { username: 'two words' }, '/username'],
    ['an unknown field', { admin: true }, '/admin'],
    ['a number for the email', { email: 42 }, '/email'],
  ])(
    'rejects %s with 400 validation_failed naming the field and writes nothing',
    async (_label, patch, field) => {
      const before = await count(app, 'identity_customers')
      const name = unique('bad')
      const res = await app.inject({
        method: 'POST',
        url: '/v1/customers',
        payload: { email: `${name}@example.com`, username: name, password: 'good password', ...patch },
      })
      const problem = expectProblem(res, 400, 'validation_failed')
      expect(problem.errors?.map((e) => e.field)).toContain(field)
      expect(await count(app, 'identity_customers')).toBe(before)
    },
  )

  it('rejects a missing field with 400 naming it', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/customers',
      payload: { email: 'a@example.com' },
    })
    const problem = expectProblem(res, 400, 'validation_failed')
    expect(problem.errors?.map((e) => e.field)).toEqual(expect.arrayContaining(['/username', '/password']))
  })
})

describe('POST /v1/companies', () => {
  it('registers a company with client credentials and a Standard Webhooks secret shown once', async () => {
    const { company, name, email } = await registerCompany(app)
    expect(company).toEqual({
      id: expect.stringMatching(/^co_/),
      name,
      email,
      client_id: expect.stringMatching(/^cli_/),
      client_secret: expect.stringMatching(/^sk_[A-Za-z0-9_-]{43}$/),
      webhook_secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
      created_at: expect.any(String),
    })
    expect(Buffer.from(company.webhook_secret.slice(6), 'base64')).toHaveLength(32)
  })

  it('keeps only a SHA-256 digest of the client secret and an encrypted webhook secret', async () => {
    const { company } = await registerCompany(app)
    const rows = await app.db.query<{ kind: string; digest: string | null; sealed: string | null }>(
      'SELECT kind, digest, sealed FROM identity_company_secrets WHERE company_id = $1',
      [company.id],
    )
    const dump = JSON.stringify(rows)
    expect(dump).not.toContain(company.client_secret)
    expect(dump).not.toContain(company.webhook_secret.slice(6))
    const { createHash } = await import('node:crypto')
    const digest = createHash('sha256').update(company.client_secret).digest('hex')
    expect(rows.find((r) => r.kind === 'client_secret')?.digest).toBe(digest)
    expect(rows.find((r) => r.kind === 'webhook_secret')?.sealed).toBeTruthy()
  })

  it('lets a person and a company share an email, but not two companies', async () => {
    const { email } = await registerCustomer(app)
    await registerCompany(app, { email })
    const res = await app.inject({
      method: 'POST',
      url: '/v1/companies',
      payload: { email, name: 'Second', password: 'company password' },
    })
    expectProblem(res, 409, 'email_taken')
  })

  it('rejects a blank company name', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/companies',
      payload: { email: `${unique('c')}@example.com`, name: '   ', password: 'company password' },
    })
    expectProblem(res, 400, 'validation_failed')
  })
})
