import { describe, expect, it } from 'vitest'
import { addInterval, type Cadence, periodOf } from './periods.js'

const at = (iso: string) => new Date(iso)
const iso = (d: Date) => d.toISOString()
const starts = (anchor: string, cadence: Cadence, count: number) =>
  Array.from({ length: count }, (_, n) => iso(addInterval(at(anchor), cadence, n)))

describe('period arithmetic', () => {
  it('keeps a month-end anchor on each month’s last day, counted from the anchor: Jan 31 → Feb 28 → Mar 31', () => {
    expect(starts('2031-01-31T10:00:00.000Z', { interval: 'month', count: 1 }, 13)).toEqual([
      '2031-01-31T10:00:00.000Z',
      '2031-02-28T10:00:00.000Z',
      '2031-03-31T10:00:00.000Z',
      '2031-04-30T10:00:00.000Z',
      '2031-05-31T10:00:00.000Z',
      '2031-06-30T10:00:00.000Z',
      '2031-07-31T10:00:00.000Z',
      '2031-08-31T10:00:00.000Z',
      '2031-09-30T10:00:00.000Z',
      '2031-10-31T10:00:00.000Z',
      '2031-11-30T10:00:00.000Z',
      '2031-12-31T10:00:00.000Z',
      '2032-01-31T10:00:00.000Z',
    ])
  })

  it('gives February 29 in a leap year', () => {
    expect(iso(addInterval(at('2032-01-31T00:00:00Z'), { interval: 'month', count: 1 }, 1))).toBe(
      '2032-02-29T00:00:00.000Z',
    )
    expect(iso(addInterval(at('2032-01-30T23:59:59.999Z'), { interval: 'month', count: 1 }, 1))).toBe(
      '2032-02-29T23:59:59.999Z',
    )
    expect(iso(addInterval(at('2031-01-29T00:00:00Z'), { interval: 'month', count: 1 }, 1))).toBe(
      '2031-02-28T00:00:00.000Z',
    )
  })

  it('moves a yearly Feb 29 anchor to Feb 28 between leap years and back to Feb 29 in the next', () => {
    expect(starts('2032-02-29T12:00:00.000Z', { interval: 'year', count: 1 }, 5)).toEqual([
      '2032-02-29T12:00:00.000Z',
      '2033-02-28T12:00:00.000Z',
      '2034-02-28T12:00:00.000Z',
      '2035-02-28T12:00:00.000Z',
      '2036-02-29T12:00:00.000Z',
    ])
    expect(starts('2032-02-29T12:00:00.000Z', { interval: 'year', count: 4 }, 3)).toEqual([
      '2032-02-29T12:00:00.000Z',
      '2036-02-29T12:00:00.000Z',
      '2040-02-29T12:00:00.000Z',
    ])
    // 2100 is not a leap year.
    expect(iso(addInterval(at('2096-02-29T00:00:00Z'), { interval: 'year', count: 4 }, 1))).toBe(
      '2100-02-28T00:00:00.000Z',
    )
  })

  it('counts months with a count across years, and quarters keep the anchor’s day where it exists', () => {
    expect(starts('2031-11-30T08:00:00.000Z', { interval: 'month', count: 3 }, 5)).toEqual([
      '2031-11-30T08:00:00.000Z',
      '2032-02-29T08:00:00.000Z',
      '2032-05-30T08:00:00.000Z',
      '2032-08-30T08:00:00.000Z',
      '2032-11-30T08:00:00.000Z',
    ])
    expect(iso(addInterval(at('2031-01-15T00:00:00Z'), { interval: 'month', count: 12 }, 2))).toBe(
      '2033-01-15T00:00:00.000Z',
    )
    expect(iso(addInterval(at('2031-08-31T00:00:00Z'), { interval: 'month', count: 6 }, 1))).toBe(
      '2032-02-29T00:00:00.000Z',
    )
  })

  it('adds days and weeks as whole UTC days, across month ends, leap days and DST dates', () => {
    expect(starts('2032-02-27T22:30:00.000Z', { interval: 'day', count: 1 }, 4)).toEqual([
      '2032-02-27T22:30:00.000Z',
      '2032-02-28T22:30:00.000Z',
      '2032-02-29T22:30:00.000Z',
      '2032-03-01T22:30:00.000Z',
    ])
    expect(starts('2031-03-28T01:00:00.000Z', { interval: 'week', count: 1 }, 3)).toEqual([
      '2031-03-28T01:00:00.000Z',
      '2031-04-04T01:00:00.000Z',
      '2031-04-11T01:00:00.000Z',
    ])
    expect(iso(addInterval(at('2031-01-01T00:00:00Z'), { interval: 'day', count: 365 }, 2))).toBe(
      '2032-12-31T00:00:00.000Z',
    )
    expect(iso(addInterval(at('2031-01-01T00:00:00Z'), { interval: 'week', count: 2 }, 3))).toBe(
      '2031-02-12T00:00:00.000Z',
    )
    expect(iso(addInterval(at('2031-01-01T00:00:00Z'), { interval: 'day', count: 30 }, 1))).toBe(
      '2031-01-31T00:00:00.000Z',
    )
  })

  it('makes each period end where the next starts, for every interval and several counts', () => {
    const anchor = at('2031-01-31T23:59:59.000Z')
    for (const interval of ['day', 'week', 'month', 'year'] as const) {
      for (const count of [1, 2, 3, 7, 12, 365]) {
        const cadence = { interval, count }
        let previous = periodOf(anchor, cadence, 0)
        expect(iso(previous.start)).toBe(iso(anchor))
        for (let n = 1; n < 30; n++) {
          const period = periodOf(anchor, cadence, n)
          expect(iso(period.start)).toBe(iso(previous.end))
          expect(period.end.getTime()).toBeGreaterThan(period.start.getTime())
          // Always counted from the anchor: the time of day never drifts.
          expect(period.start.getUTCHours() * 3600 + period.start.getUTCMinutes() * 60).toBe(
            23 * 3600 + 59 * 60,
          )
          previous = period
        }
      }
    }
  })

  it('never drifts from the anchor: month n from Jan 31 is the same however it is reached', () => {
    const cadence = { interval: 'month', count: 1 } as const
    const anchor = at('2031-01-31T00:00:00Z')
    // Stepping from the previous end would give Mar 28 after Feb 28; from the anchor it is Mar 31.
    expect(iso(addInterval(anchor, cadence, 2))).toBe('2031-03-31T00:00:00.000Z')
    expect(iso(addInterval(addInterval(anchor, cadence, 1), cadence, 1))).toBe('2031-03-28T00:00:00.000Z')
  })

  it('refuses a negative or fractional period number', () => {
    expect(() => addInterval(at('2031-01-01T00:00:00Z'), { interval: 'day', count: 1 }, -1)).toThrow(
      RangeError,
    )
    expect(() => addInterval(at('2031-01-01T00:00:00Z'), { interval: 'day', count: 1 }, 1.5)).toThrow(
      RangeError,
    )
  })
})
