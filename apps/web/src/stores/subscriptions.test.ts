import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { fetchAccount, listCharges, listHolds, listRefunds } from '../api/accounts.ts'
import { listSubscriptions } from '../api/subscriptions.ts'
import type { Account, Subscription } from '../api/types.ts'
import { useAccountsStore } from './accounts.ts'
import { COUNT_LIMIT, useSubscriptionCountsStore } from './subscription-counts.ts'
import { useSubscriptionsStore } from './subscriptions.ts'

vi.mock('../api/subscriptions.ts', () => ({ listSubscriptions: vi.fn() }))
vi.mock('../api/accounts.ts', () => ({
  fetchAccount: vi.fn(),
  listAccounts: vi.fn(),
  listCharges: vi.fn(),
  listHolds: vi.fn(),
  listRefunds: vi.fn(),
}))

const row = (id: string) => ({ id }) as Subscription
const page = (ids: string[], hasMore = false) => ({ data: ids.map(row), has_more: hasMore })

beforeEach(() => {
  setActivePinia(createPinia())
  vi.resetAllMocks()
})

describe('the company’s subscriptions store', () => {
  it('asks for the filtered list and the next page of the same filters', async () => {
    vi.mocked(listSubscriptions).mockResolvedValueOnce(page(['sub_2', 'sub_1'], true))
    vi.mocked(listSubscriptions).mockResolvedValueOnce(page(['sub_0']))
    const store = useSubscriptionsStore()
    await store.load({ status: 'past_due', service: 'svc_1' })
    await store.list.loadMore()
    expect(vi.mocked(listSubscriptions).mock.calls).toEqual([
      [{ status: 'past_due', service: 'svc_1', limit: 20, starting_after: undefined }],
      [{ status: 'past_due', service: 'svc_1', limit: 20, starting_after: 'sub_1' }],
    ])
    expect(store.list.items.map(({ id }) => id)).toEqual(['sub_2', 'sub_1', 'sub_0'])
  })

  it('shows no row of the old filters once they changed, even if their answer comes late', async () => {
    let late!: (value: ReturnType<typeof page>) => void
    vi.mocked(listSubscriptions).mockReturnValueOnce(new Promise((resolve) => (late = resolve)))
    vi.mocked(listSubscriptions).mockResolvedValueOnce(page(['sub_active']))
    const store = useSubscriptionsStore()
    const first = store.load({ status: 'canceled', service: null })
    const second = store.load({ status: 'active', service: null })
    late(page(['sub_canceled']))
    await Promise.all([first, second])
    expect(store.list.items.map(({ id }) => id)).toEqual(['sub_active'])
    expect(vi.mocked(listSubscriptions).mock.calls[1]?.[0]).toMatchObject({
      status: 'active',
      service: undefined,
    })
  })
})

describe('the active subscription counts', () => {
  it('asks once per service for at most one page of its active subscriptions', async () => {
    vi.mocked(listSubscriptions).mockImplementation(async (query) =>
      query?.service === 'svc_big'
        ? page(
            Array.from({ length: COUNT_LIMIT }, (_, n) => `sub_${n}`),
            true,
          )
        : page(['sub_a']),
    )
    const counts = useSubscriptionCountsStore()
    await counts.count(['svc_small', 'svc_big', 'svc_small'])
    await counts.count(['svc_big'])
    expect(vi.mocked(listSubscriptions).mock.calls).toEqual([
      [{ service: 'svc_small', status: 'active', limit: COUNT_LIMIT }],
      [{ service: 'svc_big', status: 'active', limit: COUNT_LIMIT }],
    ])
    expect(counts.counts).toEqual({
      svc_small: { count: 1, more: false },
      svc_big: { count: COUNT_LIMIT, more: true },
    })
  })

  it('asks again for a count that failed, and after a reset', async () => {
    vi.mocked(listSubscriptions).mockRejectedValueOnce(new Error('offline'))
    vi.mocked(listSubscriptions).mockResolvedValue(page([]))
    const counts = useSubscriptionCountsStore()
    await counts.count(['svc_1'])
    expect(counts.counts).toEqual({})
    await counts.count(['svc_1'])
    expect(counts.counts).toEqual({ svc_1: { count: 0, more: false } })
    counts.reset()
    expect(counts.counts).toEqual({})
    await counts.count(['svc_1'])
    expect(listSubscriptions).toHaveBeenCalledTimes(3)
  })
})

describe('an account’s subscriptions', () => {
  it('are the subscriptions of the account opened', async () => {
    const empty = { data: [], has_more: false }
    vi.mocked(fetchAccount).mockResolvedValue({ id: 'acct_7' } as Account)
    for (const list of [listHolds, listCharges, listRefunds]) vi.mocked(list).mockResolvedValue(empty)
    vi.mocked(listSubscriptions).mockResolvedValue(page(['sub_7']))
    const store = useAccountsStore()
    await store.open('acct_7')
    expect(listSubscriptions).toHaveBeenCalledWith({
      account: 'acct_7',
      limit: 20,
      starting_after: undefined,
    })
    expect(store.subscriptions.items.map(({ id }) => id)).toEqual(['sub_7'])
    store.reset()
    expect(store.subscriptions.items).toEqual([])
  })
})
