import type { FastifyInstance } from 'fastify'
import { Secret, TOTP } from 'otpauth'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createManualClock } from '../../src/lib/clock.js'
import { buildTestApp } from '../support/app.js'
import { expectProblem, registerCompany, registerCustomer, type Signed, signIn } from '../support/http.js'

const STEP_MS = 30_000
const clock = createManualClock(new Date())
let app: FastifyInstance
beforeAll(async () => {
  app = await buildTestApp({}, { clock })
})
afterAll(() => app.close())
// The middle of a 30-second step, so that "the step before" and "after" are whole steps away.
beforeEach(() =>
  clock.set(new Date(Math.floor(clock.now().getTime() / STEP_MS) * STEP_MS + STEP_MS / 2 + 60_000)),
)

let addresses = 0
/** Each test guesses from its own address, so that one test's wrong codes never slow another's. */
const newAddress = () => `10.9.${Math.floor(++addresses / 200)}.${addresses % 200}`

/** The authenticator app's code `steps` steps away from the server's clock. */
const codeAt = (secret: string, steps = 0) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({
    timestamp: clock.now().getTime() + steps * STEP_MS,
  })

async function enrol(session: Signed) {
  const res = await app.inject({ method: 'POST', url: '/v1/me/two-factor', headers: session.headers })
  expect(res.statusCode, res.body).toBe(201)
  return res.json() as { secret: string; otpauth_uri: string; qr_code: string }
}

/** Turns two-factor on; answers the secret and the recovery codes. */
async function enable(session: Signed, remoteAddress = newAddress()) {
  const { secret } = await enrol(session)
  const res = await app.inject({
    method: 'POST',
    url: '/v1/me/two-factor/confirm',
    headers: session.headers,
    payload: { code: codeAt(secret) },
    remoteAddress,
  })
  expect(res.statusCode, res.body).toBe(200)
  // The code that turned it on is used: the tests go on a few steps later.
  clock.advance(3 * STEP_MS)
  return { secret, recoveryCodes: (res.json() as { recovery_codes: string[] }).recovery_codes }
}

const status = async (session: Signed) =>
  (await app.inject({ method: 'GET', url: '/v1/me/two-factor', headers: session.headers })).json()

async function passwordStep(
  email: string,
  password: string,
  kind = 'customer',
  remoteAddress = newAddress(),
) {
  const res = await app.inject({
    method: 'POST',
    url: '/v1/sessions',
    payload: { email, password, kind },
    remoteAddress,
  })
  return res
}

const codeStep = (payload: Record<string, string>, remoteAddress: string) =>
  app.inject({ method: 'POST', url: '/v1/sessions/two-factor', payload, remoteAddress })

async function challengeOf(email: string, password: string, kind = 'customer', remoteAddress = newAddress()) {
  const res = await passwordStep(email, password, kind, remoteAddress)
  expect(res.statusCode, res.body).toBe(202)
  return (res.json() as { challenge_id: string }).challenge_id
}

async function person() {
  const { email, password } = await registerCustomer(app)
  return { email, password, session: await signIn(app, 'customer', email, password) }
}

describe('enrolling', () => {
  it('gives a secret as an otpauth URI and an SVG QR code, and stays off until a code confirms it', async () => {
    const { email, password, session } = await person()
    const enrolment = await enrol(session)
    expect(enrolment.secret).toMatch(/^[A-Z2-7]{32}$/)
    const uri = new URL(enrolment.otpauth_uri)
    expect(uri.protocol).toBe('otpauth:')
    expect(uri.searchParams.get('secret')).toBe(enrolment.secret)
    expect(uri.searchParams.get('issuer')).toBe('PROTUS')
    expect(decodeURIComponent(uri.pathname)).toContain(email)
    const [head, svg] = enrolment.qr_code.split(',')
    expect(head).toBe('data:image/svg+xml;base64')
    expect(Buffer.from(svg ?? '', 'base64').toString()).toMatch(/^<svg[^>]*>.*<\/svg>\s*$/s)
    expect(await status(session)).toEqual({
      enabled: false,
      recovery_codes_left: 0,
      required_for_secret_rotation: false,
    })
    // Still off: the password alone signs in.
    expect((await passwordStep(email, password)).statusCode).toBe(201)
  })

  it('refuses a wrong first code with 422 two_factor_code_invalid and stays off', async () => {
    const { session, email, password } = await person()
    const { secret } = await enrol(session)
    const res = await app.inject({
      method: 'POST',
      url: '/v1/me/two-factor/confirm',
      headers: session.headers,
      payload: { code: codeAt(secret, 3) },
      remoteAddress: newAddress(),
    })
    expectProblem(res, 422, 'two_factor_code_invalid')
    expect((await status(session)).enabled).toBe(false)
    expect((await passwordStep(email, password)).statusCode).toBe(201)
  })

  it('turns on with a code and answers ten different recovery codes once', async () => {
    const { session } = await person()
    const { recoveryCodes } = await enable(session)
    expect(recoveryCodes).toHaveLength(10)
    expect(new Set(recoveryCodes).size).toBe(10)
    for (const code of recoveryCodes) expect(code).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/)
    expect(await status(session)).toEqual({
      enabled: true,
      recovery_codes_left: 10,
      required_for_secret_rotation: false,
    })
    const again = await app.inject({ method: 'POST', url: '/v1/me/two-factor', headers: session.headers })
    expectProblem(again, 409, 'two_factor_already_enabled')
    const confirmAgain = await app.inject({
      method: 'POST',
      url: '/v1/me/two-factor/confirm',
      headers: session.headers,
      payload: { code: '123456' },
    })
    expectProblem(confirmAgain, 409, 'two_factor_already_enabled')
  })

  it('answers 409 two_factor_not_enrolled to a confirmation without an enrolment', async () => {
    const { session } = await person()
    const res = await app.inject({
      method: 'POST',
      url: '/v1/me/two-factor/confirm',
      headers: session.headers,
      payload: { code: '123456' },
    })
    expectProblem(res, 409, 'two_factor_not_enrolled')
  })
})

describe('signing in with two-factor on', () => {
  it('answers 202 with a challenge and no cookie, then signs in with the code', async () => {
    const { email, password, session } = await person()
    const { secret } = await enable(session)
    const address = newAddress()
    const first = await passwordStep(email, password, 'customer', address)
    expect(first.statusCode).toBe(202)
    expect(first.headers['set-cookie']).toBeUndefined()
    const body = first.json()
    expect(body).toEqual({
      two_factor_required: true,
      challenge_id: expect.stringMatching(/^tfc_/),
      expires_at: new Date(clock.now().getTime() + 300_000).toISOString(),
    })
    // The password is not sent again.
    const res = await codeStep({ challenge_id: body.challenge_id, code: codeAt(secret) }, address)
    expect(res.statusCode, res.body).toBe(201)
    const cookie = res.cookies.find((c) => c.name === 'protus_session')
    expect(cookie?.httpOnly).toBe(true)
    const me = await app.inject({
      method: 'GET',
      url: '/v1/me',
      headers: { cookie: `protus_session=${cookie?.value}` },
    })
    expect(me.json()).toMatchObject({ kind: 'customer', email })
    // A challenge is answered once.
    clock.advance(STEP_MS)
    const again = await codeStep({ challenge_id: body.challenge_id, code: codeAt(secret) }, address)
    expectProblem(again, 401, 'sign_in_challenge_invalid')
    expect(again.headers['set-cookie']).toBeUndefined()
  })

  it('accepts the codes of the step before and after, refuses two steps away, and takes a code once', async () => {
    const { email, password, session } = await person()
    const { secret } = await enable(session)
    const address = newAddress()
    const challenge = await challengeOf(email, password, 'customer', address)
    for (const steps of [-2, 2]) {
      const res = await codeStep({ challenge_id: challenge, code: codeAt(secret, steps) }, address)
      expectProblem(res, 422, 'two_factor_code_invalid')
      expect(res.headers['set-cookie']).toBeUndefined()
    }
    const before = await codeStep({ challenge_id: challenge, code: codeAt(secret, -1) }, address)
    expect(before.statusCode, before.body).toBe(201)

    const used = codeAt(secret, -1)
    const replay = await codeStep({ challenge_id: await challengeOf(email, password), code: used }, address)
    expectProblem(replay, 422, 'two_factor_code_invalid')

    const after = await codeStep(
      { challenge_id: await challengeOf(email, password), code: codeAt(secret, 1) },
      address,
    )
    expect(after.statusCode, after.body).toBe(201)
    // After a later step's code, an earlier step's code is refused even inside the window.
    const earlier = await codeStep(
      { challenge_id: await challengeOf(email, password), code: codeAt(secret, 0) },
      address,
    )
    expectProblem(earlier, 422, 'two_factor_code_invalid')
  })

  it('signs in with a recovery code once, typed in any case and without the dash', async () => {
    const { email, password, session } = await person()
    const { recoveryCodes } = await enable(session)
    const address = newAddress()
    const code = recoveryCodes[3] ?? ''
    const res = await codeStep(
      {
        challenge_id: await challengeOf(email, password),
        recovery_code: code.toUpperCase().replace('-', ' '),
      },
      address,
    )
    expect(res.statusCode, res.body).toBe(201)
    expect((await status(session)).recovery_codes_left).toBe(9)
    const reused = await codeStep(
      { challenge_id: await challengeOf(email, password), recovery_code: code },
      address,
    )
    expectProblem(reused, 422, 'two_factor_code_invalid')
    const unknown = await codeStep(
      { challenge_id: await challengeOf(email, password), recovery_code: 'aaaaa-bbbbb' },
      address,
    )
    expectProblem(unknown, 422, 'two_factor_code_invalid')
    expect((await status(session)).recovery_codes_left).toBe(9)
  })

  it('refuses a challenge after 5 minutes, and a code with a recovery code or neither', async () => {
    const { email, password, session } = await person()
    const { secret } = await enable(session)
    const address = newAddress()
    const challenge = await challengeOf(email, password)
    expectProblem(await codeStep({ challenge_id: challenge }, address), 400, 'validation_failed')
    expectProblem(
      await codeStep({ challenge_id: challenge, code: codeAt(secret), recovery_code: 'x' }, address),
      400,
      'validation_failed',
    )
    expectProblem(
      await codeStep({ challenge_id: challenge, code: '12345' }, address),
      400,
      'validation_failed',
    )
    expectProblem(
      await codeStep({ challenge_id: 'tfc_forged', code: codeAt(secret) }, address),
      401,
      'sign_in_challenge_invalid',
    )
    clock.advance(300_000)
    const late = await codeStep({ challenge_id: challenge, code: codeAt(secret) }, address)
    expectProblem(late, 401, 'sign_in_challenge_invalid')
  })

  it('slows code guesses like password guesses, per account, and lets the right code in after the wait', async () => {
    const { email, password, session } = await person()
    const { secret } = await enable(session)
    const challenge = await challengeOf(email, password)
    const wrong = codeAt(secret, 5)
    const answers: number[] = []
    // From many addresses: the account's own count stops them.
    for (let i = 0; i < 7; i++)
      answers.push((await codeStep({ challenge_id: challenge, code: wrong }, newAddress())).statusCode)
    expect(answers.slice(0, 5)).toEqual([422, 422, 422, 422, 422])
    expect(answers.slice(5)).toContain(429)
    const held = await codeStep({ challenge_id: challenge, code: codeAt(secret) }, newAddress())
    expectProblem(held, 429, 'too_many_attempts')
    expect(Number(held.headers['retry-after'])).toBeGreaterThan(0)
    clock.advance(Number(held.headers['retry-after']) * 1000)
    const res = await codeStep({ challenge_id: challenge, code: codeAt(secret) }, newAddress())
    expect(res.statusCode, res.body).toBe(201)
  })
})

describe('turning two-factor off', () => {
  it('needs a right code; then the password alone signs in again', async () => {
    const { email, password, session } = await person()
    const { secret } = await enable(session)
    const address = newAddress()
    const disable = (payload: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url: '/v1/me/two-factor/disable',
        headers: session.headers,
        payload,
        remoteAddress: address,
      })
    expectProblem(await disable({}), 400, 'validation_failed')
    expectProblem(await disable({ code: codeAt(secret, 4) }), 422, 'two_factor_code_invalid')
    expect((await status(session)).enabled).toBe(true)
    const res = await disable({ code: codeAt(secret) })
    expect(res.statusCode, res.body).toBe(204)
    expect(await status(session)).toEqual({
      enabled: false,
      recovery_codes_left: 0,
      required_for_secret_rotation: false,
    })
    expect((await passwordStep(email, password)).statusCode).toBe(201)
    expectProblem(await disable({ code: codeAt(secret, 1) }), 409, 'two_factor_not_enabled')
  })
})

describe('companies', () => {
  it('sign in with a code, and may require one to rotate secrets', async () => {
    const { email, password, company, auth } = await registerCompany(app)
    const dashboard = await signIn(app, 'company', email, password)
    const { secret, recoveryCodes } = await enable(dashboard)
    const address = newAddress()
    const challenge = await challengeOf(email, password, 'company', address)
    const signedIn = await codeStep({ challenge_id: challenge, code: codeAt(secret) }, address)
    expect(signedIn.json()).toMatchObject({ kind: 'company', id: company.id })
    clock.advance(STEP_MS)

    const policy = (payload: Record<string, unknown>) =>
      app.inject({
        method: 'PUT',
        url: '/v1/company/two-factor-policy',
        headers: dashboard.headers,
        payload,
        remoteAddress: address,
      })
    expectProblem(
      await policy({ required_for_secret_rotation: true, code: codeAt(secret, 3) }),
      422,
      'two_factor_code_invalid',
    )
    const on = await policy({ required_for_secret_rotation: true, code: codeAt(secret) })
    expect(on.statusCode, on.body).toBe(200)
    expect(on.json()).toEqual({ enabled: true, recovery_codes_left: 10, required_for_secret_rotation: true })
    clock.advance(STEP_MS)

    const rotate = (payload: Record<string, unknown>) =>
      app.inject({
        method: 'POST',
        url: '/v1/company/secrets/client_secret/rotate',
        headers: dashboard.headers,
        payload,
        remoteAddress: address,
      })
    // Basic credentials still may not rotate, code or not.
    expectProblem(
      await app.inject({
        method: 'POST',
        url: '/v1/company/secrets/webhook_secret/rotate',
        headers: { authorization: auth },
        payload: { two_factor_code: codeAt(secret) },
      }),
      403,
      'dashboard_only',
    )
    expectProblem(await rotate({}), 403, 'two_factor_required')
    expectProblem(await rotate({ two_factor_code: codeAt(secret, 2) }), 422, 'two_factor_code_invalid')
    // Nothing rotated: the old secret still works at once.
    const company1 = await app.inject({ method: 'GET', url: '/v1/company', headers: { authorization: auth } })
    expect(company1.json().client_secrets).toHaveLength(1)
    const rotated = await rotate({ two_factor_code: codeAt(secret), previous_expires_in: 0 })
    expect(rotated.statusCode, rotated.body).toBe(200)
    const byRecovery = await rotate({ two_factor_recovery_code: recoveryCodes[0], previous_expires_in: 0 })
    expect(byRecovery.statusCode, byRecovery.body).toBe(200)

    // A person has no such rule to set.
    const personSession = (await person()).session
    const forbidden = await app.inject({
      method: 'PUT',
      url: '/v1/company/two-factor-policy',
      headers: personSession.headers,
      payload: { required_for_secret_rotation: true, code: '123456' },
    })
    expect(forbidden.statusCode).toBe(403)
  })

  it('cannot require a code for rotation while two-factor is off, and rotate freely without the rule', async () => {
    const { email, password } = await registerCompany(app)
    const dashboard = await signIn(app, 'company', email, password)
    const res = await app.inject({
      method: 'PUT',
      url: '/v1/company/two-factor-policy',
      headers: dashboard.headers,
      payload: { required_for_secret_rotation: true, code: '123456' },
      remoteAddress: newAddress(),
    })
    expectProblem(res, 409, 'two_factor_not_enabled')
    const rotated = await app.inject({
      method: 'POST',
      url: '/v1/company/secrets/webhook_secret/rotate',
      headers: dashboard.headers,
      payload: {},
    })
    expect(rotated.statusCode).toBe(200)
  })
})
