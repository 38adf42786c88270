import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createManualClock } from '../../src/lib/clock.js'
import { buildTestApp } from '../support/app.js'
import { expectProblem } from '../support/http.js'
import { expectLedgerSound, fund, newKey, partnerWithAccount } from '../support/money.js'

// GET /v1/charges, /v1/holds and /v1/refunds narrowed by account, service, creation time and
// (holds) status, with the cursor still walking the narrowed list.

const DAY = 86_400_000
const t0 = new Date('2026-11-02T08:00:00.000Z')
const clock = createManualClock(t0)
let app: FastifyInstance
beforeAll(async () => {
  app = await buildTestApp({ PROTUS_SWEEP_INTERVAL_SECONDS: '0' }, { clock })
})
afterAll(async () => {
  await expectLedgerSound(app)
  await app.close()
})

type Item = { id: string; [field: string]: unknown }
type Partner = Awaited<ReturnType<typeof partnerWithAccount>>

const at = (days: number) => new Date(t0.getTime() + days * DAY).toISOString()

async function ok(res: { statusCode: number; body: string; json(): unknown }, status = 201): Promise<Item> {
  expect(res.statusCode, res.body).toBe(status)
  return res.json() as Item
}

/** Every item of a list with this query, a page of `limit` at a time through the cursor. */
async function all(p: Partner, path: string, query: Record<string, string>, limit = 2): Promise<Item[]> {
  const items: Item[] = []
  for (;;) {
    const params = new URLSearchParams({ ...query, limit: String(limit) })
    const last = items.at(-1)
    if (last) params.set('starting_after', last.id)
    const page = (await ok(await p.get(`${path}?${params}`), 200)) as unknown as {
      data: Item[]
      has_more: boolean
    }
    items.push(...page.data)
    if (!page.has_more) return items
  }
}

const ids = (items: readonly Item[]) => items.map((i) => i.id)

describe('list filters', () => {
  let p: Partner
  let second: string
  const svc: Record<'sms' | 'voice', string> = { sms: '', voice: '' }
  const ch: Item[] = []
  const re: Item[] = []
  const holds: Record<'pending' | 'captured' | 'released' | 'expired', string> = {
    pending: '',
    captured: '',
    released: '',
    expired: '',
  }

  beforeAll(async () => {
    p = await partnerWithAccount(app, 100_000)
    const account = await ok(
      await p.post('/v1/accounts', { external_id: `second-${newKey()}` }, newKey()),
      201,
    )
    second = account.id
    await fund(app, second, 100_000)
    for (const [name, price] of [
      ['sms', 100],
      ['voice', 250],
    ] as const) {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/services',
        headers: { authorization: p.auth },
        payload: { name: `${name} «пакет»`, price },
      })
      svc[name] = (await ok(res)).id
    }
    // Day 0: sms on the first account; day 1: voice on the first; day 2: an amount on the second.
    ch.push(await ok(await p.post('/v1/charges', { account: p.account.id, service: svc.sms, quantity: 2 })))
    clock.advance(DAY)
    ch.push(await ok(await p.post('/v1/charges', { account: p.account.id, service: svc.voice })))
    clock.advance(DAY)
    ch.push(await ok(await p.post('/v1/charges', { account: second, amount: 700 })))
    // Day 3: a refund of each of the first two charges, and holds in every status.
    clock.advance(DAY)
    re.push(await ok(await p.post(`/v1/charges/${ch[0]?.id}/refunds`, { amount: 50 })))
    re.push(await ok(await p.post(`/v1/charges/${ch[1]?.id}/refunds`, {})))
    const hold = async (body: object) => (await ok(await p.post('/v1/holds', body))).id
    holds.captured = await hold({ account: p.account.id, service: svc.sms })
    await ok(await p.post(`/v1/holds/${holds.captured}/capture`, {}), 200)
    holds.released = await hold({ account: p.account.id, amount: 300 })
    await ok(await p.post(`/v1/holds/${holds.released}/release`, {}), 200)
    holds.expired = await hold({ account: second, amount: 400, expires_in: 60 })
    holds.pending = await hold({ account: second, service: svc.voice })
    clock.advance(120_000)
  })

  it('narrows charges by service, account and creation time, and pages through them', async () => {
    const captureCharge = (await ok(await p.get(`/v1/holds/${holds.captured}`), 200)).charge as { id: string }
    expect(ids(await all(p, '/v1/charges', {}))).toEqual([captureCharge.id, ch[2]?.id, ch[1]?.id, ch[0]?.id])
    expect(ids(await all(p, '/v1/charges', { service: svc.sms }))).toEqual([captureCharge.id, ch[0]?.id])
    expect(ids(await all(p, '/v1/charges', { service: svc.voice }))).toEqual([ch[1]?.id])
    expect(ids(await all(p, '/v1/charges', { account: second }))).toEqual([ch[2]?.id])
    // gte takes the exact moment, lt leaves it out.
    expect(ids(await all(p, '/v1/charges', { 'created[gte]': at(1), 'created[lt]': at(2) }))).toEqual([
      ch[1]?.id,
    ])
    expect(ids(await all(p, '/v1/charges', { 'created[gte]': at(1) }, 1))).toEqual([
      captureCharge.id,
      ch[2]?.id,
      ch[1]?.id,
    ])
    expect(ids(await all(p, '/v1/charges', { 'created[lt]': at(1) }))).toEqual([ch[0]?.id])
    expect(
      ids(await all(p, '/v1/charges', { account: p.account.id, service: svc.sms, 'created[lt]': at(3) })),
    ).toEqual([ch[0]?.id])
    expect(ids(await all(p, '/v1/charges', { status: 'succeeded', service: svc.voice }))).toEqual([ch[1]?.id])
    // Another offset, the same moment.
    expect(
      ids(await all(p, '/v1/charges', { 'created[gte]': '2026-11-03T11:00:00.000+03:00' })),
    ).toHaveLength(3)
  })

  it('narrows refunds by their charge’s service, their charge, account and their own creation time', async () => {
    expect(ids(await all(p, '/v1/refunds', {}))).toEqual([re[1]?.id, re[0]?.id])
    expect(ids(await all(p, '/v1/refunds', { service: svc.sms }))).toEqual([re[0]?.id])
    expect(ids(await all(p, '/v1/refunds', { charge: ch[1]?.id ?? '' }))).toEqual([re[1]?.id])
    expect(ids(await all(p, '/v1/refunds', { account: second }))).toEqual([])
    // Both refunds were made on day 3, whatever their charges' days.
    expect(ids(await all(p, '/v1/refunds', { 'created[lt]': at(3) }))).toEqual([])
    expect(ids(await all(p, '/v1/refunds', { 'created[gte]': at(3) }))).toEqual([re[1]?.id, re[0]?.id])
  })

  it('narrows holds by status, an unswept expired hold as expired, and by service and account', async () => {
    for (const status of ['pending', 'captured', 'released', 'expired'] as const) {
      const found = await all(p, '/v1/holds', { status })
      expect(ids(found), status).toEqual([holds[status]])
      expect(found[0]?.status).toBe(status)
    }
    expect(ids(await all(p, '/v1/holds', { account: second }))).toEqual([holds.pending, holds.expired])
    expect(ids(await all(p, '/v1/holds', { service: svc.voice, status: 'pending' }))).toEqual([holds.pending])
    expect(ids(await all(p, '/v1/holds', { 'created[lt]': at(3) }))).toEqual([])
  })

  it('answers a malformed filter with 400 validation_failed', async () => {
    const bad = [
      '/v1/charges?created[gte]=yesterday',
      '/v1/charges?created[lt]=2026-11-02',
      '/v1/charges?created[between]=2026-11-02T00:00:00Z',
      '/v1/charges?status=refunded',
      '/v1/holds?status=open',
      '/v1/refunds?status=succeeded',
      `/v1/charges?service=${'s'.repeat(65)}`,
    ]
    for (const url of bad) expectProblem(await p.get(url), 400, 'validation_failed')
  })

  it('shows no other partner’s payments whatever the filter', async () => {
    const other = await partnerWithAccount(app, 0)
    expect(await all(other, '/v1/charges', { service: svc.sms })).toEqual([])
    expect(await all(other, '/v1/refunds', { charge: ch[0]?.id ?? '' })).toEqual([])
    expect(await all(other, '/v1/holds', { account: second })).toEqual([])
  })
})
