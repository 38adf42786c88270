import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { onPostgres } from '../support/app.js'
import { registerCompany } from '../support/http.js'
import { expectLedgerSound } from '../support/money.js'
import { buildSandboxApp, person } from '../topups/sandbox.js'

// A statement of a million lines downloads as CSV in constant memory: the server reads it from
// the database a page at a time and writes it as fast as the client takes it. The rows are
// written straight into the ledger (as refunds from a partner, with the account totals to match),
// since a million of them through the API would take the test's whole budget.

// A million on PostgreSQL (about a minute with the inserts). On embedded PGlite a million takes
// over two minutes, so it streams 200,000 there unless PROTUS_EXPORT_ROWS says otherwise.
const ROWS = Number(process.env.PROTUS_EXPORT_ROWS ?? (onPostgres ? 1_000_000 : 200_000))
const AMOUNT = 1_234
const INSERT_CHUNK = 100_000
const MB = 1024 * 1024

let app: FastifyInstance
let url: string
let cookie: string
let companyName: string

beforeAll(async () => {
  app = await buildSandboxApp()
  await app.listen({ port: 0, host: '127.0.0.1' })
  url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`
  const me = await person(app)
  cookie = me.cookie
  const partner = await registerCompany(app, { name: 'Партнёр «Рассылки», ООО "Альфа"' })
  companyName = partner.company.name
  const wallet = await app.services.ledger.walletOf(me.customer.id, 'RUB')
  const funding = await app.services.ledger.fundingAccount('sandbox', 'RUB')
  const started = Date.now()
  for (let from = 1; from <= ROWS; from += INSERT_CHUNK) {
    await app.db.query(
      `INSERT INTO ledger_transfers (id, kind, debit_account_id, credit_account_id, amount, debit_balance, credit_balance, user_data, created_at)
       SELECT 're_bulk_' || lpad(i::text, 8, '0'), 'posted', $1, $2, $3, -i * $3, i * $3,
              jsonb_build_object('company_id', $4::text, 'description', 'Возврат №' || i || ', «рассылка» "Про"'),
              timestamptz '2026-01-01 00:00:00+00' + i * interval '1 second'
         FROM generate_series($5::bigint, $6::bigint) i`,
      [funding, wallet, AMOUNT, partner.company.id, from, Math.min(ROWS, from + INSERT_CHUNK - 1)],
    )
  }
  const total = BigInt(ROWS) * BigInt(AMOUNT)
  await app.db.query('UPDATE ledger_accounts SET credits_posted = credits_posted + $2 WHERE id = $1', [
    wallet,
    total,
  ])
  await app.db.query('UPDATE ledger_accounts SET debits_posted = debits_posted + $2 WHERE id = $1', [
    funding,
    total,
  ])
  // As autovacuum would after such an insert (PGlite has none): with the statistics of an empty
  // table the planner would sort the wallet's whole history for every page.
  await app.db.query('ANALYZE ledger_transfers')
  console.info(`inserted ${ROWS} transfers in ${Date.now() - started} ms`)
}, 600_000)

afterAll(async () => {
  const started = Date.now()
  await expectLedgerSound(app)
  console.info(`ledger verified in ${Date.now() - started} ms`)
  await app.close()
}, 600_000)

/** A full garbage collection, so that what the heap holds afterwards is what is still in use. */
setFlagsFromString('--expose-gc')
const collectGarbage = runInNewContext('gc') as () => void

it(`streams ${ROWS} lines of CSV while the process's memory stays bounded`, async () => {
  // A short download first, so that code loaded on first use does not count as growth.
  const warm = await fetch(`${url}/v1/me/entries.csv?kind=charge`, { headers: { cookie } })
  expect(warm.status).toBe(200)
  await warm.text()
  collectGarbage()
  const before = process.memoryUsage()
  let peakRss = before.rss
  let retained = before.heapUsed
  const started = Date.now()
  const res = await fetch(`${url}/v1/me/entries.csv`, { headers: { cookie } })
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
  const reader = (res.body as ReadableStream<Uint8Array>).getReader()
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true })
  let bytes = 0
  let lines = 0
  let head = ''
  let tail = ''
  // Ten times along the way: what the heap still holds after a full collection.
  let checkpoint = ROWS / 10
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    bytes += value.byteLength
    const text = decoder.decode(value, { stream: true })
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lines++
    if (head.length < 1_000) head += text
    tail = (tail + text).slice(-1_000)
    peakRss = Math.max(peakRss, process.memoryUsage.rss())
    if (lines >= checkpoint) {
      checkpoint += ROWS / 10
      collectGarbage()
      retained = Math.max(retained, process.memoryUsage().heapUsed)
    }
  }
  const seconds = (Date.now() - started) / 1000
  const growth = { heap: (retained - before.heapUsed) / MB, rss: (peakRss - before.rss) / MB }
  console.info(
    `${ROWS} rows, ${(bytes / MB).toFixed(0)} MB of CSV in ${seconds.toFixed(1)} s ` +
      `(${Math.round(ROWS / seconds)} rows/s); growth: heap after GC ${growth.heap.toFixed(1)} MB, ` +
      `peak rss ${growth.rss.toFixed(1)} MB`,
  )

  expect(lines).toBe(ROWS + 1)
  const [header, newest] = head.split('\r\n')
  expect(header?.startsWith('\ufeffid,created_at,kind,')).toBe(true)
  expect(newest).toContain(`re_bulk_${String(ROWS).padStart(8, '0')},`)
  expect(newest).toContain(`,refund,credit,12.34,RUB,12.34,${((ROWS * AMOUNT) / 100).toFixed(2)},`)
  expect(newest).toContain(`,"${companyName.replaceAll('"', '""')}",`)
  expect(tail).toMatch(
    /re_bulk_00000001,2026-01-01T00:00:01\.000Z,refund,.*,"Возврат №1, «рассылка» ""Про"""\r\n$/,
  )
  // A buffered answer holds at least the whole file before it is sent.
  const bound = 16
  expect(bytes / MB).toBeGreaterThan(2 * bound)
  expect(growth.heap).toBeLessThan(bound)
  // The process as a whole: V8 lets garbage pile up between collections, within limits of its own.
  expect(growth.rss).toBeLessThan(384)
}, 600_000)
