import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createManualClock } from '../../src/lib/clock.js'
import { buildTestApp } from '../support/app.js'
import { expectProblem, registerCompany, registerCustomer, type Signed } from '../support/http.js'

const clock = createManualClock(new Date('2031-03-01T09:00:00Z'))
let app: FastifyInstance
beforeAll(async () => {
  app = await buildTestApp({ PROTUS_MAIL_WORKER: '0' }, { clock })
})
afterAll(() => app.close())

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0'
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1'

type Kind = 'customer' | 'company'

async function signInFrom(kind: Kind, email: string, password: string, userAgent: string, address: string) {
  const res = await app.inject({
    method: 'POST',
    url: '/v1/sessions',
    payload: { kind, email, password },
    headers: { 'user-agent': userAgent },
    remoteAddress: address,
  })
  expect(res.statusCode, res.body).toBe(201)
  const cookie = `protus_session=${res.cookies.find((c) => c.name === 'protus_session')?.value}`
  const csrf = (res.json() as { csrf_token: string }).csrf_token
  return { cookie, csrf, id: '', headers: { cookie, 'x-csrf-token': csrf } } satisfies Signed
}

interface Listed {
  id: string
  current: boolean
  browser: string | null
  os: string | null
  user_agent: string
  address: string
  created_at: string
  last_seen_at: string
  expires_at: string
}

async function list(session: Signed, address = '10.1.0.1'): Promise<Listed[]> {
  const res = await app.inject({
    method: 'GET',
    url: '/v1/me/sessions',
    headers: { cookie: session.cookie },
    remoteAddress: address,
  })
  expect(res.statusCode, res.body).toBe(200)
  return (res.json() as { data: Listed[] }).data
}

const signedIn = async (session: Signed) =>
  (await app.inject({ method: 'GET', url: '/v1/me', headers: { cookie: session.cookie } })).statusCode === 200

const accounts: [Kind, (app: FastifyInstance) => Promise<{ email: string; password: string }>][] = [
  ['customer', registerCustomer],
  ['company', registerCompany],
]

describe.each(accounts)('the sessions of a %s', (kind, register) => {
  it('lists each device with its browser, system, address and last use, and marks this one', async () => {
    const { email, password } = await register(app)
    const laptop = await signInFrom(kind, email, password, FIREFOX, '10.1.0.1')
    clock.advance(5_000)
    const phone = await signInFrom(kind, email, password, IPHONE, '10.2.0.2')
    const signedInAt = clock.now().toISOString()

    const seen = await list(phone, '10.2.0.2')
    expect(seen).toHaveLength(2)
    const [newest, older] = seen
    expect(newest).toMatchObject({
      current: true,
      browser: 'Safari',
      os: 'iOS',
      user_agent: IPHONE,
      address: '10.2.0.2',
      created_at: signedInAt,
      last_seen_at: signedInAt,
    })
    expect(newest?.id).toMatch(/^ses_/)
    expect(older).toMatchObject({ current: false, browser: 'Firefox', os: 'Linux', address: '10.1.0.1' })
    // The laptop's own list marks the laptop.
    expect((await list(laptop)).find((s) => s.current)?.id).toBe(older?.id)
    // Nothing private: no token, digest or CSRF token.
    expect(JSON.stringify(seen)).not.toContain(phone.csrf)
  })

  it('records the last use and its address at most once a minute', async () => {
    const { email, password } = await register(app)
    const session = await signInFrom(kind, email, password, FIREFOX, '10.3.0.1')
    const start = clock.now().toISOString()
    clock.advance(30_000)
    expect(await list(session, '10.3.0.9')).toMatchObject([{ last_seen_at: start, address: '10.3.0.1' }])
    clock.advance(31_000)
    await list(session, '10.3.0.9')
    const touched = clock.now().toISOString()
    expect(await list(session, '10.3.0.10')).toMatchObject([{ last_seen_at: touched, address: '10.3.0.9' }])
  })

  it('signs one session out: that device is signed out, this one is not', async () => {
    const { email, password } = await register(app)
    const laptop = await signInFrom(kind, email, password, FIREFOX, '10.4.0.1')
    const phone = await signInFrom(kind, email, password, IPHONE, '10.4.0.2')
    const phoneId = (await list(phone)).find((s) => s.current)?.id
    const res = await app.inject({
      method: 'DELETE',
      url: `/v1/me/sessions/${phoneId}`,
      headers: laptop.headers,
    })
    expect(res.statusCode, res.body).toBe(204)
    expect(res.cookies).toEqual([])
    expect(await signedIn(phone)).toBe(false)
    expect(await signedIn(laptop)).toBe(true)
    expect((await list(laptop)).map((s) => s.id)).not.toContain(phoneId)
    // Ended already: 404.
    expectProblem(
      await app.inject({ method: 'DELETE', url: `/v1/me/sessions/${phoneId}`, headers: laptop.headers }),
      404,
      'not_found',
    )
  })

  it('signs its own session out and clears the cookie', async () => {
    const { email, password } = await register(app)
    const laptop = await signInFrom(kind, email, password, FIREFOX, '10.4.1.1')
    const [own] = await list(laptop)
    const res = await app.inject({
      method: 'DELETE',
      url: `/v1/me/sessions/${own?.id}`,
      headers: laptop.headers,
    })
    expect(res.statusCode).toBe(204)
    expect(res.cookies.find((c) => c.name === 'protus_session')?.value).toBe('')
    expect(await signedIn(laptop)).toBe(false)
  })

  it('signs out everywhere else', async () => {
    const { email, password } = await register(app)
    const laptop = await signInFrom(kind, email, password, FIREFOX, '10.5.0.1')
    const phone = await signInFrom(kind, email, password, IPHONE, '10.5.0.2')
    const tablet = await signInFrom(kind, email, password, IPHONE, '10.5.0.3')
    const res = await app.inject({
      method: 'POST',
      url: '/v1/me/sessions/sign-out-others',
      headers: phone.headers,
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toEqual({ signed_out: 2 })
    expect([await signedIn(laptop), await signedIn(phone), await signedIn(tablet)]).toEqual([
      false,
      true,
      false,
    ])
    expect(await list(phone)).toMatchObject([{ current: true }])
  })

  it('changes the password with the current one, signs the other sessions out and sends a notice', async () => {
    const { email, password } = await register(app)
    const laptop = await signInFrom(kind, email, password, FIREFOX, '10.6.0.1')
    const phone = await signInFrom(kind, email, password, IPHONE, '10.6.0.2')
    const res = await app.inject({
      method: 'POST',
      url: '/v1/me/password',
      headers: { ...laptop.headers, 'accept-language': 'ru-RU,ru;q=0.9,en;q=0.5' },
      payload: { current_password: password, new_password: 'a new long password' },
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toEqual({ signed_out: 1 })
    expect(await signedIn(phone)).toBe(false)
    expect(await signedIn(laptop)).toBe(true)
    // The old password opens nothing; the new one does.
    const attempt = (pw: string) =>
      app.inject({
        method: 'POST',
        url: '/v1/sessions',
        payload: { kind, email, password: pw },
        remoteAddress: '10.6.0.3',
      })
    expectProblem(await attempt(password), 401, 'invalid_credentials')
    expect((await attempt('a new long password')).statusCode).toBe(201)

    expect(await app.services.mailWorker.drain()).toBeGreaterThanOrEqual(1)
    const mailbox = await app.inject({
      method: 'GET',
      url: `/v1/sandbox/mail?to=${encodeURIComponent(email)}`,
    })
    const messages = (mailbox.json() as { data: { subject: string; text: string }[] }).data
    const notices = messages.filter((m) => m.subject === 'Пароль PROTUS изменён')
    expect(notices).toHaveLength(1)
    expect(notices[0]?.text).toContain('2031-03-01')
  })

  it('refuses a wrong current password and changes nothing', async () => {
    const { email, password } = await register(app)
    const laptop = await signInFrom(kind, email, password, FIREFOX, '10.7.0.1')
    const phone = await signInFrom(kind, email, password, IPHONE, '10.7.0.2')
    const before = await app.db.query<{ n: bigint }>('SELECT count(*) AS n FROM mail_messages')
    expectProblem(
      await app.inject({
        method: 'POST',
        url: '/v1/me/password',
        headers: laptop.headers,
        payload: { current_password: 'not the password', new_password: 'another long password' },
      }),
      403,
      'current_password_invalid',
    )
    expect(await signedIn(phone)).toBe(true)
    const after = await app.db.query<{ n: bigint }>('SELECT count(*) AS n FROM mail_messages')
    expect(after[0]?.n).toBe(before[0]?.n)
    const res = await app.inject({
      method: 'POST',
      url: '/v1/sessions',
      payload: { kind, email, password },
      remoteAddress: '10.7.0.3',
    })
    expect(res.statusCode).toBe(201)
  })
})

describe('guarding the sessions and the password', () => {
  it('does not let one account see or end another account’s sessions', async () => {
    const anna = await registerCustomer(app)
    const acme = await registerCompany(app)
    const annaSession = await signInFrom('customer', anna.email, anna.password, FIREFOX, '10.8.0.1')
    const acmeSession = await signInFrom('company', acme.email, acme.password, FIREFOX, '10.8.0.2')
    const [annas] = await list(annaSession)
    expect((await list(acmeSession)).map((s) => s.id)).not.toContain(annas?.id)
    expectProblem(
      await app.inject({
        method: 'DELETE',
        url: `/v1/me/sessions/${annas?.id}`,
        headers: acmeSession.headers,
      }),
      404,
      'not_found',
    )
    expect(await signedIn(annaSession)).toBe(true)
  })

  it('needs a session and the CSRF token; client credentials are not a session', async () => {
    const acme = await registerCompany(app)
    const session = await signInFrom('company', acme.email, acme.password, FIREFOX, '10.9.0.1')
    expectProblem(await app.inject({ method: 'GET', url: '/v1/me/sessions' }), 401, 'unauthenticated')
    expectProblem(
      await app.inject({ method: 'GET', url: '/v1/me/sessions', headers: { authorization: acme.auth } }),
      401,
      'unauthenticated',
    )
    expectProblem(
      await app.inject({
        method: 'POST',
        url: '/v1/me/sessions/sign-out-others',
        headers: { cookie: session.cookie },
      }),
      403,
      'csrf_token_invalid',
    )
    expectProblem(
      await app.inject({
        method: 'POST',
        url: '/v1/me/password',
        headers: { cookie: session.cookie },
        payload: { current_password: acme.password, new_password: 'a new long password' },
      }),
      403,
      'csrf_token_invalid',
    )
  })

  it('answers 400 to a short new password or a stray field, and changes nothing', async () => {
    const anna = await registerCustomer(app)
    const session = await signInFrom('customer', anna.email, anna.password, FIREFOX, '10.10.0.1')
    for (const payload of [
      { current_password: anna.password, new_password: 'short' },
      { current_password: anna.password },
      { current_password: anna.password, new_password: 'a new long password', extra: 1 },
      { current_password: anna.password, new_password: 'a new long password', locale: 'de' },
    ]) {
      expectProblem(
        await app.inject({ method: 'POST', url: '/v1/me/password', headers: session.headers, payload }),
        400,
        'validation_failed',
      )
    }
    const res = await app.inject({
      method: 'POST',
      url: '/v1/sessions',
      payload: { kind: 'customer', email: anna.email, password: anna.password },
      remoteAddress: '10.10.0.2',
    })
    expect(res.statusCode).toBe(201)
  })

  it('allows 10 attempts per account an hour, then 429 too_many_attempts with Retry-After', async () => {
    const anna = await registerCustomer(app)
    const session = await signInFrom('customer', anna.email, anna.password, FIREFOX, '10.11.0.1')
    const wrong = () =>
      app.inject({
        method: 'POST',
        url: '/v1/me/password',
        headers: session.headers,
        payload: { current_password: 'guess', new_password: 'a new long password' },
      })
    for (let i = 0; i < 10; i++) expectProblem(await wrong(), 403, 'current_password_invalid')
    const limited = await wrong()
    expectProblem(limited, 429, 'too_many_attempts')
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0)
    // Even the right password waits for the window to end.
    const right = await app.inject({
      method: 'POST',
      url: '/v1/me/password',
      headers: session.headers,
      payload: { current_password: anna.password, new_password: 'a new long password' },
    })
    expectProblem(right, 429, 'too_many_attempts')
    clock.advance(60 * 60_000)
    const later = await app.inject({
      method: 'POST',
      url: '/v1/me/password',
      headers: session.headers,
      payload: { current_password: anna.password, new_password: 'a new long password' },
    })
    expect(later.statusCode, later.body).toBe(200)
  })

  it('a password change rolls back whole when the notice cannot be written', async () => {
    const anna = await registerCustomer(app)
    const laptop = await signInFrom('customer', anna.email, anna.password, FIREFOX, '10.12.0.1')
    const phone = await signInFrom('customer', anna.email, anna.password, IPHONE, '10.12.0.2')
    const mail = app.services.mail
    const original = mail.enqueue
    mail.enqueue = async () => {
      throw new Error('outbox unavailable')
    }
    try {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/me/password',
        headers: laptop.headers,
        payload: { current_password: anna.password, new_password: 'a new long password' },
      })
      expect(res.statusCode).toBe(500)
    } finally {
      mail.enqueue = original
    }
    expect(await signedIn(phone)).toBe(true)
    const res = await app.inject({
      method: 'POST',
      url: '/v1/sessions',
      payload: { kind: 'customer', email: anna.email, password: anna.password },
      remoteAddress: '10.12.0.3',
    })
    expect(res.statusCode).toBe(201)
  })
})
