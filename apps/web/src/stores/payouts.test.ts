import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPayout, fetchBalance, listBalanceTransactions, listPayouts } from '../api/earnings.ts'
import type { PartnerBalance, Payout } from '../api/types.ts'
import { NO_OPERATIONS_FILTERS } from '../composables/operations-filters.ts'
import { useBalanceStore } from './balance.ts'
import { usePayoutsStore } from './payouts.ts'

vi.mock('../api/earnings.ts', () => ({
  createPayout: vi.fn(),
  fetchBalance: vi.fn(),
  listBalanceTransactions: vi.fn(),
  listPayouts: vi.fn(),
}))

const payout = (id: string) => ({ id, amount: 5000, currency: 'RUB', status: 'pending' }) as Payout
const balance = (available: number, pending: number) =>
  ({
    object: 'balance',
    currency: 'RUB',
    available,
    pending_payouts: pending,
    paid_out_total: 0,
  }) as PartnerBalance

beforeEach(() => {
  setActivePinia(createPinia())
  vi.resetAllMocks()
})

describe('the Payouts store', () => {
  it('puts a requested payout on top and shows the balance it came out of', async () => {
    vi.mocked(listPayouts).mockResolvedValue({ data: [payout('po_1')], has_more: false })
    vi.mocked(fetchBalance)
      .mockResolvedValueOnce(balance(10000, 0))
      .mockResolvedValueOnce(balance(5000, 5000))
    vi.mocked(listBalanceTransactions).mockResolvedValue({ data: [], has_more: false })
    vi.mocked(createPayout).mockResolvedValue(payout('po_2'))
    const store = usePayoutsStore()
    await store.loadPayouts()

    await store.request({ amount: 5000, currency: 'RUB' }, 'key-1')

    expect(createPayout).toHaveBeenCalledWith({ amount: 5000, currency: 'RUB' }, 'key-1')
    expect(store.payouts.items.map(({ id }) => id)).toEqual(['po_2', 'po_1'])
    expect(useBalanceStore().balance).toMatchObject({ available: 5000, pending_payouts: 5000 })
    expect(listBalanceTransactions).toHaveBeenCalledTimes(1)
  })

  it('asks for the balance movements under the page’s filters', async () => {
    vi.mocked(listBalanceTransactions).mockResolvedValue({ data: [], has_more: false })
    await usePayoutsStore().loadTransactions({ ...NO_OPERATIONS_FILTERS, type: 'refund', service: 'svc_1' })
    expect(listBalanceTransactions).toHaveBeenCalledWith({
      service: 'svc_1',
      type: 'refund',
      limit: 20,
      starting_after: undefined,
    })
  })
})
