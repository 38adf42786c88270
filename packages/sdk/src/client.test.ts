import { describe, expect, it } from 'vitest'
import { createProtusClient } from './client.js'
import { isProtusError, ProtusError } from './errors.js'
import { backoff } from './http.js'

interface Seen {
  method: string
  url: string
  headers: Record<string, string>
  body: unknown
}

/** A fetch that answers from a script, one answer per call, and records what it was sent. */
function fakeFetch(answers: (Response | Error)[]) {
  const calls: Seen[] = []
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    calls.push({
      method: init?.method ?? 'GET',
      url: String(input),
      headers: Object.fromEntries(new Headers(init?.headers).entries()),
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    })
    const next = answers.shift()
    if (!next) throw new Error('no more scripted answers')
    if (next instanceof Error) throw next
    return next
  }
  return { fetch: fetch as typeof globalThis.fetch, calls }
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } })

const problem = (status: number, code: string, extra: Record<string, unknown> = {}) =>
  new Response(
    JSON.stringify({
      type: `https://protus.dev/problems/${code}`,
      title: code,
      status,
      code,
      detail: `detail of ${code}`,
      request_id: 'req_1',
      ...extra,
    }),
    { status, headers: { 'content-type': 'application/problem+json', 'x-request-id': 'req_1' } },
  )

const charge = { id: 'ch_1', object: 'charge', amount: 500 }

function client(answers: (Response | Error)[], retries = 3) {
  const fake = fakeFetch(answers)
  const waits: number[] = []
  const protus = createProtusClient({
    baseUrl: 'https://protus.test/',
    clientId: 'cl_1',
    clientSecret: 'sk_secret',
    fetch: fake.fetch,
    retries,
    sleep: async (ms) => void waits.push(ms),
  })
  return { protus, calls: fake.calls, waits }
}

describe('retries and idempotency keys', () => {
  it('retries a 503 and a network error with the same Idempotency-Key, then answers the charge', async () => {
    const { protus, calls, waits } = client([
      problem(503, 'service_unavailable'),
      new TypeError('fetch failed'),
      json(201, charge),
    ])
    const result = await protus.charges.create({ account: 'acct_1', amount: 500 })
    expect(result).toEqual(charge)
    expect(calls).toHaveLength(3)
    const keys = calls.map((c) => c.headers['idempotency-key'])
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/)
    expect(new Set(keys).size).toBe(1)
    expect(calls.every((c) => c.method === 'POST' && c.url === 'https://protus.test/v1/charges')).toBe(true)
    expect(calls[0]?.body).toEqual({ account: 'acct_1', amount: 500 })
    expect(waits).toHaveLength(2)
  })

  it('uses a new key for every logical call, and the caller’s key when given', async () => {
    const { protus, calls } = client([json(201, charge), json(201, charge), json(201, charge)])
    await protus.charges.create({ account: 'acct_1', amount: 500 })
    await protus.charges.create({ account: 'acct_1', amount: 500 })
    await protus.charges.create({ account: 'acct_1', amount: 500 }, { idempotencyKey: 'order-42' })
    const keys = calls.map((c) => c.headers['idempotency-key'])
    expect(keys[0]).not.toBe(keys[1])
    expect(keys[2]).toBe('order-42')
  })

  it('retries 409 idempotency_request_in_progress with the same key', async () => {
    const { protus, calls } = client([
      problem(409, 'idempotency_request_in_progress'),
      json(200, { id: 'hold_1' }),
    ])
    await protus.holds.capture('hold_1', { amount: 100 }, { idempotencyKey: 'cap-1' })
    expect(calls.map((c) => c.headers['idempotency-key'])).toEqual(['cap-1', 'cap-1'])
    expect(calls[0]?.url).toBe('https://protus.test/v1/holds/hold_1/capture')
  })

  it('never retries another 4xx', async () => {
    for (const [status, code] of [
      [402, 'insufficient_funds'],
      [409, 'hold_not_pending'],
      [422, 'idempotency_key_reused'],
      [400, 'validation_failed'],
      [403, 'insufficient_scope'],
    ] as const) {
      const { protus, calls } = client([problem(status, code), json(201, charge)])
      await expect(protus.charges.create({ account: 'acct_1', amount: 500 })).rejects.toMatchObject({
        code,
        status,
      })
      expect(calls).toHaveLength(1)
    }
  })

  it('gives up after the configured retries with the last error', async () => {
    const { protus, calls } = client([problem(500, 'internal_error'), problem(500, 'internal_error')], 1)
    await expect(protus.accounts.get('acct_1')).rejects.toMatchObject({ code: 'internal_error', status: 500 })
    expect(calls).toHaveLength(2)
  })

  it('reports connection_failed when no answer ever came', async () => {
    const { protus } = client([new TypeError('fetch failed'), new TypeError('fetch failed')], 1)
    const error = await protus.accounts.get('acct_1').catch((e) => e)
    expect(error).toBeInstanceOf(ProtusError)
    expect(error).toMatchObject({ code: 'connection_failed', status: 0 })
    expect((error as Error).cause).toBeInstanceOf(TypeError)
  })

  it('waits after Retry-After when the server names a time', async () => {
    const { protus, waits } = client([problem(503, 'service_unavailable', {}), json(200, {})])
    await protus.company.get()
    expect(waits).toHaveLength(1)
    const { protus: p2, waits: w2 } = client([
      new Response('busy', { status: 503, headers: { 'retry-after': '2' } }),
      json(200, {}),
    ])
    await p2.company.get()
    expect(w2).toEqual([2000])
  })

  it('sends a payment list’s creation range as created[gte] and created[lt], Dates as ISO 8601', async () => {
    const page = () => json(200, { data: [], has_more: false })
    const { protus, calls } = client([page(), page(), page(), json(200, { group_by: 'day', data: [] })])
    await protus.charges.list({
      service: 'svc_1',
      created: { gte: new Date('2026-11-01T00:00:00Z'), lt: '2026-12-01T00:00:00+03:00' },
    })
    await protus.holds.list({ status: 'expired', created: { lt: new Date(0) } })
    await protus.refunds.list({ charge: 'ch_1' })
    await protus.reports.revenue({ group_by: 'day', created: { gte: '2026-11-01T00:00:00Z' } })
    const queries = calls.map((c) => Object.fromEntries(new URL(c.url).searchParams))
    expect(queries).toEqual([
      {
        service: 'svc_1',
        'created[gte]': '2026-11-01T00:00:00.000Z',
        'created[lt]': '2026-12-01T00:00:00+03:00',
      },
      { status: 'expired', 'created[lt]': '1970-01-01T00:00:00.000Z' },
      { charge: 'ch_1' },
      { group_by: 'day', 'created[gte]': '2026-11-01T00:00:00Z' },
    ])
    expect(new URL(calls[3]?.url ?? '').pathname).toBe('/v1/reports/revenue')
  })

  it('sends no Idempotency-Key on GET and PATCH and keeps query parameters', async () => {
    const { protus, calls } = client([json(200, { data: [], has_more: false }), json(200, {})])
    await protus.holds.list({ account: 'acct_1', limit: 5, starting_after: undefined })
    await protus.services.update('svc_1', { active: false })
    expect(calls[0]?.url).toBe('https://protus.test/v1/holds?account=acct_1&limit=5')
    expect(calls.map((c) => c.headers['idempotency-key'])).toEqual([undefined, undefined])
    expect(calls[1]).toMatchObject({ method: 'PATCH', body: { active: false } })
  })
})

describe('backoff', () => {
  it('doubles up to the ceiling and stays within its upper half (jitter)', () => {
    const retry = { retries: 5, baseDelayMs: 100, maxDelayMs: 1000 }
    expect([0, 1, 2, 3, 4].map((n) => backoff(n, retry, () => 1))).toEqual([100, 200, 400, 800, 1000])
    expect([0, 1, 2, 3, 4].map((n) => backoff(n, retry, () => 0))).toEqual([50, 100, 200, 400, 500])
  })
})

describe('error mapping', () => {
  it('turns problem+json into ProtusError with code, status, detail, request id, field errors and extras', async () => {
    const { protus } = client([
      problem(400, 'validation_failed', { errors: [{ field: '/amount', message: 'must be >= 1' }] }),
      problem(403, 'insufficient_scope', { scope: 'charge' }),
    ])
    const invalid = await protus.charges.create({ account: 'acct_1', service: 'svc_1' }).catch((e) => e)
    expect(invalid).toMatchObject({
      name: 'ProtusError',
      code: 'validation_failed',
      status: 400,
      detail: 'detail of validation_failed',
      requestId: 'req_1',
      errors: [{ field: '/amount', message: 'must be >= 1' }],
    })
    const scope = await protus.charges.create({ account: 'acct_1', amount: 1 }).catch((e) => e)
    expect(isProtusError(scope, 'insufficient_scope')).toBe(true)
    expect(isProtusError(scope, 'insufficient_funds')).toBe(false)
    expect(scope.problem.scope).toBe('charge')
  })

  it('gives a code to answers that are not problems', async () => {
    const { protus } = client([new Response('<html>bad gateway</html>', { status: 502 }), json(200, {})], 0)
    await expect(protus.company.get()).rejects.toMatchObject({ code: 'service_unavailable', status: 502 })
    const { protus: p2 } = client([new Response('teapot', { status: 418 })], 0)
    await expect(p2.company.get()).rejects.toMatchObject({ code: 'unexpected_response', status: 418 })
  })

  it('refuses amounts that are not integer minor units before sending anything', async () => {
    const { protus, calls } = client([])
    await expect(async () => protus.charges.create({ account: 'acct_1', amount: 1.5 })).rejects.toThrow(
      TypeError,
    )
    await expect(async () => protus.refunds.create('ch_1', { amount: -1 })).rejects.toThrow(TypeError)
    expect(calls).toHaveLength(0)
  })
})

describe('requests', () => {
  it('authenticates with HTTP Basic client credentials, each part form-encoded', async () => {
    const fake = fakeFetch([json(200, {})])
    const protus = createProtusClient({
      baseUrl: 'https://protus.test',
      clientId: 'client id',
      clientSecret: 's:cret',
      fetch: fake.fetch,
    })
    await protus.company.get()
    const header = fake.calls[0]?.headers.authorization ?? ''
    expect(Buffer.from(header.replace('Basic ', ''), 'base64').toString()).toBe('client+id:s%3Acret')
  })

  it('derives the key of ensureAccount from the user, so a repeat is a replay and other details another key', async () => {
    const account = { id: 'acct_1', kind: 'managed' }
    const { protus, calls } = client([json(201, account), json(200, account), json(200, account)])
    await protus.ensureAccount({ externalId: 'user-7', email: 'a@example.com' })
    await protus.ensureAccount({ externalId: 'user-7', email: 'a@example.com' })
    await protus.accounts.ensure({ externalId: 'user-7', email: 'b@example.com' })
    const keys = calls.map((c) => c.headers['idempotency-key'])
    expect(keys[0]).toMatch(/^ensure-account-/)
    expect(keys[1]).toBe(keys[0])
    expect(keys[2]).not.toBe(keys[0])
    expect(calls[0]?.body).toEqual({ external_id: 'user-7', email: 'a@example.com' })
  })

  it("lists a managed account's top-ups under the account, a page at a time", async () => {
    const { protus, calls } = client([json(200, { data: [], has_more: false })])
    expect(await protus.accounts.listTopups('acct_1', { limit: 10 })).toEqual({ data: [], has_more: false })
    expect(calls[0]).toMatchObject({
      method: 'GET',
      url: 'https://protus.test/v1/accounts/acct_1/topups?limit=10',
    })
  })

  it('escapes ids in paths', async () => {
    const { protus, calls } = client([json(200, {})])
    await protus.charges.get('ch_1/../../company')
    expect(calls[0]?.url).toBe('https://protus.test/v1/charges/ch_1%2F..%2F..%2Fcompany')
  })
})

describe('subscriptions and the sandbox clock', () => {
  const subscription = { id: 'sub_1', object: 'subscription', status: 'active' }

  it('starts a subscription with an automatic Idempotency-Key that a retry after a lost answer reuses', async () => {
    const { protus, calls } = client([
      new TypeError('socket hang up'),
      json(201, subscription),
      json(201, subscription),
    ])
    const started = await protus.subscriptions.create({ account: 'acct_1', service: 'svc_pro', quantity: 2 })
    expect(started).toEqual(subscription)
    expect(calls.slice(0, 2).map((c) => [c.method, c.url])).toEqual([
      ['POST', 'https://protus.test/v1/subscriptions'],
      ['POST', 'https://protus.test/v1/subscriptions'],
    ])
    expect(calls[0]?.body).toEqual({ account: 'acct_1', service: 'svc_pro', quantity: 2 })
    const [first, retry] = calls.map((c) => c.headers['idempotency-key'])
    expect(first).toMatch(/^[0-9a-f-]{36}$/)
    expect(retry).toBe(first)
    await protus.subscriptions.create({ account: 'acct_1', service: 'svc_pro' }, { idempotencyKey: 'pro-u1' })
    expect(calls[2]?.headers['idempotency-key']).toBe('pro-u1')
  })

  it('does not retry a refused subscription', async () => {
    const { protus, calls } = client([problem(402, 'insufficient_funds'), json(201, subscription)])
    await expect(
      protus.subscriptions.create({ account: 'acct_1', service: 'svc_pro' }),
    ).rejects.toMatchObject({
      code: 'insufficient_funds',
      status: 402,
    })
    expect(calls).toHaveLength(1)
  })

  it('retrieves, lists with filters and cancels at period end by default or at once', async () => {
    const { protus, calls } = client([
      json(200, subscription),
      json(200, { data: [subscription], has_more: false }),
      json(200, subscription),
      json(200, subscription),
    ])
    await protus.subscriptions.retrieve('sub_1')
    await protus.subscriptions.list({ account: 'acct_1', status: 'past_due', service: 'svc_pro', limit: 5 })
    await protus.subscriptions.cancel('sub_1')
    await protus.subscriptions.cancel('sub_1', { at_period_end: false })
    expect(calls.map((c) => [c.method, c.url, c.body])).toEqual([
      ['GET', 'https://protus.test/v1/subscriptions/sub_1', undefined],
      [
        'GET',
        'https://protus.test/v1/subscriptions?account=acct_1&status=past_due&service=svc_pro&limit=5',
        undefined,
      ],
      ['POST', 'https://protus.test/v1/subscriptions/sub_1/cancel', {}],
      ['POST', 'https://protus.test/v1/subscriptions/sub_1/cancel', { at_period_end: false }],
    ])
  })

  it('reads and advances the sandbox clock, and refuses a non-integer advance before sending it', async () => {
    const { protus, calls } = client([
      json(200, { now: '2026-01-31T00:00:00.000Z' }),
      json(200, { now: '2026-02-28T00:00:00.000Z' }),
    ])
    expect(await protus.sandbox.clock()).toEqual({ now: '2026-01-31T00:00:00.000Z' })
    expect(await protus.sandbox.advanceClock(28 * 86_400)).toEqual({ now: '2026-02-28T00:00:00.000Z' })
    expect(calls.map((c) => [c.method, c.url, c.body])).toEqual([
      ['GET', 'https://protus.test/v1/sandbox/clock', undefined],
      ['POST', 'https://protus.test/v1/sandbox/clock', { advance_seconds: 2_419_200 }],
    ])
    expect(calls[1]?.headers['idempotency-key']).toBeUndefined()
    expect(() => protus.sandbox.advanceClock(1.5)).toThrow(TypeError)
    expect(() => protus.sandbox.advanceClock(0)).toThrow(TypeError)
    expect(calls).toHaveLength(2)
  })

  it('never sends a clock move twice, since a repeat would move the clock again', async () => {
    const { protus, calls } = client([new TypeError('socket hang up'), json(200, { now: 'later' })])
    await expect(protus.sandbox.advanceClock(60)).rejects.toMatchObject({ code: 'connection_failed' })
    expect(calls).toHaveLength(1)
  })
})

describe('lists, a page at a time or every item', () => {
  const page = (ids: string[], has_more: boolean) => json(200, { data: ids.map((id) => ({ id })), has_more })
  const queryOf = (call: Seen | undefined) => Object.fromEntries(new URL(call?.url ?? '').searchParams)

  it('iterates charges over three pages with the filters kept and starting_after the last id', async () => {
    const { protus, calls } = client([
      page(['ch_5', 'ch_4'], true),
      page(['ch_3', 'ch_2'], true),
      page(['ch_1'], false),
    ])
    const ids: string[] = []
    for await (const charge of protus.charges.list({
      service: 'svc_1',
      limit: 2,
      created: { gte: new Date(0) },
    })) {
      ids.push(charge.id)
    }
    expect(ids).toEqual(['ch_5', 'ch_4', 'ch_3', 'ch_2', 'ch_1'])
    const filters = { service: 'svc_1', limit: '2', 'created[gte]': '1970-01-01T00:00:00.000Z' }
    expect(calls.map(queryOf)).toEqual([
      filters,
      { ...filters, starting_after: 'ch_4' },
      { ...filters, starting_after: 'ch_2' },
    ])
    expect(calls.every((c) => new URL(c.url).pathname === '/v1/charges')).toBe(true)
  })

  it('stops fetching when the loop breaks after the first item', async () => {
    const { protus, calls } = client([page(['hold_2'], true), page(['hold_1'], false)])
    for await (const hold of protus.holds.list({ status: 'pending' })) {
      expect(hold.id).toBe('hold_2')
      break
    }
    expect(calls).toHaveLength(1)
  })

  it('rejects the iteration with the ProtusError of a refused second page', async () => {
    const { protus, calls } = client([page(['re_2'], true), problem(400, 'validation_failed')])
    const ids: string[] = []
    const iterating = (async () => {
      for await (const refund of protus.refunds.list({ charge: 'ch_1' })) ids.push(refund.id)
    })()
    await expect(iterating).rejects.toMatchObject({ name: 'ProtusError', code: 'validation_failed' })
    expect(ids).toEqual(['re_2'])
    expect(queryOf(calls[1])).toEqual({ charge: 'ch_1', starting_after: 're_2' })
  })

  it('collects at most the limit of autoPagingToArray', async () => {
    const { protus, calls } = client([page(['sub_3', 'sub_2'], true), page(['sub_1'], false)])
    const subscriptions = await protus.subscriptions
      .list({ status: 'active' })
      .autoPagingToArray({ limit: 2 })
    expect(subscriptions.map((s) => s.id)).toEqual(['sub_3', 'sub_2'])
    expect(calls).toHaveLength(1)
  })

  it('pages every list of the client after its last id', async () => {
    const lists: [string, (p: ReturnType<typeof client>['protus']) => AsyncIterable<{ id: string }>][] = [
      ['/v1/accounts', (p) => p.accounts.list()],
      ['/v1/accounts/acct_1/topups', (p) => p.accounts.listTopups('acct_1')],
      ['/v1/holds', (p) => p.holds.list()],
      ['/v1/charges', (p) => p.charges.list()],
      ['/v1/refunds', (p) => p.refunds.list()],
      ['/v1/services', (p) => p.services.list({ active: true })],
      ['/v1/subscriptions', (p) => p.subscriptions.list()],
      ['/v1/webhook-deliveries', (p) => p.webhookDeliveries.list({ status: 'failed' })],
      ['/v1/balance_transactions', (p) => p.balanceTransactions.list()],
      ['/v1/payouts', (p) => p.payouts.list()],
    ]
    for (const [pathname, list] of lists) {
      const { protus, calls } = client([page(['x_2'], true), page(['x_1'], false)])
      const ids: string[] = []
      for await (const item of list(protus)) ids.push(item.id)
      expect(ids, pathname).toEqual(['x_2', 'x_1'])
      expect(
        calls.map((c) => new URL(c.url).pathname),
        pathname,
      ).toEqual([pathname, pathname])
      expect(queryOf(calls[1]).starting_after, pathname).toBe('x_2')
    }
  })
})

describe('balance, balance transactions and payouts', () => {
  it('retrieves the balance, in one currency when asked', async () => {
    const balance = {
      object: 'balance',
      currency: 'RUB',
      available: 9_000,
      pending_payouts: 1_000,
      paid_out_total: 0,
    }
    const { protus, calls } = client([json(200, balance), json(200, balance)])
    expect(await protus.balance.retrieve()).toEqual(balance)
    await protus.balance.retrieve({ currency: 'RUB' })
    expect(calls.map((c) => [c.method, c.url])).toEqual([
      ['GET', 'https://protus.test/v1/balance'],
      ['GET', 'https://protus.test/v1/balance?currency=RUB'],
    ])
  })

  it('lists balance transactions by type, service, account and creation time', async () => {
    const { protus, calls } = client([json(200, { data: [], has_more: false })])
    await protus.balanceTransactions.list({
      type: 'payout',
      service: 'svc_1',
      account: 'acct_1',
      created: { gte: new Date('2026-11-01T00:00:00Z'), lt: '2026-12-01T00:00:00Z' },
      limit: 50,
      starting_after: 'txn_9',
    })
    expect(calls[0]?.method).toBe('GET')
    expect(new URL(calls[0]?.url ?? '').pathname).toBe('/v1/balance_transactions')
    expect(Object.fromEntries(new URL(calls[0]?.url ?? '').searchParams)).toEqual({
      type: 'payout',
      service: 'svc_1',
      account: 'acct_1',
      'created[gte]': '2026-11-01T00:00:00.000Z',
      'created[lt]': '2026-12-01T00:00:00Z',
      limit: '50',
      starting_after: 'txn_9',
    })
  })

  it('lists payouts by status and retrieves one', async () => {
    const payout = { id: 'po_1', object: 'payout', status: 'paid' }
    const { protus, calls } = client([json(200, { data: [payout], has_more: false }), json(200, payout)])
    expect((await protus.payouts.list({ status: 'paid', limit: 10 })).data).toEqual([payout])
    expect(await protus.payouts.retrieve('po_1')).toEqual(payout)
    expect(calls.map((c) => [c.method, c.url, c.headers['idempotency-key']])).toEqual([
      ['GET', 'https://protus.test/v1/payouts?status=paid&limit=10', undefined],
      ['GET', 'https://protus.test/v1/payouts/po_1', undefined],
    ])
  })
})
