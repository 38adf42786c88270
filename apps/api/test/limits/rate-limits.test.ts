import { randomBytes } from 'node:crypto'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { createManualClock } from '../../src/lib/clock.js'
import { buildTestApp } from '../support/app.js'
import { count, expectProblem, registerCustomer, signIn, unique } from '../support/http.js'
import { expectLedgerSound, newKey, partnerWithAccount } from '../support/money.js'

const limits = { PROTUS_REGISTRATIONS_PER_HOUR: '3', PROTUS_TOPUPS_PER_MINUTE: '2' }
// Ten minutes into an hour: an hour's window has 50 minutes left, a minute's window all of it.
const clock = createManualClock(new Date('2030-01-01T10:10:00Z'))
let app: FastifyInstance
beforeAll(async () => {
  app = await buildTestApp(limits, { clock })
})
afterAll(async () => {
  await expectLedgerSound(app)
  await app.close()
})

function register(on: FastifyInstance, remoteAddress: string, kind: 'customer' | 'company' = 'customer') {
  const name = unique('limited')
  const payload =
    kind === 'customer'
      ? { email: `${name}@example.com`, username: name.replace('-', '_'), password: 'correct horse' }
      : { email: `${name}@example.com`, name, password: 'company password' }
  return on.inject({
    method: 'POST',
    url: kind === 'customer' ? '/v1/customers' : '/v1/companies',
    payload,
    remoteAddress,
  })
}

function expectLimited(res: LightMyRequestResponse, retryAfter: number) {
  expectProblem(res, 429, 'rate_limited')
  expect(res.headers['retry-after']).toBe(String(retryAfter))
}

describe('registrations per address', () => {
  it('allows PROTUS_REGISTRATIONS_PER_HOUR people and companies together, then 429 rate_limited until the hour ends', async () => {
    const before = await count(app, 'identity_customers')
    expect((await register(app, '10.20.0.1')).statusCode).toBe(201)
    expect((await register(app, '10.20.0.1', 'company')).statusCode).toBe(201)
    expect((await register(app, '10.20.0.1')).statusCode).toBe(201)
    expectLimited(await register(app, '10.20.0.1'), 50 * 60)
    expectLimited(await register(app, '10.20.0.1', 'company'), 50 * 60)
    expect(await count(app, 'identity_customers')).toBe(before + 2)
    // Another address is not limited by this one.
    expect((await register(app, '10.20.0.2')).statusCode).toBe(201)
    clock.advance(50 * 60_000)
    expect((await register(app, '10.20.0.1')).statusCode).toBe(201)
  })

  it('counts a parallel burst in full and every address of an IPv6 /64 as one', async () => {
    const burst = await Promise.all(
      Array.from({ length: 6 }, (_, i) => register(app, `2001:db8:20:1::${i + 1}`)),
    )
    expect(burst.map((r) => r.statusCode).sort()).toEqual([201, 201, 201, 429, 429, 429])
    expectProblem(await register(app, '2001:db8:20:1:ffff::1'), 429, 'rate_limited')
    expect((await register(app, '2001:db8:20:2::1')).statusCode).toBe(201)
  })

  it('does not count a request refused for bad input', async () => {
    for (let i = 0; i < 5; i++) {
      const bad = await app.inject({
        method: 'POST',
        url: '/v1/customers',
        payload: { email: 'not an email', username: 'x', password: 'short' },
        remoteAddress: '10.20.1.1',
      })
      expectProblem(bad, 400, 'validation_failed')
    }
    expect((await register(app, '10.20.1.1')).statusCode).toBe(201)
  })
})

describe('top-ups per address', () => {
  it('allows PROTUS_TOPUPS_PER_MINUTE top-ups of people and partners together, then 429 rate_limited', async () => {
    const { email, password } = await registerCustomer(app)
    const me = await signIn(app, 'customer', email, password)
    const partner = await partnerWithAccount(app, 0)
    const mine = (key = newKey()) =>
      app.inject({
        method: 'POST',
        url: '/v1/me/topups',
        headers: { ...me.headers, 'idempotency-key': key },
        payload: { amount: 1_000 },
      })
    const theirs = () => partner.post(`/v1/accounts/${partner.account.id}/topups`, { amount: 1_000 })
    const before = await count(app, 'topups_payments')
    expect((await mine()).statusCode).toBe(201)
    expect((await theirs()).statusCode).toBe(201)
    const secondsLeft = 60 - clock.now().getUTCSeconds()
    expectLimited(await mine(), secondsLeft)
    expectLimited(await theirs(), secondsLeft)
    expect(await count(app, 'topups_payments')).toBe(before + 2)
    clock.advance(secondsLeft * 1000)
    expect((await mine()).statusCode).toBe(201)
  })
})

describe('limits shared through the database', () => {
  it('hold across two apps on one database', async () => {
    const other = await buildApp(
      loadConfig({
        LOG_LEVEL: 'silent',
        PROTUS_MODE: 'sandbox',
        PROTUS_SECRET_KEY: randomBytes(32).toString('hex'),
        PROTUS_DATA_DIR: ':memory:',
        PROTUS_MIGRATE_ON_START: 'false',
        PROTUS_WEBHOOK_WORKER: '0',
        PROTUS_SWEEP_INTERVAL_SECONDS: '0',
        ...limits,
      }),
      { db: app.db, clock },
    )
    try {
      expect((await register(app, '10.20.2.1')).statusCode).toBe(201)
      expect((await register(other, '10.20.2.1')).statusCode).toBe(201)
      expect((await register(app, '10.20.2.1')).statusCode).toBe(201)
      expectProblem(await register(other, '10.20.2.1'), 429, 'rate_limited')
      expectProblem(await register(app, '10.20.2.1'), 429, 'rate_limited')
    } finally {
      await other.close()
    }
  })

  it('prunes the windows that have ended', async () => {
    const { rateLimits } = app.services
    await rateLimits.prune(clock.now(), 10_000)
    const [open] = await app.db.query<{ n: number; first_end: Date }>(
      'SELECT count(*)::int AS n, min(window_end) AS first_end FROM limits_windows',
    )
    expect(open?.n).toBeGreaterThan(0)
    expect(open?.first_end.getTime()).toBeGreaterThan(clock.now().getTime())
    clock.advance(60 * 60_000)
    expect(await rateLimits.prune(clock.now(), 10_000)).toBe(open?.n)
    expect(await count(app, 'limits_windows')).toBe(0)
  })
})
