import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createManualClock } from '../../src/lib/clock.js'
import { type SmtpReceiver, startSmtpReceiver } from '../mail/smtp-receiver.js'
import { buildTestApp } from '../support/app.js'
import { registerCompany, signIn } from '../support/http.js'

const clock = createManualClock(new Date('2031-04-02T07:05:00Z'))
let app: FastifyInstance
let smtp: SmtpReceiver

beforeAll(async () => {
  smtp = await startSmtpReceiver()
  app = await buildTestApp({ PROTUS_SMTP_URL: smtp.url, PROTUS_MAIL_WORKER: '0' }, { clock })
})
afterAll(async () => {
  await app.close()
  await smtp.stop()
})

describe('the notice of a changed password, over SMTP', () => {
  it('reaches the account’s address in the language asked for, the name escaped in HTML', async () => {
    const { email, password } = await registerCompany(app, { name: 'Tom & <Jerry> Ltd' })
    const session = await signIn(app, 'company', email, password)
    const res = await app.inject({
      method: 'POST',
      url: '/v1/me/password',
      headers: session.headers,
      payload: { current_password: password, new_password: 'a new long password', locale: 'en' },
    })
    expect(res.statusCode, res.body).toBe(200)
    await app.services.mailWorker.drain()

    const notices = smtp.received.filter((m) => m.subject === 'Your PROTUS password was changed')
    expect(notices).toHaveLength(1)
    const [notice] = notices
    expect(notice?.envelopeTo).toEqual([email])
    expect(notice?.text).toContain('Hello, Tom & <Jerry> Ltd.')
    expect(notice?.text).toContain('was changed on 2031-04-02 07:05 UTC')
    expect(notice?.html).toContain('Tom &amp; &lt;Jerry&gt; Ltd')
    expect(notice?.html).not.toContain('<Jerry>')
  })
})
