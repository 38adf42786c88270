import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createManualClock } from '../../src/lib/clock.js'
import { buildTestApp } from '../support/app.js'
import { expectProblem } from '../support/http.js'
import { enqueueTest, storedMail } from './helpers.js'
import { startSmtpReceiver } from './smtp-receiver.js'

const clock = createManualClock(new Date('2031-05-01T08:00:00Z'))
let app: FastifyInstance

beforeAll(async () => {
  app = await buildTestApp({ PROTUS_MAIL_WORKER: '0', PROTUS_MAIL_KEEP_DAYS: '3' }, { clock })
})
afterAll(async () => {
  await app.close()
})

type MailboxPage = {
  data: {
    id: string
    to: string
    subject: string
    text: string
    html: string
    created_at: string
    sent_at: string
  }[]
  has_more: boolean
}
const mailbox = async (query: string) => {
  const res = await app.inject({ method: 'GET', url: `/v1/sandbox/mail${query}` })
  expect(res.statusCode).toBe(200)
  return res.json() as MailboxPage
}

describe('the sandbox mailbox (sandbox mode without SMTP)', () => {
  it('answers the messages sent to an address, newest first, without authentication', async () => {
    const first = await enqueueTest(app, 'reader@example.com', 'first <b>note</b>')
    clock.advance(1000)
    const other = await enqueueTest(app, 'someone-else@example.com')
    clock.advance(1000)
    const second = await enqueueTest(app, 'Reader@Example.com', 'second', 'ru')
    // Not in the mailbox before the worker has delivered it.
    expect((await mailbox('?to=reader@example.com')).data).toEqual([])
    expect(await app.services.mailWorker.drain()).toBe(3)

    const page = await mailbox('?to=READER@example.com')
    expect(page.has_more).toBe(false)
    expect(page.data.map((m) => m.id)).toEqual([second, first])
    const [newest, oldest] = page.data
    expect(newest).toEqual({
      id: second,
      to: 'Reader@Example.com',
      subject: 'Тестовое письмо PROTUS',
      text: expect.stringContaining('Примечание отправителя: second'),
      html: expect.stringContaining('<html lang="ru">'),
      created_at: clock.now().toISOString(),
      sent_at: clock.now().toISOString(),
    })
    expect(oldest?.subject).toBe('PROTUS test message')
    expect(oldest?.text).toContain('Note from the sender: first <b>note</b>')
    expect(oldest?.html).toContain('Note from the sender: first &lt;b&gt;note&lt;/b&gt;')
    expect(await storedMail(app, first)).toMatchObject({ status: 'sent', transport: 'mailbox' })

    const everything = await mailbox('')
    expect(everything.data.map((m) => m.id).slice(0, 3)).toEqual([second, other, first])
  })

  it('pages with limit and starting_after', async () => {
    const ids: string[] = []
    for (let i = 0; i < 3; i++) {
      ids.push(await enqueueTest(app, 'pages@example.com', `n${i}`))
      clock.advance(10)
    }
    await app.services.mailWorker.drain()
    const one = await mailbox('?to=pages@example.com&limit=2')
    expect(one.data.map((m) => m.id)).toEqual([ids[2], ids[1]])
    expect(one.has_more).toBe(true)
    const two = await mailbox(`?to=pages@example.com&limit=2&starting_after=${ids[1]}`)
    expect(two.data.map((m) => m.id)).toEqual([ids[0]])
    expect(two.has_more).toBe(false)
  })

  it('refuses a query that is not an address or a message id with 400 validation_failed', async () => {
    for (const query of [
      '?to=not-an-address',
      '?starting_after=whd_1',
      '?limit=0',
      '?limit=101',
      '?other=1',
    ]) {
      expectProblem(
        await app.inject({ method: 'GET', url: `/v1/sandbox/mail${query}` }),
        400,
        'validation_failed',
      )
    }
  })

  it('keeps delivered messages for PROTUS_MAIL_KEEP_DAYS, then the retention sweep deletes them', async () => {
    const kept = await enqueueTest(app, 'kept@example.com')
    await app.services.mailWorker.drain()
    clock.advance(3 * 86_400_000 - 1000)
    await app.services.retention.runOnce()
    expect((await mailbox('?to=kept@example.com')).data.map((m) => m.id)).toEqual([kept])
    clock.advance(2000)
    const pass = await app.services.retention.runOnce()
    expect(pass.mail_messages).toBeGreaterThanOrEqual(1)
    expect((await mailbox('?to=kept@example.com')).data).toEqual([])
    expect(await app.db.query('SELECT id FROM mail_messages WHERE id = $1', [kept])).toEqual([])
  })
})

describe('the mail worker inside the server', () => {
  it('delivers a message soon after it is enqueued, without a drain', async () => {
    const server = await buildTestApp()
    try {
      const id = await enqueueTest(server, 'prompt@example.com')
      await expect
        .poll(
          async () => {
            const res = await server.inject({ method: 'GET', url: '/v1/sandbox/mail?to=prompt@example.com' })
            return (res.json() as MailboxPage).data.map((m) => m.id)
          },
          { timeout: 5_000, interval: 50 },
        )
        .toEqual([id])
    } finally {
      await server.close()
    }
  })
})

describe('mail on the sandbox clock', () => {
  it('sends a retry that comes due while the clock moves forward', async () => {
    const smtp = await startSmtpReceiver()
    smtp.refuse = (n) => (n === 1 ? { code: 421, message: 'Service not available' } : undefined)
    const server = await buildTestApp({
      PROTUS_TEST_CLOCK: 'true',
      PROTUS_SMTP_URL: smtp.url,
      PROTUS_MAIL_WORKER: '0',
      PROTUS_MAIL_RETRY_SCHEDULE: '3600',
    })
    try {
      const { testClock } = server.services
      expect(server.services.dueWork.map((w) => w.name)).toContain('mail')
      const id = await enqueueTest(server, 'clock@example.com')
      await server.services.mailWorker.drain()
      expect(await storedMail(server, id)).toMatchObject({ status: 'pending', attempt_count: 1 })
      await testClock?.advance(1800)
      expect(smtp.received).toEqual([])
      await testClock?.advance(2 * 3600)
      expect(smtp.received.map((m) => m.to)).toEqual(['clock@example.com'])
      expect(await storedMail(server, id)).toMatchObject({ status: 'sent', attempt_count: 2 })
    } finally {
      await server.close()
      await smtp.stop()
    }
  })
})

describe('the sandbox mailbox in live mode', () => {
  it('does not exist: 404 like any unknown path', async () => {
    const live = await buildTestApp({ PROTUS_MODE: 'live', PROTUS_SMTP_URL: 'smtp://127.0.0.1:9' })
    try {
      expectProblem(await live.inject({ method: 'GET', url: '/v1/sandbox/mail' }), 404, 'not_found')
      expectProblem(
        await live.inject({ method: 'GET', url: '/v1/sandbox/mail?to=a@example.com' }),
        404,
        'not_found',
      )
    } finally {
      await live.close()
    }
  })
})
