import { get, type IncomingMessage } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import { parse } from 'csv-parse/sync'
import Fastify, { type FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { type CsvExport, decimalAmount, streamCsv } from './csv.js'

interface Row {
  n: number
  text: string
}

const columns: CsvExport<Row>['columns'] = [
  { header: 'n', value: (r) => String(r.n) },
  { header: 'text', value: (r) => r.text, untrusted: true },
  { header: 'none', value: () => null },
]

/** Rows 0..total-1 a page at a time, recording the cursors asked for. */
function numbered(total: number, text: (n: number) => string = (n) => `row ${n}`) {
  const asked: (number | undefined)[] = []
  const page = async (after: Row | undefined, limit: number) => {
    asked.push(after?.n)
    const from = after === undefined ? 0 : after.n + 1
    return Array.from({ length: Math.max(0, Math.min(limit, total - from)) }, (_, i) => ({
      n: from + i,
      text: text(from + i),
    }))
  }
  return { asked, page }
}

let app: FastifyInstance | undefined
afterEach(async () => {
  await app?.close()
  app = undefined
})

async function serve(csv: () => CsvExport<Row>, listen = false) {
  app = Fastify()
  app.get('/export.csv', (_request, reply) => streamCsv(reply, csv()))
  if (listen) await app.listen({ port: 0, host: '127.0.0.1' })
  return app
}

const urlOf = (server: FastifyInstance) => {
  const address = server.server.address() as { port: number }
  return `http://127.0.0.1:${address.port}/export.csv`
}

describe('decimalAmount', () => {
  it('writes minor units as an exact decimal in major units, by the currency’s exponent', () => {
    expect(decimalAmount(1234n, 'RUB')).toBe('12.34')
    expect(decimalAmount(-5n, 'RUB')).toBe('-0.05')
    expect(decimalAmount(0, 'rub')).toBe('0.00')
    expect(decimalAmount(100, 'USD')).toBe('1.00')
    expect(decimalAmount(1234, 'JPY')).toBe('1234')
    expect(decimalAmount(1234, 'KWD')).toBe('1.234')
    expect(decimalAmount(900_719_925_474_099_312n, 'RUB')).toBe('9007199254740993.12')
  })
})

describe('streamCsv', () => {
  it('sends a header row and every page’s rows, asking each page after the last row of the one before', async () => {
    const source = numbered(2_501)
    const server = await serve(() => ({ filename: 'rows.csv', columns, page: source.page }))
    const res = await server.inject({ method: 'GET', url: '/export.csv' })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8')
    expect(res.headers['content-disposition']).toBe('attachment; filename="rows.csv"')
    expect(res.body.startsWith('n,text,none\r\n0,row 0,\r\n1,row 1,\r\n')).toBe(true)
    const rows = parse(res.body, { columns: true })
    expect(rows).toHaveLength(2_501)
    expect(rows[2_500]).toEqual({ n: '2500', text: 'row 2500', none: '' })
    expect(source.asked).toEqual([undefined, 999, 1_999])
  })

  it('asks once more after a full last page, and sends only the header for no rows', async () => {
    const full = numbered(10)
    const server = await serve(() => ({ filename: 'x.csv', columns, page: full.page, pageSize: 5 }))
    expect(parse((await server.inject('/export.csv')).body, { columns: true })).toHaveLength(10)
    expect(full.asked).toEqual([undefined, 4, 9])
    await server.close()
    const empty = numbered(0)
    const again = await serve(() => ({ filename: 'x.csv', columns, page: empty.page, bom: true }))
    expect((await again.inject('/export.csv')).body).toBe('\ufeffn,text,none\r\n')
  })

  it('quotes what needs quoting, keeps UTF-8 text whole, and defuses formulas in untrusted text', async () => {
    const texts = ['a, "b"\nc', 'Привет, «мир»\r\n', '=1+2', '+7 900', '-x', '@SUM(A1)', '\tt', 'ok=1']
    const source = numbered(texts.length, (n) => texts[n] as string)
    const server = await serve(() => ({ filename: 'счёт 1/2.csv', columns, page: source.page }))
    const res = await server.inject('/export.csv')
    expect(res.headers['content-disposition']).toBe('attachment; filename="_____1_2.csv"')
    const cells = (parse(res.body, { columns: true }) as { text: string }[]).map((r) => r.text)
    expect(cells).toEqual([
      'a, "b"\nc',
      'Привет, «мир»\r\n',
      "'=1+2",
      "'+7 900",
      "'-x",
      "'@SUM(A1)",
      "'\tt",
      'ok=1',
    ])
    expect(res.body).toContain('"a, ""b""\nc"')
  })

  it('answers a failure of the first page as an error, not as a CSV', async () => {
    const server = await serve(() => ({
      filename: 'x.csv',
      columns,
      page: async () => {
        throw new Error('database down')
      },
    }))
    const res = await server.inject('/export.csv')
    expect(res.statusCode).toBe(500)
    expect(res.headers['content-type']).toMatch(/^application\/json/)
  })

  it('breaks the download when a later page fails, instead of leaving it hanging or ending it as if complete', async () => {
    const source = numbered(10_000)
    const server = await serve(
      () => ({
        filename: 'x.csv',
        columns,
        page: async (after, limit) => {
          if (after !== undefined && after.n > 2_000) throw new Error('database went away')
          return source.page(after, limit)
        },
      }),
      true,
    )
    const res = await fetch(urlOf(server), { signal: AbortSignal.timeout(10_000) })
    expect(res.status).toBe(200)
    await expect(res.text()).rejects.toThrow(/terminated|aborted|closed/i)
  })

  it('reads the source only as fast as the client takes the file, and stops when the client goes away', async () => {
    const big = 'x'.repeat(1_000)
    const source = numbered(1_000_000, () => big)
    const server = await serve(() => ({ filename: 'x.csv', columns, page: source.page, pageSize: 100 }), true)
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      get(urlOf(server), resolve).on('error', () => {})
      setTimeout(() => reject(new Error('no response')), 5_000)
    })
    expect(response.statusCode).toBe(200)
    response.pause()
    await sleep(500)
    // What the socket's and the streams' buffers hold (a few MB) is read; the 1 GB behind stays unread.
    const whileWaiting = source.asked.length
    expect(whileWaiting).toBeLessThan(200)
    response.destroy()
    await sleep(300)
    const afterLeaving = source.asked.length
    await sleep(300)
    expect(source.asked.length).toBe(afterLeaving)
    expect(afterLeaving).toBeLessThan(whileWaiting + 5)
    const open = await new Promise<number>((resolve) => server.server.getConnections((_e, n) => resolve(n)))
    expect(open).toBe(0)
  })
})
