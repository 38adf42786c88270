import { randomBytes } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import pg from 'pg'
import { type AppDeps, buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { openTestDatabase } from './pglite-template.js'

/** Which database the tests run on: PostgreSQL when DATABASE_URL is set, else in-memory PGlite. */
export const databaseUrl = process.env.DATABASE_URL || undefined
export const onPostgres = databaseUrl !== undefined

/**
 * A fresh, empty database for one app: an in-memory PGlite, or a new schema on the PostgreSQL
 * server of DATABASE_URL (dropped again when the app closes).
 */
export async function freshDatabaseEnv(): Promise<{
  env: Record<string, string>
  drop: () => Promise<void>
}> {
  if (!databaseUrl) return { env: { PROTUS_DATA_DIR: ':memory:' }, drop: async () => {} }
  const schema = `test_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: databaseUrl })
  await admin.connect()
  await admin.query(`CREATE SCHEMA ${schema}`)
  await admin.end()
  const url = new URL(databaseUrl)
  url.searchParams.set('options', `-c search_path=${schema}`)
  return {
    env: { DATABASE_URL: url.toString(), PROTUS_DB_POOL_SIZE: '10' },
    drop: async () => {
      const client = new pg.Client({ connectionString: databaseUrl })
      await client.connect()
      await client.query(`DROP SCHEMA ${schema} CASCADE`)
      await client.end()
    },
  }
}

/**
 * A fully built PROTUS app on a fresh database, ready for `inject` or `listen`. It serves the
 * built web app too when apps/web/dist exists. On PGlite the database starts as a copy of the
 * run's migrated template (`deps.openDatabase: openDatabase` starts from an empty one instead).
 */
export async function buildTestApp(
  overrides: Record<string, string> = {},
  deps: AppDeps = {},
): Promise<FastifyInstance> {
  const database = await freshDatabaseEnv()
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    PROTUS_MODE: 'sandbox',
    PROTUS_SECRET_KEY: randomBytes(32).toString('hex'),
    // Webhook tests start the worker themselves or drain the outbox.
    PROTUS_WEBHOOK_WORKER: '0',
    // Many people and top-ups come from one test address; the limits' own tests lower these.
    PROTUS_REGISTRATIONS_PER_HOUR: '1000000',
    PROTUS_TOPUPS_PER_MINUTE: '1000000',
    // Bursts of sign-ins in tests run at once rather than wait their turn on a busy machine.
    PROTUS_PASSWORD_CONCURRENCY: '16',
    // Live mode needs an SMTP server. Nothing listens at this one: what a live test app sends waits
    // for a retry (the mail tests start a real SMTP server of their own).
    ...(overrides.PROTUS_MODE === 'live' ? { PROTUS_SMTP_URL: 'smtp://127.0.0.1:9' } : {}),
    ...database.env,
    ...overrides,
  })
  const app = await buildApp(config, { openDatabase: openTestDatabase, ...deps })
  app.addHook('onClose', async () => {
    await database.drop()
  })
  await app.ready()
  return app
}
