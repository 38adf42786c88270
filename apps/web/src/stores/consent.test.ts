import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { decideConsentRequest, fetchConsentRequest } from '../api/oauth.ts'
import type { ConsentRequest } from '../api/types.ts'
import { useConsentStore } from './consent.ts'

vi.mock('../api/oauth.ts', () => ({ fetchConsentRequest: vi.fn(), decideConsentRequest: vi.fn() }))

const request = (id: string, monthlyLimit: number | null = null): ConsentRequest => ({
  id,
  client: { client_id: 'cli_1', name: 'Messages' },
  redirect_uri: 'https://messages.example/callback',
  scopes: [
    { scope: 'charge', granted: false },
    { scope: 'check', granted: true },
    { scope: 'hold', granted: false },
  ],
  kept_scopes: ['email', 'profile'],
  monthly_limit: monthlyLimit,
  expires_at: '2025-01-01T00:10:00Z',
})

describe('the consent store', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    vi.mocked(fetchConsentRequest).mockImplementation(async (id) => request(id))
    vi.mocked(decideConsentRequest).mockResolvedValue({
      redirect_to: 'https://messages.example/callback?code=c',
    })
  })

  it('names the scopes allowed before and not asked about, in order, and never sends them back', async () => {
    const store = useConsentStore()
    await store.open('areq_1')
    expect(store.keptScopes).toEqual(['profile', 'email'])
    await store.decide(true)
    expect(vi.mocked(decideConsentRequest).mock.calls.at(-1)?.[1]).toMatchObject({
      scopes: ['check', 'hold', 'charge'],
    })
  })

  it('allows the scopes left switched on, in order, and answers where to go', async () => {
    const store = useConsentStore()
    await store.open('areq_1')
    expect(store.scopes.map(({ scope }) => scope)).toEqual(['check', 'hold', 'charge'])
    store.choices.hold = false
    expect(await store.decide(true)).toBe('https://messages.example/callback?code=c')
    expect(decideConsentRequest).toHaveBeenCalledWith('areq_1', {
      allow: true,
      scopes: ['check', 'charge'],
      monthly_limit: null,
    })
  })

  it('starts from the limit set before and sends the one the person chose', async () => {
    vi.mocked(fetchConsentRequest).mockResolvedValueOnce(request('areq_1', 50000))
    const store = useConsentStore()
    await store.open('areq_1')
    expect(store.monthlyLimit).toBe(50000)
    store.monthlyLimit = 75050
    await store.decide(true)
    expect(decideConsentRequest).toHaveBeenCalledWith('areq_1', {
      allow: true,
      scopes: ['check', 'hold', 'charge'],
      monthly_limit: 75050,
    })
  })

  it('leaves the limit alone when the partner may not take money', async () => {
    vi.mocked(fetchConsentRequest).mockResolvedValueOnce(request('areq_1', 50000))
    const store = useConsentStore()
    await store.open('areq_1')
    store.choices.hold = false
    store.choices.charge = false
    expect(store.asksForLimit).toBe(false)
    await store.decide(true)
    expect(decideConsentRequest).toHaveBeenCalledWith('areq_1', { allow: true, scopes: ['check'] })
  })

  it('denies without naming any scope', async () => {
    const store = useConsentStore()
    await store.open('areq_1')
    await store.decide(false)
    expect(decideConsentRequest).toHaveBeenCalledWith('areq_1', { allow: false })
  })

  it('switches every scope on again for another request', async () => {
    const store = useConsentStore()
    await store.open('areq_1')
    store.choices.check = false
    await store.open('areq_2')
    expect(store.request?.id).toBe('areq_2')
    expect(store.chosen).toEqual(['check', 'hold', 'charge'])
  })

  it('forgets a request that failed to load instead of showing the previous one', async () => {
    const store = useConsentStore()
    await store.open('areq_1')
    vi.mocked(fetchConsentRequest).mockRejectedValueOnce(new Error('gone'))
    await expect(store.open('areq_2')).rejects.toThrow('gone')
    expect(store.request).toBeNull()
  })
})
