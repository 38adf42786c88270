import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createManualClock } from '../../src/lib/clock.js'
import { buildTestApp } from '../support/app.js'
import { expectProblem, registerCompany, registerCustomer, unique } from '../support/http.js'

// docs/security.md: 5 attempts per kind and email before each further one waits.
const EMAIL_FREE = 5

const clock = createManualClock(new Date())
let app: FastifyInstance
beforeAll(async () => {
  app = await buildTestApp({}, { clock })
})
afterAll(() => app.close())

let nextAddress = 0
/** A client address no other test uses, so that only the email's count is in play. */
const freshAddress = () => `10.20.${Math.floor(++nextAddress / 250)}.${(nextAddress % 250) + 1}`

const signIn = (
  payload: { email: string; password: string; kind?: 'customer' | 'company' },
  remoteAddress = freshAddress(),
) => app.inject({ method: 'POST', url: '/v1/sessions', payload, remoteAddress })

/** A 201 with a session cookie, and what GET /v1/me says of it. */
async function signedInAs(res: LightMyRequestResponse) {
  expect(res.statusCode, res.body).toBe(201)
  const cookie = res.cookies.find((c) => c.name === 'protus_session')
  const me = await app.inject({
    method: 'GET',
    url: '/v1/me',
    headers: { cookie: `protus_session=${cookie?.value}` },
  })
  return me.json() as { kind: string; id: string }
}

/** A person and a company registered with one email and the given passwords. */
async function bothKinds(personPassword: string, companyPassword: string) {
  const email = `${unique('both')}@example.com`
  const { customer } = await registerCustomer(app, { email, password: personPassword })
  const { company } = await registerCompany(app, { email, password: companyPassword })
  return { email, customer, company }
}

describe('signing in without saying which kind of account', () => {
  it('signs a company in with only its email and password', async () => {
    const { email, password, company } = await registerCompany(app)
    expect(await signedInAs(await signIn({ email, password }))).toMatchObject({
      kind: 'company',
      id: company.id,
    })
  })

  it('signs a person in with only their email and password', async () => {
    const { email, password, customer } = await registerCustomer(app)
    expect(await signedInAs(await signIn({ email: email.toUpperCase(), password }))).toMatchObject({
      kind: 'customer',
      id: customer.id,
    })
  })

  it('asks which with 409 account_kind_ambiguous when the password opens both a person and a company', async () => {
    const { email, customer, company } = await bothKinds('shared password', 'shared password')
    const res = await signIn({ email, password: 'shared password' })
    expectProblem(res, 409, 'account_kind_ambiguous')
    expect(res.cookies).toEqual([])
    expect(
      await signedInAs(await signIn({ email, password: 'shared password', kind: 'company' })),
    ).toMatchObject({ kind: 'company', id: company.id })
    expect(
      await signedInAs(await signIn({ email, password: 'shared password', kind: 'customer' })),
    ).toMatchObject({ kind: 'customer', id: customer.id })
  })

  it('signs in to the one account of an email of both kinds that the password opens', async () => {
    const { email, customer, company } = await bothKinds('person password', 'company password')
    expect(await signedInAs(await signIn({ email, password: 'company password' }))).toMatchObject({
      kind: 'company',
      id: company.id,
    })
    expect(await signedInAs(await signIn({ email, password: 'person password' }))).toMatchObject({
      kind: 'customer',
      id: customer.id,
    })
  })

  it('answers a wrong password, an unknown email and an email of both kinds alike: 401 invalid_credentials', async () => {
    const person = await registerCustomer(app)
    const both = await bothKinds('person password', 'company password')
    const details = [
      await signIn({ email: person.email, password: 'wrong password' }),
      await signIn({ email: both.email, password: 'wrong password' }),
      await signIn({ email: `${unique('nobody')}@example.com`, password: 'wrong password' }),
    ].map((res) => expectProblem(res, 401, 'invalid_credentials').detail)
    expect(new Set(details).size).toBe(1)
  })

  it('spends one argon2 check on an unknown email, as on an email of one kind, and one per account of both', async () => {
    const { work } = app.services.passwords
    const person = await registerCustomer(app)
    const both = await bothKinds('person password', 'company password')
    const checksFor = async (email: string) => {
      const run = vi.spyOn(work, 'run')
      try {
        expectProblem(await signIn({ email, password: 'wrong password' }), 401, 'invalid_credentials')
        return run.mock.calls.length
      } finally {
        run.mockRestore()
      }
    }
    expect(await checksFor(`${unique('nobody')}@example.com`)).toBe(1)
    expect(await checksFor(person.email)).toBe(1)
    expect(await checksFor(both.email)).toBe(2)
  })
})

describe('sign-in throttling without a kind', () => {
  it('counts an attempt against every kind, so mixing kinds gets no more guesses at an account', async () => {
    const { email, password } = await registerCustomer(app)
    for (let i = 0; i < EMAIL_FREE - 2; i++)
      expectProblem(await signIn({ email, password: `guess ${i}` }), 401, 'invalid_credentials')
    for (let i = 0; i < 2; i++)
      expectProblem(
        await signIn({ email, password: `guess ${i}`, kind: 'customer' }),
        401,
        'invalid_credentials',
      )
    // The person's five free attempts are spent, whichever way they were asked for.
    expectProblem(await signIn({ email, password }), 429, 'too_many_attempts')
    expectProblem(await signIn({ email, password, kind: 'customer' }), 429, 'too_many_attempts')
  })

  it('counts against the kind an email has no account of too, so the waits tell nothing of which it has', async () => {
    const { email, password } = await registerCustomer(app)
    for (let i = 0; i < EMAIL_FREE; i++)
      expectProblem(await signIn({ email, password: `guess ${i}` }), 401, 'invalid_credentials')
    expectProblem(await signIn({ email, password, kind: 'company' }), 429, 'too_many_attempts')
    expectProblem(await signIn({ email, password, kind: 'customer' }), 429, 'too_many_attempts')
    clock.advance(1_100)
    expect(await signedInAs(await signIn({ email, password }))).toMatchObject({ kind: 'customer' })
  })

  it('lets the owner into the company from its known device while strangers hold back the person of the same email', async () => {
    const { email, company } = await bothKinds('person password', 'company password')
    const home = freshAddress()
    await signedInAs(await signIn({ email, password: 'company password', kind: 'company' }, home))
    for (let i = 0; i < EMAIL_FREE + 3; i++) await signIn({ email, password: `guess ${i}`, kind: 'customer' })
    expectProblem(
      await signIn({ email, password: 'person password', kind: 'customer' }),
      429,
      'too_many_attempts',
    )
    expect(await signedInAs(await signIn({ email, password: 'company password' }, home))).toMatchObject({
      kind: 'company',
      id: company.id,
    })
    // The person's password is not tried while its key waits, not even from the company's device.
    expectProblem(await signIn({ email, password: 'person password' }, home), 429, 'too_many_attempts')
  })
})
