import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { buildTestApp, onPostgres } from '../support/app.js'
import { cliBuilt, startWorkerProcess } from '../support/processes.js'
import { envSharingDatabase } from '../support/shared-database.js'
import { enqueueTest, storedMail } from './helpers.js'
import { startSmtpReceiver } from './smtp-receiver.js'

describe.skipIf(!cliBuilt || !onPostgres)('protus worker', () => {
  it('sends the mail a server enqueued on the same PostgreSQL over SMTP', async () => {
    const smtp = await startSmtpReceiver()
    const secretKey = randomBytes(32).toString('hex')
    // The server sends nothing itself: only the worker process can have sent what arrives.
    const app = await buildTestApp({
      PROTUS_SECRET_KEY: secretKey,
      PROTUS_MAIL_WORKER: '0',
      PROTUS_SWEEP_INTERVAL_SECONDS: '0',
    })
    const worker = await startWorkerProcess({
      ...(await envSharingDatabase(app, secretKey)),
      PROTUS_SMTP_URL: smtp.url,
      PROTUS_MAIL_FROM: 'PROTUS <mail@protus.test>',
    })
    try {
      const ids: string[] = []
      for (let i = 0; i < 5; i++) ids.push(await enqueueTest(app, `worker${i}@example.com`))
      await expect.poll(() => smtp.received.length, { timeout: 20_000, interval: 100 }).toBe(5)
      expect(smtp.received.map((m) => m.to).sort()).toEqual(ids.map((_, i) => `worker${i}@example.com`))
      expect(smtp.received.every((m) => m.envelopeFrom === 'mail@protus.test')).toBe(true)
      // The worker records each one once the server has answered it.
      const statuses = () => Promise.all(ids.map(async (id) => (await storedMail(app, id)).transport))
      await expect.poll(statuses, { timeout: 10_000, interval: 100 }).toEqual(ids.map(() => 'smtp'))
      for (const id of ids)
        expect(await storedMail(app, id)).toMatchObject({ status: 'sent', attempt_count: 1 })
    } finally {
      expect(await worker.stop()).toBe(0)
      await app.close()
      await smtp.stop()
    }
  })
})
