import type { Config } from '../config.js'
import type { Database } from './database.js'
import { openPglite } from './pglite.js'
import { openPostgres } from './postgres.js'

/** PostgreSQL when `DATABASE_URL` is set, otherwise embedded PGlite under the data directory. */
export async function openDatabase(config: Config): Promise<Database> {
  if (config.databaseUrl) return openPostgres(config.databaseUrl, config.databasePoolSize)
  return openPglite(config.inMemoryDatabase ? undefined : `${config.dataDir}/pglite`)
}
