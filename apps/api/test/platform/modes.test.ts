import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { ModeMismatchError } from '../../src/db/mode.js'
import { buildTestApp } from '../support/app.js'
import { cliBuilt, runCli } from '../support/processes.js'

const key = randomBytes(32).toString('hex')
const configIn = (mode: 'sandbox' | 'live') =>
  loadConfig({
    LOG_LEVEL: 'silent',
    PROTUS_MODE: mode,
    PROTUS_SECRET_KEY: key,
    PROTUS_DATA_DIR: ':memory:',
    PROTUS_SMTP_URL: 'smtp://127.0.0.1:9',
  })

describe('sandbox and live modes', () => {
  it('answers the mode, version and currency at GET /v1/status without authentication', async () => {
    const sandbox = await buildTestApp()
    const live = await buildTestApp({ PROTUS_MODE: 'live' })
    try {
      const a = await sandbox.inject({ method: 'GET', url: '/v1/status' })
      expect(a.statusCode).toBe(200)
      expect(a.json()).toEqual({
        mode: 'sandbox',
        version: expect.any(String),
        currency: 'RUB',
        topups_available: true,
      })
      expect((await live.inject({ method: 'GET', url: '/v1/status' })).json()).toMatchObject({
        mode: 'live',
        topups_available: false,
      })
    } finally {
      await Promise.all([sandbox.close(), live.close()])
    }
  })

  it('serves no /sandbox routes in live mode', async () => {
    const live = await buildTestApp({ PROTUS_MODE: 'live' })
    const sandbox = await buildTestApp()
    try {
      const inLive = await live.inject({ method: 'GET', url: '/sandbox/checkout/top_nothing' })
      expect(inLive.statusCode).toBe(404)
      const posted = await live.inject({ method: 'POST', url: '/sandbox/checkout/top_nothing', payload: {} })
      expect(posted.statusCode).toBe(404)
      expect(live.printRoutes()).not.toContain('sandbox')
      expect(sandbox.printRoutes()).toContain('sandbox')
    } finally {
      await Promise.all([live.close(), sandbox.close()])
    }
  })

  it('refuses to open a sandbox database in live mode and a live database in sandbox mode', async () => {
    const sandbox = await buildTestApp()
    try {
      const refused = buildApp(configIn('live'), { db: sandbox.db })
      await expect(refused).rejects.toBeInstanceOf(ModeMismatchError)
      await expect(refused).rejects.toThrow(/created in sandbox mode.*never reach a live server/)
    } finally {
      await sandbox.close()
    }
    const live = await buildTestApp({ PROTUS_MODE: 'live' })
    try {
      await expect(buildApp(configIn('sandbox'), { db: live.db })).rejects.toThrow(
        /created in live mode and this server runs in sandbox mode/,
      )
      const again = await buildApp(configIn('live'), { db: live.db })
      await again.close()
    } finally {
      await live.close()
    }
  })

  it.skipIf(!cliBuilt)('start refuses to run on PostgreSQL without PROTUS_SECRET_KEY', async () => {
    const { code, out } = await runCli(
      { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', PORT: '0', PROTUS_MODE: '' },
      'start',
    )
    expect(code).toBe(1)
    expect(out).toContain('PROTUS_SECRET_KEY is required in live mode')
    const sandbox = await runCli(
      { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', PORT: '0', PROTUS_MODE: 'sandbox' },
      'start',
    )
    expect(sandbox.code).toBe(1)
    expect(sandbox.out).toContain('PROTUS_SECRET_KEY is required with DATABASE_URL')
  })
})
