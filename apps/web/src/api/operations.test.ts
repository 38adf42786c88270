import { describe, expect, it } from 'vitest'
import { exportUrl } from './operations.ts'

describe('the address of a CSV export', () => {
  it('is the list’s path with .csv and the same filters, encoded', () => {
    expect(
      exportUrl('/v1/charges', {
        service: 'svc_1',
        'created[gte]': '2025-03-01T00:00:00.000Z',
        status: 'succeeded',
        account: undefined,
      }),
    ).toBe('/v1/charges.csv?service=svc_1&created%5Bgte%5D=2025-03-01T00%3A00%3A00.000Z&status=succeeded')
  })

  it('leaves paging out: the file holds the whole list', () => {
    expect(
      exportUrl('/v1/balance_transactions', { type: 'payout', limit: 20, starting_after: 'txn_9' }),
    ).toBe('/v1/balance_transactions.csv?type=payout')
    expect(exportUrl('/v1/charges', {})).toBe('/v1/charges.csv')
  })
})
