import type { FastifyInstance } from 'fastify'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { createTestClockRepository } from '../../src/modules/test-clock/test-clock.repository.js'
import { buildTestApp, onPostgres } from '../support/app.js'
import { connectedPerson } from '../support/grants.js'
import { expectProblem, registerCompany, signIn } from '../support/http.js'
import { expectLedgerSound, partnerWithAccount } from '../support/money.js'
import { signedInPerson } from '../support/oauth.js'
import { cliBuilt, startWorkerProcess } from '../support/processes.js'
import { envSharingDatabase } from '../support/shared-database.js'
import { type Receiver, setWebhookUrl, startReceiver, verify } from '../support/webhook-receiver.js'

const HOUR = 3_600
const DAY = 86_400
/** Retries 10 minutes (plus up to 10% jitter) after a failure, so a retry's time is easy to tell. */
const RETRY_SECONDS = 600

let app: FastifyInstance
let receiver: Receiver

beforeAll(async () => {
  // The real sandbox clock (real time plus the offset in the database), not a manual test clock.
  app = await buildTestApp({
    PROTUS_TEST_CLOCK: 'true',
    PROTUS_SWEEP_INTERVAL_SECONDS: '0',
    PROTUS_WEBHOOK_ALLOW_PRIVATE: '1',
    PROTUS_WEBHOOK_RETRY_SCHEDULE: `${RETRY_SECONDS},${RETRY_SECONDS}`,
  })
  receiver = await startReceiver()
})
afterAll(async () => {
  await app.close()
  await receiver.stop()
})
afterEach(async () => {
  receiver.answerByDefault(200)
  await expectLedgerSound(app)
})

async function clockOf(target: FastifyInstance, auth: string): Promise<Date> {
  const res = await target.inject({
    method: 'GET',
    url: '/v1/sandbox/clock',
    headers: { authorization: auth },
  })
  expect(res.statusCode, res.body).toBe(200)
  return new Date((res.json() as { now: string }).now)
}

async function advance(auth: string, seconds: number): Promise<Date> {
  const res = await app.inject({
    method: 'POST',
    url: '/v1/sandbox/clock',
    headers: { authorization: auth },
    payload: { advance_seconds: seconds },
  })
  expect(res.statusCode, res.body).toBe(200)
  return new Date((res.json() as { now: string }).now)
}

/** The seconds between `at` and the first instant of the next calendar month (UTC). */
function secondsToNextMonth(at: Date): number {
  const next = Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1)
  return Math.ceil((next - at.getTime()) / 1000)
}

/** Standard Webhooks verification with the receiver's clock: the signature's time is real time. */
function expectSignedNow(secret: string, delivery: Receiver['received'][number]) {
  const payload = verify(secret, delivery)
  const signedAt = Number(delivery.headers['webhook-timestamp']) * 1000
  expect(Math.abs(signedAt - Date.now())).toBeLessThan(5_000)
  return payload
}

describe('configuration', () => {
  it('is off unless PROTUS_TEST_CLOCK is true, and refused at boot in live mode', () => {
    expect(loadConfig({}).testClock).toBe(false)
    expect(loadConfig({ PROTUS_TEST_CLOCK: '1' }).testClock).toBe(true)
    expect(loadConfig({ PROTUS_TEST_CLOCK: 'false' }).testClock).toBe(false)
    expect(() => loadConfig({ PROTUS_TEST_CLOCK: 'sometimes' })).toThrow(
      /PROTUS_TEST_CLOCK must be true or false/,
    )
    const live = {
      PROTUS_MODE: 'live',
      PROTUS_SECRET_KEY: 'a'.repeat(64),
      PROTUS_SMTP_URL: 'smtp://127.0.0.1:9',
    }
    expect(loadConfig(live).testClock).toBe(false)
    expect(() => loadConfig({ ...live, PROTUS_TEST_CLOCK: 'true', PORT: 'x' })).toThrow(
      /PORT must be[\s\S]*PROTUS_TEST_CLOCK is for sandbox mode only/,
    )
  })

  it('has no /v1/sandbox/clock when the clock is off: 404 like any unknown path', async () => {
    const plain = await buildTestApp()
    try {
      const partner = await registerCompany(plain)
      for (const method of ['GET', 'POST'] as const) {
        const res = await plain.inject({
          method,
          url: '/v1/sandbox/clock',
          headers: { authorization: partner.auth },
          ...(method === 'POST' ? { payload: { advance_seconds: 60 } } : {}),
        })
        expectProblem(res, 404, 'not_found')
      }
      expect(plain.services.testClock).toBeUndefined()
    } finally {
      await plain.close()
    }
  })
})

describe('GET and POST /v1/sandbox/clock', () => {
  it('answers real time until moved, then moves forward by exactly what was asked', async () => {
    const partner = await registerCompany(app)
    const before = await clockOf(app, partner.auth)
    expect(before.getTime()).toBeGreaterThanOrEqual(Date.now() - 5_000)
    const moved = await advance(partner.auth, 2 * HOUR)
    expect(moved.getTime() - before.getTime()).toBeGreaterThanOrEqual(2 * HOUR * 1000)
    expect(moved.getTime() - before.getTime()).toBeLessThan(2 * HOUR * 1000 + 5_000)
    const after = await clockOf(app, partner.auth)
    expect(after.getTime()).toBeGreaterThanOrEqual(moved.getTime())
    // Objects carry the clock's time.
    const created = await partnerWithAccount(app)
    const account = (await created.get(`/v1/accounts/${created.account.id}`)).json() as { created_at: string }
    expect(new Date(account.created_at).getTime()).toBeGreaterThanOrEqual(moved.getTime() - 1_000)
  })

  it.each([
    ['zero seconds', { advance_seconds: 0 }],
    ['a negative number', { advance_seconds: -60 }],
    ['more than 366 days', { advance_seconds: 31_622_401 }],
    ['a fraction', { advance_seconds: 1.5 }],
    ['a string', { advance_seconds: '60' }],
    ['nothing', {}],
    ['an unknown field', { advance_seconds: 60, backwards: true }],
  ])('refuses %s with 400 validation_failed and leaves the clock alone', async (_name, payload) => {
    const partner = await registerCompany(app)
    const before = await clockOf(app, partner.auth)
    const res = await app.inject({
      method: 'POST',
      url: '/v1/sandbox/clock',
      headers: { authorization: partner.auth },
      payload,
    })
    expectProblem(res, 400, 'validation_failed')
    const after = await clockOf(app, partner.auth)
    expect(after.getTime() - before.getTime()).toBeLessThan(5_000)
  })

  it('takes the longest step, 366 days', async () => {
    const partner = await registerCompany(app)
    const before = await clockOf(app, partner.auth)
    const moved = await advance(partner.auth, 31_622_400)
    expect(moved.getTime() - before.getTime()).toBeGreaterThanOrEqual(31_622_400_000)
  })

  it('serves partners (client credentials or company session), refuses people (403) and strangers (401)', async () => {
    const partner = await registerCompany(app)
    const company = await signIn(app, 'company', partner.email, partner.password)
    const byCompany = await app.inject({
      method: 'POST',
      url: '/v1/sandbox/clock',
      headers: company.headers,
      payload: { advance_seconds: 60 },
    })
    expect(byCompany.statusCode, byCompany.body).toBe(200)
    expect(
      (await app.inject({ method: 'GET', url: '/v1/sandbox/clock', headers: company.headers })).statusCode,
    ).toBe(200)
    // A company session sends its CSRF token with a POST, like every other state change.
    const noCsrf = await app.inject({
      method: 'POST',
      url: '/v1/sandbox/clock',
      headers: { cookie: company.cookie },
      payload: { advance_seconds: 60 },
    })
    expectProblem(noCsrf, 403, 'csrf_token_invalid')

    const person = await signedInPerson(app)
    for (const method of ['GET', 'POST'] as const) {
      const asPerson = await app.inject({
        method,
        url: '/v1/sandbox/clock',
        headers: person.session.headers,
        ...(method === 'POST' ? { payload: { advance_seconds: 60 } } : {}),
      })
      expectProblem(asPerson, 403, 'forbidden')
      const anonymous = await app.inject({
        method,
        url: '/v1/sandbox/clock',
        ...(method === 'POST' ? { payload: { advance_seconds: 60 } } : {}),
      })
      expectProblem(anonymous, 401, 'unauthenticated')
    }
    const wrongSecret = await app.inject({
      method: 'GET',
      url: '/v1/sandbox/clock',
      headers: {
        authorization: `Basic ${Buffer.from(`${partner.company.client_id}:nope`).toString('base64')}`,
      },
    })
    expectProblem(wrongSecret, 401, 'invalid_client_credentials')
  })

  it('answers concurrent advances one after another, each moving the clock by its own step', async () => {
    const partner = await registerCompany(app)
    const before = await clockOf(app, partner.auth)
    const answers = await Promise.all([HOUR, 2 * HOUR, 3 * HOUR].map((s) => advance(partner.auth, s)))
    const after = await clockOf(app, partner.auth)
    expect(after.getTime() - before.getTime()).toBeGreaterThanOrEqual(6 * HOUR * 1000)
    expect(after.getTime() - before.getTime()).toBeLessThan(6 * HOUR * 1000 + 10_000)
    const [first = 0, second = 0, third = 0] = answers.map((at) => at.getTime()).sort((a, b) => a - b)
    // Each answer is at least one step later than the previous one: no two ran at once.
    expect(second - first).toBeGreaterThanOrEqual(HOUR * 1000)
    expect(third - second).toBeGreaterThanOrEqual(HOUR * 1000)
  })
})

describe('what comes due while the clock moves', () => {
  it('expires a hold when the clock passes its expiry, at that moment, and tells the partner', async () => {
    const p = await partnerWithAccount(app, 10_000)
    await setWebhookUrl(app, p.auth, receiver.url)
    const created = await p.post('/v1/holds', { account: p.account.id, amount: 2_500, expires_in: HOUR })
    expect(created.statusCode, created.body).toBe(201)
    const hold = created.json() as { id: string; expires_at: string; status: string }
    expect(hold.status).toBe('pending')
    expect((await p.get(`/v1/accounts/${p.account.id}/balance`)).json()).toMatchObject({
      available: 7_500,
      held: 2_500,
    })

    // Not yet: 59 minutes on, the hold still holds and nothing expired.
    await advance(p.auth, 59 * 60)
    expect((await p.get(`/v1/holds/${hold.id}`)).json()).toMatchObject({ status: 'pending' })

    // A day on, the hold expired on the way, when the clock passed its expiry.
    await advance(p.auth, DAY)
    expect((await p.get(`/v1/holds/${hold.id}`)).json()).toMatchObject({ status: 'expired' })
    expect((await p.get(`/v1/accounts/${p.account.id}/balance`)).json()).toMatchObject({
      available: 10_000,
      held: 0,
    })
    const ledgerHeld = await app.db.query<{ state: string }>(
      'SELECT state FROM ledger_pending WHERE transfer_id = $1',
      [hold.id],
    )
    expect(ledgerHeld).toEqual([{ state: 'expired' }])

    // The clock answered after sending it: the event is already at the partner, signed with real time.
    const expiredEvents = receiver.received.filter(
      (d) => d.body.includes(hold.id) && d.body.includes('hold.expired'),
    )
    expect(expiredEvents).toHaveLength(1)
    const event = expectSignedNow(p.company.webhook_secret, expiredEvents[0] as Receiver['received'][number])
    expect(event.type).toBe('hold.expired')
    expect(event.data).toMatchObject({ id: hold.id, status: 'expired' })
    // Recorded at the moment the hold expired, not at the end of the day the clock moved.
    const expiresAt = new Date(hold.expires_at).getTime()
    const recordedAt = new Date(event.timestamp).getTime()
    expect(recordedAt).toBeGreaterThanOrEqual(expiresAt)
    expect(recordedAt - expiresAt).toBeLessThan(60_000)
  })

  it('starts a spending limit afresh when the clock crosses into the next month', async () => {
    const c = await connectedPerson(app, { monthlyLimit: 1_000 })
    expect((await c.post('/v1/charges', { account: c.accountId, amount: 1_000 })).statusCode).toBe(201)
    expectProblem(
      await c.post('/v1/charges', { account: c.accountId, amount: 1 }),
      402,
      'spending_limit_exceeded',
    )
    const now = await clockOf(app, c.partner.auth)
    const resetsAt = (await c.get(`/v1/accounts/${c.accountId}`)).json().spending_limit.resets_at as string
    expect(new Date(resetsAt).getTime()).toBe(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1))

    // A minute before the month ends: still refused.
    const toMonthEnd = secondsToNextMonth(now)
    if (toMonthEnd > 120) {
      await advance(c.partner.auth, toMonthEnd - 60)
      expectProblem(
        await c.post('/v1/charges', { account: c.accountId, amount: 1 }),
        402,
        'spending_limit_exceeded',
      )
    }
    await advance(c.partner.auth, 120)
    const fresh = await c.post('/v1/charges', { account: c.accountId, amount: 1_000 })
    expect(fresh.statusCode, fresh.body).toBe(201)
    expect(new Date(fresh.json().created_at).getTime()).toBeGreaterThanOrEqual(new Date(resetsAt).getTime())
    // (The person's session ended with the days the clock moved; the partner reads the limit.)
    expect((await c.get(`/v1/accounts/${c.accountId}`)).json().spending_limit).toMatchObject({
      monthly: 1_000,
      remaining: 0,
    })
    expectProblem(
      await c.post('/v1/charges', { account: c.accountId, amount: 1 }),
      402,
      'spending_limit_exceeded',
    )
  })

  it('sends a webhook retry when the clock passes its time, signed with real time', async () => {
    const partner = await registerCompany(app)
    await setWebhookUrl(app, partner.auth, receiver.url)
    const delivery = async (id: string) => {
      const res = await app.inject({
        method: 'GET',
        url: `/v1/webhook-deliveries/${id}`,
        headers: { authorization: partner.auth },
      })
      expect(res.statusCode, res.body).toBe(200)
      return res.json() as {
        event: { id: string }
        status: string
        next_attempt_at: string | null
        attempts: { attempted_at: string; http_status: number | null }[]
      }
    }
    receiver.answer(500)
    const ping = await app.inject({
      method: 'POST',
      url: '/v1/company/webhooks/test',
      headers: { authorization: partner.auth },
    })
    expect(ping.statusCode, ping.body).toBe(202)
    const deliveryId = (ping.json() as { id: string }).id
    await app.services.webhookWorker.drain()
    const failed = await delivery(deliveryId)
    expect(failed).toMatchObject({ status: 'pending', attempts: [{ http_status: 500 }] })
    const firstAt = new Date(failed.attempts[0]?.attempted_at as string).getTime()
    const retryAt = new Date(failed.next_attempt_at as string).getTime()
    expect(retryAt - firstAt).toBeGreaterThanOrEqual(RETRY_SECONDS * 1000)
    const ofThisEvent = () => receiver.received.filter((d) => d.id === failed.event.id)
    expect(ofThisEvent()).toHaveLength(1)

    // Real time does not reach the retry during the test; the clock does, and the answer waits for it.
    await advance(partner.auth, HOUR)
    const sent = await delivery(deliveryId)
    expect(sent).toMatchObject({
      status: 'succeeded',
      attempts: [{ http_status: 500 }, { http_status: 200 }],
    })
    // Sent at its retry time on the clock (in time order), not at the end of the hour.
    const secondAt = new Date(sent.attempts[1]?.attempted_at as string).getTime()
    expect(secondAt).toBeGreaterThanOrEqual(retryAt)
    expect(secondAt - retryAt).toBeLessThan(60_000)
    expect(ofThisEvent()).toHaveLength(2)
    const payload = expectSignedNow(
      partner.company.webhook_secret,
      ofThisEvent()[1] as Receiver['received'][number],
    )
    expect(payload.type).toBe('ping')
  })
})

describe('every process on the database', () => {
  it('runs on the clock another app moved, hearing the move', async () => {
    const partner = await registerCompany(app)
    // A second app on the same database (another server would be the same on PostgreSQL).
    const second = await buildApp(
      loadConfig({
        LOG_LEVEL: 'silent',
        PROTUS_MODE: 'sandbox',
        PROTUS_DATA_DIR: ':memory:',
        PROTUS_SECRET_KEY: 'b'.repeat(64),
        PROTUS_WEBHOOK_WORKER: '0',
        PROTUS_SWEEP_INTERVAL_SECONDS: '0',
        PROTUS_TEST_CLOCK: 'true',
      }),
      { db: app.db },
    )
    try {
      await second.ready()
      const start = await clockOf(second, partner.auth)
      expect(Math.abs(start.getTime() - (await clockOf(app, partner.auth)).getTime())).toBeLessThan(5_000)
      const moved = await advance(partner.auth, 10 * DAY)
      // Heard at once, well before the periodic re-read (5 s) would find it.
      const deadline = Date.now() + 2_000
      let seen = await clockOf(second, partner.auth)
      while (seen < moved && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50))
        seen = await clockOf(second, partner.auth)
      }
      expect(seen.getTime()).toBeGreaterThanOrEqual(moved.getTime())
      expect(seen.getTime() - moved.getTime()).toBeLessThan(5_000)
    } finally {
      await second.close()
    }
  })
})

// Notifications reach every schema of a PostgreSQL database; each schema keeps its own clock.
describe.skipIf(!onPostgres)('another schema on the same database', () => {
  it('keeps its own clock when this one moves', async () => {
    const other = await buildTestApp({ PROTUS_TEST_CLOCK: 'true', PROTUS_SWEEP_INTERVAL_SECONDS: '0' })
    try {
      const [partner, otherPartner] = [await registerCompany(app), await registerCompany(other)]
      const before = await clockOf(other, otherPartner.auth)
      await advance(partner.auth, 100 * DAY)
      // Longer than hearing a notification takes (the test above: well under 2 s).
      await new Promise((r) => setTimeout(r, 1_500))
      const after = await clockOf(other, otherPartner.auth)
      expect(after.getTime() - before.getTime()).toBeLessThan(60_000)
    } finally {
      await other.close()
    }
  })
})

// A `protus worker` process on the same PostgreSQL runs on the clock the server moved.
describe.skipIf(!onPostgres || !cliBuilt)('a protus worker process', () => {
  it('expires a hold when it hears that the clock passed its expiry', async () => {
    const secretKey = 'c'.repeat(64)
    const server = await buildTestApp({
      PROTUS_TEST_CLOCK: 'true',
      PROTUS_SWEEP_INTERVAL_SECONDS: '0',
      PROTUS_SECRET_KEY: secretKey,
    })
    const worker = await startWorkerProcess({
      ...(await envSharingDatabase(server, secretKey)),
      PROTUS_TEST_CLOCK: 'true',
      PROTUS_SWEEP_INTERVAL_SECONDS: '1',
    })
    try {
      const p = await partnerWithAccount(server, 5_000)
      const created = await p.post('/v1/holds', { account: p.account.id, amount: 1_000, expires_in: HOUR })
      expect(created.statusCode, created.body).toBe(201)
      const hold = created.json() as { id: string }
      const ledgerState = async () =>
        (
          await server.db.query<{ state: string }>(
            'SELECT state FROM ledger_pending WHERE transfer_id = $1',
            [hold.id],
          )
        )[0]?.state
      // Two sweeps of the worker on real time leave it alone.
      await new Promise((r) => setTimeout(r, 2_500))
      expect(await ledgerState()).toBe('pending')

      // Moved (and announced) without this process running anything: only the worker can expire it.
      const offset = 2 * HOUR * 1000
      await server.db.transaction((tx) => createTestClockRepository().saveOffset(tx, offset, new Date()))
      const deadline = Date.now() + 15_000
      while ((await ledgerState()) === 'pending' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100))
      }
      expect(await ledgerState()).toBe('expired')
      const rows = await server.db.query<{ status: string; resolved_at: Date }>(
        'SELECT status, resolved_at FROM billing_holds WHERE id = $1',
        [hold.id],
      )
      expect(rows[0]?.status).toBe('expired')
      // Recorded at the worker's clock: two hours ahead of real time.
      expect(rows[0]?.resolved_at.getTime() ?? 0).toBeGreaterThan(Date.now() + HOUR * 1000)
      await expectLedgerSound(server)
    } finally {
      expect(await worker.stop()).toBe(0)
      await server.close()
    }
  }, 120_000)
})
