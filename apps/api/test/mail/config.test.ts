import { describe, expect, it } from 'vitest'
import { ConfigError, DEFAULT_MAIL_RETRY_SCHEDULE, loadConfig } from '../../src/config.js'

const key = 'b'.repeat(64)
const live = { PROTUS_MODE: 'live', PROTUS_SECRET_KEY: key }

describe('mail settings', () => {
  it('refuses to start live mode without PROTUS_SMTP_URL, listed with every other problem', () => {
    expect(() => loadConfig(live)).toThrow(/PROTUS_SMTP_URL is required in live mode/)
    const error = (() => {
      try {
        loadConfig({ PROTUS_MODE: 'live', PORT: 'x' })
      } catch (e) {
        return e as ConfigError
      }
    })()
    expect(error).toBeInstanceOf(ConfigError)
    expect(error?.problems).toEqual([
      expect.stringMatching(/^PROTUS_SECRET_KEY is required in live mode/),
      expect.stringMatching(/^PORT must be/),
      expect.stringMatching(/^PROTUS_SMTP_URL is required in live mode/),
    ])
    expect(loadConfig({ ...live, PROTUS_SMTP_URL: 'smtps://u:p@mail.example.com:465' }).mail.smtpUrl).toBe(
      'smtps://u:p@mail.example.com:465',
    )
  })

  it('uses the sandbox mailbox in sandbox mode without SMTP, and SMTP in sandbox mode when it is set', () => {
    const sandbox = loadConfig({})
    expect(sandbox.mail).toEqual({
      smtpUrl: undefined,
      from: 'PROTUS <no-reply@localhost>',
      workerInServer: true,
      retrySchedule: DEFAULT_MAIL_RETRY_SCHEDULE,
      keepDays: 7,
    })
    expect(loadConfig({ PROTUS_SMTP_URL: 'smtp://127.0.0.1:2525' }).mail.smtpUrl).toBe(
      'smtp://127.0.0.1:2525',
    )
  })

  it('takes the sender, the worker switch, the retry schedule and how long messages are kept', () => {
    const mail = loadConfig({
      PROTUS_MAIL_FROM: 'Billing <billing@example.com>',
      PROTUS_MAIL_WORKER: '0',
      PROTUS_MAIL_RETRY_SCHEDULE: '10, 20,30',
      PROTUS_MAIL_KEEP_DAYS: '30',
    }).mail
    expect(mail).toMatchObject({
      from: 'Billing <billing@example.com>',
      workerInServer: false,
      retrySchedule: [10, 20, 30],
      keepDays: 30,
    })
    expect(loadConfig({ PROTUS_MAIL_FROM: 'robot@example.com' }).mail.from).toBe('robot@example.com')
  })

  it('refuses what is not an SMTP URL, a sender address, a schedule or a number of days', () => {
    expect(() => loadConfig({ PROTUS_SMTP_URL: 'http://mail.example.com' })).toThrow(
      /PROTUS_SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL/,
    )
    expect(() => loadConfig({ PROTUS_SMTP_URL: 'not a url' })).toThrow(/PROTUS_SMTP_URL must be/)
    for (const from of ['PROTUS', 'a@b.c, d@e.f', 'PROTUS <a@b.c>\r\nBcc: x@y.z', 'Name <no-address>']) {
      expect(() => loadConfig({ PROTUS_MAIL_FROM: from })).toThrow(/PROTUS_MAIL_FROM must be an address/)
    }
    expect(() => loadConfig({ PROTUS_MAIL_RETRY_SCHEDULE: '10,x' })).toThrow(
      /PROTUS_MAIL_RETRY_SCHEDULE must be up to 30 comma-separated seconds/,
    )
    expect(() => loadConfig({ PROTUS_MAIL_KEEP_DAYS: '0' })).toThrow(
      /PROTUS_MAIL_KEEP_DAYS must be an integer/,
    )
  })
})
