import pg from 'pg'
import type { Database, Queryable } from './database.js'
import { INT8_OID, parseInt8, toParam } from './database.js'

const typeParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID && format !== 'binary') return parseInt8
    return pg.types.getTypeParser(oid, format)
  },
} as pg.CustomTypesConfig

export function openPostgres(connectionString: string, maxConnections: number): Database {
  const pool = new pg.Pool({ connectionString, max: maxConnections, types: typeParsers })
  // An idle client that loses its connection must not crash the process.
  pool.on('error', () => {})
  const wrap = (q: pg.Pool | pg.PoolClient): Queryable => ({
    async query<R>(sql: string, params: readonly unknown[] = []) {
      const result = await q.query(sql, params.map(toParam))
      return result.rows as R[]
    },
    async exec(sql: string) {
      await q.query(sql)
    },
  })
  return {
    driver: 'postgres',
    ...wrap(pool),
    async transaction(fn) {
      const client = await pool.connect()
      try {
        await client.query('BEGIN')
        const result = await fn(wrap(client))
        await client.query('COMMIT')
        return result
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {})
        throw error
      } finally {
        client.release()
      }
    },
    close: () => pool.end(),
  }
}
