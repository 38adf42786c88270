import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createManualClock } from '../../src/lib/clock.js'
import { buildTestApp } from '../support/app.js'
import { expectProblem } from '../support/http.js'
import { expectLedgerSound, fund, newKey, partnerWithAccount } from '../support/money.js'

// GET /v1/reports/revenue: every grouping's totals must be the sums over the charges and refunds
// the partner's own lists show, and the whole must be what the ledger credited its revenue.

const HOUR = 3_600_000
const t0 = new Date('2026-09-28T21:30:00.000Z')
const clock = createManualClock(t0)
let app: FastifyInstance
beforeAll(async () => {
  app = await buildTestApp({ PROTUS_SWEEP_INTERVAL_SECONDS: '0' }, { clock })
})
afterAll(async () => {
  await expectLedgerSound(app)
  await app.close()
})

type Charge = { id: string; amount: number; service: string | null; created_at: string; currency: string }
type Refund = { id: string; charge: string; amount: number; created_at: string }
type Line = {
  key: string | null
  currency: string
  charges_count: number
  gross: number
  refunds: number
  net: number
}
type Partner = Awaited<ReturnType<typeof partnerWithAccount>>

async function every<T extends { id: string }>(p: Partner, path: string): Promise<T[]> {
  const items: T[] = []
  for (;;) {
    const last = items.at(-1)
    const res = await p.get(`${path}?limit=100${last ? `&starting_after=${last.id}` : ''}`)
    expect(res.statusCode, res.body).toBe(200)
    const page = res.json() as { data: T[]; has_more: boolean }
    items.push(...page.data)
    if (!page.has_more) return items
  }
}

/** The report's lines computed from the lists, for one grouping and range. */
function expected(
  charges: readonly Charge[],
  refunds: readonly Refund[],
  groupBy: 'service' | 'day' | 'month',
  range: { gte?: string; lt?: string } = {},
): Line[] {
  const inRange = (at: string) =>
    (range.gte === undefined || at >= range.gte) && (range.lt === undefined || at < range.lt)
  const keyOf = (at: string, service: string | null) =>
    groupBy === 'service' ? service : groupBy === 'day' ? at.slice(0, 10) : at.slice(0, 7)
  const lines = new Map<string, Line>()
  const line = (key: string | null, currency: string) => {
    const id = `${key}|${currency}`
    let l = lines.get(id)
    if (!l) {
      l = { key, currency, charges_count: 0, gross: 0, refunds: 0, net: 0 }
      lines.set(id, l)
    }
    return l
  }
  for (const c of charges.filter((c) => inRange(c.created_at))) {
    const l = line(keyOf(c.created_at, c.service), c.currency)
    l.charges_count += 1
    l.gross += c.amount
    l.net += c.amount
  }
  const chargeOf = new Map(charges.map((c) => [c.id, c]))
  for (const r of refunds.filter((r) => inRange(r.created_at))) {
    const c = chargeOf.get(r.charge)
    if (!c) throw new Error(`refund ${r.id} of an unlisted charge`)
    const l = line(keyOf(r.created_at, c.service), c.currency)
    l.refunds += r.amount
    l.net -= r.amount
  }
  return [...lines.values()].sort((a, b) =>
    a.key === b.key ? 0 : a.key === null ? 1 : b.key === null ? -1 : a.key < b.key ? -1 : 1,
  )
}

describe('revenue report', () => {
  let p: Partner
  let charges: Charge[]
  let refunds: Refund[]

  beforeAll(async () => {
    p = await partnerWithAccount(app, 1_000_000)
    const second = (await p.post('/v1/accounts', { external_id: `b-${newKey()}` })).json() as { id: string }
    await fund(app, second.id, 1_000_000)
    const accounts = [p.account.id, second.id]
    const services: string[] = []
    for (const [name, price] of [
      ['Звонки', 120],
      ['SMS', 35],
    ] as const) {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/services',
        headers: { authorization: p.auth },
        payload: { name, price },
      })
      services.push((res.json() as { id: string }).id)
    }
    // A seeded walk over six weeks across two month ends: charges of a service or an amount,
    // holds captured in part, and refunds (in part or whole) of earlier charges, often days later.
    let seed = 42
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0
      return (seed >>> 16) % n
    }
    const made: string[] = []
    for (let step = 0; step < 90; step++) {
      clock.advance((1 + rand(20)) * HOUR)
      const account = accounts[rand(2)] as string
      const kind = rand(4)
      const priced =
        rand(3) === 0
          ? { amount: 1 + rand(900) }
          : { service: services[rand(2)] as string, quantity: 1 + rand(3) }
      if (kind === 0 && made.length > 0) {
        const charge = made[rand(made.length)] as string
        const res = await p.post(
          `/v1/charges/${charge}/refunds`,
          rand(2) === 0 ? {} : { amount: 1 + rand(40) },
        )
        expect([201, 422], res.body).toContain(res.statusCode)
      } else if (kind === 1) {
        const hold = (await p.post('/v1/holds', { account, ...priced })).json() as {
          id: string
          amount: number
        }
        const captured = await p.post(`/v1/holds/${hold.id}/capture`, { amount: 1 + rand(hold.amount) })
        expect(captured.statusCode, captured.body).toBe(200)
        made.push((captured.json() as { charge: { id: string } }).charge.id)
      } else {
        const res = await p.post('/v1/charges', { account, ...priced })
        expect(res.statusCode, res.body).toBe(201)
        made.push((res.json() as { id: string }).id)
      }
    }
    charges = await every<Charge>(p, '/v1/charges')
    refunds = await every<Refund>(p, '/v1/refunds')
    expect(charges.length).toBeGreaterThan(50)
    expect(refunds.length).toBeGreaterThan(10)
  })

  const report = async (query: string) => {
    const res = await p.get(`/v1/reports/revenue?${query}`)
    expect(res.statusCode, res.body).toBe(200)
    return res.json() as { group_by: string; data: Line[] }
  }

  it('sums the listed charges and refunds for every grouping', async () => {
    for (const groupBy of ['service', 'day', 'month'] as const) {
      const got = await report(`group_by=${groupBy}`)
      expect(got.group_by).toBe(groupBy)
      expect(got.data, groupBy).toEqual(expected(charges, refunds, groupBy))
    }
    const months = (await report('group_by=month')).data.map((l) => l.key)
    expect(months).toEqual(['2026-09', '2026-10', '2026-11'].slice(0, months.length))
    expect(months.length).toBeGreaterThanOrEqual(2)
    expect((await report('group_by=service')).data.map((l) => l.key).at(-1)).toBeNull()
  })

  it('bounds charges and refunds by when each was made', async () => {
    const range = { gte: '2026-10-05T00:00:00.000Z', lt: '2026-10-19T12:00:00.000Z' }
    const query = `created[gte]=${range.gte}&created[lt]=${range.lt}`
    for (const groupBy of ['service', 'day', 'month'] as const) {
      expect((await report(`group_by=${groupBy}&${query}`)).data).toEqual(
        expected(charges, refunds, groupBy, range),
      )
    }
    expect((await report('group_by=day&created[lt]=2026-09-01T00:00:00Z')).data).toEqual([])
  })

  it('nets what the ledger credited the partner’s revenue', async () => {
    const net = (await report('group_by=month')).data.reduce((sum, l) => sum + l.net, 0)
    expect(await app.services.ledger.revenue(p.company.id)).toEqual([
      expect.objectContaining({ currency: 'RUB', posted: BigInt(net), held: 0n }),
    ])
  })

  it('answers another grouping or a malformed range with 400, and another partner with nothing', async () => {
    for (const query of [
      '',
      'group_by=week',
      'group_by=service&created[gte]=2026-10',
      'group_by=day&account=x',
    ]) {
      expectProblem(await p.get(`/v1/reports/revenue?${query}`), 400, 'validation_failed')
    }
    const other = await partnerWithAccount(app, 0)
    expect((await other.get('/v1/reports/revenue?group_by=service')).json()).toEqual({
      group_by: 'service',
      data: [],
    })
  })
})
