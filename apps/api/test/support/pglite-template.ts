import { readFile } from 'node:fs/promises'
import { PGlite } from '@electric-sql/pglite'
import { inject } from 'vitest'
import type { Config } from '../../src/config.js'
import type { Database, Queryable } from '../../src/db/database.js'
import { migrate } from '../../src/db/migrations.js'
import { openDatabase } from '../../src/db/open.js'
import { openPglite } from '../../src/db/pglite.js'
import { allMigrations } from '../../src/migrations.js'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The file holding the migrated PGlite template of this run (see global-setup.ts). */
    pgliteTemplate?: string
  }
}

/**
 * Runs every migration on an empty in-memory PGlite and answers its data directory as a tarball
 * (`dumpDataDir`, uncompressed: it loads faster than gzip). Made at run time from the current
 * migrations, never stored in the repository.
 */
export async function makePgliteTemplate(): Promise<Uint8Array> {
  const pg = await PGlite.create()
  try {
    const wrap = (q: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
      async query<R>(sql: string, params: readonly unknown[] = []) {
        return (await q.query<R>(sql, [...params])).rows
      },
      async exec(sql: string) {
        await q.exec(sql)
      },
    })
    const db: Database = {
      driver: 'pglite',
      ...wrap(pg),
      transaction: (fn) => pg.transaction((tx) => fn(wrap(tx))),
      listen: () => Promise.reject(new Error('the template is only migrated')),
      close: () => pg.close(),
    }
    await migrate(db, allMigrations)
    await pg.exec('CHECKPOINT')
    return new Uint8Array(await (await pg.dumpDataDir('none')).arrayBuffer())
  } finally {
    await pg.close()
  }
}

let template: Promise<Blob> | undefined

/**
 * The migrated template for this test process: the file the run's global setup made, or (when the
 * tests run without it) one made here once.
 */
export function pgliteTemplate(): Promise<Blob> {
  template ??= (async () => {
    const file = inject('pgliteTemplate')
    return new Blob([file ? await readFile(file) : await makePgliteTemplate()])
  })()
  return template
}

/**
 * Opens the database of a test app: an in-memory PGlite starts as a copy of the migrated template
 * (loading it takes about a third of initdb and migrations); anything else opens as in production.
 */
export async function openTestDatabase(config: Config): Promise<Database> {
  if (config.databaseUrl || !config.inMemoryDatabase) return openDatabase(config)
  return openPglite(undefined, { loadDataDir: await pgliteTemplate() })
}
