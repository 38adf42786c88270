import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createManualClock } from '../../src/lib/clock.js'
import { buildTestApp } from '../support/app.js'
import { count, expectProblem, registerCustomer, unique } from '../support/http.js'

// The numbers of docs/security.md: 5 attempts per email and 30 per address before each further
// one makes the next wait 1 s, 2 s, 4 s, …; a key quiet for an hour starts again.
const EMAIL_FREE = 5
const ADDRESS_FREE = 30

const clock = createManualClock(new Date())
let app: FastifyInstance
beforeAll(async () => {
  app = await buildTestApp({}, { clock })
})
afterAll(() => app.close())

interface Attempt {
  email: string
  password: string
  remoteAddress: string
  headers?: Record<string, string>
}

const signIn = (on: FastifyInstance, a: Attempt) =>
  on.inject({
    method: 'POST',
    url: '/v1/sessions',
    payload: { kind: 'customer', email: a.email, password: a.password },
    remoteAddress: a.remoteAddress,
    headers: a.headers ?? {},
  })

const statuses = (responses: LightMyRequestResponse[]) => responses.map((r) => r.statusCode).sort()

function expectWait(res: LightMyRequestResponse, seconds?: number) {
  expectProblem(res, 429, 'too_many_attempts')
  const retryAfter = Number(res.headers['retry-after'])
  if (seconds === undefined) expect(retryAfter).toBeGreaterThanOrEqual(1)
  else expect(retryAfter).toBe(seconds)
}

/** A wrong password that was checked (not held back): 401 invalid_credentials. */
async function expectChecked(on: FastifyInstance, a: Attempt) {
  expectProblem(await signIn(on, a), 401, 'invalid_credentials')
}

/**
 * Spends an address's free attempts, each on an email nobody registered (so no email's count is
 * reached), ten at a time; `headers(i)` adds headers to the i-th attempt.
 */
async function spendAddress(
  on: FastifyInstance,
  remoteAddress: (i: number) => string,
  headers: (i: number) => Record<string, string> = () => ({}),
) {
  for (let batch = 0; batch < ADDRESS_FREE; batch += 10) {
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, j) =>
        signIn(on, {
          email: `${unique('nobody')}@example.com`,
          password: 'guess',
          remoteAddress: remoteAddress(batch + j),
          headers: headers(batch + j),
        }),
      ),
    )
    expect(statuses(answers)).toEqual(Array(10).fill(401))
  }
}

const stranger = () => ({ email: `${unique('nobody')}@example.com`, password: 'guess' })

describe('sign-in throttling per email', () => {
  it('counts a parallel burst of wrong passwords in full, before checking any of them', async () => {
    const { email, password } = await registerCustomer(app)
    const burst = await Promise.all(
      Array.from({ length: 8 }, () => signIn(app, { email, password: 'guess', remoteAddress: '10.1.0.1' })),
    )
    expect(statuses(burst)).toEqual([401, 401, 401, 401, 401, 429, 429, 429])
    for (const res of burst.filter((r) => r.statusCode === 429)) expectWait(res, 1)
    // The right password from an address the account has not seen waits too (the 9th attempt).
    expectWait(await signIn(app, { email, password, remoteAddress: '10.1.0.2' }), 1)
    clock.advance(1_100)
    // The 10th attempt is checked and makes the next wait 2^(10 - 5) s: all nine before it counted.
    await expectChecked(app, { email, password: 'guess', remoteAddress: '10.1.0.1' })
    expectWait(await signIn(app, { email, password, remoteAddress: '10.1.0.3' }), 32)
  })

  it('lets the owner in from an address that signed in before while strangers elsewhere hold the email', async () => {
    const { email, password } = await registerCustomer(app)
    const home = '10.4.0.1'
    expect((await signIn(app, { email, password, remoteAddress: home })).statusCode).toBe(201)
    const attack = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        signIn(app, { email, password: `guess ${i}`, remoteAddress: `10.4.1.${i + 1}` }),
      ),
    )
    expect(statuses(attack)).toEqual([...Array(5).fill(401), ...Array(7).fill(429)])
    // A device the account has not seen waits; the owner's own does not.
    expectWait(await signIn(app, { email, password, remoteAddress: '10.4.2.1' }))
    for (let i = 0; i < 3; i++)
      expect((await signIn(app, { email, password, remoteAddress: home })).statusCode).toBe(201)
  })

  it('knows an IPv6 device by its /64, so a new address in the same network is still the owner’s', async () => {
    const { email, password } = await registerCustomer(app)
    expect((await signIn(app, { email, password, remoteAddress: '2001:db8:4:1::10' })).statusCode).toBe(201)
    for (let i = 0; i < 8; i++)
      await signIn(app, { email, password: 'guess', remoteAddress: `2001:db8:4:${i + 2}::1` })
    expectWait(await signIn(app, { email, password, remoteAddress: '2001:db8:4:99::1' }))
    expect((await signIn(app, { email, password, remoteAddress: '2001:db8:4:1:a:b:c:d' })).statusCode).toBe(
      201,
    )
  })

  it('takes a successful sign-in back from the count without wiping the failures before it', async () => {
    const { email, password } = await registerCustomer(app)
    // Successes from new addresses, more of them than the free attempts: none is held back.
    for (let i = 0; i < EMAIL_FREE + 2; i++)
      expect((await signIn(app, { email, password, remoteAddress: `10.6.0.${i + 1}` })).statusCode).toBe(201)
    for (let i = 0; i < EMAIL_FREE - 1; i++)
      await expectChecked(app, { email, password: 'guess', remoteAddress: '10.6.1.1' })
    expect((await signIn(app, { email, password, remoteAddress: '10.6.1.2' })).statusCode).toBe(201)
    // The fifth failure still counts as the fifth: the next attempt waits.
    await expectChecked(app, { email, password: 'guess', remoteAddress: '10.6.1.3' })
    expectWait(await signIn(app, { email, password, remoteAddress: '10.6.1.4' }), 1)
  })

  it('starts an email again from zero after an hour without attempts', async () => {
    const { email } = await registerCustomer(app)
    const guess = { email, password: 'guess', remoteAddress: '10.7.0.1' }
    for (let i = 0; i < EMAIL_FREE; i++) await signIn(app, guess)
    expectWait(await signIn(app, guess), 1)
    clock.advance(60 * 60_000 + 1_000)
    for (let i = 0; i < EMAIL_FREE; i++) await expectChecked(app, guess)
    expectWait(await signIn(app, guess), 1)
  })
})

describe('sign-in throttling per address', () => {
  it('is not escaped by rotating X-Forwarded-For when no proxy is trusted', async () => {
    await spendAddress(
      app,
      () => '10.2.0.1',
      (i) => ({ 'x-forwarded-for': `198.51.100.${i + 1}` }),
    )
    expectWait(
      await signIn(app, {
        ...stranger(),
        remoteAddress: '10.2.0.1',
        headers: { 'x-forwarded-for': '198.51.100.200' },
      }),
      1,
    )
    // Another address is not slowed.
    await expectChecked(app, { ...stranger(), remoteAddress: '10.2.0.2' })
  })

  it('counts every address of one IPv6 /64 as one', async () => {
    await spendAddress(app, (i) => `2001:db8:6:7::${(i + 1).toString(16)}`)
    expectWait(await signIn(app, { ...stranger(), remoteAddress: '2001:db8:6:7:ffff:ffff:ffff:ffff' }), 1)
    await expectChecked(app, { ...stranger(), remoteAddress: '2001:db8:6:8::1' })
  })

  it('counts the forwarded client address behind a trusted proxy (PROTUS_TRUST_PROXY=loopback)', async () => {
    const proxied = await buildTestApp({ PROTUS_TRUST_PROXY: 'loopback' })
    try {
      // inject comes from 127.0.0.1, the trusted proxy; the client is the forwarded address.
      const from = (client: string) => ({ 'x-forwarded-for': client })
      await spendAddress(
        proxied,
        () => '127.0.0.1',
        () => from('203.0.113.9'),
      )
      expectWait(
        await signIn(proxied, { ...stranger(), remoteAddress: '127.0.0.1', headers: from('203.0.113.9') }),
        1,
      )
      await expectChecked(proxied, {
        ...stranger(),
        remoteAddress: '127.0.0.1',
        headers: from('203.0.113.10'),
      })
    } finally {
      await proxied.close()
    }
  })
})

describe('the cap on password work', () => {
  it('answers 503 busy with Retry-After when every argon2 slot and queue place is taken, and nothing waits unbounded', async () => {
    const capped = await buildTestApp({ PROTUS_PASSWORD_CONCURRENCY: '1' })
    try {
      const { work } = capped.services.passwords
      const registered = await registerCustomer(capped)
      // The test holds the only slot; four registrations fill the queue (4 places per slot).
      let release!: () => void
      const held = work.run(() => new Promise<void>((resolve) => (release = resolve)))
      const register = (i: number) =>
        capped.inject({
          method: 'POST',
          url: '/v1/customers',
          payload: { email: `queued-${i}@example.com`, username: `queued_${i}`, password: 'correct horse' },
        })
      const queued = [1, 2, 3, 4].map(register)
      await vi.waitFor(() => expect(work.stats()).toMatchObject({ running: 1, waiting: 4 }), {
        timeout: 10_000,
      })

      const refused = await register(5)
      expectProblem(refused, 503, 'busy')
      expect(refused.headers['retry-after']).toBe('1')
      const signInRefused = await signIn(capped, { ...registered, remoteAddress: '10.8.0.1' })
      expectProblem(signInRefused, 503, 'busy')
      expect(signInRefused.headers['retry-after']).toBe('1')
      expect(
        await capped.db.query("SELECT 1 FROM identity_customers WHERE email = 'queued-5@example.com'"),
      ).toEqual([])

      release()
      await held
      expect((await Promise.all(queued)).map((r) => r.statusCode)).toEqual([201, 201, 201, 201])
      const metrics = (await capped.inject({ method: 'GET', url: '/metrics' })).body
      expect(metrics).toContain('\nprotus_password_work_running 0\n')
      expect(metrics).toContain('\nprotus_password_work_waiting 0\n')
      expect(metrics).toContain('\nprotus_password_busy_total 2\n')
      // A refusal for being busy was no guess: the owner's attempts are all still free.
      for (let i = 0; i < EMAIL_FREE - 1; i++)
        await signIn(capped, { ...registered, password: 'guess', remoteAddress: '10.8.0.2' })
      expect((await signIn(capped, { ...registered, remoteAddress: '10.8.0.3' })).statusCode).toBe(201)
    } finally {
      await capped.close()
    }
  })
})

describe('retention of the throttle', () => {
  it('prunes counts that slow nobody any more and addresses that have not signed in for 90 days', async () => {
    const { throttle } = app.services
    const { email, password } = await registerCustomer(app)
    expect((await signIn(app, { email, password, remoteAddress: '10.9.0.1' })).statusCode).toBe(201)
    clock.advance(2 * 60 * 60_000)
    // A count from a minute ago still counts, and stays.
    await signIn(app, { ...stranger(), remoteAddress: '10.9.0.2' })
    clock.advance(60_000)
    await throttle.pruneAttempts(clock.now(), 100_000)
    expect(await count(app, 'identity_sign_in_attempts')).toBe(2)
    clock.advance(60 * 60_000)
    expect(await throttle.pruneAttempts(clock.now(), 100_000)).toBe(2)
    expect(await count(app, 'identity_sign_in_attempts')).toBe(0)

    const known = await count(app, 'identity_known_addresses')
    expect(known).toBeGreaterThan(0)
    expect(await throttle.pruneKnownAddresses(clock.now(), 100_000)).toBe(0)
    clock.advance(90 * 24 * 60 * 60_000)
    expect(await throttle.pruneKnownAddresses(clock.now(), 100_000)).toBe(known)
  })
})
