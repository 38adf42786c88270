import type { Database } from './database.js'

/** One schema change, owned by one module. Ids sort in the order they must run within a module. */
export interface Migration {
  id: string
  sql: string
}

const LOCK_KEY = 7_730_113 // advisory lock shared by every PROTUS process migrating one database

/**
 * Applies the migrations not applied yet, in the given order, in one transaction: a failing
 * migration leaves the schema as it was. Several processes starting at once serialise on an
 * advisory lock.
 */
export async function migrate(db: Database, migrations: readonly Migration[]): Promise<string[]> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY])
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      id text PRIMARY KEY,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`)
    const done = new Set(
      (await tx.query<{ id: string }>('SELECT id FROM schema_migrations')).map((r) => r.id),
    )
    const applied: string[] = []
    for (const migration of migrations) {
      if (done.has(migration.id)) continue
      await tx.exec(migration.sql)
      await tx.query('INSERT INTO schema_migrations (id) VALUES ($1)', [migration.id])
      applied.push(migration.id)
    }
    return applied
  })
}
