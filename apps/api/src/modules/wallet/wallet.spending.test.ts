import { describe, expect, it } from 'vitest'
import { DomainError } from '../../lib/domain-error.js'
import { monthsOf, spendingByMonth, spendingByPartner } from './wallet.spending.js'

const at = (iso: string) => new Date(iso)

describe('monthsOf', () => {
  it('covers the current UTC month and the 11 before it when no period is given', () => {
    const { createdGte, createdLt, keys } = monthsOf({}, at('2026-03-31T23:30:00-02:00'))
    expect(createdGte).toEqual(at('2025-05-01T00:00:00Z'))
    expect(createdLt).toEqual(at('2026-05-01T00:00:00Z'))
    expect(keys[0]).toBe('2025-05')
    expect(keys.at(-1)).toBe('2026-04')
    expect(keys).toHaveLength(12)
  })

  it('runs from the month of the start to the month of the last moment before the end', () => {
    const now = at('2030-01-01T00:00:00Z')
    expect(
      monthsOf({ createdGte: at('2025-12-31T23:00:00Z'), createdLt: at('2026-02-01T00:00:00Z') }, now).keys,
    ).toEqual(['2025-12', '2026-01'])
    expect(monthsOf({ createdLt: at('2026-02-01T00:00:01Z') }, now).keys).toEqual([
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
      '2026-02',
    ])
    expect(
      monthsOf({ createdGte: at('2026-02-01T00:00:00Z'), createdLt: at('2026-02-01T00:00:00Z') }, now).keys,
    ).toEqual([])
  })

  it('refuses a period of more than 120 months', () => {
    const now = at('2026-03-10T00:00:00Z')
    expect(monthsOf({ createdGte: at('2016-04-01T00:00:00Z') }, now).keys).toHaveLength(120)
    expect(() => monthsOf({ createdGte: at('2016-03-31T23:59:59Z') }, now)).toThrow(DomainError)
  })
})

describe('spending reports', () => {
  const names = new Map([
    ['co_a', 'A'],
    ['co_b', 'B'],
  ])
  const rows = [
    { month: '2026-01', company_id: 'co_a', debited: 1_000n, credited: 0n, debits: 2 },
    { month: '2026-01', company_id: 'co_b', debited: 3_000n, credited: 500n, debits: 1 },
    { month: '2026-03', company_id: 'co_a', debited: 0n, credited: 400n, debits: 0 },
    { month: '2026-03', company_id: 'co_gone', debited: 10n, credited: 0n, debits: 1 },
  ]

  it('by month: every month asked, its partners most spent first, charges less refunds', () => {
    expect(spendingByMonth(['2026-01', '2026-02', '2026-03'], rows, names)).toEqual([
      {
        key: '2026-01',
        spent: 3_500,
        partners: [
          { partner: 'co_b', name: 'B', spent: 2_500 },
          { partner: 'co_a', name: 'A', spent: 1_000 },
        ],
      },
      { key: '2026-02', spent: 0, partners: [] },
      {
        key: '2026-03',
        spent: -390,
        partners: [
          { partner: 'co_gone', name: 'co_gone', spent: 10 },
          { partner: 'co_a', name: 'A', spent: -400 },
        ],
      },
    ])
  })

  it('by partner: summed over the months, with the count of charges', () => {
    expect(spendingByPartner(rows, names)).toEqual([
      { key: 'co_b', name: 'B', spent: 2_500, charges_count: 1 },
      { key: 'co_a', name: 'A', spent: 600, charges_count: 2 },
      { key: 'co_gone', name: 'co_gone', spent: 10, charges_count: 1 },
    ])
  })
})
