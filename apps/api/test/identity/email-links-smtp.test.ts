import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createManualClock } from '../../src/lib/clock.js'
import { type SmtpReceiver, startSmtpReceiver } from '../mail/smtp-receiver.js'
import { buildTestApp } from '../support/app.js'
import { expectProblem, registerCustomer, signIn, unique } from '../support/http.js'

const clock = createManualClock(new Date('2031-07-01T09:00:00Z'))
let app: FastifyInstance
let smtp: SmtpReceiver

beforeAll(async () => {
  smtp = await startSmtpReceiver()
  app = await buildTestApp(
    { PROTUS_SMTP_URL: smtp.url, PROTUS_MAIL_WORKER: '0', PROTUS_PUBLIC_URL: 'https://protus.test' },
    { clock },
  )
})
afterAll(async () => {
  await app.close()
  await smtp.stop()
})

/** The messages the SMTP server received for `to` with `subject`, after the worker sent what is due. */
async function received(to: string, subject: string) {
  await app.services.mailWorker.drain()
  return smtp.received.filter((m) => m.envelopeTo.includes(to) && m.subject === subject)
}
const tokenIn = (text: string, page: string) => {
  const match = new RegExp(`https://protus\\.test${page}\\?token=(\\S+)`).exec(text)
  if (!match?.[1]) throw new Error(`no ${page} link in ${text}`)
  return decodeURIComponent(match[1])
}
const post = (url: string, payload: object, remoteAddress = '10.77.0.1') =>
  app.inject({ method: 'POST', url, payload, remoteAddress })

describe('account links over SMTP', () => {
  it('verifies and resets from messages a real SMTP server received, in the person’s language', async () => {
    const { email, password } = await registerCustomer(app, { locale: 'ru' })
    const [verification] = await received(email, 'Подтвердите почту для PROTUS')
    expect(verification?.html).toContain('href="https://protus.test/verify-email?token=')
    expect(smtp.received.filter((m) => m.envelopeTo.includes(email))).toHaveLength(1)
    const verified = await post('/v1/email-verifications/complete', {
      token: tokenIn(verification?.text ?? '', '/verify-email'),
    })
    expect(verified.json()).toEqual({ kind: 'customer', email })

    const session = await signIn(app, 'customer', email, password)
    expect((await post('/v1/password-resets', { email })).statusCode).toBe(202)
    const [reset] = await received(email, 'Сброс пароля PROTUS')
    const token = tokenIn(reset?.text ?? '', '/reset-password')
    expect(
      (await post('/v1/password-resets/complete', { token, password: 'новый пароль 2031' })).statusCode,
    ).toBe(200)
    expect((await received(email, 'Пароль PROTUS сброшен')).length).toBe(1)
    const me = await app.inject({ method: 'GET', url: '/v1/me', headers: { cookie: session.cookie } })
    expect(me.statusCode).toBe(401)
    expectProblem(
      await post('/v1/password-resets/complete', { token, password: 'again and again' }),
      410,
      'link_used',
    )
    await signIn(app, 'customer', email, 'новый пароль 2031')
  })

  it('takes about as long for an unknown email as for a registered one, and sends nothing for it', async () => {
    const { email } = await registerCustomer(app)
    await app.services.mailWorker.drain()
    const before = smtp.received.length
    const time = async (address: string) => {
      const started = performance.now()
      const res = await post('/v1/password-resets', { email: address }, '10.77.1.1')
      expect(res.statusCode).toBe(202)
      expect(res.json()).toEqual({ accepted: true })
      return performance.now() - started
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0
    const known: number[] = []
    const unknown: number[] = []
    // Interleaved, so that the machine's load at a moment weighs on both alike; 4 stay under the
    // per-recipient limit of 5 an hour.
    for (let i = 0; i < 4; i++) {
      known.push(await time(email))
      unknown.push(await time(`${unique('nobody')}@example.com`))
    }
    // Both do a rate-limit count and a lookup; the registered one also writes its link and message.
    expect(Math.abs(median(known) - median(unknown))).toBeLessThan(Math.max(25, median(unknown)))
    await app.services.mailWorker.drain()
    const sent = smtp.received.slice(before)
    expect(sent.every((m) => m.envelopeTo.includes(email))).toBe(true)
    expect(sent).toHaveLength(4)
  })
})
