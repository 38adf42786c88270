import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { effectScope } from 'vue'
import type { WebhookDelivery, WebhookDeliveryStatus } from '../api/types.ts'
import { attemptedBeyond, useDeliveryPolling } from './use-delivery-polling.ts'

const delivery = (status: WebhookDeliveryStatus) => ({ id: 'whd_1', status }) as WebhookDelivery

function setUp(statuses: WebhookDeliveryStatus[], maxPolls = 5) {
  const refresh = vi.fn(async () => delivery(statuses.shift() ?? 'pending'))
  const onError = vi.fn()
  const scope = effectScope()
  const polling = scope.run(() => useDeliveryPolling(refresh, onError, { intervalMs: 1000, maxPolls }))
  if (!polling) throw new Error('no polling')
  return { refresh, onError, scope, polling }
}

describe('useDeliveryPolling', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('fetches a delivery every interval until it is no longer pending', async () => {
    const { refresh, polling } = setUp(['pending', 'pending', 'succeeded'])
    polling.follow('whd_1')
    expect(polling.following.has('whd_1')).toBe(true)
    await vi.advanceTimersByTimeAsync(999)
    expect(refresh).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(10_000)
    expect(refresh).toHaveBeenCalledTimes(3)
    expect(polling.following.has('whd_1')).toBe(false)
  })

  it('gives up on a delivery that stays pending after the last poll', async () => {
    const { refresh, polling } = setUp([], 4)
    polling.follow('whd_1')
    await vi.advanceTimersByTimeAsync(60_000)
    expect(refresh).toHaveBeenCalledTimes(4)
    expect(polling.following.has('whd_1')).toBe(false)
  })

  it('stops when the page that polls goes away', async () => {
    const { refresh, scope, polling } = setUp([])
    polling.follow('whd_1')
    await vi.advanceTimersByTimeAsync(2000)
    scope.stop()
    await vi.advanceTimersByTimeAsync(60_000)
    expect(refresh).toHaveBeenCalledTimes(2)
  })

  it('starts over when the same delivery is followed again, with one poll at a time', async () => {
    const { refresh, polling } = setUp([], 3)
    let answer!: (value: WebhookDelivery) => void
    refresh.mockImplementationOnce(() => new Promise((resolve) => (answer = resolve)))
    polling.follow('whd_1')
    await vi.advanceTimersByTimeAsync(1000)
    // The first poll is still waiting for its answer when the delivery is followed again.
    polling.follow('whd_1')
    answer(delivery('pending'))
    await vi.advanceTimersByTimeAsync(60_000)
    expect(refresh).toHaveBeenCalledTimes(1 + 3)
  })

  it('stops and reports a failed fetch', async () => {
    const { refresh, onError, polling } = setUp([])
    const failure = new Error('offline')
    refresh.mockRejectedValueOnce(failure)
    polling.follow('whd_1')
    await vi.advanceTimersByTimeAsync(60_000)
    expect(refresh).toHaveBeenCalledTimes(1)
    expect(onError).toHaveBeenCalledWith(failure)
    expect(polling.following.has('whd_1')).toBe(false)
  })
})

describe('attemptedBeyond', () => {
  const at = (status: WebhookDeliveryStatus, attempt_count: number) =>
    ({ id: 'whd_1', status, attempt_count }) as WebhookDelivery

  it('settles a pending delivery once it has more attempts than before, or once it is not pending', () => {
    expect(attemptedBeyond(0)(at('pending', 0))).toBe(false)
    expect(attemptedBeyond(0)(at('pending', 1))).toBe(true)
    expect(attemptedBeyond(2)(at('pending', 2))).toBe(false)
    expect(attemptedBeyond(2)(at('failed', 2))).toBe(true)
  })

  it('stops polling a delivery that is retrying once its attempt is in', async () => {
    vi.useFakeTimers()
    const answers = [at('pending', 0), at('pending', 1), at('pending', 1)]
    const refresh = vi.fn(async () => answers.shift() ?? at('pending', 1))
    const scope = effectScope()
    const polling = scope.run(() => useDeliveryPolling(refresh, vi.fn(), { intervalMs: 1000, maxPolls: 20 }))
    polling?.follow('whd_1', attemptedBeyond(0))
    await vi.advanceTimersByTimeAsync(10_000)
    expect(refresh).toHaveBeenCalledTimes(2)
    expect(polling?.following.has('whd_1')).toBe(false)
    scope.stop()
    vi.useRealTimers()
  })
})
