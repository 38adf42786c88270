import type { FastifyInstance } from 'fastify'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Queryable } from '../../src/db/database.js'
import { createManualClock } from '../../src/lib/clock.js'
import { buildTestApp } from '../support/app.js'
import { expectProblem } from '../support/http.js'
import { expectLedgerSound, newKey, partnerWithAccount } from '../support/money.js'

// `billing_apply` answers a hold, charge, capture, release or refund in its one statement: the
// body it builds in SQL must be the API's view of the row (billing.views.ts), exactly as a GET of
// the same object answers it, and the events it writes must carry that body.

const clock = createManualClock(new Date('2026-12-06T10:00:00.123Z'))
let app: FastifyInstance
beforeAll(async () => {
  app = await buildTestApp({ PROTUS_SWEEP_INTERVAL_SECONDS: '0' }, { clock })
})
afterEach(async () => {
  vi.restoreAllMocks()
  await expectLedgerSound(app)
})
afterAll(async () => {
  await app.close()
})

type Partner = Awaited<ReturnType<typeof partnerWithAccount>>

/** The events written for the partner, oldest first, as their bodies say. */
async function eventsOf(p: Partner) {
  const rows = await app.db.query<{ body: string }>(
    'SELECT body FROM webhook_deliveries WHERE company_id = $1 ORDER BY id',
    [p.company.id],
  )
  return rows.map((r) => JSON.parse(r.body) as { type: string; timestamp: string; data: unknown })
}

async function ok(res: { statusCode: number; body: string; json(): unknown }, status: number) {
  expect(res.statusCode, res.body).toBe(status)
  return res.json() as Record<string, unknown> & { id: string }
}

describe('answers built in the batch', () => {
  it('answers a charge, a hold, its capture, a release and a refund as GET reads them, and reports the same', async () => {
    const p = await partnerWithAccount(app, 10_000)
    const charge = await ok(
      await p.post('/v1/charges', {
        account: p.account.id,
        amount: 700,
        description: 'SMS pack «сто»',
        metadata: { order: '42', 'a b': 'x"y' },
      }),
      201,
    )
    expect(charge).toEqual(await ok(await p.get(`/v1/charges/${charge.id}`), 200))
    expect(charge.created_at).toBe('2026-12-06T10:00:00.123Z')

    const hold = await ok(
      await p.post('/v1/holds', { account: p.account.id, amount: 2_000, expires_in: 60 }),
      201,
    )
    expect(hold).toEqual(await ok(await p.get(`/v1/holds/${hold.id}`), 200))
    expect(hold).toMatchObject({
      status: 'pending',
      charge: null,
      resolved_at: null,
      quantity: null,
      service: null,
    })
    expect(hold.expires_at).toBe('2026-12-06T10:01:00.123Z')

    clock.advance(1_001)
    const captured = await ok(await p.post(`/v1/holds/${hold.id}/capture`, { amount: 1_500 }), 200)
    expect(captured).toEqual(await ok(await p.get(`/v1/holds/${hold.id}`), 200))
    const captureCharge = captured.charge as { id: string; amount: number }
    expect(captureCharge.amount).toBe(1_500)
    expect(captured.resolved_at).toBe('2026-12-06T10:00:01.124Z')

    const other = await ok(await p.post('/v1/holds', { account: p.account.id, amount: 300 }), 201)
    const released = await ok(await p.post(`/v1/holds/${other.id}/release`), 200)
    expect(released).toEqual(await ok(await p.get(`/v1/holds/${other.id}`), 200))
    expect(released.status).toBe('released')

    const refund = await ok(await p.post(`/v1/charges/${charge.id}/refunds`, { amount: 200 }), 201)
    const refunds = (await ok(await p.get(`/v1/refunds?account=${p.account.id}`), 200)) as unknown as {
      data: unknown[]
    }
    expect(refunds.data).toEqual([refund])

    const events = await eventsOf(p)
    expect(events.map((e) => e.type)).toEqual([
      'account.created',
      'charge.succeeded',
      'hold.created',
      'hold.captured',
      'charge.succeeded',
      'hold.created',
      'hold.released',
      'charge.refunded',
    ])
    const [, c, h, cap, capCharge, o, rel, re] = events
    expect(c?.data).toEqual(charge)
    expect(h?.data).toEqual(hold)
    expect(cap?.data).toEqual(captured)
    expect(capCharge?.data).toEqual(await ok(await p.get(`/v1/charges/${captureCharge.id}`), 200))
    expect(o?.data).toEqual(other)
    expect(rel?.data).toEqual(released)
    expect(re?.data).toEqual(refund)
    expect(cap?.timestamp).toBe('2026-12-06T10:00:01.124Z')
  })

  it('replays the answer it saved, with the same body', async () => {
    const p = await partnerWithAccount(app, 1_000)
    const key = newKey()
    const first = await p.post('/v1/holds', { account: p.account.id, amount: 100 }, key)
    const again = await p.post('/v1/holds', { account: p.account.id, amount: 100 }, key)
    expect(again.statusCode).toBe(201)
    expect(again.headers['idempotent-replayed']).toBe('true')
    expect(again.json()).toEqual(first.json())
  })

  it('commits a batch of managed accounts’ charges after one statement, a refusal after two', async () => {
    const p = await partnerWithAccount(app, 1_000)
    const statements: string[][] = []
    const transaction = app.db.transaction.bind(app.db)
    vi.spyOn(app.db, 'transaction').mockImplementation((fn) =>
      transaction((tx) => {
        const seen: string[] = []
        statements.push(seen)
        const counted: Queryable = {
          query: <R>(sql: string, params?: readonly unknown[]) => {
            seen.push(sql.replace(/\s+/g, ' ').trim())
            return tx.query<R>(sql, params)
          },
          exec: (sql: string) => {
            seen.push(sql)
            return tx.exec(sql)
          },
        }
        return fn(counted)
      }),
    )
    const charges = (n: number) =>
      Promise.all(
        Array.from({ length: n }, () => p.post('/v1/charges', { account: p.account.id, amount: 100 })),
      )
    const batchesOf = () =>
      statements.splice(0).filter((s) => s.some((q) => q.startsWith('SELECT billing_apply')))

    const paid = await charges(6)
    expect(paid.map((a) => a.statusCode)).toEqual(Array(6).fill(201))
    const whole = batchesOf()
    expect(whole.length).toBeGreaterThan(0)
    for (const batch of whole) expect(batch).toEqual([expect.stringMatching(/^SELECT billing_apply/)])

    // 400 left: four more succeed, two are refused, and a refusal's problem body is saved after.
    const mixed = await charges(6)
    vi.restoreAllMocks()
    expect(mixed.map((a) => a.statusCode).sort()).toEqual([201, 201, 201, 201, 402, 402])
    for (const refused of mixed.filter((a) => a.statusCode === 402)) {
      expectProblem(refused, 402, 'insufficient_funds')
    }
    const batches = batchesOf()
    for (const batch of batches) {
      expect(batch[0]).toMatch(/^SELECT billing_apply/)
      expect(batch.length).toBeLessThanOrEqual(2)
    }
    expect(batches.some((b) => b.length === 2 && /^UPDATE idempotency_keys/.test(b[1] ?? ''))).toBe(true)
  })
})
