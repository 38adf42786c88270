import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import type { Database } from '../../src/db/database.js'
import { openDatabase } from '../../src/db/open.js'
import { freshDatabaseEnv, onPostgres } from '../support/app.js'

let db: Database
let drop: () => Promise<void>
beforeAll(async () => {
  const database = await freshDatabaseEnv()
  drop = database.drop
  const secretKey = randomBytes(32).toString('hex')
  const env = { LOG_LEVEL: 'silent', PROTUS_MODE: 'sandbox', PROTUS_SECRET_KEY: secretKey, ...database.env }
  db = await openDatabase(loadConfig(env))
})
afterAll(async () => {
  await db.close()
  await drop()
})

async function until(condition: () => boolean | Promise<boolean>, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** Listens on a channel of its own and records what it hears. */
async function listening() {
  const channel = `test_${randomBytes(6).toString('hex')}`
  const heard: string[] = []
  const states: boolean[] = []
  const stop = await db.listen(channel, {
    notification: (payload) => heard.push(payload),
    listening: (on) => states.push(on),
  })
  const notify = (payload: string) => db.query('SELECT pg_notify($1, $2)', [channel, payload])
  return { channel, heard, states, stop, notify }
}

describe('Database.listen', () => {
  it('hears a NOTIFY once its transaction commits, never a rolled back one, and nothing after it stops', async () => {
    const l = await listening()
    expect(l.states).toEqual([true])
    await db.transaction(async (tx) => {
      await tx.query('SELECT pg_notify($1, $2)', [l.channel, 'committed'])
      await new Promise((resolve) => setTimeout(resolve, 50))
      expect(l.heard).toEqual([])
    })
    await expect(
      db.transaction(async (tx) => {
        await tx.query('SELECT pg_notify($1, $2)', [l.channel, 'rolled back'])
        throw new Error('roll back')
      }),
    ).rejects.toThrow('roll back')
    await until(() => l.heard.length > 0)
    await l.stop()
    expect(l.states).toEqual([true, false])
    await l.notify('after stop')
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(l.heard).toEqual(['committed'])
  })

  it.skipIf(!onPostgres)(
    'says at once when its connection drops, reconnects by itself and hears again',
    async () => {
      const l = await listening()
      const listenerPid = async () => {
        const rows = await db.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE query = $1', [
          `LISTEN "${l.channel}"`,
        ])
        return rows[0]?.pid
      }
      const first = await listenerPid()
      expect(first).toBeDefined()
      await db.query('SELECT pg_terminate_backend($1)', [first])
      await until(() => l.states.length >= 2, 1_000)
      expect(l.states.slice(0, 2)).toEqual([true, false])
      await until(() => l.states.at(-1) === true)
      expect(await listenerPid()).not.toBe(first)
      await l.notify('after reconnecting')
      await until(() => l.heard.includes('after reconnecting'))
      await l.stop()
      expect(l.states.at(-1)).toBe(false)
      await until(async () => (await listenerPid()) === undefined)
    },
  )
})
