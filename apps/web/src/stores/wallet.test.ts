import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError } from '../api/http.ts'
import { fetchStatus } from '../api/status.ts'
import { createTopUp } from '../api/wallet.ts'
import { useStatusStore } from './status.ts'
import { useWalletStore } from './wallet.ts'

vi.mock('../api/wallet.ts', () => ({
  createTopUp: vi.fn(),
  fetchTopUp: vi.fn(),
  fetchWallet: vi.fn(),
  listEntries: vi.fn(),
}))
vi.mock('../api/status.ts', () => ({ fetchStatus: vi.fn() }))

describe('top-ups in the wallet store', () => {
  beforeEach(async () => {
    setActivePinia(createPinia())
    vi.mocked(fetchStatus).mockResolvedValue({
      mode: 'live',
      version: '0.1.0',
      currency: 'RUB',
      topups_available: true,
    })
    await useStatusStore().ensureLoaded()
  })

  it('stops offering top-ups once the server says they are unavailable', async () => {
    const refusal = new ApiError({ code: 'topups_unavailable', title: 'Top-ups unavailable', status: 503 })
    vi.mocked(createTopUp).mockRejectedValue(refusal)
    await expect(useWalletStore().startTopUp(50000)).rejects.toBe(refusal)
    expect(useStatusStore().topUpsAvailable).toBe(false)
  })

  it('keeps offering them after a failure of another kind', async () => {
    const failure = new ApiError({ code: 'network_error', title: 'Network error', status: 0 })
    vi.mocked(createTopUp).mockRejectedValue(failure)
    await expect(useWalletStore().startTopUp(50000)).rejects.toBe(failure)
    expect(useStatusStore().topUpsAvailable).toBe(true)
  })
})
