import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freshDatabaseEnv, onPostgres } from '../support/app.js'
import { cliBuilt, runCli } from '../support/processes.js'
import { type SmtpReceiver, startSmtpReceiver } from './smtp-receiver.js'

/** A database the CLI processes share: a fresh PostgreSQL schema, or a PGlite folder. */
async function sharedDatabase(): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  if (onPostgres) {
    const db = await freshDatabaseEnv()
    return { env: { ...db.env, PROTUS_SECRET_KEY: randomBytes(32).toString('hex') }, drop: db.drop }
  }
  const dir = await mkdtemp(join(tmpdir(), 'protus-mail-'))
  return { env: { PROTUS_DATA_DIR: dir }, drop: () => rm(dir, { recursive: true, force: true }) }
}

describe.skipIf(!cliBuilt)('protus mail test', () => {
  let smtp: SmtpReceiver
  let database: Awaited<ReturnType<typeof sharedDatabase>>
  beforeAll(async () => {
    smtp = await startSmtpReceiver()
    database = await sharedDatabase()
    expect((await runCli(database.env, 'migrate')).code).toBe(0)
  }, 120_000)
  afterAll(async () => {
    await smtp.stop()
    await database.drop()
  })

  it('sends a test message over SMTP at once and says so', async () => {
    const env = { ...database.env, PROTUS_SMTP_URL: smtp.url, PROTUS_MAIL_FROM: 'ops@protus.test' }
    const run = await runCli(
      env,
      'mail',
      'test',
      'ops@example.com',
      '--locale',
      'ru',
      '--note',
      'после обновления',
    )
    expect(run.out).toMatch(/sent mail_\w+ to ops@example\.com over SMTP/)
    expect(run.code).toBe(0)
    expect(smtp.received).toHaveLength(1)
    expect(smtp.received[0]).toMatchObject({
      envelopeFrom: 'ops@protus.test',
      subject: 'Тестовое письмо PROTUS',
    })
    expect(smtp.received[0]?.text).toContain('Примечание отправителя: после обновления')
  }, 120_000)

  it('exits 1 with the server’s answer when the message did not go out', async () => {
    smtp.refuse = () => ({ code: 451, message: 'Greylisted, come back later' })
    const env = { ...database.env, PROTUS_SMTP_URL: smtp.url }
    const run = await runCli(env, 'mail', 'test', 'ops@example.com')
    expect(run.code).toBe(1)
    expect(run.out).toMatch(/was not sent: .*451 Greylisted, come back later; the workers try again at /)
    smtp.refuse = () => undefined
  }, 120_000)

  it('refuses what is not one address, and unknown options, with exit code 2', async () => {
    for (const args of [
      ['not-an-address'],
      ['a@example.com', '--locale', 'de'],
      ['a@example.com', '--cc', 'b'],
    ]) {
      const run = await runCli({ ...database.env, PROTUS_SMTP_URL: smtp.url }, 'mail', 'test', ...args)
      expect(run.code).toBe(2)
    }
  }, 120_000)
})
