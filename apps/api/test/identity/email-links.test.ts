import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createManualClock } from '../../src/lib/clock.js'
import { buildTestApp } from '../support/app.js'
import { expectProblem, registerCompany, registerCustomer, signIn, unique } from '../support/http.js'
import {
  authorizeUrl,
  consent,
  formPost,
  partnerClient,
  pkce,
  REDIRECT_URI,
  signedInPerson,
} from '../support/oauth.js'

const clock = createManualClock(new Date('2031-06-01T08:00:00Z'))
let app: FastifyInstance
let address = 0
/** Each test comes from its own client address, so the per-address limits count only its requests. */
const nextAddress = () => `10.9.${Math.floor(++address / 250)}.${address % 250}`

beforeAll(async () => {
  app = await buildTestApp({ PROTUS_MAIL_WORKER: '0', PROTUS_PUBLIC_URL: 'https://protus.test' }, { clock })
})
afterAll(async () => {
  await app.close()
})

interface Mail {
  subject: string
  text: string
  html: string
}
/** The messages delivered to `to`, newest first. */
async function inbox(to: string): Promise<Mail[]> {
  await app.services.mailWorker.drain()
  const res = await app.inject({ method: 'GET', url: `/v1/sandbox/mail?to=${encodeURIComponent(to)}` })
  expect(res.statusCode).toBe(200)
  return (res.json() as { data: Mail[] }).data
}
/** The token of the newest link of `page` mailed to `to`. */
async function linkToken(to: string, page: '/verify-email' | '/reset-password'): Promise<string> {
  const mails = await inbox(to)
  for (const mail of mails) {
    const match = new RegExp(`https://protus\\.test${page}\\?token=(\\S+)`).exec(mail.text)
    if (match?.[1]) return decodeURIComponent(match[1])
  }
  throw new Error(`no ${page} link to ${to}`)
}
const me = async (cookie: string) => app.inject({ method: 'GET', url: '/v1/me', headers: { cookie } })
const post = (
  url: string,
  payload: object,
  headers: Record<string, string> = {},
  remoteAddress = nextAddress(),
) => app.inject({ method: 'POST', url, payload, headers, remoteAddress })
const verify = (token: string) => post('/v1/email-verifications/complete', { token })
const reset = (token: string, password: string) => post('/v1/password-resets/complete', { token, password })

describe('email verification', () => {
  it('mails a 24 h single-use link at registration, in the person’s language, that proves the email', async () => {
    const name = unique('ru')
    const email = `${name}@example.com`
    const password = 'correct horse'
    const registered = await app.inject({
      method: 'POST',
      url: '/v1/customers',
      payload: { email, username: name, password },
      headers: { 'accept-language': 'de-DE,ru;q=0.9,en;q=0.8' },
    })
    expect(registered.statusCode).toBe(201)
    const [mail] = await inbox(email)
    expect(mail?.subject).toBe('Подтвердите почту для PROTUS')
    expect(mail?.html).toContain('href="https://protus.test/verify-email?token=')
    const session = await signIn(app, 'customer', email, password)
    expect((await me(session.cookie)).json()).toMatchObject({ email_verified: false })

    const token = await linkToken(email, '/verify-email')
    const done = await verify(token)
    expect(done.statusCode, done.body).toBe(200)
    expect(done.json()).toEqual({ kind: 'customer', email })
    expect((await me(session.cookie)).json()).toMatchObject({ email_verified: true })
    expectProblem(await verify(token), 410, 'link_used')
    // Already proven: "Send again" has nothing to send.
    expectProblem(await post('/v1/me/email-verification', {}, session.headers), 409, 'email_already_verified')
  })

  it('refuses forged, altered and expired links and changes nothing', async () => {
    const { email, password } = await registerCustomer(app)
    const token = await linkToken(email, '/verify-email')
    const [id, secret] = token.split('.') as [string, string]
    expectProblem(await verify(`${id}.${secret.slice(0, -2)}xx`), 400, 'link_invalid')
    expectProblem(await verify(`nope.${secret}`), 400, 'link_invalid')
    expectProblem(await verify('garbage'), 400, 'link_invalid')
    expectProblem(await reset(token, 'a new password'), 400, 'link_invalid')
    clock.advance(24 * 3600_000 + 1000)
    expectProblem(await verify(token), 410, 'link_expired')
    const session = await signIn(app, 'customer', email, password)
    expect((await me(session.cookie)).json()).toMatchObject({ email_verified: false })

    // "Send again" mails a fresh link that works; at most 5 an hour to one address.
    const again = await post('/v1/me/email-verification', {}, session.headers)
    expect(again.statusCode, again.body).toBe(202)
    const fresh = await linkToken(email, '/verify-email')
    expect(fresh).not.toBe(token)
    for (let i = 0; i < 4; i++)
      expect((await post('/v1/me/email-verification', {}, session.headers)).statusCode).toBe(202)
    expectProblem(await post('/v1/me/email-verification', {}, session.headers), 429, 'rate_limited')
    expect((await verify(fresh)).statusCode).toBe(200)
  })

  it('verifies companies too', async () => {
    const { email, password } = await registerCompany(app)
    expect((await inbox(email))[0]?.subject).toBe('Confirm your email for PROTUS')
    const ru = await registerCompany(app, { locale: 'ru' })
    expect((await inbox(ru.email))[0]?.subject).toBe('Подтвердите почту для PROTUS')
    const session = await signIn(app, 'company', email, password)
    expect((await me(session.cookie)).json()).toMatchObject({ kind: 'company', email_verified: false })
    expect((await verify(await linkToken(email, '/verify-email'))).json()).toEqual({ kind: 'company', email })
    expect((await me(session.cookie)).json()).toMatchObject({ email_verified: true })
    expect(await app.services.emailLinks.isVerified({ kind: 'company', id: session.id })).toBe(true)
  })
})

describe('password reset', () => {
  it('answers the same for unknown and known emails and mails only the known one', async () => {
    const { email } = await registerCustomer(app)
    const unknown = `${unique('nobody')}@example.com`
    const known = await post('/v1/password-resets', { email })
    const stranger = await post('/v1/password-resets', { email: unknown })
    expect([known.statusCode, stranger.statusCode]).toEqual([202, 202])
    expect(stranger.body).toBe(known.body)
    expect(known.json()).toEqual({ accepted: true })
    expect(await inbox(unknown)).toEqual([])
    expect((await inbox(email))[0]?.subject).toBe('Reset your PROTUS password')
  })

  it('sets the new password from the link, signs out every session, ends the link and mails a notice', async () => {
    const { email, password } = await registerCustomer(app)
    const first = await signIn(app, 'customer', email, password)
    const second = await signIn(app, 'customer', email, password, '10.1.1.1')
    expect(
      (await post('/v1/password-resets', { email: email.toUpperCase(), kind: 'customer' })).statusCode,
    ).toBe(202)
    const token = await linkToken(email, '/reset-password')

    expectProblem(
      await post('/v1/password-resets/complete', { token, password: 'short' }),
      400,
      'validation_failed',
    )
    const done = await reset(token, 'brand new password')
    expect(done.statusCode, done.body).toBe(200)
    expect(done.json()).toEqual({ kind: 'customer' })
    for (const session of [first, second]) expect((await me(session.cookie)).statusCode).toBe(401)
    expectProblem(await reset(token, 'another password'), 410, 'link_used')
    expectProblem(
      await post('/v1/sessions', { kind: 'customer', email, password }, {}, '10.2.2.2'),
      401,
      'invalid_credentials',
    )
    const again = await signIn(app, 'customer', email, 'brand new password')
    // The link reached the address, so it is proven now.
    expect((await me(again.cookie)).json()).toMatchObject({ email_verified: true })
    expect((await inbox(email))[0]?.subject).toBe('Your PROTUS password was reset')
  })

  it('refuses a link after an hour and keeps the password', async () => {
    const { email, password } = await registerCustomer(app)
    await post('/v1/password-resets', { email })
    const token = await linkToken(email, '/reset-password')
    clock.advance(3600_000 + 1)
    expectProblem(await reset(token, 'too late password'), 410, 'link_expired')
    await signIn(app, 'customer', email, password)
  })

  it('resets a company’s password from its own link, and sends at most 5 links an hour to one address', async () => {
    const { email } = await registerCompany(app)
    for (let i = 0; i < 7; i++) expect((await post('/v1/password-resets', { email })).statusCode).toBe(202)
    const resets = (await inbox(email)).filter((m) => m.subject === 'Reset your PROTUS password')
    expect(resets).toHaveLength(5)
    const done = await reset(await linkToken(email, '/reset-password'), 'company new password')
    expect(done.json()).toEqual({ kind: 'company' })
    await signIn(app, 'company', email, 'company new password')
  })

  it('limits the requests from one client address', async () => {
    const from = '10.250.0.1'
    for (let i = 0; i < 30; i++)
      expect((await post('/v1/password-resets', { email: `x${i}@example.com` }, {}, from)).statusCode).toBe(
        202,
      )
    expectProblem(
      await post('/v1/password-resets', { email: 'y@example.com' }, {}, from),
      429,
      'rate_limited',
    )
  })
})

describe('change of email', () => {
  it('needs the password, verifies the new address, then changes it and tells the old one', async () => {
    const { email, password, customer } = await registerCustomer(app)
    const session = await signIn(app, 'customer', email, password)
    const next = `${unique('moved')}@example.com`
    expectProblem(
      await post('/v1/me/email', { email: next, password: 'wrong password' }, session.headers),
      403,
      'current_password_invalid',
    )
    const taken = await registerCustomer(app)
    expectProblem(
      await post('/v1/me/email', { email: taken.email, password }, session.headers),
      409,
      'email_taken',
    )
    const asked = await post('/v1/me/email', { email: next, password }, session.headers)
    expect(asked.statusCode, asked.body).toBe(202)
    // Nothing changes until the new address follows its link.
    expect((await me(session.cookie)).json()).toMatchObject({ email, email_verified: false })
    const [mail] = await inbox(next)
    expect(mail?.subject).toBe('Confirm your new email for PROTUS')
    const done = await verify(await linkToken(next, '/verify-email'))
    expect(done.json()).toEqual({ kind: 'customer', email: next })
    expect((await me(session.cookie)).json()).toMatchObject({
      id: customer.id,
      email: next,
      email_verified: true,
    })
    expect((await inbox(email))[0]?.subject).toBe('Your PROTUS email was changed')
    expect((await inbox(email))[0]?.text).toContain(next)
    await signIn(app, 'customer', next, password)
  })
})

describe('userinfo', () => {
  it('says email_verified false until the person follows the link, then true', async () => {
    const partner = await partnerClient(app)
    const person = await signedInPerson(app)
    const { verifier, challenge } = pkce()
    const url = authorizeUrl({
      response_type: 'code',
      client_id: partner.clientId,
      redirect_uri: REDIRECT_URI,
      scope: 'email',
      state: 's',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    })
    const callback = await consent(app, person.session.headers, url, { allow: true, scopes: ['email'] })
    const tokens = await formPost(
      app,
      '/oauth/token',
      {
        grant_type: 'authorization_code',
        code: callback.searchParams.get('code') as string,
        redirect_uri: REDIRECT_URI,
        code_verifier: verifier,
      },
      partner.auth,
    )
    expect(tokens.statusCode, tokens.body).toBe(200)
    const userinfo = async () =>
      (
        await app.inject({
          method: 'GET',
          url: '/oauth/userinfo',
          headers: { authorization: `Bearer ${tokens.json().access_token}` },
        })
      ).json()
    expect(await userinfo()).toMatchObject({ email: person.email, email_verified: false })
    expect((await verify(await linkToken(person.email, '/verify-email'))).statusCode).toBe(200)
    expect(await userinfo()).toMatchObject({ email: person.email, email_verified: true })
  })
})
