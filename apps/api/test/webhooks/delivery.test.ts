import type { FastifyInstance } from 'fastify'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createManualClock } from '../../src/lib/clock.js'
import { buildTestApp } from '../support/app.js'
import { expectProblem, registerCompany, signIn } from '../support/http.js'
import { expectLedgerSound, partnerWithAccount } from '../support/money.js'
import { type Receiver, setWebhookUrl, startReceiver, verify } from '../support/webhook-receiver.js'

// A short schedule (seconds) on a clock the tests move: failures are retried without waiting. The
// clock stays within minutes of real time, as receivers refuse signatures more than 5 minutes off.
const clock = createManualClock(new Date())
let app: FastifyInstance
let receiver: Receiver

beforeAll(async () => {
  app = await buildTestApp(
    {
      PROTUS_WEBHOOK_ALLOW_PRIVATE: '1',
      PROTUS_WEBHOOK_RETRY_SCHEDULE: '2,2,2',
      PROTUS_WEBHOOK_TIMEOUT_SECONDS: '1',
      PROTUS_SECRET_OVERLAP_SECONDS: '30',
    },
    { clock },
  )
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

type Partner = Awaited<ReturnType<typeof registerCompany>>

async function partnerListening(url = receiver.url): Promise<Partner> {
  const partner = await registerCompany(app)
  await setWebhookUrl(app, partner.auth, url)
  return partner
}

function call(partner: Partner, method: 'GET' | 'POST', url: string) {
  return app.inject({ method, url, headers: { authorization: partner.auth } })
}

async function ping(partner: Partner): Promise<{ id: string; event: { id: string } }> {
  const res = await call(partner, 'POST', '/v1/company/webhooks/test')
  expect(res.statusCode, res.body).toBe(202)
  return res.json()
}

async function delivery(partner: Partner, id: string) {
  const res = await call(partner, 'GET', `/v1/webhook-deliveries/${id}`)
  expect(res.statusCode, res.body).toBe(200)
  return res.json()
}

/** Moves the clock past the longest wait of the short schedule (2 s plus jitter) and sends what is due. */
async function later() {
  clock.advance(2_300)
  return app.services.webhookWorker.drain()
}

describe('retries', () => {
  it('retries through a 500, a timeout and a refused connection, then delivers once the receiver recovers', async () => {
    const partner = await partnerListening()
    const sent = await ping(partner)
    expect(sent).toMatchObject({ status: 'pending', attempt_count: 0, event: { type: 'ping' } })

    receiver.answer(500, 'hang')
    await app.services.webhookWorker.drain()
    expect((await delivery(partner, sent.id)).attempts).toHaveLength(1)
    await later()
    await receiver.stop()
    await later()
    // Not due yet: nothing is sent before its time.
    expect(await app.services.webhookWorker.drain()).toBe(0)
    await receiver.start()
    await later()

    const log = await delivery(partner, sent.id)
    expect(log.status).toBe('succeeded')
    expect(log.attempt_count).toBe(4)
    expect(log.next_attempt_at).toBeNull()
    expect(
      log.attempts.map((a: { http_status: number | null; error: string | null }) => a.http_status ?? a.error),
    ).toEqual([500, expect.stringMatching(/^timeout/), 'connection refused', 200])
    expect(log.attempts[0]).toMatchObject({
      succeeded: false,
      manual: false,
      url: receiver.url,
      response_excerpt: 'answered 500',
    })
    expect(log.attempts[3]).toMatchObject({ succeeded: true, response_excerpt: 'answered 200' })
    // The same event, signed again for each attempt, verifies every time.
    const arrivals = receiver.received.filter((r) => r.id === sent.event.id)
    expect(arrivals).toHaveLength(3)
    for (const arrival of arrivals) expect(verify(partner.company.webhook_secret, arrival).type).toBe('ping')
  })

  it('marks a delivery failed when the schedule runs out, and a manual retry sends it again', async () => {
    const partner = await partnerListening()
    receiver.answerByDefault(503)
    const sent = await ping(partner)
    await app.services.webhookWorker.drain()
    for (let i = 0; i < 3; i++) await later()
    const failed = await delivery(partner, sent.id)
    expect(failed).toMatchObject({ status: 'failed', attempt_count: 4, next_attempt_at: null })
    expect(failed.completed_at).toEqual(expect.any(String))
    expect(await later()).toBe(0)

    const listed = await call(partner, 'GET', '/v1/webhook-deliveries?status=failed')
    expect(listed.json().data.map((d: { id: string }) => d.id)).toEqual([sent.id])

    receiver.answerByDefault(200)
    const retried = await call(partner, 'POST', `/v1/webhook-deliveries/${sent.id}/retry`)
    expect(retried.statusCode, retried.body).toBe(202)
    expect(retried.json()).toMatchObject({ status: 'pending', completed_at: null })
    await app.services.webhookWorker.drain()
    const done = await delivery(partner, sent.id)
    expect(done.status).toBe('succeeded')
    expect(done.attempts.at(-1)).toMatchObject({ manual: true, succeeded: true, http_status: 200 })
  })

  it('does not follow redirects', async () => {
    const partner = await partnerListening()
    receiver.answer(302)
    const sent = await ping(partner)
    await app.services.webhookWorker.drain()
    const log = await delivery(partner, sent.id)
    expect(log.status).toBe('pending')
    expect(log.attempts[0]).toMatchObject({ http_status: 302, succeeded: false })
    await later()
    expect((await delivery(partner, sent.id)).status).toBe('succeeded')
  })
})

describe('an endpoint that answers 410 Gone', () => {
  it('is disabled, keeps its events, and is enabled again when the company sets its URL', async () => {
    const partner = await partnerWithAccount(app, 1_000)
    const setUrl = () =>
      app.inject({
        method: 'PATCH',
        url: '/v1/company',
        headers: { authorization: partner.auth },
        payload: { webhook_url: receiver.url },
      })
    expect((await setUrl()).statusCode).toBe(200)
    await app.services.webhookWorker.drain()
    receiver.answer(410)
    const charge = (await partner.post('/v1/charges', { account: partner.account.id, amount: 100 })).json()
    await app.services.webhookWorker.drain()

    const endpoint = await app.inject({
      method: 'GET',
      url: '/v1/company/webhooks',
      headers: { authorization: partner.auth },
    })
    expect(endpoint.json()).toMatchObject({
      url: receiver.url,
      status: 'disabled',
      disabled_reason: `${receiver.url} answered 410 Gone`,
    })
    expectProblem(
      await call(partner, 'POST', '/v1/company/webhooks/test'),
      409,
      'webhook_endpoint_unavailable',
    )
    // While disabled nothing is sent, however long it waits.
    await partner.post('/v1/charges', { account: partner.account.id, amount: 50 })
    clock.advance(60_000)
    expect(await app.services.webhookWorker.drain()).toBe(0)

    expect((await setUrl()).statusCode).toBe(200)
    const enabled = await app.inject({
      method: 'GET',
      url: '/v1/company/webhooks',
      headers: { authorization: partner.auth },
    })
    expect(enabled.json()).toMatchObject({ status: 'enabled', disabled_at: null })
    await app.services.webhookWorker.drain()
    const list = await partner.get('/v1/webhook-deliveries?type=charge.succeeded')
    const deliveries = list.json().data as {
      status: string
      event: { data: { id: string; amount: number } }
    }[]
    expect(deliveries.map((d) => [d.event.data.amount, d.status])).toEqual([
      [50, 'succeeded'],
      [100, 'succeeded'],
    ])
    expect(deliveries[1]?.event.data.id).toBe(charge.id)
  })
})

describe('secrets', () => {
  it('signs with both secrets during a rotation, so the receiver verifies with either', async () => {
    const partner = await partnerListening()
    const dashboard = await signIn(app, 'company', partner.email, partner.password)
    const rotated = await app.inject({
      method: 'POST',
      url: '/v1/company/secrets/webhook_secret/rotate',
      headers: dashboard.headers,
    })
    expect(rotated.statusCode).toBe(200)
    const newSecret = rotated.json().webhook_secret as string
    const sent = await ping(partner)
    await app.services.webhookWorker.drain()
    const arrival = receiver.received.find((r) => r.id === sent.event.id)
    if (!arrival) throw new Error('the ping did not arrive')
    expect(String(arrival.headers['webhook-signature']).split(' ')).toHaveLength(2)
    expect(verify(partner.company.webhook_secret, arrival).type).toBe('ping')
    expect(verify(newSecret, arrival).type).toBe('ping')
    expect(() => verify(`whsec_${Buffer.alloc(32, 1).toString('base64')}`, arrival)).toThrow()

    // After the overlap only the new secret signs.
    clock.advance(31_000)
    const next = await ping(partner)
    await app.services.webhookWorker.drain()
    const after = receiver.received.find((r) => r.id === next.event.id)
    if (!after) throw new Error('the second ping did not arrive')
    expect(String(after.headers['webhook-signature']).split(' ')).toHaveLength(1)
    expect(verify(newSecret, after).type).toBe('ping')
    expect(() => verify(partner.company.webhook_secret, after)).toThrow()
  })

  it('signs only with the new secret right after a rotation that ends the old one at once', async () => {
    const partner = await partnerListening()
    // A delivery just before makes the worker remember the company's secrets.
    await ping(partner)
    await app.services.webhookWorker.drain()
    const dashboard = await signIn(app, 'company', partner.email, partner.password)
    const rotated = await app.inject({
      method: 'POST',
      url: '/v1/company/secrets/webhook_secret/rotate',
      headers: dashboard.headers,
      payload: { previous_expires_in: 0 },
    })
    expect(rotated.statusCode, rotated.body).toBe(200)
    const sent = await ping(partner)
    await app.services.webhookWorker.drain()
    const arrival = receiver.received.find((r) => r.id === sent.event.id)
    if (!arrival) throw new Error('the ping did not arrive')
    expect(String(arrival.headers['webhook-signature']).split(' ')).toHaveLength(1)
    expect(verify(rotated.json().webhook_secret, arrival).type).toBe('ping')
    expect(() => verify(partner.company.webhook_secret, arrival)).toThrow()
  })
})

describe('the delivery log', () => {
  it('filters by status and type, pages with a cursor, and hides other partners’ deliveries', async () => {
    const partner = await partnerListening()
    const other = await partnerListening()
    const ids = [(await ping(partner)).id, (await ping(partner)).id, (await ping(partner)).id]
    const page1 = (await call(partner, 'GET', '/v1/webhook-deliveries?limit=2&type=ping')).json()
    expect(page1.has_more).toBe(true)
    const page2 = (
      await call(partner, 'GET', `/v1/webhook-deliveries?limit=2&starting_after=${page1.data[1].id}`)
    ).json()
    expect([...page1.data, ...page2.data].map((d: { id: string }) => d.id)).toEqual([...ids].reverse())
    expect(page2.has_more).toBe(false)
    expect((await call(partner, 'GET', '/v1/webhook-deliveries?status=succeeded')).json().data).toEqual([])

    expectProblem(await call(other, 'GET', `/v1/webhook-deliveries/${ids[0]}`), 404, 'not_found')
    expectProblem(await call(other, 'POST', `/v1/webhook-deliveries/${ids[0]}/retry`), 404, 'not_found')
    expect((await call(other, 'GET', '/v1/webhook-deliveries')).json().data).toEqual([])
    expectProblem(await call(partner, 'GET', '/v1/webhook-deliveries?status=lost'), 400, 'validation_failed')
    expectProblem(
      await call(partner, 'GET', '/v1/webhook-deliveries?type=charge.exploded'),
      400,
      'validation_failed',
    )
    await app.services.webhookWorker.drain()
  })

  it('sends one ping for one Idempotency-Key, however often the request is retried', async () => {
    const partner = await partnerListening()
    const send = () =>
      app.inject({
        method: 'POST',
        url: '/v1/company/webhooks/test',
        headers: { authorization: partner.auth, 'idempotency-key': 'ping-1' },
      })
    const first = await send()
    const again = await send()
    expect(first.statusCode, first.body).toBe(202)
    expect(again.headers['idempotent-replayed']).toBe('true')
    expect(again.json().id).toBe(first.json().id)
    const list = await call(partner, 'GET', '/v1/webhook-deliveries?type=ping')
    expect(list.json().data).toHaveLength(1)
    await app.services.webhookWorker.drain()
  })

  it('is open to the company’s dashboard session, with its CSRF token for retries', async () => {
    const partner = await partnerListening()
    const session = await signIn(app, 'company', partner.email, partner.password)
    const sent = await app.inject({
      method: 'POST',
      url: '/v1/company/webhooks/test',
      headers: session.headers,
    })
    expect(sent.statusCode, sent.body).toBe(202)
    const noCsrf = await app.inject({
      method: 'POST',
      url: `/v1/webhook-deliveries/${sent.json().id}/retry`,
      headers: { cookie: session.cookie },
    })
    expectProblem(noCsrf, 403, 'csrf_token_invalid')
    const list = await app.inject({
      method: 'GET',
      url: '/v1/webhook-deliveries',
      headers: { cookie: session.cookie },
    })
    expect(list.json().data[0].id).toBe(sent.json().id)
    await app.services.webhookWorker.drain()
  })

  it('refuses a test event when no webhook URL is set, and skips events that had nowhere to go', async () => {
    const partner = await partnerWithAccount(app, 500)
    expectProblem(
      await call(partner, 'POST', '/v1/company/webhooks/test'),
      409,
      'webhook_endpoint_unavailable',
    )
    await app.services.webhookWorker.drain()
    const list = (await partner.get('/v1/webhook-deliveries')).json()
    expect(list.data).toHaveLength(1)
    expect(list.data[0]).toMatchObject({
      status: 'skipped',
      attempts: [],
      event: { type: 'account.created' },
    })
  })
})

describe('metrics', () => {
  it('shows outcomes, queue depth and the oldest pending age', async () => {
    const partner = await partnerListening()
    receiver.answerByDefault(500)
    await ping(partner)
    await app.services.webhookWorker.drain()
    clock.advance(7_000)
    const res = await app.inject({ method: 'GET', url: '/metrics' })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/plain/)
    const value = (pattern: RegExp) => Number(pattern.exec(res.body)?.[1] ?? Number.NaN)
    expect(value(/^protus_webhook_deliveries_total\{outcome="succeeded"\} (\d+)$/m)).toBeGreaterThan(0)
    expect(value(/^protus_webhook_deliveries_total\{outcome="retrying"\} (\d+)$/m)).toBeGreaterThan(0)
    expect(value(/^protus_webhook_queue_depth\{state="due"\} (\d+)$/m)).toBeGreaterThanOrEqual(1)
    expect(value(/^protus_webhook_oldest_pending_age_seconds (\d+)$/m)).toBeGreaterThanOrEqual(7)
    expect(res.body).toContain('# TYPE protus_webhook_deliveries_total counter')
  })
})

describe('hold expiry', () => {
  it('reports a hold that expired, when the sweeper records it', async () => {
    const partner = await partnerWithAccount(app, 1_000)
    await app.inject({
      method: 'PATCH',
      url: '/v1/company',
      headers: { authorization: partner.auth },
      payload: { webhook_url: receiver.url },
    })
    const hold = (
      await partner.post('/v1/holds', { account: partner.account.id, amount: 400, expires_in: 60 })
    ).json()
    clock.advance(61_000)
    expect(await app.services.holdSweeper.runOnce()).toBeGreaterThanOrEqual(1)
    await app.services.webhookWorker.drain()

    const list = (await partner.get('/v1/webhook-deliveries?type=hold.expired')).json()
    expect(list.data).toHaveLength(1)
    expect(list.data[0]).toMatchObject({
      status: 'succeeded',
      event: { type: 'hold.expired', data: { id: hold.id, status: 'expired', amount: 400 } },
    })
    const balance = (await partner.get(`/v1/accounts/${partner.account.id}/balance`)).json()
    expect(balance).toMatchObject({ available: 1_000, held: 0 })
  })
})
