import { describe, expect, it } from 'vitest'
import type { RevenueRow } from '../api/types.ts'
import {
  byService,
  DAYS_SHOWN,
  MONTHS_SHOWN,
  monthOf,
  netOf,
  revenueWindow,
  seriesOf,
  stepLabel,
} from './revenue-series.ts'

const row = (key: string | null, gross: number, refunds = 0, currency = 'RUB'): RevenueRow => ({
  key,
  currency,
  charges_count: gross > 0 ? 1 : 0,
  gross,
  refunds,
  net: gross - refunds,
})

// Early on 1 March in Moscow it is still 29 February in UTC, where the report counts.
const NOW = new Date('2024-02-29T22:30:00Z')

describe('the revenue chart’s window', () => {
  it('covers the last 30 UTC days up to today', () => {
    const { range, keys } = revenueWindow('day', NOW)
    expect(keys).toHaveLength(DAYS_SHOWN)
    expect(keys[0]).toBe('2024-01-31')
    expect(keys.at(-1)).toBe('2024-02-29')
    expect(range).toEqual({
      'created[gte]': '2024-01-31T00:00:00.000Z',
      'created[lt]': '2024-03-01T00:00:00.000Z',
    })
  })

  it('covers the last 12 UTC months up to this one, across a new year', () => {
    const { range, keys } = revenueWindow('month', NOW)
    expect(keys).toHaveLength(MONTHS_SHOWN)
    expect(keys[0]).toBe('2023-03')
    expect(keys.at(-1)).toBe('2024-02')
    expect(range).toEqual({
      'created[gte]': '2023-03-01T00:00:00.000Z',
      'created[lt]': '2024-03-01T00:00:00.000Z',
    })
  })

  it('bounds this month in UTC', () => {
    expect(monthOf(new Date('2024-12-31T23:59:59Z'))).toEqual({
      'created[gte]': '2024-12-01T00:00:00.000Z',
      'created[lt]': '2025-01-01T00:00:00.000Z',
    })
  })
})

describe('the revenue series', () => {
  it('puts each row on its step, zeros where nothing happened, and leaves out other currencies', () => {
    const rows = [row('2024-02-01', 15000, 5000), row('2024-02-03', 2000), row('2024-02-03', 900, 0, 'USD')]
    expect(seriesOf(rows, ['2024-02-01', '2024-02-02', '2024-02-03'], 'RUB')).toEqual([
      { key: '2024-02-01', count: 1, gross: 15000, refunds: 5000, net: 10000 },
      { key: '2024-02-02', count: 0, gross: 0, refunds: 0, net: 0 },
      { key: '2024-02-03', count: 1, gross: 2000, refunds: 0, net: 2000 },
    ])
  })

  it('adds up this month’s net in one currency, refunds taken off', () => {
    expect(netOf([row('2024-02', 15000, 5000), row('2024-02', 700, 0, 'USD')], 'RUB')).toBe(10000)
    expect(netOf([], 'RUB')).toBe(0)
  })

  it('orders services by net, the largest first, keeping charges of an amount', () => {
    const rows = [row('svc_small', 100), row(null, 5000), row('svc_big', 9000, 1000)]
    expect(byService(rows, 'RUB').map((point) => [point.service, point.net])).toEqual([
      ['svc_big', 8000],
      [null, 5000],
      ['svc_small', 100],
    ])
  })
})

describe('a step’s name', () => {
  it('names days and months on the UTC calendar in the page’s language', () => {
    expect(stepLabel('2024-02-29', 'day', 'en')).toBe('Feb 29')
    expect(stepLabel('2024-02', 'month', 'en')).toBe('Feb 2024')
    expect(stepLabel('2024-02', 'month', 'ru')).toMatch(/^февр\.? 2024/)
  })
})
