import { describe, expect, it } from 'vitest'
import type { ActiveToken } from './oauth.repository.js'
import { createTokenCache } from './token-cache.js'

const NOW = Date.parse('2026-01-01T00:00:00Z')

function token(digest: string, grantId: string, expiresInMs = 600_000): ActiveToken {
  return {
    token_digest: digest,
    kind: 'access',
    grant_id: grantId,
    client_id: 'cli_1',
    scopes: ['check'],
    created_at: new Date(NOW),
    expires_at: new Date(NOW + expiresInMs),
    used_at: null,
    parent_digest: null,
    revoked_at: null,
    account_id: 'acct_1',
    customer_id: 'cus_1',
    grant_revoked_at: null,
  }
}

function hearingCache(size?: number) {
  const cache = createTokenCache(size)
  cache.hearing(true)
  return cache
}

describe('the token cache', () => {
  it('answers a remembered token until its expiry, and not after', () => {
    const cache = hearingCache()
    cache.remember(token('a', 'grant_1', 1_000), NOW, cache.epoch())
    expect(cache.get('a', NOW + 999)?.token_digest).toBe('a')
    expect(cache.get('a', NOW + 1_000)).toBeUndefined()
  })

  it('keeps an entry no longer than a minute even for a longer-lived token', () => {
    const cache = hearingCache()
    cache.remember(token('a', 'grant_1', 3_600_000), NOW, cache.epoch())
    expect(cache.get('a', NOW + 59_000)).toBeDefined()
    expect(cache.get('a', NOW + 60_000)).toBeUndefined()
  })

  it('forgets every token of a revoked grant and only those', () => {
    const cache = hearingCache()
    for (const [d, g] of [
      ['a', 'grant_1'],
      ['b', 'grant_1'],
      ['c', 'grant_2'],
    ] as const)
      cache.remember(token(d, g), NOW, cache.epoch())
    cache.forget('grant_1')
    expect([cache.get('a', NOW), cache.get('b', NOW), cache.get('c', NOW)?.token_digest]).toEqual([
      undefined,
      undefined,
      'c',
    ])
  })

  it('does not remember a read that began before a revocation', () => {
    const cache = hearingCache()
    const epoch = cache.epoch()
    cache.forget('grant_9')
    cache.remember(token('a', 'grant_1'), NOW, epoch)
    expect(cache.get('a', NOW)).toBeUndefined()
  })

  it('remembers and answers nothing while revocations cannot be heard, and starts empty again', () => {
    const cache = hearingCache()
    cache.remember(token('a', 'grant_1'), NOW, cache.epoch())
    cache.hearing(false)
    expect(cache.get('a', NOW)).toBeUndefined()
    cache.remember(token('b', 'grant_1'), NOW, cache.epoch())
    cache.hearing(true)
    expect([cache.get('a', NOW), cache.get('b', NOW), cache.size]).toEqual([undefined, undefined, 0])
  })

  it('drops the least recently used token when full', () => {
    const cache = hearingCache(2)
    cache.remember(token('a', 'grant_1'), NOW, cache.epoch())
    cache.remember(token('b', 'grant_1'), NOW, cache.epoch())
    cache.get('a', NOW)
    cache.remember(token('c', 'grant_1'), NOW, cache.epoch())
    expect([
      cache.get('a', NOW)?.token_digest,
      cache.get('b', NOW),
      cache.get('c', NOW)?.token_digest,
    ]).toEqual(['a', undefined, 'c'])
  })
})
