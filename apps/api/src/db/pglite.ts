import { mkdir } from 'node:fs/promises'
import { PGlite, types } from '@electric-sql/pglite'
import type { Database, Queryable } from './database.js'
import { parseInt8, toParam } from './database.js'

export interface PgliteOptions {
  /**
   * A data directory saved by PGlite's `dumpDataDir` to start from instead of an empty database
   * (tests start each in-memory database from one migrated copy rather than initdb and migrate).
   */
  loadDataDir?: Blob
}

/** Embedded PostgreSQL (WASM). `dataDir` undefined keeps everything in memory. */
export async function openPglite(
  dataDir: string | undefined,
  options: PgliteOptions = {},
): Promise<Database> {
  if (dataDir) await mkdir(dataDir, { recursive: true })
  const pg = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    parsers: { [types.INT8]: parseInt8 },
  })
  const wrap = (q: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    async query<R>(sql: string, params: readonly unknown[] = []) {
      const result = await q.query<R>(sql, params.map(toParam))
      return result.rows
    },
    async exec(sql: string) {
      await q.exec(sql)
    },
  })
  return {
    driver: 'pglite',
    ...wrap(pg),
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx))),
    // One process owns the database, so nothing can drop between it and its listeners.
    async listen(channel, listener) {
      const unlisten = await pg.listen(channel, (payload) => listener.notification(payload))
      listener.listening(true)
      return async () => {
        if (pg.closed) return
        await unlisten()
        listener.listening(false)
      }
    },
    close: () => pg.close(),
  }
}
