import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { fetchBalance, listBalanceTransactions } from '../api/earnings.ts'
import { ApiError } from '../api/http.ts'
import { fetchCharge, listCharges, listHolds, refundCharge } from '../api/operations.ts'
import type { Charge, Hold, PartnerBalance, Refund } from '../api/types.ts'
import { NO_OPERATIONS_FILTERS } from '../composables/operations-filters.ts'
import { useBalanceStore } from './balance.ts'
import { useOperationsStore } from './operations.ts'
import { useOverviewStore } from './overview.ts'

vi.mock('../api/operations.ts', () => ({
  listCharges: vi.fn(),
  listHolds: vi.fn(),
  listRefunds: vi.fn(),
  fetchCharge: vi.fn(),
  refundCharge: vi.fn(),
}))
vi.mock('../api/earnings.ts', () => ({
  fetchBalance: vi.fn(),
  fetchRevenue: vi.fn(),
  listBalanceTransactions: vi.fn(),
}))

const charge = (id: string, refunded = 0) =>
  ({ id, amount: 15000, amount_refunded: refunded, currency: 'RUB' }) as Charge
const balance = (available: number) =>
  ({ object: 'balance', currency: 'RUB', available, pending_payouts: 0, paid_out_total: 0 }) as PartnerBalance

beforeEach(() => {
  setActivePinia(createPinia())
  vi.resetAllMocks()
})

describe('the Operations store', () => {
  it('asks for the tab’s list under its filters, and the next page under the same ones', async () => {
    vi.mocked(listHolds).mockResolvedValueOnce({
      data: [{ id: 'hold_2' }, { id: 'hold_1' }] as Hold[],
      has_more: true,
    })
    vi.mocked(listHolds).mockResolvedValueOnce({ data: [], has_more: false })
    const store = useOperationsStore()
    await store.load('holds', { ...NO_OPERATIONS_FILTERS, service: 'svc_1', status: 'pending' })
    await store.holds.loadMore()
    expect(vi.mocked(listHolds).mock.calls).toEqual([
      [{ service: 'svc_1', status: 'pending', limit: 20, starting_after: undefined }],
      [{ service: 'svc_1', status: 'pending', limit: 20, starting_after: 'hold_1' }],
    ])
  })

  it('drops every tab’s rows when the filters change, so no row of the old ones stays', async () => {
    vi.mocked(listCharges).mockResolvedValue({ data: [charge('ch_1')], has_more: false })
    vi.mocked(listBalanceTransactions).mockReturnValue(new Promise(() => {}))
    const store = useOperationsStore()
    await store.load('charges', NO_OPERATIONS_FILTERS)
    void store.load('balance', { ...NO_OPERATIONS_FILTERS, type: 'payout' })
    expect(store.charges.items).toEqual([])
    expect(store.charges.loaded).toBe(false)
  })

  it('refunds with the key it is given, then shows the charge as it is now and the new balance', async () => {
    vi.mocked(listCharges).mockResolvedValue({ data: [charge('ch_1'), charge('ch_2')], has_more: false })
    vi.mocked(refundCharge).mockResolvedValue({ id: 're_1', amount: 5000 } as Refund)
    vi.mocked(fetchCharge).mockResolvedValue(charge('ch_1', 5000))
    vi.mocked(fetchBalance).mockResolvedValue(balance(10000))
    const store = useOperationsStore()
    const overview = useOverviewStore()
    await Promise.all([store.load('charges', NO_OPERATIONS_FILTERS), overview.latest.load()])

    const refund = await store.refund(charge('ch_1'), 5000, 'key-1')

    expect(refund.id).toBe('re_1')
    expect(refundCharge).toHaveBeenCalledWith('ch_1', 5000, 'key-1')
    expect(store.charges.items.map((item) => item.amount_refunded)).toEqual([5000, 0])
    expect(overview.latest.items[0]?.amount_refunded).toBe(5000)
    expect(useBalanceStore().balance?.available).toBe(10000)
  })

  it('answers with the refund even when showing what it changed fails', async () => {
    vi.mocked(refundCharge).mockResolvedValue({ id: 're_1', amount: 5000 } as Refund)
    vi.mocked(fetchCharge).mockRejectedValue(new ApiError({ code: 'network_error', title: 'x', status: 0 }))
    vi.mocked(fetchBalance).mockResolvedValue(balance(0))
    await expect(useOperationsStore().refund(charge('ch_1'), 5000, 'key-1')).resolves.toMatchObject({
      id: 're_1',
    })
  })

  it('passes a refusal on to the form that asked', async () => {
    const refusal = new ApiError({ code: 'partner_balance_insufficient', title: 'Too little', status: 402 })
    vi.mocked(refundCharge).mockRejectedValue(refusal)
    await expect(useOperationsStore().refund(charge('ch_1'), 5000, 'key-1')).rejects.toBe(refusal)
    expect(fetchCharge).not.toHaveBeenCalled()
  })
})
