import { describe, expect, it } from 'vitest'
import {
  balanceQuery,
  chargeQuery,
  filtersFromQuery,
  holdQuery,
  isDay,
  NO_OPERATIONS_FILTERS,
  type OperationsFilters,
  periodRange,
  queryFromFilters,
  tabFromQuery,
} from './operations-filters.ts'

const filters = (changes: Partial<OperationsFilters>): OperationsFilters => ({
  ...NO_OPERATIONS_FILTERS,
  ...changes,
})
const localMidnight = (year: number, month: number, day: number) =>
  new Date(year, month - 1, day).toISOString()

describe('the Operations page’s filters in the address', () => {
  it('reads the tab, and the charges tab when the address names none or an unknown one', () => {
    expect(tabFromQuery({ tab: 'holds' })).toBe('holds')
    expect(tabFromQuery({})).toBe('charges')
    expect(tabFromQuery({ tab: 'payments' })).toBe('charges')
  })

  it('keeps a hold status on the holds tab and drops it on the refunds tab', () => {
    const query = { service: 'svc_1', status: 'pending' }
    expect(filtersFromQuery(query, 'holds')).toEqual(filters({ service: 'svc_1', status: 'pending' }))
    expect(filtersFromQuery(query, 'refunds')).toEqual(filters({ service: 'svc_1' }))
    expect(filtersFromQuery({ status: 'succeeded' }, 'charges').status).toBe('succeeded')
    expect(filtersFromQuery({ status: 'succeeded' }, 'holds').status).toBeNull()
  })

  it('takes a balance transaction type only on the balance tab, and only a known one', () => {
    expect(filtersFromQuery({ type: 'payout' }, 'balance').type).toBe('payout')
    expect(filtersFromQuery({ type: 'payout' }, 'charges').type).toBeNull()
    expect(filtersFromQuery({ type: 'fee' }, 'balance').type).toBeNull()
  })

  it('ignores days that do not exist and values given twice', () => {
    expect(filtersFromQuery({ from: '2025-02-30', to: '2025-13-01' }, 'charges')).toEqual(
      NO_OPERATIONS_FILTERS,
    )
    expect(filtersFromQuery({ service: ['svc_1', 'svc_2'] }, 'charges').service).toBeNull()
    expect(isDay('2024-02-29')).toBe(true)
    expect(isDay('2025-02-29')).toBe(false)
  })

  it('writes only the filters that apply to the tab, leaving out the charges tab itself', () => {
    const chosen = filters({ account: 'acct_1', from: '2025-03-01', status: 'pending', type: 'refund' })
    expect(queryFromFilters('charges', chosen)).toEqual({ account: 'acct_1', from: '2025-03-01' })
    expect(queryFromFilters('holds', chosen)).toEqual({
      tab: 'holds',
      account: 'acct_1',
      from: '2025-03-01',
      status: 'pending',
    })
    expect(queryFromFilters('balance', chosen)).toMatchObject({ tab: 'balance', type: 'refund' })
  })

  it('reads back what it wrote', () => {
    const chosen = filters({ service: 'svc_1', to: '2025-03-31', status: 'expired' })
    const query = queryFromFilters('holds', chosen) as Record<string, string>
    expect(filtersFromQuery(query, tabFromQuery(query))).toEqual(chosen)
  })
})

describe('a period as the API’s bounds', () => {
  it('runs from the first day’s local midnight to the midnight after the last day', () => {
    expect(periodRange('2025-03-01', '2025-03-31')).toEqual({
      'created[gte]': localMidnight(2025, 3, 1),
      'created[lt]': localMidnight(2025, 4, 1),
    })
  })

  it('leaves an open end open', () => {
    expect(periodRange(null, '2025-12-31')).toEqual({ 'created[lt]': localMidnight(2026, 1, 1) })
    expect(periodRange(null, null)).toEqual({})
  })
})

describe('each list’s query', () => {
  const chosen = filters({ service: 'svc_1', account: 'acct_1', status: 'captured', type: 'payout' })

  it('sends a hold status to holds only, and succeeded to charges only', () => {
    expect(holdQuery(chosen)).toEqual({ service: 'svc_1', account: 'acct_1', status: 'captured' })
    expect(chargeQuery(chosen)).toEqual({ service: 'svc_1', account: 'acct_1' })
    expect(chargeQuery(filters({ status: 'succeeded' }))).toEqual({ status: 'succeeded' })
    expect(holdQuery(filters({ status: 'succeeded' }))).toEqual({})
  })

  it('sends the type to balance transactions', () => {
    expect(balanceQuery(chosen)).toEqual({ service: 'svc_1', account: 'acct_1', type: 'payout' })
  })
})
