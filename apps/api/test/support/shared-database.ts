import type { FastifyInstance } from 'fastify'

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
  return {
    DATABASE_URL: url.toString(),
    PROTUS_SECRET_KEY: secretKey,
    PROTUS_MIGRATE_ON_START: 'false',
    PROTUS_DATA_DIR: ':memory:',
  }
}
