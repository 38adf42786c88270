import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Queryable } from '../../src/db/database.js'
import type { IdempotentRequest } from '../../src/modules/idempotency/idempotency.service.js'
import { buildTestApp, onPostgres } from '../support/app.js'

let app: FastifyInstance
beforeAll(async () => {
  app = await buildTestApp()
})
afterAll(() => app.close())

let serial = 0
const request = (hash = 'h1'): IdempotentRequest => ({
  principal: 'co_claims',
  key: `key-${++serial}`,
  hash,
  requestId: `req-${serial}`,
})

/** Claims a key and saves a 201 under it, committed. */
async function settled(): Promise<IdempotentRequest> {
  const r = request()
  const { idempotency } = app.services
  await app.db.transaction(async (tx) => {
    expect(await idempotency.claim(tx, r)).toEqual({ state: 'claimed' })
    await idempotency.save(tx, [{ principal: r.principal, key: r.key, status: 201, body: { id: 'ch_1' } }])
  })
  return r
}

/** Runs `inside` in a transaction that holds `r`'s claim open until `inside` ends. */
function holding<T>(r: IdempotentRequest, inside: () => Promise<T>): Promise<T> {
  return app.db.transaction(async (tx: Queryable) => {
    await app.services.idempotency.claim(tx, r)
    return inside()
  })
}

const claimOnce = (r: IdempotentRequest) => app.db.transaction((tx) => app.services.idempotency.claim(tx, r))

describe('claiming an idempotency key', () => {
  it('claims a new key once, replays it once saved, and refuses it with another request', async () => {
    const r = await settled()
    expect(await claimOnce(r)).toEqual({ state: 'replay', status: 201, body: { id: 'ch_1' } })
    expect(await claimOnce({ ...r, hash: 'h2' })).toEqual({ state: 'reused' })
  })

  it('answers in progress to a second claim of a key in the transaction that claimed it', async () => {
    const r = request()
    const states = await app.db.transaction(async (tx) => [
      await app.services.idempotency.claim(tx, r),
      await app.services.idempotency.claim(tx, r),
    ])
    expect(states).toEqual([{ state: 'claimed' }, { state: 'in_progress' }])
  })

  it('leaves nothing of a claim whose transaction rolled back', async () => {
    const r = request()
    await expect(
      app.db.transaction(async (tx) => {
        await app.services.idempotency.claim(tx, r)
        throw new Error('roll back')
      }),
    ).rejects.toThrow('roll back')
    expect(await claimOnce(r)).toEqual({ state: 'claimed' })
  })
})

// Two transactions at once need two connections: PGlite has one.
describe.skipIf(!onPostgres)('claiming one key from two transactions at once', () => {
  it('answers in progress while another transaction holds a key it has not settled', async () => {
    const r = request()
    const other = await holding(r, () => claimOnce(r))
    expect(other).toEqual({ state: 'in_progress' })
  })

  it('replays a settled key to both of two retries at once', async () => {
    const r = await settled()
    const other = await holding(r, () => claimOnce(r))
    expect(other).toEqual({ state: 'replay', status: 201, body: { id: 'ch_1' } })
  })

  it('refuses a settled key with another request while a retry holds it', async () => {
    const r = await settled()
    const other = await holding(r, () => claimOnce({ ...r, hash: 'h2' }))
    expect(other).toEqual({ state: 'reused' })
  })
})
