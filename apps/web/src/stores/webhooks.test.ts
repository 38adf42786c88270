import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError } from '../api/http.ts'
import type { WebhookDelivery } from '../api/types.ts'
import { fetchDelivery, listDeliveries, retryDelivery, sendTestEvent } from '../api/webhooks.ts'
import { useWebhooksStore } from './webhooks.ts'

vi.mock('../api/webhooks.ts', () => ({
  fetchWebhookEndpoint: vi.fn(),
  sendTestEvent: vi.fn(),
  listDeliveries: vi.fn(),
  fetchDelivery: vi.fn(),
  retryDelivery: vi.fn(),
}))

const delivery = (n: number, changes: Partial<WebhookDelivery> = {}): WebhookDelivery => ({
  id: `whd_${n}`,
  object: 'webhook_delivery',
  event: { id: `evt_${n}`, type: 'charge.succeeded', timestamp: '2025-01-01T00:00:00Z', data: {} },
  status: 'succeeded',
  attempt_count: 1,
  next_attempt_at: null,
  created_at: '2025-01-01T00:00:00Z',
  completed_at: '2025-01-01T00:00:01Z',
  attempts: [],
  ...changes,
})

const ping = (n: number) =>
  delivery(n, {
    status: 'pending',
    attempt_count: 0,
    completed_at: null,
    event: { id: `evt_${n}`, type: 'ping', timestamp: '2025-01-02T00:00:00Z', data: { company: 'co_1' } },
  })

const ids = (store: ReturnType<typeof useWebhooksStore>) => store.deliveries.items.map(({ id }) => id)

describe('the webhooks store', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    vi.mocked(listDeliveries)
      .mockReset()
      .mockResolvedValue({ data: [delivery(2), delivery(1)], has_more: false })
  })

  it('asks for the deliveries a filter selects, and for all of them without one', async () => {
    const store = useWebhooksStore()
    await store.applyFilter({ status: 'failed', type: 'hold.created' })
    expect(listDeliveries).toHaveBeenLastCalledWith(
      expect.objectContaining({ status: 'failed', type: 'hold.created', starting_after: undefined }),
    )
    await store.applyFilter({ status: null, type: null })
    expect(listDeliveries).toHaveBeenLastCalledWith(
      expect.objectContaining({ status: undefined, type: undefined }),
    )
  })

  it('shows a test event at the top of the log', async () => {
    const store = useWebhooksStore()
    await store.deliveries.load()
    vi.mocked(sendTestEvent).mockResolvedValue(ping(3))
    await store.sendTest()
    expect(ids(store)).toEqual(['whd_3', 'whd_2', 'whd_1'])
    expect(listDeliveries).toHaveBeenCalledTimes(1)
  })

  it('drops a filter that would hide the test event it sent', async () => {
    const store = useWebhooksStore()
    await store.applyFilter({ status: 'failed', type: null })
    vi.mocked(sendTestEvent).mockResolvedValue(ping(3))
    vi.mocked(listDeliveries).mockResolvedValue({ data: [ping(3), delivery(2)], has_more: false })
    await store.sendTest()
    expect(store.filter).toEqual({ status: null, type: null })
    expect(listDeliveries).toHaveBeenLastCalledWith(expect.objectContaining({ status: undefined }))
    expect(ids(store)).toEqual(['whd_3', 'whd_2'])
  })

  it('puts a retried delivery in place of the old row', async () => {
    const store = useWebhooksStore()
    await store.deliveries.load()
    vi.mocked(retryDelivery).mockResolvedValue(delivery(1, { status: 'pending', attempt_count: 1 }))
    await store.retry('whd_1')
    expect(retryDelivery).toHaveBeenCalledWith('whd_1')
    expect(ids(store)).toEqual(['whd_2', 'whd_1'])
    expect(store.deliveries.items[1]?.status).toBe('pending')
  })

  it('leaves the log as it was when a retry is refused, and passes the refusal on', async () => {
    const store = useWebhooksStore()
    await store.deliveries.load()
    const refusal = new ApiError({ code: 'webhook_endpoint_unavailable', title: 'Conflict', status: 409 })
    vi.mocked(retryDelivery).mockRejectedValue(refusal)
    await expect(store.retry('whd_1')).rejects.toBe(refusal)
    expect(store.deliveries.items[1]?.status).toBe('succeeded')
  })

  it('does not bring back a refreshed delivery the log no longer shows', async () => {
    const store = useWebhooksStore()
    await store.deliveries.load()
    vi.mocked(fetchDelivery).mockResolvedValue(delivery(7))
    await store.refresh('whd_7')
    expect(ids(store)).toEqual(['whd_2', 'whd_1'])
  })

  it('forgets the company’s log on reset, as after signing out', async () => {
    const store = useWebhooksStore()
    await store.applyFilter({ status: 'failed', type: null })
    store.reset()
    expect(store.deliveries.items).toEqual([])
    expect(store.deliveries.loaded).toBe(false)
    expect(store.filter).toEqual({ status: null, type: null })
    expect(store.endpoint).toBeNull()
  })
})
