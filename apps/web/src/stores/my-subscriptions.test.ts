import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError } from '../api/http.ts'
import { cancelMySubscription, listMySubscriptions, payMySubscription } from '../api/subscriptions.ts'
import type { PersonSubscription } from '../api/types.ts'
import { useMySubscriptionsStore } from './my-subscriptions.ts'

vi.mock('../api/subscriptions.ts', () => ({
  listMySubscriptions: vi.fn(),
  cancelMySubscription: vi.fn(),
  payMySubscription: vi.fn(),
}))

const subscription = (id: string, clientId: string, changes: Partial<PersonSubscription> = {}) =>
  ({
    id,
    client_id: clientId,
    partner_name: `Partner ${clientId}`,
    service_name: 'Pro',
    account: 'acct_1',
    service: 'svc_1',
    quantity: 1,
    amount: 50000,
    currency: 'RUB',
    interval: 'month',
    interval_count: 1,
    status: 'active',
    current_period_start: '2027-01-05T10:00:00Z',
    current_period_end: '2027-02-05T10:00:00Z',
    cancel_at_period_end: false,
    next_charge_at: '2027-02-05T10:00:00Z',
    next_retry_at: null,
    last_payment_error: null,
    canceled_at: null,
    cancel_reason: null,
    latest_charge: 'ch_1',
    created_at: '2027-01-05T10:00:00Z',
    ...changes,
  }) satisfies PersonSubscription

const refusal = (code: string, status: number) => new ApiError({ code, title: code, status })

describe('the person’s subscriptions store', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    vi.resetAllMocks()
    vi.mocked(listMySubscriptions).mockResolvedValue({
      data: [
        subscription('sub_1', 'cli_a'),
        subscription('sub_2', 'cli_b'),
        subscription('sub_3', 'cli_a', { status: 'past_due' }),
      ],
    })
  })

  it('groups the subscriptions by partner', async () => {
    const store = useMySubscriptionsStore()
    await store.load()
    expect(store.loaded).toBe(true)
    expect(store.byPartner.get('cli_a')?.map(({ id }) => id)).toEqual(['sub_3', 'sub_1'])
    expect(store.byPartner.get('cli_b')?.map(({ id }) => id)).toEqual(['sub_2'])
  })

  it('shows a canceled subscription as the server saved it: ending at the period’s end', async () => {
    const store = useMySubscriptionsStore()
    await store.load()
    vi.mocked(cancelMySubscription).mockResolvedValue(
      subscription('sub_1', 'cli_a', { cancel_at_period_end: true }),
    )
    await store.cancel('sub_1')
    expect(cancelMySubscription).toHaveBeenCalledWith('sub_1')
    expect(store.items.find(({ id }) => id === 'sub_1')?.cancel_at_period_end).toBe(true)
    expect(store.items).toHaveLength(3)
  })

  it('retries a payment whose outcome is unknown with the same key, and a refused one with a new key', async () => {
    const store = useMySubscriptionsStore()
    await store.load()
    vi.mocked(payMySubscription)
      .mockRejectedValueOnce(refusal('network_error', 0))
      .mockRejectedValueOnce(refusal('insufficient_funds', 402))
      .mockResolvedValueOnce(subscription('sub_3', 'cli_a'))
    await expect(store.pay('sub_3')).rejects.toMatchObject({ code: 'network_error' })
    await expect(store.pay('sub_3')).rejects.toMatchObject({ code: 'insufficient_funds' })
    expect(store.items.find(({ id }) => id === 'sub_3')?.status).toBe('past_due')
    await store.pay('sub_3')
    const keys = vi.mocked(payMySubscription).mock.calls.map(([id, key]) => `${id}:${key}`)
    expect(keys[0]).toBe(keys[1])
    expect(keys[2]).not.toBe(keys[1])
    expect(store.items.find(({ id }) => id === 'sub_3')?.status).toBe('active')
  })

  it('drops the late answer of a load made before signing out', async () => {
    let answer!: (page: { data: PersonSubscription[] }) => void
    vi.mocked(listMySubscriptions).mockReturnValue(new Promise((resolve) => (answer = resolve)))
    const store = useMySubscriptionsStore()
    const loading = store.load()
    store.reset()
    answer({ data: [subscription('sub_9', 'cli_z')] })
    await loading
    expect(store.items).toEqual([])
    expect(store.loaded).toBe(false)
  })
})
