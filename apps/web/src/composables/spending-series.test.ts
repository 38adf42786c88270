import { describe, expect, it } from 'vitest'
import { monthLabel, spendingSeries } from './spending-series.ts'

describe('spendingSeries', () => {
  it('gives each partner a value in every month, most spent overall first', () => {
    const series = spendingSeries([
      {
        key: '2026-01',
        spent: 15_000,
        partners: [
          { partner: 'co_a', name: 'Alpha', spent: 10_000 },
          { partner: 'co_b', name: 'Beta', spent: 5_000 },
        ],
      },
      { key: '2026-02', spent: 0, partners: [] },
      {
        key: '2026-03',
        spent: 12_000,
        partners: [
          { partner: 'co_b', name: 'Beta', spent: 20_000 },
          { partner: 'co_a', name: 'Alpha', spent: -8_000 },
        ],
      },
    ])
    expect(series).toEqual({
      months: ['2026-01', '2026-02', '2026-03'],
      partners: [
        { id: 'co_b', name: 'Beta', values: [5_000, 0, 20_000], total: 25_000 },
        { id: 'co_a', name: 'Alpha', values: [10_000, 0, -8_000], total: 2_000 },
      ],
      totals: [15_000, 0, 12_000],
      empty: false,
    })
  })

  it('is empty when no partner moved money in the period', () => {
    expect(spendingSeries([{ key: '2026-01', spent: 0, partners: [] }]).empty).toBe(true)
  })
})

describe('monthLabel', () => {
  it('names the UTC month in the interface language', () => {
    expect(monthLabel('2026-01', 'en')).toBe('Jan 26')
    expect(monthLabel('2026-12', 'en', 'long')).toBe('December 2026')
    expect(monthLabel('2026-01', 'ru', 'long')).toBe('январь 2026 г.')
  })
})
