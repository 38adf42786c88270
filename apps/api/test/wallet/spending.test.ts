import { parse } from 'csv-parse/sync'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createManualClock } from '../../src/lib/clock.js'
import { expectProblem, registerCompany, registerCustomer, type Signed, signIn } from '../support/http.js'
import { expectLedgerSound, newKey } from '../support/money.js'
import { buildSandboxApp, connectPartner, person, topUp } from '../topups/sandbox.js'

// The person's statement narrowed by partner, kind, period and text, its CSV download, and what
// went to partners per month and per partner, over a history spread across several months.

const clock = createManualClock(new Date('2026-01-10T09:00:00.000Z'))
let app: FastifyInstance
beforeAll(async () => {
  app = await buildSandboxApp({}, { clock })
})
afterAll(async () => {
  await expectLedgerSound(app)
  await app.close()
})

interface Entry {
  id: string
  kind: string
  amount: number
  direction: 'debit' | 'credit'
  available_change: number
  balance_after: number
  partner: { id: string; name: string } | null
  service: { id: string; name: string } | null
  subscription: string | null
  description: string | null
  created_at: string
}

const KINDS = ['top_up', 'charge', 'hold', 'capture', 'release', 'expiry', 'refund'] as const

/** A partner the person signed in to, billing the person over the API. */
async function partnerOf(me: { customer: { id: string } }, name: string) {
  const partner = await registerCompany(app, { name })
  const account = await connectPartner(app, me.customer.id, partner.company.id)
  const post = async (url: string, payload: object) => {
    const res = await app.inject({
      method: 'POST',
      url,
      headers: { authorization: partner.auth, 'idempotency-key': newKey() },
      payload,
    })
    expect([200, 201], res.body).toContain(res.statusCode)
    return res.json() as { id: string }
  }
  return { id: partner.company.id, name, account, post }
}

type Partner = Awaited<ReturnType<typeof partnerOf>>

/** What moved money to a partner, as the test made it: charges and captures up, refunds down. */
const moved: { month: string; partner: string; amount: number; charge: boolean }[] = []
const monthNow = () => clock.now().toISOString().slice(0, 7)

async function charge(p: Partner, amount: number, description?: string) {
  const made = await p.post('/v1/charges', { account: p.account, amount, description })
  moved.push({ month: monthNow(), partner: p.id, amount, charge: true })
  return made
}

async function holdAndCapture(p: Partner, amount: number, captured: number, description?: string) {
  const hold = await p.post('/v1/holds', { account: p.account, amount, description })
  await p.post(`/v1/holds/${hold.id}/capture`, { amount: captured })
  moved.push({ month: monthNow(), partner: p.id, amount: captured, charge: true })
}

async function refund(p: Partner, chargeId: string, amount: number) {
  await p.post(`/v1/charges/${chargeId}/refunds`, { amount })
  moved.push({ month: monthNow(), partner: p.id, amount: -amount, charge: false })
}

const days = (n: number) => clock.advance(n * 86_400_000)

let me: Signed
let alpha: Partner
let beta: Partner
const tricky = 'Счёт №7, "Про" тариф\nвторая строка; 50%_скидка'
const formula = '=HYPERLINK("https://evil.example","click")'

/**
 * January: charges from both partners, a partial capture, a released hold. February: a charge,
 * a refund of a January charge. March: a full refund of another January charge, an expired hold.
 */
beforeAll(async () => {
  const registered = await registerCustomer(app)
  const who = {
    ...(await signIn(app, 'customer', registered.email, registered.password)),
    customer: registered.customer,
  }
  await topUp(app, who, 1_000_000)
  alpha = await partnerOf(who, 'Альфа «Рассылки»')
  beta = await partnerOf(who, 'Beta, Hosting')
  const janAlpha = await charge(alpha, 10_000, 'Рассылка: январь, «клиенты»')
  days(1)
  const janBeta = await charge(beta, 5_000, tricky)
  await holdAndCapture(alpha, 3_000, 2_000, 'Campaign')
  const released = await beta.post('/v1/holds', { account: beta.account, amount: 700, description: 'Draft' })
  await beta.post(`/v1/holds/${released.id}/release`, {})
  days(30) // 2026-02-10
  await charge(alpha, 7_000, 'рассылка ФЕВРАЛЬ')
  await refund(alpha, janAlpha.id, 4_000)
  await charge(beta, 1_000, formula)
  days(29) // 2026-03-11
  await refund(beta, janBeta.id, 5_000)
  await beta.post('/v1/holds', { account: beta.account, amount: 900, expires_in: 60 })
  days(1)
  expect(await app.services.holdSweeper.runOnce()).toBe(1)
  await charge(alpha, 333)
  // Signed in again: two months on, the first session has expired.
  me = await signIn(app, 'customer', registered.email, registered.password)
})

async function get(url: string, who: Signed = me) {
  return app.inject({ method: 'GET', url, headers: { cookie: who.cookie } })
}

async function page(query: Record<string, string>) {
  const res = await get(`/v1/me/entries?${new URLSearchParams(query)}`)
  expect(res.statusCode, res.body).toBe(200)
  return res.json() as { data: Entry[]; has_more: boolean }
}

/** Every line under the filters, read `limit` at a time through the cursor. */
async function paged(filters: Record<string, string>, limit: number): Promise<Entry[]> {
  const seen: Entry[] = []
  for (;;) {
    const last = seen.at(-1)
    const got = await page({ ...filters, limit: String(limit), ...(last ? { starting_after: last.id } : {}) })
    expect(got.data.length).toBeLessThanOrEqual(limit)
    seen.push(...got.data)
    if (!got.has_more) return seen
  }
}

const everything = () => paged({}, 100)

describe('GET /v1/me/entries with filters', () => {
  it('narrows to each kind, and the cursor walks the narrowed list at any page size', async () => {
    const all = await everything()
    expect(new Set(all.map((e) => e.kind))).toEqual(new Set(KINDS))
    for (const kind of KINDS) {
      const expected = all.filter((e) => e.kind === kind)
      expect(expected.length, kind).toBeGreaterThan(0)
      for (const limit of [1, 2, 100])
        expect(await paged({ kind }, limit), `${kind} by ${limit}`).toEqual(expected)
    }
  })

  it('narrows to one partner, and to a period', async () => {
    const all = await everything()
    for (const p of [alpha, beta]) {
      const expected = all.filter((e) => e.partner?.id === p.id)
      expect(expected.length).toBeGreaterThan(3)
      expect(await paged({ partner: p.id }, 3)).toEqual(expected)
    }
    const february = { 'created[gte]': '2026-02-01T00:00:00Z', 'created[lt]': '2026-03-01T00:00:00Z' }
    const inFebruary = all.filter((e) => e.created_at >= '2026-02-01' && e.created_at < '2026-03-01')
    expect(inFebruary.map((e) => e.kind).sort()).toEqual(['charge', 'charge', 'refund'])
    expect(await paged(february, 2)).toEqual(inFebruary)
    expect(await paged({ 'created[gte]': '2026-03-01T00:00:00+03:00' }, 2)).toEqual(
      all.filter((e) => e.created_at >= '2026-02-28T21:00:00.000Z'),
    )
  })

  it('searches the description in any letter case, Cyrillic too, with % and _ taken literally', async () => {
    const all = await everything()
    const containing = (text: string) => all.filter((e) => e.description?.toLowerCase().includes(text))
    expect(containing('рассылка')).toHaveLength(3) // two charges and the refund of one
    expect(await paged({ q: 'РАССЫЛКА' }, 2)).toEqual(containing('рассылка'))
    expect(await paged({ q: 'Ка: Я' }, 2)).toEqual(containing('ка: я'))
    expect((await paged({ q: '50%_' }, 2)).map((e) => e.description)).toEqual([tricky, tricky])
    expect(await paged({ q: '%' }, 5)).toEqual(containing('%'))
    expect(await paged({ q: '' }, 100)).toEqual(all)
  })

  it('combines the filters with each other and with the cursor', async () => {
    const all = await everything()
    const filters = {
      partner: alpha.id,
      kind: 'charge',
      'created[gte]': '2026-01-01T00:00:00Z',
      'created[lt]': '2026-03-01T00:00:00Z',
      q: 'рассылка',
    }
    const expected = all.filter(
      (e) =>
        e.partner?.id === alpha.id &&
        e.kind === 'charge' &&
        e.created_at < '2026-03-01' &&
        e.description?.toLowerCase().includes('рассылка'),
    )
    expect(expected.map((e) => e.amount)).toEqual([7_000, 10_000])
    expect(await paged(filters, 1)).toEqual(expected)
  })

  it('pages on from any line of the statement, also one the filter leaves out', async () => {
    const all = await everything()
    for (const [index, cursor] of all.entries()) {
      for (const kind of ['charge', 'release', 'capture'] as const) {
        const got = await page({ kind, starting_after: cursor.id, limit: '100' })
        expect(got.data, `${kind} after ${cursor.id}`).toEqual(
          all.slice(index + 1).filter((e) => e.kind === kind),
        )
      }
    }
  })

  it('refuses malformed filters with 400 validation_failed', async () => {
    for (const query of [
      'kind=payout',
      'partner=acme',
      `partner=${alpha.id}x`,
      'created[gte]=2026-01-01',
      'created[lt]=yesterday',
      `q=${'й'.repeat(101)}`,
      'q=a&q=b',
      'sort=amount',
    ]) {
      const res = await get(`/v1/me/entries?${query}`)
      expect(res.statusCode, query).toBe(400)
      expectProblem(res, 400, 'validation_failed')
    }
    expect((await page({ partner: 'co_00000000000000000000000000' })).data).toEqual([])
  })
})

/** A cell of the CSV as the statement's JSON gives it. */
function csvRowOf(e: Entry) {
  const money = (minor: number) => `${minor < 0 ? '-' : ''}${(Math.abs(minor) / 100).toFixed(2)}`
  const text = (v: string | null | undefined) => (v == null ? '' : /^[=+\-@\t\r]/.test(v) ? `'${v}` : v)
  return {
    id: e.id,
    created_at: e.created_at,
    kind: e.kind,
    direction: e.direction,
    amount: money(e.amount),
    currency: 'RUB',
    available_change: money(e.available_change),
    balance_after: money(e.balance_after),
    partner_id: e.partner?.id ?? '',
    partner_name: text(e.partner?.name),
    service_id: e.service?.id ?? '',
    service_name: text(e.service?.name),
    subscription: e.subscription ?? '',
    description: text(e.description),
  }
}

type CsvRow = Record<string, string>
const parseCsv = (body: Buffer | string) => parse(body, { bom: true, columns: true }) as CsvRow[]

async function download(query = '') {
  const res = await get(`/v1/me/entries.csv${query}`)
  expect(res.statusCode, res.body).toBe(200)
  return res
}

describe('GET /v1/me/entries.csv', () => {
  it('downloads every line under the filters as RFC 4180 CSV in UTF-8, equal to the JSON list', async () => {
    const res = await download()
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8')
    expect(res.headers['content-disposition']).toBe('attachment; filename="protus-statement-2026-03-12.csv"')
    expect(res.headers['cache-control']).toBe('no-store')
    const body = res.rawPayload
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const text = body.toString('utf8')
    expect(text).toContain('Альфа «Рассылки»')
    expect(text.split('\r\n')[0]).toBe(
      '\ufeffid,created_at,kind,direction,amount,currency,available_change,balance_after,partner_id,partner_name,service_id,service_name,subscription,description',
    )
    const rows = parseCsv(text)
    const all = await everything()
    expect(rows).toEqual(all.map(csvRowOf))
    expect(rows.find((r) => r.description === tricky)).toBeDefined()
    expect(rows.filter((r) => r.partner_name === 'Beta, Hosting').length).toBeGreaterThan(0)
    expect(rows.find((r) => r.amount === '3.33')).toBeDefined()
  })

  it('takes the same filters as the list', async () => {
    const filtersList: Record<string, string>[] = [
      { partner: beta.id },
      { kind: 'refund', q: 'РАССЫЛКА' },
      { 'created[gte]': '2026-02-01T00:00:00Z', 'created[lt]': '2026-03-01T00:00:00Z', partner: beta.id },
      { kind: 'expiry' },
      { partner: 'co_00000000000000000000000000' },
    ]
    for (const filters of filtersList) {
      const query = new URLSearchParams(filters)
      const rows = parseCsv((await download(`?${query}`)).rawPayload)
      const expected = (await paged(filters, 100)).map(csvRowOf)
      expect(rows, query.toString()).toEqual(expected)
    }
  })

  it('keeps a formula a partner wrote as text', async () => {
    const rows = parseCsv((await download(`?partner=${beta.id}&kind=charge`)).rawPayload)
    expect(rows.map((r) => r.description)).toEqual([`'${formula}`, tricky])
  })

  it('refuses malformed filters and paging fields with a problem, and needs a person', async () => {
    for (const query of [
      'kind=nope',
      'created[gte]=now',
      'limit=10',
      `starting_after=x`,
      `q=${'x'.repeat(101)}`,
    ]) {
      expectProblem(await get(`/v1/me/entries.csv?${query}`), 400, 'validation_failed')
    }
    expectProblem(await app.inject({ method: 'GET', url: '/v1/me/entries.csv' }), 401, 'unauthenticated')
    const company = await registerCompany(app)
    const session = await signIn(app, 'company', company.email, company.password)
    expectProblem(await get('/v1/me/entries.csv', session), 403, 'forbidden')
  })
})

/** What the test moved, summed per key: charges less refunds. */
function expectedSpent(key: (m: (typeof moved)[number]) => string) {
  const sums = new Map<string, { spent: number; charges: number }>()
  for (const m of moved) {
    const sum = sums.get(key(m)) ?? { spent: 0, charges: 0 }
    sums.set(key(m), { spent: sum.spent + m.amount, charges: sum.charges + (m.charge ? 1 : 0) })
  }
  return sums
}

async function spending(query: string, who: Signed = me) {
  const res = await get(`/v1/me/spending?${query}`, who)
  expect(res.statusCode, res.body).toBe(200)
  return res.json()
}

describe('GET /v1/me/spending', () => {
  it('by month: the last 12 months up to this one, each with what went to each partner, refunds when made', async () => {
    const report = await spending('group_by=month')
    expect(report.group_by).toBe('month')
    expect(report.currency).toBe('RUB')
    expect(report.data.map((row: { key: string }) => row.key)).toEqual([
      '2025-04',
      '2025-05',
      '2025-06',
      '2025-07',
      '2025-08',
      '2025-09',
      '2025-10',
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
      '2026-03',
    ])
    const sums = expectedSpent((m) => `${m.month} ${m.partner}`)
    const names = new Map([
      [alpha.id, alpha.name],
      [beta.id, beta.name],
    ])
    for (const row of report.data as {
      key: string
      spent: number
      partners: { partner: string; name: string; spent: number }[]
    }[]) {
      const expected = [...sums]
        .filter(([key]) => key.startsWith(row.key))
        .map(([key, sum]) => {
          const partner = key.split(' ')[1] as string
          return { partner, name: names.get(partner), spent: sum.spent }
        })
        .sort((a, b) => b.spent - a.spent)
      expect(row.partners, row.key).toEqual(expected)
      expect(row.spent, row.key).toBe(expected.reduce((s, p) => s + p.spent, 0))
    }
    // January: 10,000 + 2,000 (captured of 3,000) to Alpha, 5,000 to Beta; the released hold is nothing.
    expect(report.data[9]).toEqual({
      key: '2026-01',
      spent: 17_000,
      partners: [
        { partner: alpha.id, name: alpha.name, spent: 12_000 },
        { partner: beta.id, name: beta.name, spent: 5_000 },
      ],
    })
    // March: Beta's January charge refunded in full, beyond what Beta took in March.
    expect(report.data[11].partners).toEqual([
      { partner: alpha.id, name: alpha.name, spent: 333 },
      { partner: beta.id, name: beta.name, spent: -5_000 },
    ])
  })

  it('by partner: over all time or a period, with the count of charges', async () => {
    const all = await spending('group_by=partner')
    const sums = expectedSpent((m) => m.partner)
    expect(all).toEqual({
      group_by: 'partner',
      currency: 'RUB',
      data: [
        { key: alpha.id, name: alpha.name, spent: sums.get(alpha.id)?.spent, charges_count: 4 },
        { key: beta.id, name: beta.name, spent: sums.get(beta.id)?.spent, charges_count: 2 },
      ],
    })
    expect(all.data[0].spent).toBe(10_000 + 2_000 + 7_000 - 4_000 + 333)
    const februaryOn = await spending('group_by=partner&created[gte]=2026-02-01T00:00:00Z')
    expect(februaryOn.data).toEqual([
      { key: alpha.id, name: alpha.name, spent: 7_000 - 4_000 + 333, charges_count: 2 },
      { key: beta.id, name: beta.name, spent: 1_000 - 5_000, charges_count: 1 },
    ])
  })

  it('by month over a period given, months in UTC', async () => {
    const report = await spending(
      'group_by=month&created[gte]=2026-01-11T00:00:00Z&created[lt]=2026-02-11T00:00:00Z',
    )
    expect(report.data).toEqual([
      {
        key: '2026-01',
        spent: 5_000 + 2_000,
        partners: [
          { partner: beta.id, name: beta.name, spent: 5_000 },
          { partner: alpha.id, name: alpha.name, spent: 2_000 },
        ],
      },
      {
        key: '2026-02',
        spent: 7_000 - 4_000 + 1_000,
        partners: [
          { partner: alpha.id, name: alpha.name, spent: 3_000 },
          { partner: beta.id, name: beta.name, spent: 1_000 },
        ],
      },
    ])
    const ending = await spending('group_by=month&created[lt]=2026-02-01T00:00:00Z')
    expect(ending.data.map((row: { key: string }) => row.key)).toEqual([
      '2025-02',
      '2025-03',
      '2025-04',
      '2025-05',
      '2025-06',
      '2025-07',
      '2025-08',
      '2025-09',
      '2025-10',
      '2025-11',
      '2025-12',
      '2026-01',
    ])
    expect(
      (await spending('group_by=month&created[gte]=2026-03-01T00:00:00Z&created[lt]=2026-01-01T00:00:00Z'))
        .data,
    ).toEqual([])
  })

  it('is zero in every month for a person who spent nothing', async () => {
    const other = await person(app)
    const report = await spending('group_by=month', other)
    expect(report.data).toHaveLength(12)
    expect(
      report.data.every(
        (row: { spent: number; partners: unknown[] }) => row.spent === 0 && row.partners.length === 0,
      ),
    ).toBe(true)
    expect((await spending('group_by=partner', other)).data).toEqual([])
  })

  it('refuses another grouping, a missing one, malformed times and more than 120 months', async () => {
    for (const query of [
      'group_by=day',
      'group_by=service',
      '',
      'group_by=month&created[gte]=2026',
      'group_by=month&created[gte]=2010-01-01T00:00:00Z',
      'group_by=partner&partner=x',
    ]) {
      expectProblem(await get(`/v1/me/spending?${query}`), 400, 'validation_failed')
    }
    const tooLong = expectProblem(
      await get('/v1/me/spending?group_by=month&created[gte]=2016-03-01T00:00:00Z'),
      400,
      'validation_failed',
    )
    expect(tooLong.errors).toEqual([
      { field: 'querystring:/created[gte]', message: 'covers more than 120 months' },
    ])
    expect((await spending('group_by=month&created[gte]=2016-04-01T00:00:00Z')).data).toHaveLength(120)
    expectProblem(
      await app.inject({ method: 'GET', url: '/v1/me/spending?group_by=month' }),
      401,
      'unauthenticated',
    )
  })
})
