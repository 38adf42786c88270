import { randomBytes } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { expect } from 'vitest'
import { buildTestApp } from './app.js'
import { type ServerProcess, startServerProcess } from './processes.js'

/**
 * The environment for server processes that share the PostgreSQL schema of an in-process test
 * app (which created it and migrated it), so the test can read what the processes wrote.
 */
export async function envSharingDatabase(
  app: FastifyInstance,
  secretKey: string,
): Promise<Record<string, string>> {
  const [row] = await app.db.query<{ schema: string }>('SELECT current_schema() AS schema')
  const url = new URL(process.env.DATABASE_URL as string)
  url.searchParams.set('options', `-c search_path=${row?.schema}`)
  // Names the processes' connections after the schema, so a test can find its own among the
  // connections of test files running beside it.
  url.searchParams.set('application_name', `protus_${row?.schema}`)
  return {
    DATABASE_URL: url.toString(),
    PROTUS_SECRET_KEY: secretKey,
    PROTUS_MIGRATE_ON_START: 'false',
    PROTUS_DATA_DIR: ':memory:',
  }
}

/**
 * An in-process app on a fresh PostgreSQL schema and `count` server processes beside it on the
 * same schema (`env` added to theirs); `stop` ends the processes in `servers` (each must exit
 * cleanly) and the app.
 */
export async function serversSharingDatabase(count: number, env: Record<string, string> = {}) {
  const secretKey = randomBytes(32).toString('hex')
  const app = await buildTestApp({ PROTUS_SWEEP_INTERVAL_SECONDS: '0', PROTUS_SECRET_KEY: secretKey })
  const shared = { ...(await envSharingDatabase(app, secretKey)), PROTUS_DB_POOL_SIZE: '8', ...env }
  const servers: ServerProcess[] = await Promise.all(
    Array.from({ length: count }, () => startServerProcess(shared)),
  )
  return {
    app,
    servers,
    /** The environment of the processes, to start another (or the same again) on the schema. */
    env: shared,
    baseUrl: (i: number) => servers[i % servers.length]?.baseUrl as string,
    async stop() {
      for (const s of servers) expect(await s.stop()).toBe(0)
      await app.close()
    },
  }
}
