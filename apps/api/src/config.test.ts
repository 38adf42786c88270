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
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', PROTUS_SECRET_KEY: 'short', LOG_LEVEL: 'loud' })
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
