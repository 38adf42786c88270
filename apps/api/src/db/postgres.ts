import { createHash } from 'node:crypto'
import pg from 'pg'
import type { Database, Queryable } from './database.js'
import { INT8_OID, parseInt8, toParam } from './database.js'
import { listenOnPostgres } from './postgres-listener.js'

const typeParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID && format !== 'binary') return parseInt8
    return pg.types.getTypeParser(oid, format)
  },
} as pg.CustomTypesConfig

const names = new Map<string, string>()

function statementName(sql: string): string {
  let name = names.get(sql)
  if (name === undefined) {
    name = `protus_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`
    names.set(sql, name)
  }
  return name
}

export function openPostgres(connectionString: string, maxConnections: number): Database {
  const pool = new pg.Pool({ connectionString, max: maxConnections, types: typeParsers })
  // An idle client that loses its connection must not crash the process.
  pool.on('error', () => {})
  const wrap = (q: pg.Pool | pg.PoolClient): Queryable => ({
    async query<R>(sql: string, params: readonly unknown[] = []) {
      // Named statements are parsed and planned once per connection instead of on every call.
      const result = await q.query({ name: statementName(sql), text: sql, values: params.map(toParam) })
      return result.rows as R[]
    },
    async exec(sql: string) {
      await q.query(sql)
    },
  })
  const listeners = new Set<() => Promise<void>>()
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
    async listen(channel, listener) {
      const stop = await listenOnPostgres(connectionString, channel, listener)
      const unlisten = async () => {
        listeners.delete(unlisten)
        await stop()
      }
      listeners.add(unlisten)
      return unlisten
    },
    async close() {
      await Promise.all([...listeners].map((unlisten) => unlisten()))
      await pool.end()
    },
  }
}
