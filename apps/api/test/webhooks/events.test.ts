import type { FastifyInstance } from 'fastify'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../support/app.js'
import { count } from '../support/http.js'
import { expectLedgerSound, fund, newKey, partnerWithAccount } from '../support/money.js'
import { authorizeUrl, consent, partnerClient, pkce, REDIRECT_URI, signedInPerson } from '../support/oauth.js'
import { type Receiver, setWebhookUrl, startReceiver, verify } from '../support/webhook-receiver.js'

let app: FastifyInstance
let receiver: Receiver

beforeAll(async () => {
  app = await buildTestApp({ PROTUS_WEBHOOK_ALLOW_PRIVATE: '1' })
  receiver = await startReceiver()
})
afterAll(async () => {
  await app.close()
  await receiver.stop()
})
afterEach(async () => {
  await expectLedgerSound(app)
})

describe('events about money', () => {
  it('reports a charge, a hold and its capture, a release and a refund, each verified with the partner’s secret', async () => {
    const partner = await partnerWithAccount(app, 10_000)
    await setWebhookUrl(app, partner.auth, receiver.url)
    const before = receiver.received.length

    const charge = (await partner.post('/v1/charges', { account: partner.account.id, amount: 700 })).json()
    const hold = (await partner.post('/v1/holds', { account: partner.account.id, amount: 2_000 })).json()
    const captured = (await partner.post(`/v1/holds/${hold.id}/capture`, { amount: 1_500 })).json()
    const other = (await partner.post('/v1/holds', { account: partner.account.id, amount: 300 })).json()
    await partner.post(`/v1/holds/${other.id}/release`)
    const refund = (await partner.post(`/v1/charges/${charge.id}/refunds`, { amount: 200 })).json()

    await app.services.webhookWorker.drain()
    const events = receiver.received
      .slice(before)
      .map((r) => ({ id: r.id, ...verify(partner.company.webhook_secret, r) }))
    const types = events.map((e) => e.type)
    expect(types.sort()).toEqual(
      [
        'account.created',
        'charge.succeeded',
        'hold.created',
        'hold.captured',
        'charge.succeeded',
        'hold.created',
        'hold.released',
        'charge.refunded',
      ].sort(),
    )
    const of = (type: string, id: string) => events.find((e) => e.type === type && e.data.id === id)
    expect(of('charge.succeeded', charge.id)?.data).toEqual(charge)
    expect(of('hold.created', hold.id)?.data).toMatchObject({ id: hold.id, status: 'pending', amount: 2_000 })
    expect(of('hold.captured', hold.id)?.data).toEqual(captured)
    expect(of('charge.succeeded', captured.charge.id)?.data).toMatchObject({
      amount: 1_500,
      hold: hold.id,
      account: partner.account.id,
    })
    expect(of('hold.released', other.id)?.data.status).toBe('released')
    expect(of('charge.refunded', refund.id)?.data).toEqual(refund)
    expect(of('account.created', partner.account.id)?.data.kind).toBe('managed')
    // Every event has its own id, carried in webhook-id; the timestamp is the event's.
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length)
    for (const event of events) expect(event.id).toMatch(/^evt_/)
    expect(Date.parse(events[0]?.timestamp ?? '')).toBeGreaterThan(Date.now() - 60_000)
  })

  it('reports nothing for a refused charge or a replayed request', async () => {
    const partner = await partnerWithAccount(app, 100)
    await setWebhookUrl(app, partner.auth, receiver.url)
    await app.services.webhookWorker.drain()
    const before = await count(app, 'webhook_deliveries')

    const refused = await partner.post('/v1/charges', { account: partner.account.id, amount: 5_000 })
    expect(refused.statusCode).toBe(402)
    const key = newKey()
    const first = await partner.post('/v1/charges', { account: partner.account.id, amount: 50 }, key)
    const replay = await partner.post('/v1/charges', { account: partner.account.id, amount: 50 }, key)
    expect(first.statusCode).toBe(201)
    expect(replay.json()).toEqual(first.json())

    expect(await count(app, 'webhook_deliveries')).toBe(before + 1)
  })

  it('writes no event when the transaction of its change rolls back', async () => {
    const before = await count(app, 'webhook_deliveries')
    await expect(
      app.db.transaction(async (tx) => {
        await app.services.events.emit(tx, [{ companyId: 'co_x', type: 'ping', data: {} }])
        throw new Error('the change failed')
      }),
    ).rejects.toThrow('the change failed')
    expect(await count(app, 'webhook_deliveries')).toBe(before)
  })

  it('tells a partner of top-ups of its managed accounts only', async () => {
    const partner = await partnerWithAccount(app, 0)
    await setWebhookUrl(app, partner.auth, receiver.url)
    await app.services.webhookWorker.drain()
    const before = receiver.received.length
    const link = await partner.post(`/v1/accounts/${partner.account.id}/topups`, { amount: 900 })
    expect(link.statusCode, link.body).toBe(201)
    const topup = link.json()
    // The user pays on the sandbox checkout page.
    const paid = await app.inject({
      method: 'POST',
      url: new URL(topup.checkout_url).pathname,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'outcome=succeeded',
    })
    expect(paid.statusCode, paid.body).toBeLessThan(400)

    await app.services.webhookWorker.drain()
    const events = receiver.received.slice(before).map((r) => verify(partner.company.webhook_secret, r))
    expect(events).toHaveLength(1)
    expect(events[0]?.type).toBe('wallet.topped_up')
    expect(events[0]?.data).toMatchObject({
      id: topup.id,
      account: partner.account.id,
      amount: 900,
      status: 'succeeded',
    })
  })
})

describe('events about access', () => {
  it('reports the account and grant a person creates at consent, and the revoke', async () => {
    const partner = await partnerClient(app)
    await setWebhookUrl(app, partner.auth, receiver.url)
    await app.services.webhookWorker.drain()
    const before = receiver.received.length
    const person = await signedInPerson(app)
    await fund(app, person.customer.id, 1_000)

    const { challenge } = pkce()
    const url = authorizeUrl({
      response_type: 'code',
      client_id: partner.clientId,
      redirect_uri: REDIRECT_URI,
      scope: 'check charge',
      state: 'xyz',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    })
    await consent(app, person.session.headers, url, { allow: true, scopes: ['check', 'charge'] })
    const revoked = await app.inject({
      method: 'DELETE',
      url: `/v1/me/grants/${partner.clientId}`,
      headers: person.session.headers,
    })
    expect(revoked.statusCode, revoked.body).toBe(204)

    await app.services.webhookWorker.drain()
    // Deliveries run concurrently, so they may arrive in any order.
    const events = receiver.received.slice(before).map((r) => verify(partner.company.webhook_secret, r))
    const byType = new Map(events.map((e) => [e.type, e]))
    expect([...byType.keys()].sort()).toEqual(['account.created', 'grant.created', 'grant.revoked'])
    expect(events).toHaveLength(3)
    const accountId = byType.get('account.created')?.data.id
    expect(accountId).toMatch(/^acct_/)
    expect(byType.get('account.created')?.data).toMatchObject({ kind: 'protus', scopes: ['check', 'charge'] })
    expect(byType.get('grant.created')?.data).toMatchObject({
      object: 'grant',
      account: accountId,
      scopes: ['check', 'charge'],
    })
    const revoke = byType.get('grant.revoked')
    expect(revoke?.data).toMatchObject({ object: 'grant', account: accountId })
    expect(Date.parse(revoke?.data.revoked_at)).toBeGreaterThanOrEqual(Date.parse(revoke?.timestamp ?? ''))
    // A second revocation of the same grant (a reused token found later) tells the partner nothing new.
    await app.db.transaction((tx) => app.services.accounts.revokeGrant(tx, accountId, ['check', 'charge']))
    const revokes = await app.inject({
      method: 'GET',
      url: '/v1/webhook-deliveries?type=grant.revoked',
      headers: { authorization: partner.auth },
    })
    expect(revokes.json().data).toHaveLength(1)
    // The person's wallet is never named to the partner.
    expect(JSON.stringify(events)).not.toContain(person.customer.id)
  })
})
