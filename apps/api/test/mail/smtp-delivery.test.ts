import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createManualClock } from '../../src/lib/clock.js'
import { createMailRepository } from '../../src/modules/mail/mail.repository.js'
import { createSmtpTransport } from '../../src/modules/mail/mail-transport.js'
import { createMailWorker } from '../../src/modules/mail/mail-worker.js'
import { buildTestApp } from '../support/app.js'
import { enqueueTest, mailCount, storedMail } from './helpers.js'
import { type SmtpReceiver, startSmtpReceiver } from './smtp-receiver.js'

const clock = createManualClock(new Date('2031-03-01T10:00:00Z'))
const FROM = 'PROTUS Billing <billing@protus.test>'
let app: FastifyInstance
let smtp: SmtpReceiver

beforeAll(async () => {
  smtp = await startSmtpReceiver()
  app = await buildTestApp(
    {
      PROTUS_SMTP_URL: smtp.url,
      PROTUS_MAIL_FROM: FROM,
      PROTUS_MAIL_WORKER: '0',
      PROTUS_MAIL_RETRY_SCHEDULE: '60,600',
    },
    { clock },
  )
})
afterAll(async () => {
  await app.close()
  await smtp.stop()
})
beforeEach(() => {
  smtp.received.length = 0
  smtp.attempts = 0
  smtp.refuse = () => undefined
  smtp.hold = undefined
})

const worker = () => app.services.mailWorker
/** Past a wait of the schedule, jitter (up to 10%) included. */
const pastWait = (seconds: number) => clock.advance(Math.ceil(seconds * 1.1 + 1) * 1000)

describe('email over SMTP', () => {
  it('sends the message from PROTUS_MAIL_FROM with its subject, plain text and escaped HTML', async () => {
    const id = await enqueueTest(app, 'Pat@example.com', 'Tom & <Jerry>')
    expect(smtp.received).toEqual([])
    expect(await worker().drain()).toBe(1)

    expect(smtp.received).toHaveLength(1)
    const [mail] = smtp.received
    expect(mail?.envelopeFrom).toBe('billing@protus.test')
    expect(mail?.envelopeTo).toEqual(['Pat@example.com'])
    expect(mail?.from).toBe('PROTUS Billing <billing@protus.test>')
    expect(mail?.to).toBe('Pat@example.com')
    expect(mail?.subject).toBe('PROTUS test message')
    expect(mail?.messageId).toBe(`<${id}@protus.test>`)
    expect(mail?.text).toContain('If you are reading it, PROTUS can send you email.')
    expect(mail?.text).toContain('Note from the sender: Tom & <Jerry>')
    expect(mail?.html).toContain('<html lang="en">')
    expect(mail?.html).toContain('Note from the sender: Tom &amp; &lt;Jerry&gt;')
    expect(mail?.html).not.toContain('<Jerry>')

    const row = await storedMail(app, id)
    expect(row).toMatchObject({ status: 'sent', attempt_count: 1, transport: 'smtp', next_attempt_at: null })
    expect(row.sent_at?.toISOString()).toBe(clock.now().toISOString())
    // Sent once: a later drain has nothing to do.
    expect(await worker().drain()).toBe(0)
    expect(smtp.received).toHaveLength(1)
  })

  it('writes in the recipient’s language: a Russian subject and body arrive intact', async () => {
    await enqueueTest(app, 'anna@example.com', 'Привет', 'ru')
    await worker().drain()
    const [mail] = smtp.received
    expect(mail?.subject).toBe('Тестовое письмо PROTUS')
    expect(mail?.text).toContain('Это тестовое письмо от PROTUS.')
    expect(mail?.text).toContain('Примечание отправителя: Привет')
    expect(mail?.html).toContain('<html lang="ru">')
    expect(mail?.html).toContain('Примечание отправителя: Привет')
  })

  it('tries again after a refusal (451) on the retry schedule, and the message arrives once', async () => {
    smtp.refuse = (n) => (n === 1 ? { code: 451, message: 'Try again later' } : undefined)
    const id = await enqueueTest(app, 'retry@example.com')
    expect(await worker().drain()).toBe(1)
    const waiting = await storedMail(app, id)
    expect(waiting).toMatchObject({ status: 'pending', attempt_count: 1 })
    expect(waiting.last_error).toMatch(/451/)
    const wait = (waiting.next_attempt_at?.getTime() ?? 0) - clock.now().getTime()
    expect(wait).toBeGreaterThanOrEqual(60_000)
    expect(wait).toBeLessThanOrEqual(66_000)
    expect(smtp.received).toEqual([])

    // Not before its time.
    clock.advance(30_000)
    expect(await worker().drain()).toBe(0)
    pastWait(60)
    expect(await worker().drain()).toBe(1)
    expect(smtp.attempts).toBe(2)
    expect(smtp.received.map((m) => m.to)).toEqual(['retry@example.com'])
    expect(await storedMail(app, id)).toMatchObject({ status: 'sent', attempt_count: 2, last_error: null })
  })

  it('gives up after the last attempt of the schedule: the message has failed and is not sent again', async () => {
    smtp.refuse = () => ({ code: 451, message: 'Mailbox busy' })
    const id = await enqueueTest(app, 'busy@example.com')
    await worker().drain()
    pastWait(60)
    await worker().drain()
    expect(await storedMail(app, id)).toMatchObject({ status: 'pending', attempt_count: 2 })
    pastWait(600)
    await worker().drain()
    const failed = await storedMail(app, id)
    expect(failed).toMatchObject({ status: 'failed', attempt_count: 3, next_attempt_at: null })
    expect(failed.failed_at).not.toBeNull()
    expect(failed.last_error).toMatch(/451/)
    clock.advance(86_400_000)
    expect(await worker().drain()).toBe(0)
    expect(smtp.attempts).toBe(3)
    expect(smtp.received).toEqual([])
  })

  it('gives up at once when the server refuses the message itself (550)', async () => {
    smtp.refuse = () => ({ code: 550, message: 'No such user here' })
    const id = await enqueueTest(app, 'nobody@example.com')
    await worker().drain()
    expect(await storedMail(app, id)).toMatchObject({ status: 'failed', attempt_count: 1 })
    clock.advance(86_400_000)
    expect(await worker().drain()).toBe(0)
    expect(smtp.attempts).toBe(1)
  })

  it('sends nothing for a message enqueued in a transaction that rolled back', async () => {
    const before = await mailCount(app)
    await expect(
      app.db.transaction(async (tx) => {
        await app.services.mail.enqueue(tx, {
          to: 'ghost@example.com',
          template: 'test_message',
          locale: 'en',
          params: { note: '' },
        })
        throw new Error('the change failed')
      }),
    ).rejects.toThrow('the change failed')
    expect(await mailCount(app)).toBe(before)
    expect(await worker().drain()).toBe(0)
    expect(smtp.attempts).toBe(0)
  })

  it('refuses to enqueue to something that is not one address', async () => {
    for (const to of ['', 'no-at-sign', 'a@b.c, d@e.f', 'a@b.c\r\nBcc: x@y.z', `${'a'.repeat(250)}@b.cd`]) {
      await expect(enqueueTest(app, to)).rejects.toThrow(/not a mail address/)
    }
  })
})

describe('several workers on one database', () => {
  const secondWorker = () =>
    createMailWorker({
      db: app.db,
      repo: createMailRepository(),
      clock,
      transport: createSmtpTransport(smtp.url, FROM),
      options: { schedule: [60], concurrency: 8, pollMs: 1000 },
      onError: () => {},
    })

  it('send each message once when they drain at the same time', async () => {
    const other = secondWorker()
    try {
      for (let i = 0; i < 20; i++) await enqueueTest(app, `crowd${i}@example.com`)
      const [a, b] = await Promise.all([worker().drain(), other.drain()])
      expect(a + b).toBe(20)
      expect(smtp.attempts).toBe(20)
      expect(new Set(smtp.received.map((m) => m.to)).size).toBe(20)
    } finally {
      await other.stop()
    }
  })

  it('leave a message alone while another worker’s lease on it holds', async () => {
    const other = secondWorker()
    try {
      let release = () => {}
      smtp.hold = new Promise<void>((resolve) => {
        release = resolve
      })
      const id = await enqueueTest(app, 'slow@example.com')
      const first = worker().drain()
      await expect.poll(() => smtp.attempts, { timeout: 10_000 }).toBe(1)
      expect(await other.drain()).toBe(0)
      clock.advance(60_000)
      expect(await other.drain()).toBe(0)
      release()
      expect(await first).toBe(1)
      expect(await storedMail(app, id)).toMatchObject({ status: 'sent', attempt_count: 1 })
      clock.advance(600_000)
      expect(await other.drain()).toBe(0)
      expect(smtp.received.map((m) => m.to)).toEqual(['slow@example.com'])
    } finally {
      await other.stop()
    }
  })

  it('send a message whose worker died once its lease has ended', async () => {
    const id = await enqueueTest(app, 'orphan@example.com')
    const now = clock.now()
    const claimed = await createMailRepository().claimDue(
      app.db,
      now,
      'a-worker-that-died',
      new Date(now.getTime() + 125_000),
      10,
    )
    expect(claimed.map((m) => m.id)).toEqual([id])
    expect(await worker().drain()).toBe(0)
    expect(await worker().nextDueAt()).toEqual(new Date(now.getTime() + 125_000))
    clock.advance(125_000)
    expect(await worker().drain()).toBe(1)
    expect(smtp.received.map((m) => m.to)).toEqual(['orphan@example.com'])
    expect(await storedMail(app, id)).toMatchObject({ status: 'sent', attempt_count: 1 })
  })
})

describe('mail metrics', () => {
  it('count messages waiting and failed, and this process’s attempts', async () => {
    smtp.refuse = () => ({ code: 550, message: 'No' })
    await enqueueTest(app, 'never@example.com')
    await worker().drain()
    smtp.refuse = () => ({ code: 451, message: 'Later' })
    await enqueueTest(app, 'later@example.com')
    await worker().drain()
    await enqueueTest(app, 'queued@example.com')
    const res = await app.inject({ method: 'GET', url: '/metrics' })
    expect(res.statusCode).toBe(200)
    const value = (line: string) => Number(new RegExp(`^${line} (\\S+)$`, 'm').exec(res.body)?.[1])
    expect(value('protus_mail_queue_depth\\{state="due"\\}')).toBe(1)
    expect(value('protus_mail_queue_depth\\{state="scheduled"\\}')).toBeGreaterThanOrEqual(1)
    expect(value('protus_mail_failed_messages')).toBeGreaterThanOrEqual(1)
    expect(value('protus_mail_attempts_total\\{outcome="sent"\\}')).toBeGreaterThan(0)
    expect(value('protus_mail_attempts_total\\{outcome="failed"\\}')).toBeGreaterThan(0)
    expect(value('protus_mail_attempts_total\\{outcome="retrying"\\}')).toBeGreaterThan(0)
    smtp.refuse = () => undefined
    clock.advance(86_400_000)
    await worker().drain()
  })
})
