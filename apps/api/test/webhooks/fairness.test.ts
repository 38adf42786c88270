import type { FastifyInstance } from 'fastify'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createManualClock } from '../../src/lib/clock.js'
import { createDeliveryWorker } from '../../src/modules/webhooks/delivery-worker.js'
import { createWebhookSender } from '../../src/modules/webhooks/webhook-sender.js'
import { createWebhooksRepository } from '../../src/modules/webhooks/webhooks.repository.js'
import { buildTestApp } from '../support/app.js'
import { expectProblem, registerCompany } from '../support/http.js'
import { expectLedgerSound, newKey, partnerWithAccount } from '../support/money.js'
import { type Receiver, setWebhookUrl, startReceiver, verify } from '../support/webhook-receiver.js'

// One company's endpoint never answers while others' events keep flowing. The clock only moves
// when a test moves it (pauses and retries are decided on it); the 1 s send timeout is real time.
const PER_COMPANY = 4
const MANUAL_PER_MINUTE = 3
const clock = createManualClock(new Date())
let app: FastifyInstance
/** A partner endpoint that answers 200 at once. */
let answering: Receiver

beforeAll(async () => {
  app = await buildTestApp(
    {
      PROTUS_WEBHOOK_ALLOW_PRIVATE: '1',
      PROTUS_WEBHOOK_TIMEOUT_SECONDS: '1',
      PROTUS_WEBHOOK_RETRY_SCHEDULE: '2,2,2',
      PROTUS_WEBHOOK_PER_COMPANY: String(PER_COMPANY),
      PROTUS_WEBHOOK_MANUAL_PER_MINUTE: String(MANUAL_PER_MINUTE),
    },
    { clock },
  )
  answering = await startReceiver()
})
afterAll(async () => {
  await app.close()
  await answering.stop()
  await Promise.all(hanging.map((r) => r.stop()))
})
afterEach(async () => {
  await expectLedgerSound(app)
})

const hanging: Receiver[] = []

/** An endpoint that accepts every request and never answers. */
async function hangingEndpoint() {
  const receiver = await startReceiver()
  receiver.answerByDefault('hang')
  hanging.push(receiver)
  return receiver
}

type Partner = Awaited<ReturnType<typeof registerCompany>>

async function listening<P extends Partner>(partner: P, url: string): Promise<P> {
  await setWebhookUrl(app, partner.auth, url)
  return partner
}

/** Writes `n` ping events for the company at once, as `POST /v1/company/webhooks/test` writes one. */
async function queuePings(partner: Partner, n: number): Promise<string[]> {
  const company = partner.company.id
  const events = Array.from({ length: n }, () => ({
    companyId: company,
    type: 'ping' as const,
    data: { company },
  }))
  return app.db.transaction((tx) => app.services.events.emit(tx, events))
}

/** The company's endpoint as the worker sees it: timeouts in a row and its pause. */
async function endpointState(partner: Partner) {
  const [row] = await app.db.query<{ timeouts: number; paused_until: Date | null }>(
    'SELECT timeouts, paused_until FROM webhook_endpoints WHERE company_id = $1',
    [partner.company.id],
  )
  return row ?? { timeouts: 0, paused_until: null }
}

function call(partner: Partner, method: 'GET' | 'POST', url: string) {
  return app.inject({ method, url, headers: { authorization: partner.auth } })
}

async function deliveries(partner: Partner) {
  const res = await call(partner, 'GET', '/v1/webhook-deliveries?limit=100')
  expect(res.statusCode, res.body).toBe(200)
  return res.json().data as {
    id: string
    status: string
    attempt_count: number
    next_attempt_at: string | null
    attempts: { http_status: number | null; succeeded: boolean }[]
  }[]
}

/** The events from `receiver` signed for the partner (several partners share a receiver). */
function eventsOf(receiver: Receiver, partner: Partner) {
  return receiver.received.flatMap((r) => {
    try {
      return [verify(partner.company.webhook_secret, r)]
    } catch {
      return []
    }
  })
}

const received = (receiver: Receiver, partner: Partner) => eventsOf(receiver, partner).length

describe('an endpoint that times out', () => {
  it('pauses only its own company, longer each time, one delivery at a time after a pause, until it answers', async () => {
    const slowEndpoint = await hangingEndpoint()
    const slow = await listening(await registerCompany(app), slowEndpoint.url)
    const other = await listening(await registerCompany(app), answering.url)
    await queuePings(slow, 10)
    await queuePings(other, 2)

    // The first round sends the company's cap; all of it times out, and the company pauses.
    await app.services.webhookWorker.drain()
    expect(slowEndpoint.received).toHaveLength(PER_COMPANY)
    expect(received(answering, other)).toBe(2)
    const paused = await endpointState(slow)
    expect(paused.timeouts).toBe(PER_COMPANY)
    // 5 s doubled for each timeout past the third.
    expect(paused.paused_until?.getTime()).toBe(clock.now().getTime() + 5_000 * 2 ** (PER_COMPANY - 3))
    expect(await endpointState(other)).toEqual({ timeouts: 0, paused_until: null })

    // While it is paused, nothing goes to it, and the other company's events go at once.
    await queuePings(other, 1)
    clock.advance(5_000)
    await app.services.webhookWorker.drain()
    expect(slowEndpoint.received).toHaveLength(PER_COMPANY)
    expect(received(answering, other)).toBe(3)

    // After the pause one delivery tries; it times out, and the next pause is twice as long.
    clock.advance(5_001)
    await app.services.webhookWorker.drain()
    expect(slowEndpoint.received).toHaveLength(PER_COMPANY + 1)
    const longer = await endpointState(slow)
    expect(longer.timeouts).toBe(PER_COMPANY + 1)
    expect(longer.paused_until?.getTime()).toBe(clock.now().getTime() + 5_000 * 2 ** (PER_COMPANY - 2))

    // An answer ends the pause: everything due is sent, the cap's worth at a time.
    slowEndpoint.answerByDefault(200)
    clock.advance(20_001)
    await app.services.webhookWorker.drain()
    expect(await endpointState(slow)).toEqual({ timeouts: 0, paused_until: null })
    const log = await deliveries(slow)
    expect(log).toHaveLength(10)
    expect(log.every((d) => d.status === 'succeeded')).toBe(true)
    expect(slowEndpoint.mostConcurrent()).toBeLessThanOrEqual(PER_COMPANY)
  })
  it('does not pause for connections refused at once: they only follow the retry schedule', async () => {
    const down = await startReceiver()
    await down.stop()
    const partner = await listening(await registerCompany(app), down.url)
    await queuePings(partner, 2 * PER_COMPANY)
    await app.services.webhookWorker.drain()
    const log = await deliveries(partner)
    expect(log.map((d) => d.attempt_count)).toEqual(Array(2 * PER_COMPANY).fill(1))
    expect(await endpointState(partner)).toEqual({ timeouts: 0, paused_until: null })
  })
})

describe('test events and manual retries', () => {
  it(`allows ${MANUAL_PER_MINUTE} a minute per company, then answers 429 rate_limited with Retry-After and changes nothing`, async () => {
    const partner = await listening(await registerCompany(app), answering.url)
    const ping = () => call(partner, 'POST', '/v1/company/webhooks/test')
    const first = await ping()
    expect(first.statusCode, first.body).toBe(202)
    await app.services.webhookWorker.drain()
    const retried = await call(partner, 'POST', `/v1/webhook-deliveries/${first.json().id}/retry`)
    expect(retried.statusCode, retried.body).toBe(202)
    await app.services.webhookWorker.drain()
    clock.advance(20_000)
    expect((await ping()).statusCode).toBe(202)
    await app.services.webhookWorker.drain()
    const before = await deliveries(partner)

    const refused = await ping()
    expectProblem(refused, 429, 'rate_limited')
    // The minute started with the first request, 20 s ago.
    expect(refused.headers['retry-after']).toBe('40')
    const refusedRetry = await app.inject({
      method: 'POST',
      url: `/v1/webhook-deliveries/${first.json().id}/retry`,
      headers: { authorization: partner.auth, 'idempotency-key': newKey() },
    })
    expectProblem(refusedRetry, 429, 'rate_limited')
    expect(Number(refusedRetry.headers['retry-after'])).toBe(40)
    expect(await app.services.webhookWorker.drain()).toBe(0)
    expect(await deliveries(partner)).toEqual(before)

    // Another company is not limited by this one's requests.
    const other = await listening(await registerCompany(app), answering.url)
    expect((await call(other, 'POST', '/v1/company/webhooks/test')).statusCode).toBe(202)

    clock.advance(40_000)
    expect((await ping()).statusCode).toBe(202)
    await app.services.webhookWorker.drain()
  })
})

describe('attempt retention', () => {
  it('drops attempts older than the retention, keeping each delivery’s last attempt', async () => {
    const endpoint = await startReceiver()
    const partner = await listening(await registerCompany(app), endpoint.url)
    const [retriedLater, deliveredEarly] = (await queuePings(partner, 2)) as [string, string]
    endpoint.answer(500, 500)
    await app.services.webhookWorker.drain()
    clock.advance(2_300)
    await app.services.webhookWorker.drain()
    const realTime = clock.now()
    try {
      // A month later the first delivery is retried once more: that attempt is recent.
      clock.advance(31 * 86_400_000)
      endpoint.answer(500)
      const res = await call(partner, 'POST', `/v1/webhook-deliveries/${retriedLater}/retry`)
      expect(res.statusCode, res.body).toBe(202)
      await app.services.webhookWorker.drain()
      const statuses = async () =>
        Object.fromEntries(
          (await deliveries(partner)).map((d) => [d.id, d.attempts.map((a) => a.http_status)]),
        )
      expect(await statuses()).toEqual({ [retriedLater]: [500, 200, 500], [deliveredEarly]: [500, 200] })

      const attempts = async () =>
        Number((await app.db.query<{ n: bigint }>('SELECT count(*) AS n FROM webhook_attempts'))[0]?.n)
      const stored = await attempts()
      const pruned = await app.services.webhooks.pruneAttempts(
        new Date(clock.now().getTime() - 30 * 86_400_000),
      )
      expect(await statuses()).toEqual({ [retriedLater]: [500], [deliveredEarly]: [200] })
      expect(pruned).toBeGreaterThanOrEqual(3)
      expect(await attempts()).toBe(stored - pruned)
      // Every delivery ever attempted (those of the other tests too) still shows its last attempt.
      const bare = await app.db.query(
        `SELECT d.id FROM webhook_deliveries d
          WHERE d.attempt_count > 0 AND NOT EXISTS (SELECT 1 FROM webhook_attempts a WHERE a.delivery_id = d.id)`,
      )
      expect(bare).toEqual([])
      expect(await app.services.webhooks.pruneAttempts(clock.now())).toBe(0)
    } finally {
      clock.set(realTime)
      await endpoint.stop()
    }
  })
})

describe('fairness across companies', () => {
  it('keeps a company’s cap across two workers, each counting the other’s deliveries in flight', async () => {
    const endpoint = await startReceiver({ delayMs: 150 })
    const partner = await listening(await registerCompany(app), endpoint.url)
    await queuePings(partner, 3 * PER_COMPANY)
    const errors: unknown[] = []
    // A second process's worker, as `protus worker` runs it, beside this one's.
    const worker = () =>
      createDeliveryWorker({
        db: app.db,
        repo: createWebhooksRepository(),
        clock,
        sender: createWebhookSender({ timeoutMs: 5_000, allowPrivate: true }),
        targets: (ids) => app.services.companies.webhookTargets(ids),
        options: { schedule: [2], timeoutMs: 5_000, concurrency: 64, perCompany: PER_COMPANY, pollMs: 1_000 },
        onError: (error) => errors.push(error),
      })
    const workers = [worker(), worker()] as const
    try {
      const first = workers[0].drain()
      // The second worker looks while the first one's claims are being answered.
      await endpoint.waitFor((all) => all.length >= PER_COMPANY, 5_000)
      const sent = await Promise.all([first, workers[1].drain()])
      expect(sent[0] + sent[1]).toBe(3 * PER_COMPANY)
    } finally {
      await Promise.all(workers.map((w) => w.stop()))
      await endpoint.stop()
    }
    expect(errors).toEqual([])
    expect(endpoint.mostConcurrent()).toBe(PER_COMPANY)
    expect((await deliveries(partner)).every((d) => d.status === 'succeeded')).toBe(true)
  })

  it('delivers another company’s charge.succeeded within 2 s while one company’s endpoint hangs on thousands of due events', async () => {
    const slowEndpoint = await hangingEndpoint()
    const slow = await listening(await registerCompany(app), slowEndpoint.url)
    const payer = await partnerWithAccount(app, 10_000)
    await listening(payer, answering.url)
    await queuePings(slow, 3_000)
    // The slow company's events are older than anything else.
    clock.advance(1_000)

    app.services.webhookWorker.start()
    try {
      await slowEndpoint.waitFor((all) => all.length >= PER_COMPANY, 5_000)
      const sentAt = Date.now()
      const res = await payer.post('/v1/charges', { account: payer.account.id, amount: 700 })
      expect(res.statusCode, res.body).toBe(201)
      const charge = res.json()
      const arrived = (id: string) => () =>
        eventsOf(answering, payer).some((e) => e.type === 'charge.succeeded' && e.data.id === id)
      await answering.waitFor(arrived(charge.id), 2_000)
      expect(Date.now() - sentAt).toBeLessThan(2_000)

      // The slow company's first cap of deliveries times out and it pauses; the payer's events still go.
      await expect
        .poll(async () => (await endpointState(slow)).paused_until, { timeout: 5_000 })
        .not.toBeNull()
      const second = await payer.post('/v1/charges', { account: payer.account.id, amount: 300 })
      expect(second.statusCode, second.body).toBe(201)
      await answering.waitFor(arrived(second.json().id), 2_000)
      const tried = slowEndpoint.received.length
      await new Promise((r) => setTimeout(r, 1_500))
      expect(slowEndpoint.received.length).toBe(tried)
      expect(slowEndpoint.mostConcurrent()).toBe(PER_COMPANY)
      expect(await endpointState(payer)).toEqual({ timeouts: 0, paused_until: null })
    } finally {
      await app.services.webhookWorker.stop()
    }
  })
})
