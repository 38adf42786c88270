import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError } from '../api/http.ts'
import { listGrants, revokeGrant, updateGrantLimit } from '../api/oauth.ts'
import type { Grant, PartnerAccount } from '../api/types.ts'
import { listPartnerAccounts } from '../api/wallet.ts'
import { useConnectionsStore } from './connections.ts'
import { joinConnections, withoutGrant } from './connections-join.ts'

vi.mock('../api/oauth.ts', () => ({ listGrants: vi.fn(), revokeGrant: vi.fn(), updateGrantLimit: vi.fn() }))
vi.mock('../api/wallet.ts', () => ({ listPartnerAccounts: vi.fn() }))

const grant = (n: number): Grant => ({
  client_id: `cli_${n}`,
  company: { id: `co_${n}`, name: `Partner ${n}` },
  scopes: ['check', 'charge'],
  account_id: `acct_${n}`,
  created_at: '2025-01-01T00:00:00Z',
  last_used_at: null,
  spent: 100 * n,
  monthly_limit: null,
  spent_this_month: 10 * n,
  limit_remaining: null,
  limit_resets_at: '2025-02-01T00:00:00Z',
  revoked_at: null,
})

const revoked = (n: number, at = '2025-01-20T00:00:00Z'): Grant => ({ ...grant(n), revoked_at: at })

const account = (n: number): PartnerAccount => ({
  id: `acct_${n}`,
  company: { id: `co_${n}`, name: `Partner ${n}` },
  spent: 100 * n,
  held: 10 * n,
  scopes: ['check', 'charge'],
  created_at: '2025-01-01T00:00:00Z',
  last_activity_at: null,
})

describe('joinConnections', () => {
  it('pairs each live grant with the account at that partner and keeps revoked grants as former partners', () => {
    const joined = joinConnections([grant(1), grant(2), revoked(3)], [account(3), account(2), account(1)])
    expect(joined.connected).toEqual([
      { grant: grant(1), account: account(1) },
      { grant: grant(2), account: account(2) },
    ])
    expect(joined.former).toEqual([revoked(3)])
  })

  it('keeps a grant whose account the list does not hold yet', () => {
    expect(joinConnections([grant(1)], []).connected).toEqual([{ grant: grant(1), account: null }])
  })
})

describe('withoutGrant', () => {
  it('puts the revoked partner first among the former partners, with when it was revoked', () => {
    const joined = joinConnections([grant(1), grant(2), revoked(3)], [account(1), account(2), account(3)])
    expect(withoutGrant(joined, 'cli_1', '2025-02-03T10:00:00Z')).toEqual({
      connected: [{ grant: grant(2), account: account(2) }],
      former: [revoked(1, '2025-02-03T10:00:00Z'), revoked(3)],
    })
  })

  it('changes nothing for a partner that is not connected', () => {
    const joined = joinConnections([grant(1), revoked(2)], [account(1)])
    expect(withoutGrant(joined, 'cli_2', '2025-02-03T10:00:00Z')).toBe(joined)
  })
})

describe('the connections store', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    vi.mocked(listGrants).mockResolvedValue({ data: [grant(1), grant(2)] })
    vi.mocked(listPartnerAccounts).mockResolvedValue({ data: [account(1), account(2)] })
  })

  it('drops a partner from the connected ones once the server revoked its access', async () => {
    const store = useConnectionsStore()
    await store.load()
    vi.mocked(revokeGrant).mockResolvedValue()
    await store.revoke('cli_1')
    expect(revokeGrant).toHaveBeenCalledWith('cli_1')
    expect(store.connections.connected.map(({ grant }) => grant.client_id)).toEqual(['cli_2'])
    expect(store.connections.former.map(({ client_id }) => client_id)).toEqual(['cli_1'])
    expect(store.connections.former[0]?.revoked_at).not.toBeNull()
    expect(store.connections.former[0]?.spent).toBe(100)
  })

  it('keeps the partner when revoking fails, and passes the failure on', async () => {
    const store = useConnectionsStore()
    await store.load()
    const failure = new ApiError({ code: 'network_error', title: 'Network error', status: 0 })
    vi.mocked(revokeGrant).mockRejectedValue(failure)
    await expect(store.revoke('cli_1')).rejects.toBe(failure)
    expect(store.connections.connected.map(({ grant }) => grant.client_id)).toEqual(['cli_1', 'cli_2'])
  })

  it('shows the limit the server saved for that partner alone', async () => {
    const store = useConnectionsStore()
    await store.load()
    const saved: Grant = { ...grant(2), monthly_limit: 50000, limit_remaining: 49980 }
    vi.mocked(updateGrantLimit).mockResolvedValue(saved)
    await store.setLimit('cli_2', 50000)
    expect(updateGrantLimit).toHaveBeenCalledWith('cli_2', { monthly_limit: 50000 })
    expect(store.connections.connected.map(({ grant }) => grant)).toEqual([grant(1), saved])
    expect(store.connections.connected[1]?.account).toEqual(account(2))
  })

  it('removes a limit with null and keeps the old one when the server refuses', async () => {
    const store = useConnectionsStore()
    await store.load()
    const failure = new ApiError({ code: 'not_found', title: 'No such resource', status: 404 })
    vi.mocked(updateGrantLimit).mockRejectedValue(failure)
    await expect(store.setLimit('cli_1', null)).rejects.toBe(failure)
    expect(updateGrantLimit).toHaveBeenCalledWith('cli_1', { monthly_limit: null })
    expect(store.connections.connected[0]?.grant).toEqual(grant(1))
  })

  it('forgets everything on reset, as after signing out', async () => {
    const store = useConnectionsStore()
    await store.load()
    store.reset()
    expect(store.loaded).toBe(false)
    expect(store.connections).toEqual({ connected: [], former: [] })
  })
})
