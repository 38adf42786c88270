import { randomBytes } from 'node:crypto'
import { Webhook } from 'standardwebhooks'
import { describe, expect, it } from 'vitest'
import {
  createMemorySeenStore,
  createWebhookReceiver,
  verifyWebhook,
  WebhookVerificationError,
} from './webhooks.js'

const secret = `whsec_${randomBytes(32).toString('base64')}`
const now = Date.UTC(2026, 10, 26, 12, 0, 0)
const body = JSON.stringify({
  type: 'charge.succeeded',
  timestamp: new Date(now).toISOString(),
  data: { id: 'ch_1', object: 'charge', account: 'acct_1', amount: 15_000, metadata: { order: '42' } },
})

/** Headers as the reference Standard Webhooks library signs them. */
function signed(payload = body, at = now, secrets = [secret], id = 'evt_01') {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at / 1000)),
    'webhook-signature': secrets.map((s) => new Webhook(s).sign(id, new Date(at), payload)).join(' '),
  }
}

function reason(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (error) {
    if (error instanceof WebhookVerificationError) return error.reason
    throw error
  }
  return undefined
}

describe('verifyWebhook', () => {
  it('accepts what the standardwebhooks library signs and answers the typed event', () => {
    const event = verifyWebhook(secret, signed(), body, { now: () => now })
    expect(event).toEqual({
      id: 'evt_01',
      type: 'charge.succeeded',
      timestamp: new Date(now).toISOString(),
      data: expect.objectContaining({ id: 'ch_1', amount: 15_000 }),
    })
    if (event.type === 'charge.succeeded') expect(event.data.metadata.order).toBe('42')
  })

  it('accepts the body as bytes and headers as a fetch Headers object', () => {
    const event = verifyWebhook(secret, new Headers(signed()), Buffer.from(body), { now: () => now })
    expect(event.id).toBe('evt_01')
  })

  it('refuses a body changed by one byte, another secret and a changed id', () => {
    expect(
      reason(() => verifyWebhook(secret, signed(), body.replace('15000', '15001'), { now: () => now })),
    ).toBe('no_matching_signature')
    const other = `whsec_${randomBytes(32).toString('base64')}`
    expect(reason(() => verifyWebhook(other, signed(), body, { now: () => now }))).toBe(
      'no_matching_signature',
    )
    expect(
      reason(() => verifyWebhook(secret, { ...signed(), 'webhook-id': 'evt_02' }, body, { now: () => now })),
    ).toBe('no_matching_signature')
  })

  it('accepts timestamps up to 5 minutes off either way and refuses beyond', () => {
    const at = (offsetSeconds: number) => () =>
      verifyWebhook(secret, signed(body, now + offsetSeconds * 1000), body, { now: () => now })
    expect(reason(at(-300))).toBeUndefined()
    expect(reason(at(300))).toBeUndefined()
    expect(reason(at(-301))).toBe('timestamp_too_old')
    expect(reason(at(301))).toBe('timestamp_too_new')
  })

  it('finds the matching one among several signatures, as sent during a secret rotation', () => {
    const retired = `whsec_${randomBytes(32).toString('base64')}`
    const headers = signed(body, now, [secret, retired])
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2)
    expect(verifyWebhook(retired, headers, body, { now: () => now }).id).toBe('evt_01')
    // And a receiver that knows both secrets while it rotates its own copy.
    expect(verifyWebhook(['whsec_AAAA', secret], signed(), body, { now: () => now }).id).toBe('evt_01')
  })

  it('ignores signatures of other versions and refuses a v1 signature of the wrong length', () => {
    const good = signed()['webhook-signature'].slice(3)
    const headers = { ...signed(), 'webhook-signature': `v1a,${good} v1,${good.slice(0, 20)}` }
    expect(reason(() => verifyWebhook(secret, headers, body, { now: () => now }))).toBe(
      'no_matching_signature',
    )
  })

  it('accepts the secret without its whsec_ prefix, as the reference library does', () => {
    expect(verifyWebhook(secret.slice(6), signed(), body, { now: () => now }).id).toBe('evt_01')
  })

  it('refuses missing headers and a timestamp that is not unix seconds', () => {
    const { 'webhook-signature': _, ...unsigned } = signed()
    expect(reason(() => verifyWebhook(secret, unsigned, body, { now: () => now }))).toBe('missing_headers')
    expect(
      reason(() =>
        verifyWebhook(secret, { ...signed(), 'webhook-timestamp': '2026-11-26' }, body, { now: () => now }),
      ),
    ).toBe('invalid_timestamp')
  })

  it('produces signatures the reference library also accepts for the same vectors', () => {
    // Guards the test vectors themselves: they verify with the library that made them.
    const wh = new Webhook(secret)
    const headers = signed(body, Date.now())
    expect(() => wh.verify(body, headers)).not.toThrow()
    expect(verifyWebhook(secret, headers, body).id).toBe('evt_01')
  })
})

describe('createWebhookReceiver', () => {
  it('runs the handler of the event type once and reports a redelivery as a duplicate', async () => {
    const handled: string[] = []
    const duplicates: string[] = []
    const receive = createWebhookReceiver(
      secret,
      { 'charge.succeeded': (event) => void handled.push(event.data.id) },
      { now: () => now, onDuplicate: (event) => void duplicates.push(event.id) },
    )
    expect(await receive(signed(), body)).toMatchObject({ status: 200, body: { received: true } })
    expect(await receive(signed(), body)).toMatchObject({
      status: 200,
      body: { received: true, duplicate: true },
    })
    expect(handled).toEqual(['ch_1'])
    expect(duplicates).toEqual(['evt_01'])
  })

  it('does not remember an event whose handler failed, so the retry runs it again', async () => {
    let calls = 0
    const receive = createWebhookReceiver(
      secret,
      {
        'charge.succeeded': () => {
          calls++
          if (calls === 1) throw new Error('database down')
        },
      },
      { now: () => now },
    )
    await expect(receive(signed(), body)).rejects.toThrow('database down')
    expect(await receive(signed(), body)).toMatchObject({ status: 200, body: { received: true } })
    expect(calls).toBe(2)
  })

  it('answers 400 with the reason for a forged event and runs nothing', async () => {
    let calls = 0
    const receive = createWebhookReceiver(
      secret,
      { 'charge.succeeded': () => void calls++ },
      { now: () => now },
    )
    expect(await receive(signed(), body.replace('acct_1', 'acct_2'))).toEqual({
      status: 400,
      body: { received: false, error: 'no_matching_signature' },
    })
    expect(calls).toBe(0)
  })

  it('acknowledges event types it has no handler for', async () => {
    const receive = createWebhookReceiver(secret, {}, { now: () => now })
    expect(await receive(signed(), body)).toMatchObject({ status: 200 })
  })
})

describe('createMemorySeenStore', () => {
  it('forgets ids after their time and keeps at most max of them', () => {
    let clock = 0
    const store = createMemorySeenStore({ ttlMs: 1000, max: 2, now: () => clock })
    store.add('a')
    expect(store.has('a')).toBe(true)
    clock = 1001
    expect(store.has('a')).toBe(false)
    store.add('b')
    store.add('c')
    store.add('d')
    expect([store.has('b'), store.has('c'), store.has('d')]).toEqual([false, true, true])
  })
})
