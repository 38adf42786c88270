import { describe, expect, it } from 'vitest'
import {
  entryFiltersOf,
  isStatementFiltered,
  NO_STATEMENT_FILTERS,
  queryFromStatementFilters,
  statementFiltersFromQuery,
} from './statement-filters.ts'

const partner = 'co_01m95mmh3bf8nvcvgpjf281znq'

describe('statement filters in the address', () => {
  it('reads what the API takes and drops the rest', () => {
    expect(
      statementFiltersFromQuery({
        partner,
        kind: 'refund',
        from: '2026-01-05',
        to: '2026-02-30',
        q: '  Рассылка ',
      }),
    ).toEqual({ partner, kind: 'refund', from: '2026-01-05', to: null, q: 'Рассылка' })
    expect(
      statementFiltersFromQuery({ partner: 'acme', kind: 'payout', q: ['a', 'b'], entry: 'ch_1' }),
    ).toEqual(NO_STATEMENT_FILTERS)
    expect(statementFiltersFromQuery({ q: 'x'.repeat(150) }).q).toHaveLength(100)
  })

  it('writes only the filters that narrow, and reads them back the same', () => {
    const filters = { ...NO_STATEMENT_FILTERS, kind: 'charge' as const, q: 'sms' }
    const query = queryFromStatementFilters(filters)
    expect(query).toEqual({ kind: 'charge', q: 'sms' })
    expect(statementFiltersFromQuery(query as Record<string, string>)).toEqual(filters)
    expect(isStatementFiltered(filters)).toBe(true)
    expect(isStatementFiltered(NO_STATEMENT_FILTERS)).toBe(false)
  })

  it('asks the API for whole local days, the last one included', () => {
    const query = entryFiltersOf({ ...NO_STATEMENT_FILTERS, partner, from: '2026-01-05', to: '2026-01-05' })
    expect(query.partner).toBe(partner)
    expect(new Date(query['created[gte]'] as string)).toEqual(new Date(2026, 0, 5))
    expect(new Date(query['created[lt]'] as string)).toEqual(new Date(2026, 0, 6))
    expect(entryFiltersOf(NO_STATEMENT_FILTERS)).toEqual({})
  })
})
