import { availableParallelism } from 'node:os'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from './config.js'

describe('loadConfig', () => {
  it('defaults to PGlite under ./data on localhost:8080', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({
      host: 'localhost',
      port: 8080,
      databaseUrl: undefined,
      inMemoryDatabase: false,
    })
    expect(config.dataDir).toMatch(/\/data$/)
    expect(Object.isFrozen(config)).toBe(true)
  })

  it('lists every problem at once', () => {
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        PROTUS_SECRET_KEY: 'short',
        LOG_LEVEL: 'loud',
        PROTUS_SMTP_URL: 'smtp://127.0.0.1:9',
      })
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError)
      expect((error as ConfigError).problems).toHaveLength(4)
    }
  })

  it('takes a 32-byte secret key as hex or base64', () => {
    const hex = 'ab'.repeat(32)
    expect(loadConfig({ PROTUS_SECRET_KEY: hex }).secretKey?.toString('hex')).toBe(hex)
    const b64 = Buffer.alloc(32, 7).toString('base64')
    expect(loadConfig({ PROTUS_SECRET_KEY: b64 }).secretKey).toEqual(Buffer.alloc(32, 7))
  })

  it('reads the webhook settings, with a retry schedule of at least three days by default', () => {
    const defaults = loadConfig({}).webhooks
    expect(defaults).toMatchObject({ workerInServer: true, allowPrivate: false, timeoutSeconds: 15 })
    expect(defaults.retrySchedule.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(3 * 86_400)
    const custom = loadConfig({ PROTUS_WEBHOOK_RETRY_SCHEDULE: '1, 2,3', PROTUS_WEBHOOK_ALLOW_PRIVATE: '1' })
    expect(custom.webhooks.retrySchedule).toEqual([1, 2, 3])
    expect(custom.webhooks.allowPrivate).toBe(true)
    expect(() => loadConfig({ PROTUS_WEBHOOK_RETRY_SCHEDULE: '5,soon' })).toThrow(/RETRY_SCHEDULE/)
  })
})

describe('modes', () => {
  const key = 'ab'.repeat(32)

  it('is sandbox on the embedded database and live with DATABASE_URL unless told', () => {
    expect(loadConfig({}).mode).toBe('sandbox')
    const smtp = { PROTUS_SMTP_URL: 'smtp://127.0.0.1:9' }
    expect(loadConfig({ DATABASE_URL: 'postgres://db/x', PROTUS_SECRET_KEY: key, ...smtp }).mode).toBe('live')
    expect(
      loadConfig({ DATABASE_URL: 'postgres://db/x', PROTUS_SECRET_KEY: key, PROTUS_MODE: 'sandbox' }).mode,
    ).toBe('sandbox')
    expect(() => loadConfig({ PROTUS_MODE: 'test' })).toThrow(/PROTUS_MODE must be sandbox or live/)
  })

  it('refuses to start without PROTUS_SECRET_KEY in live mode or on PostgreSQL', () => {
    expect(() => loadConfig({ PROTUS_MODE: 'live' })).toThrow(/PROTUS_SECRET_KEY is required in live mode/)
    expect(() => loadConfig({ DATABASE_URL: 'postgres://db/x', PROTUS_MODE: 'sandbox' })).toThrow(
      /PROTUS_SECRET_KEY is required with DATABASE_URL/,
    )
    expect(loadConfig({ PROTUS_MODE: 'sandbox' }).secretKey).toBeUndefined()
  })

  it('takes Stripe as both keys together, with an optional API base', () => {
    expect(loadConfig({}).stripe).toBeUndefined()
    const stripe = loadConfig({
      PROTUS_STRIPE_SECRET_KEY: 'sk_test_1',
      PROTUS_STRIPE_WEBHOOK_SECRET: 'whsec_1',
      PROTUS_STRIPE_API_BASE: 'http://127.0.0.1:12111',
    }).stripe
    expect(stripe).toEqual({
      secretKey: 'sk_test_1',
      webhookSecret: 'whsec_1',
      apiBase: 'http://127.0.0.1:12111',
    })
    expect(() => loadConfig({ PROTUS_STRIPE_SECRET_KEY: 'sk_test_1' })).toThrow(/go together/)
  })

  it('takes Stripe live keys only in live mode and test keys only in sandbox mode', () => {
    const stripe = (key: string) => ({
      PROTUS_STRIPE_SECRET_KEY: key,
      PROTUS_STRIPE_WEBHOOK_SECRET: 'whsec_1',
    })
    const live = { PROTUS_MODE: 'live', PROTUS_SECRET_KEY: key, PROTUS_SMTP_URL: 'smtp://127.0.0.1:9' }
    expect(() => loadConfig({ ...live, ...stripe('sk_test_1') })).toThrow(
      /test key: live mode takes live keys only/,
    )
    expect(() => loadConfig({ ...live, ...stripe('rk_test_1') })).toThrow(/test key/)
    expect(loadConfig({ ...live, ...stripe('sk_live_1') }).stripe?.secretKey).toBe('sk_live_1')
    expect(() => loadConfig(stripe('sk_live_1'))).toThrow(/live key: sandbox mode takes test keys only/)
    expect(loadConfig(stripe('sk_test_1')).stripe?.secretKey).toBe('sk_test_1')
  })
})

describe('proxy trust and limits', () => {
  it('takes a hop count or proxy addresses and refuses to believe everyone', () => {
    expect(loadConfig({}).trustProxy).toBe(false)
    expect(loadConfig({ PROTUS_TRUST_PROXY: '1' }).trustProxy).toBe(1)
    expect(loadConfig({ PROTUS_TRUST_PROXY: '10.0.0.0/8, loopback,::1' }).trustProxy).toEqual([
      '10.0.0.0/8',
      'loopback',
      '::1',
    ])
    expect(() => loadConfig({ PROTUS_TRUST_PROXY: 'true' })).toThrow(/how many proxies stand in front/)
    expect(() => loadConfig({ PROTUS_TRUST_PROXY: '10.0.0.0/33,proxy.local' })).toThrow(
      /not understood: "10.0.0.0\/33", "proxy.local"/,
    )
  })

  it('has limits and retention with safe defaults', () => {
    const config = loadConfig({})
    expect(config.limits).toEqual({ passwordConcurrency: 4, registrationsPerHour: 20, topupsPerMinute: 30 })
    expect(config.retention).toEqual({ idempotencyKeyHours: 24, webhookAttemptDays: 30 })
    expect(config.webhooks).toMatchObject({ perCompany: 8, manualPerMinute: 30 })
    expect(() => loadConfig({ PROTUS_IDEMPOTENCY_KEY_HOURS: '1' })).toThrow(/from 24 to 2160/)
  })

  it('runs one process unless told, one per core with auto, and several only on PostgreSQL', () => {
    const pg = {
      DATABASE_URL: 'postgres://db/protus',
      PROTUS_SECRET_KEY: 'ab'.repeat(32),
      PROTUS_SMTP_URL: 'smtp://mail',
    }
    expect(loadConfig({}).processes).toBe(1)
    expect(loadConfig({ ...pg, PROTUS_PROCESSES: '4' }).processes).toBe(4)
    expect(loadConfig({ ...pg, PROTUS_PROCESSES: 'auto' }).processes).toBe(availableParallelism())
    expect(loadConfig({ PROTUS_PROCESSES: '1' }).processes).toBe(1)
    expect(() => loadConfig({ PROTUS_PROCESSES: '2' })).toThrow(/2 needs DATABASE_URL/)
    expect(() => loadConfig({ PROTUS_PROCESSES: 'auto' })).toThrow(/auto needs DATABASE_URL/)
    expect(() => loadConfig({ ...pg, PROTUS_PROCESSES: '0' })).toThrow(/auto or an integer from 1 to 256/)
    expect(() => loadConfig({ ...pg, PROTUS_PROCESSES: 'many' })).toThrow(/got "many"/)
  })
})
