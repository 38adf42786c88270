import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError } from '../api/http.ts'
import { fetchStatus } from '../api/status.ts'
import type { PlatformStatus } from '../api/types.ts'
import { useStatusStore } from './status.ts'

vi.mock('../api/status.ts', () => ({ fetchStatus: vi.fn() }))

const status = (overrides: Partial<PlatformStatus> = {}): PlatformStatus => ({
  mode: 'sandbox',
  version: '0.1.0',
  currency: 'RUB',
  topups_available: true,
  ...overrides,
})

describe('the status store', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    vi.mocked(fetchStatus).mockReset()
  })

  it('asks the server once and says a sandbox is a sandbox', async () => {
    vi.mocked(fetchStatus).mockResolvedValue(status())
    const store = useStatusStore()
    await Promise.all([store.ensureLoaded(), store.ensureLoaded()])
    await store.ensureLoaded()
    expect(fetchStatus).toHaveBeenCalledTimes(1)
    expect(store.sandbox).toBe(true)
    expect(store.currency).toBe('RUB')
  })

  it('shows no sandbox in live mode, nor before the server answered', async () => {
    vi.mocked(fetchStatus).mockResolvedValue(status({ mode: 'live', topups_available: false }))
    const store = useStatusStore()
    expect(store.sandbox).toBe(false)
    await store.ensureLoaded()
    expect(store.sandbox).toBe(false)
    expect(store.topUpsAvailable).toBe(false)
  })

  it('asks again after a failure', async () => {
    const failure = new ApiError({ code: 'network_error', title: 'Network error', status: 0 })
    vi.mocked(fetchStatus)
      .mockRejectedValueOnce(failure)
      .mockResolvedValueOnce(status({ mode: 'live' }))
    const store = useStatusStore()
    await expect(store.ensureLoaded()).rejects.toBe(failure)
    expect(store.sandbox).toBe(false)
    expect(store.topUpsAvailable).toBe(true)
    await store.ensureLoaded()
    expect(store.status?.mode).toBe('live')
  })

  it('stops offering top-ups once the server refused one as unavailable', async () => {
    vi.mocked(fetchStatus).mockResolvedValue(status({ mode: 'live' }))
    const store = useStatusStore()
    await store.ensureLoaded()
    store.markTopUpsUnavailable()
    expect(store.topUpsAvailable).toBe(false)
  })
})
