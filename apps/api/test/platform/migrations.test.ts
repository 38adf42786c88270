import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrate } from '../../src/db/migrations.js'
import { openDatabase } from '../../src/db/open.js'
import { allMigrations } from '../../src/migrations.js'
import { buildTestApp } from '../support/app.js'

let app: FastifyInstance
beforeAll(async () => {
  // An empty database, migrated as a server migrates it (not a copy of the tests' template).
  app = await buildTestApp({}, { openDatabase })
})
afterAll(() => app.close())

describe('migrations', () => {
  it('records every migration once and applies nothing the second time', async () => {
    const rows = await app.db.query<{ id: string }>('SELECT id FROM schema_migrations ORDER BY id')
    expect(rows.map((r) => r.id).sort()).toEqual(allMigrations.map((m) => m.id).sort())
    expect(await migrate(app.db, allMigrations)).toEqual([])
  })

  it('leaves the schema as it was when a migration fails', async () => {
    const broken = [
      ...allMigrations,
      { id: 'test/broken', sql: 'CREATE TABLE test_half (id int); SELECT no_such_function();' },
    ]
    await expect(migrate(app.db, broken)).rejects.toThrow()
    const tables = await app.db.query(
      "SELECT 1 FROM information_schema.tables WHERE table_name = 'test_half'",
    )
    expect(tables).toEqual([])
  })

  it('parses int8 to bigint', async () => {
    const [row] = await app.db.query<{ big: bigint }>('SELECT 9007199254740993::int8 AS big')
    expect(row?.big).toBe(9007199254740993n)
  })
})
