import { parse } from 'csv-parse/sync'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createManualClock } from '../../src/lib/clock.js'
import { buildTestApp } from '../support/app.js'
import { expectProblem, signIn } from '../support/http.js'
import { expectLedgerSound, newKey, partnerWithAccount } from '../support/money.js'

// The partner's CSV downloads: parsed back with the same library they are written with, each
// must be its JSON list under the same filters, every row, amounts as decimals of major units.

const HOUR = 3_600_000
const clock = createManualClock(new Date('2026-11-20T08:00:00.000Z'))
let app: FastifyInstance
let p: Awaited<ReturnType<typeof partnerWithAccount>>
let service: string

beforeAll(async () => {
  app = await buildTestApp({ PROTUS_SWEEP_INTERVAL_SECONDS: '0' }, { clock })
  p = await partnerWithAccount(app, 1_000_000)
  service = (
    (
      await app.inject({
        method: 'POST',
        url: '/v1/services',
        headers: { authorization: p.auth },
        payload: { name: 'Видео', price: 1_999 },
      })
    ).json() as { id: string }
  ).id
  const descriptions = ['Подписка «Премиум», март', 'comma, "quoted" and\nnew line', '=SUM(A1:A9)', 'Ёлка 🎄']
  const charges: string[] = []
  for (let i = 0; i < 14; i++) {
    clock.advance(5 * HOUR)
    const priced = i % 3 === 0 ? { service, quantity: 1 + (i % 2) } : { amount: 101 + i * 37 }
    const res = await p.post('/v1/charges', {
      account: p.account.id,
      ...priced,
      description: descriptions[i % descriptions.length],
      metadata: { order: `№${i}` },
    })
    expect(res.statusCode, res.body).toBe(201)
    charges.push((res.json() as { id: string }).id)
    if (i % 4 === 3) {
      const refund = await p.post(`/v1/charges/${charges[i - 2]}/refunds`, { amount: 50 })
      expect(refund.statusCode, refund.body).toBe(201)
    }
  }
  const session = await signIn(app, 'company', p.email, p.password)
  for (const amount of [700, 300]) {
    clock.advance(HOUR)
    const res = await app.inject({
      method: 'POST',
      url: '/v1/payouts',
      headers: { ...session.headers, 'idempotency-key': newKey() },
      payload: { amount, description: 'Выплата; ноябрь' },
    })
    expect(res.statusCode, res.body).toBe(201)
    const id = (res.json() as { id: string }).id
    clock.advance(HOUR)
    if (amount === 300) await app.services.payouts.fail(id, 'счёт закрыт')
  }
})
afterAll(async () => {
  await expectLedgerSound(app)
  await app.close()
})

async function every<T extends { id: string }>(path: string): Promise<T[]> {
  const items: T[] = []
  const join = path.includes('?') ? '&' : '?'
  for (;;) {
    const last = items.at(-1)
    const res = await p.get(`${path}${join}limit=4${last ? `&starting_after=${last.id}` : ''}`)
    expect(res.statusCode, res.body).toBe(200)
    const page = res.json() as { data: T[]; has_more: boolean }
    items.push(...page.data)
    if (!page.has_more) return items
  }
}

async function csv(path: string): Promise<Record<string, string>[]> {
  const res = await p.get(path)
  expect(res.statusCode, res.body).toBe(200)
  expect(res.headers['content-type']).toBe('text/csv; charset=utf-8')
  expect(res.headers['content-disposition']).toMatch(/^attachment; filename="[a-z_]+\.csv"$/)
  expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]))
  expect(res.body).toContain('\r\n')
  return parse(res.rawPayload, { bom: true, columns: true }) as Record<string, string>[]
}

/** Minor units of RUB as the file writes them. */
const rub = (minor: number) =>
  `${minor < 0 ? '-' : ''}${Math.floor(Math.abs(minor) / 100)}.${String(Math.abs(minor) % 100).padStart(2, '0')}`
/** What the file shows of a description a spreadsheet would run as a formula. */
const shown = (text: string | null) => (text === null ? '' : /^[=+\-@\t\r]/.test(text) ? `'${text}` : text)

describe('CSV exports of the partner', () => {
  it('charges.csv is the charges list under the same filters', async () => {
    type Charge = {
      id: string
      account: string
      service: string | null
      quantity: number | null
      description: string | null
      amount: number
      amount_refunded: number
      currency: string
      hold: string | null
      metadata: Record<string, string>
      created_at: string
    }
    for (const query of [
      '',
      `service=${service}`,
      'created[gte]=2026-11-21T00:00:00Z&created[lt]=2026-11-22T12:00:00Z',
    ]) {
      const listed = await every<Charge>(`/v1/charges${query ? `?${query}` : ''}`)
      const rows = await csv(`/v1/charges.csv${query ? `?${query}` : ''}`)
      expect(rows.length, query).toBe(listed.length)
      expect(rows).toEqual(
        listed.map((c) => ({
          id: c.id,
          created_at: c.created_at,
          account: c.account,
          service: c.service ?? '',
          quantity: c.quantity?.toString() ?? '',
          description: shown(c.description),
          amount: rub(c.amount),
          amount_refunded: rub(c.amount_refunded),
          currency: 'RUB',
          hold: c.hold ?? '',
          status: 'succeeded',
          metadata: JSON.stringify(c.metadata),
        })),
      )
    }
    expect(
      (await csv('/v1/charges.csv')).some((r) => r.description === 'comma, "quoted" and\nnew line'),
    ).toBe(true)
    expect((await csv('/v1/charges.csv')).some((r) => r.description === 'Подписка «Премиум», март')).toBe(
      true,
    )
  })

  it('balance_transactions.csv is the balance transactions list under the same filters', async () => {
    type Txn = {
      id: string
      type: string
      amount: number
      net: number
      source: string
      service: string | null
      account: string | null
      description: string | null
      created_at: string
    }
    for (const query of [
      '',
      'type=refund',
      `service=${service}`,
      'type=payout_reversal',
      'created[lt]=2026-11-22T00:00:00Z',
    ]) {
      const listed = await every<Txn>(`/v1/balance_transactions${query ? `?${query}` : ''}`)
      const rows = await csv(`/v1/balance_transactions.csv${query ? `?${query}` : ''}`)
      expect(rows).toEqual(
        listed.map((t) => ({
          id: t.id,
          created_at: t.created_at,
          type: t.type,
          amount: rub(t.amount),
          fee: '0.00',
          net: rub(t.net),
          currency: 'RUB',
          source: t.source,
          service: t.service ?? '',
          account: t.account ?? '',
          description: shown(t.description),
        })),
      )
    }
    const all = await csv('/v1/balance_transactions.csv')
    expect(new Set(all.map((r) => r.type))).toEqual(
      new Set(['charge', 'refund', 'payout', 'payout_reversal']),
    )
    expect(all.find((r) => r.type === 'payout_reversal')?.description).toBe('счёт закрыт')
    const { available } = (await p.get('/v1/balance')).json() as { available: number }
    const cents = all.reduce((sum, r) => sum + Math.round(Number(r.amount) * 100), 0)
    expect(cents).toBe(available)
  })

  it('pages an export by time across charges, refunds and payouts, whatever the page size', async () => {
    const listed = await every<{ id: string }>('/v1/balance_transactions')
    for (const size of [1, 2, 3, 5]) {
      const ids: string[] = []
      let after: Parameters<typeof app.services.payouts.balanceTransactionPage>[2]
      for (;;) {
        const rows = await app.services.payouts.balanceTransactionPage(p.company.id, {}, after, size)
        ids.push(...rows.map((r) => r.id))
        if (rows.length < size) break
        after = rows.at(-1)
      }
      expect(ids, `page size ${size}`).toEqual(listed.map((t) => t.id))
    }
  })

  it('answers a bad filter with 400 before any byte of CSV', async () => {
    expectProblem(await p.get('/v1/charges.csv?created[gte]=yesterday'), 400, 'validation_failed')
    expectProblem(await p.get('/v1/balance_transactions.csv?type=fee'), 400, 'validation_failed')
    expectProblem(await p.get('/v1/charges.csv?limit=5'), 400, 'validation_failed')
    const anonymous = await app.inject({ method: 'GET', url: '/v1/charges.csv' })
    expect(anonymous.statusCode).toBe(401)
  })
})
