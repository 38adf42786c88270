import type { Interval } from '../catalogue/catalogue.repository.js'

export type { Interval }

/** How long a subscription's periods are: `count` intervals. */
export interface Cadence {
  interval: Interval
  count: number
}

const DAY_MS = 86_400_000

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month + 1, 0)).getUTCDate()

/** `months` calendar months after `anchor` (UTC), on the anchor's day or the month's last day. */
function addMonths(anchor: Date, months: number): Date {
  const total = anchor.getUTCFullYear() * 12 + anchor.getUTCMonth() + months
  const year = Math.floor(total / 12)
  const month = total - year * 12
  const day = Math.min(anchor.getUTCDate(), daysInMonth(year, month))
  return new Date(
    Date.UTC(
      year,
      month,
      day,
      anchor.getUTCHours(),
      anchor.getUTCMinutes(),
      anchor.getUTCSeconds(),
      anchor.getUTCMilliseconds(),
    ),
  )
}

/**
 * The start of period `n`: `n` times the cadence after the anchor, always counted from the
 * anchor (never from the previous period's end), so a month-end anchor keeps its day where the
 * month has it: Jan 31 → Feb 28 (29 in a leap year) → Mar 31. A year is twelve months, so
 * Feb 29 → Feb 28 in the years between leap years. Days and weeks are exact multiples of 24 h (UTC).
 */
export function addInterval(anchor: Date, cadence: Cadence, n: number): Date {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`period ${n} is not a whole number ≥ 0`)
  const steps = cadence.count * n
  switch (cadence.interval) {
    case 'day':
      return new Date(anchor.getTime() + steps * DAY_MS)
    case 'week':
      return new Date(anchor.getTime() + steps * 7 * DAY_MS)
    case 'month':
      return addMonths(anchor, steps)
    case 'year':
      return addMonths(anchor, steps * 12)
  }
}

/** Period `n` of a subscription anchored at `anchor`: [start, end). */
export function periodOf(anchor: Date, cadence: Cadence, n: number): { start: Date; end: Date } {
  return { start: addInterval(anchor, cadence, n), end: addInterval(anchor, cadence, n + 1) }
}
