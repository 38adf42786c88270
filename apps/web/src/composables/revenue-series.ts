import type { CreatedRange } from '../api/earnings.ts'
import type { RevenueRow } from '../api/types.ts'

/** How the revenue chart steps: the report's UTC days or UTC months. */
export type RevenueSpan = 'day' | 'month'

export const DAYS_SHOWN = 30
export const MONTHS_SHOWN = 12

/** A stretch of the report: its bounds for the API and the keys of its steps, oldest first. */
export interface RevenueWindow {
  range: Required<CreatedRange>
  keys: string[]
}

/** One step of the chart, in minor units; a step without charges or refunds is all zeros. */
export interface RevenuePoint {
  key: string
  count: number
  gross: number
  refunds: number
  net: number
}

const pad = (n: number) => String(n).padStart(2, '0')
const dayKey = (date: Date) =>
  `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`
const monthKey = (date: Date) => `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}`

/**
 * The last DAYS_SHOWN days or MONTHS_SHOWN months up to and including today's, as the report
 * counts them: in UTC.
 */
export function revenueWindow(span: RevenueSpan, now: Date): RevenueWindow {
  const year = now.getUTCFullYear()
  const month = now.getUTCMonth()
  const day = now.getUTCDate()
  const steps = span === 'day' ? DAYS_SHOWN : MONTHS_SHOWN
  const at = (offset: number) =>
    span === 'day'
      ? new Date(Date.UTC(year, month, day + offset))
      : new Date(Date.UTC(year, month + offset, 1))
  const keys = Array.from({ length: steps }, (_, i) => at(i - steps + 1)).map(
    span === 'day' ? dayKey : monthKey,
  )
  return {
    range: { 'created[gte]': at(1 - steps).toISOString(), 'created[lt]': at(1).toISOString() },
    keys,
  }
}

/** The calendar month (UTC) that `now` falls in, as the report's bounds. */
export function monthOf(now: Date): Required<CreatedRange> {
  const year = now.getUTCFullYear()
  const month = now.getUTCMonth()
  return {
    'created[gte]': new Date(Date.UTC(year, month, 1)).toISOString(),
    'created[lt]': new Date(Date.UTC(year, month + 1, 1)).toISOString(),
  }
}

const zero = (key: string): RevenuePoint => ({ key, count: 0, gross: 0, refunds: 0, net: 0 })

/** The report's rows of one currency on every step of the window, in order. */
export function seriesOf(
  rows: readonly RevenueRow[],
  keys: readonly string[],
  currency: string,
): RevenuePoint[] {
  const byKey = new Map(keys.map((key) => [key, zero(key)]))
  for (const row of rows) {
    const point = row.key === null ? undefined : byKey.get(row.key)
    if (!point || row.currency !== currency) continue
    point.count += row.charges_count
    point.gross += row.gross
    point.refunds += row.refunds
    point.net += row.net
  }
  return [...byKey.values()]
}

/** The rows of one currency by service, the largest net first; the key null is charges of an amount. */
export function byService(
  rows: readonly RevenueRow[],
  currency: string,
): (RevenuePoint & { service: string | null })[] {
  return rows
    .filter((row) => row.currency === currency)
    .map((row) => ({
      key: row.key ?? '',
      service: row.key,
      count: row.charges_count,
      gross: row.gross,
      refunds: row.refunds,
      net: row.net,
    }))
    .sort((a, b) => b.net - a.net || b.gross - a.gross)
}

/** What the rows of one currency add up to, net of refunds. */
export const netOf = (rows: readonly RevenueRow[], currency: string): number =>
  rows.reduce((sum, row) => (row.currency === currency ? sum + row.net : sum), 0)

/** A step's name for people: "5 Mar" or "Mar 2025", in the language of the page, on the UTC calendar. */
export function stepLabel(key: string, span: RevenueSpan, locale: string): string {
  const [year, month, day] = key.split('-').map(Number) as [number, number, number?]
  const date = new Date(Date.UTC(year, month - 1, day ?? 1))
  const options: Intl.DateTimeFormatOptions =
    span === 'day'
      ? { day: 'numeric', month: 'short', timeZone: 'UTC' }
      : { month: 'short', year: 'numeric', timeZone: 'UTC' }
  return new Intl.DateTimeFormat(locale, options).format(date)
}
