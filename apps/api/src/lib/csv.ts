import { pipeline, Readable } from 'node:stream'
import { stringify } from 'csv-stringify'
import type { FastifyReply } from 'fastify'

/** One column of a CSV export: its header and the cell a row gives it (null and undefined: empty). */
export interface CsvColumn<Row> {
  header: string
  value: (row: Row) => string | null | undefined
  /**
   * Text others wrote (a partner's name or description). A cell of it that starts with =, +, -,
   * @, a tab or a carriage return gets a leading ' so that a spreadsheet shows it instead of
   * running it as a formula (OWASP "CSV injection"). Leave it off for numbers and codes.
   */
  untrusted?: boolean
}

export interface CsvExport<Row> {
  /** The name the download is saved under; characters outside [A-Za-z0-9._-] become "_". */
  filename: string
  columns: readonly CsvColumn<Row>[]
  /**
   * The `limit` rows that follow `after` (the last row of the page before; undefined for the
   * first page). A page shorter than `limit` is the last. Make it one keyset-paginated query, so
   * that an export of any length holds one page in memory.
   */
  page: (after: Row | undefined, limit: number) => Promise<readonly Row[]>
  /** Rows per page; 1,000 by default. */
  pageSize?: number
  /**
   * Start with a UTF-8 byte order mark. Spreadsheets (Excel on Windows) read a file without one in
   * the system's legacy code page and garble non-Latin text; programs that parse the file should
   * then skip it (csv-parse: `bom: true`).
   */
  bom?: boolean
}

const FORMULA_START = /^[=+\-@\t\r]/

function cell<Row>(column: CsvColumn<Row>, row: Row): string {
  const value = column.value(row) ?? ''
  return column.untrusted && FORMULA_START.test(value) ? `'${value}` : value
}

/**
 * Answers a CSV download of every row `page` hands out, streamed: RFC 4180 (CRLF, fields quoted
 * when they need it), UTF-8, a header row. The first page is read before anything is sent, so a
 * failure there (a bad cursor, the database down) is still answered as a problem; a failure later
 * ends the response without its final chunk, which a client sees as a broken download, and is
 * logged. The source stops being read while the client is slow and when it goes away.
 *
 * @example
 * app.get('/v1/charges.csv', async (request, reply) =>
 *   streamCsv(reply, {
 *     filename: 'charges.csv',
 *     columns: [
 *       { header: 'id', value: (c: Charge) => c.id },
 *       { header: 'amount', value: (c) => decimalAmount(c.amount, c.currency) },
 *       { header: 'currency', value: (c) => c.currency },
 *       { header: 'description', value: (c) => c.description, untrusted: true },
 *       { header: 'created_at', value: (c) => c.created_at.toISOString() },
 *     ],
 *     page: (after, limit) => charges.list(companyId, filter, { limit, startingAfter: after?.id }),
 *   }),
 * )
 */
export async function streamCsv<Row>(reply: FastifyReply, csv: CsvExport<Row>): Promise<FastifyReply> {
  const pageSize = csv.pageSize ?? 1_000
  const { columns, page } = csv
  const first = await page(undefined, pageSize)

  async function* records() {
    for (let rows = first; ; rows = await page(rows.at(-1), pageSize)) {
      for (const row of rows) yield columns.map((column) => cell(column, row))
      if (rows.length < pageSize) return
    }
  }

  const output = stringify({
    header: true,
    columns: columns.map((column) => column.header),
    record_delimiter: 'windows',
    bom: csv.bom ?? false,
  })
  pipeline(Readable.from(records()), output, (error) => {
    if (error && (error as { code?: string }).code !== 'ERR_STREAM_PREMATURE_CLOSE') {
      reply.log.error({ err: error, filename: csv.filename }, 'CSV export failed midway')
    }
  })
  const filename = csv.filename.replace(/[^A-Za-z0-9._-]/g, '_')
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename}"`)
    .header('cache-control', 'no-store')
    .send(output)
}

const exponents = new Map<string, number>()

/** How many minor units make a major one, as a power of ten (RUB 2, JPY 0, KWD 3), per ISO 4217. */
function exponentOf(currency: string): number {
  let exponent = exponents.get(currency)
  if (exponent === undefined) {
    const format = new Intl.NumberFormat('en', { style: 'currency', currency })
    exponent = format.resolvedOptions().maximumFractionDigits ?? 2
    exponents.set(currency, exponent)
  }
  return exponent
}

/**
 * Minor units as a plain decimal in major units, exactly (no floating point), for files machines
 * and spreadsheets read: 1234 RUB -> "12.34", -5 -> "-0.05", 1234 JPY -> "1234".
 */
export function decimalAmount(minor: bigint | number, currency: string): string {
  const amount = BigInt(minor)
  const digits = exponentOf(currency.toUpperCase())
  const units = (amount < 0n ? -amount : amount).toString().padStart(digits + 1, '0')
  const decimal = digits > 0 ? `${units.slice(0, -digits)}.${units.slice(-digits)}` : units
  return amount < 0n ? `-${decimal}` : decimal
}
