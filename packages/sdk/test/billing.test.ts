import { beforeAll, describe, expect, it } from 'vitest'
import { createProtusClient, type ProtusClient } from '../src/client.js'
import { ProtusError } from '../src/errors.js'
import { refusal } from './support/fixtures.js'
import { companyWithDashboard, payCheckout, registerCompany, requestPayout } from './support/people.js'
import { protusServer } from './support/server.js'

const server = protusServer()
let protus: ProtusClient
let credentials: Awaited<ReturnType<typeof registerCompany>>

beforeAll(async () => {
  credentials = await registerCompany(server.baseUrl)
  protus = createProtusClient({ baseUrl: server.baseUrl, ...credentials, retries: { baseDelayMs: 10 } })
})

const refused = (call: Promise<unknown>) => refusal(call, ProtusError)

let users = 0
/** A direct user with a managed account funded through its top-up link. */
async function fundedAccount(amount: number) {
  const account = await protus.ensureAccount({
    externalId: `user-${++users}`,
    email: `u${users}@example.com`,
  })
  const topup = await protus.accounts.createTopup(account.id, { amount })
  expect(topup).toMatchObject({
    status: 'pending',
    amount,
    checkout_url: expect.stringContaining('/sandbox/checkout/'),
  })
  await payCheckout(topup.checkout_url as string)
  expect(await protus.accounts.balance(account.id)).toMatchObject({ available: amount, held: 0 })
  return account
}

describe('managed accounts', () => {
  it('opens one account per external id, however often it is ensured', async () => {
    const first = await protus.ensureAccount({
      externalId: 'ext-once',
      email: 'once@example.com',
      username: 'once',
    })
    const again = await protus.ensureAccount({
      externalId: 'ext-once',
      email: 'once@example.com',
      username: 'once',
    })
    const changed = await protus.accounts.ensure({ externalId: 'ext-once', email: 'other@example.com' })
    expect(first).toMatchObject({
      id: expect.stringMatching(/^acct_/),
      kind: 'managed',
      external_id: 'ext-once',
      scopes: ['check', 'hold', 'charge'],
    })
    expect(again.id).toBe(first.id)
    expect(changed.id).toBe(first.id)
    expect((await protus.accounts.get(first.id)).email).toBe('once@example.com')
    const listed = await protus.accounts.list({ limit: 100 })
    expect(listed.data.filter((a) => a.external_id === 'ext-once')).toHaveLength(1)
  })
})

describe('money', () => {
  it('holds, captures part, releases, charges and refunds, and the balance adds up after each', async () => {
    const account = await fundedAccount(10_000)
    const hold = await protus.holds.create({ account: account.id, amount: 3_000, description: 'campaign' })
    expect(hold).toMatchObject({ status: 'pending', amount: 3_000 })
    expect(await protus.accounts.balance(account.id)).toMatchObject({ available: 7_000, held: 3_000 })

    const captured = await protus.holds.capture(hold.id, { amount: 2_000 })
    expect(captured).toMatchObject({ status: 'captured', captured_amount: 2_000, charge: { amount: 2_000 } })
    expect(await protus.accounts.balance(account.id)).toMatchObject({ available: 8_000, held: 0 })

    const spare = await protus.holds.create({ account: account.id, amount: 1_000 })
    expect((await protus.holds.release(spare.id)).status).toBe('released')
    expect(await protus.accounts.balance(account.id)).toMatchObject({ available: 8_000, held: 0 })

    const charge = await protus.charges.create({
      account: account.id,
      amount: 1_500,
      metadata: { order: '42' },
    })
    expect(charge).toMatchObject({ status: 'succeeded', amount: 1_500, metadata: { order: '42' } })
    const refund = await protus.refunds.create(charge.id, { amount: 500 })
    expect(refund).toMatchObject({ object: 'refund', charge: charge.id, amount: 500 })
    const balance = await protus.accounts.balance(account.id)
    // 10000 topped up − 2000 captured − 1500 charged + 500 refunded.
    expect(balance).toMatchObject({ available: 7_000, held: 0 })
    expect(await protus.accounts.get(account.id)).toMatchObject({ spent: 3_000, refunded: 500, held: 0 })

    expect((await protus.charges.get(charge.id)).amount_refunded).toBe(500)
    const charges = await protus.charges.list({ account: account.id })
    expect(charges.data.map((c) => c.id).sort()).toEqual([charge.id, captured.charge?.id].sort())
    expect((await protus.refunds.list({ account: account.id })).data.map((r) => r.id)).toEqual([refund.id])
    expect((await protus.holds.list({ account: account.id })).data.map((h) => h.status).sort()).toEqual([
      'captured',
      'released',
    ])
    expect((await protus.holds.get(hold.id)).status).toBe('captured')
  })

  it('charges a service of the catalogue by quantity, and refuses an archived one', async () => {
    const account = await fundedAccount(5_000)
    const service = await protus.services.create({ name: 'Client', price: 700 })
    expect((await protus.services.get(service.id)).price).toBe(700)
    const charge = await protus.charges.create({ account: account.id, service: service.id, quantity: 3 })
    expect(charge).toMatchObject({ amount: 2_100, service: service.id, quantity: 3 })
    expect(await protus.accounts.balance(account.id)).toMatchObject({ available: 2_900 })

    await protus.services.update(service.id, { active: false })
    const error = await refused(protus.charges.create({ account: account.id, service: service.id }))
    expect(error).toMatchObject({ code: 'service_inactive', status: 422 })
    expect((await protus.services.list({ active: false })).data.map((s) => s.id)).toContain(service.id)
    expect(await protus.accounts.balance(account.id)).toMatchObject({ available: 2_900 })
  })
})

describe('auto-pagination', () => {
  it('iterates every charge of an account across pages of two, newest first, and stops at the limit asked', async () => {
    const account = await fundedAccount(5_000)
    const created: string[] = []
    for (const amount of [100, 200, 300, 400, 500]) {
      created.push((await protus.charges.create({ account: account.id, amount })).id)
    }
    const iterated: string[] = []
    for await (const charge of protus.charges.list({ account: account.id, limit: 2 })) {
      iterated.push(charge.id)
    }
    expect(iterated).toEqual(created.reverse())
    const first = await protus.charges.list({ account: account.id, limit: 2 })
    expect(first).toMatchObject({ has_more: true, data: [{ id: iterated[0] }, { id: iterated[1] }] })
    const three = await protus.charges.list({ account: account.id, limit: 2 }).autoPagingToArray({ limit: 3 })
    expect(three.map((c) => c.id)).toEqual(iterated.slice(0, 3))
  })
})

describe('balance, balance transactions and payouts', () => {
  it('shows what a company earned, every movement of it and a payout asked for in the dashboard, adding up', async () => {
    const { credentials: payee, dashboard } = await companyWithDashboard(server.baseUrl)
    const earner = createProtusClient({ baseUrl: server.baseUrl, ...payee, retries: { baseDelayMs: 10 } })
    const account = await earner.ensureAccount({ externalId: 'payer' })
    await payCheckout(
      (await earner.accounts.createTopup(account.id, { amount: 10_000 })).checkout_url as string,
    )
    const first = await earner.charges.create({ account: account.id, amount: 3_000 })
    const second = await earner.charges.create({ account: account.id, amount: 2_000 })
    const refund = await earner.refunds.create(first.id, { amount: 500 })
    expect(await earner.balance.retrieve()).toEqual({
      object: 'balance',
      currency: 'RUB',
      available: 4_500,
      pending_payouts: 0,
      paid_out_total: 0,
    })

    const payout = await requestPayout(dashboard, 1_000)
    const balance = await earner.balance.retrieve({ currency: 'RUB' })
    expect(balance).toMatchObject({ available: 3_500, pending_payouts: 1_000, paid_out_total: 0 })

    const movements = await earner.balanceTransactions.list({ limit: 1 }).autoPagingToArray({ limit: 100 })
    expect(movements.map((t) => [t.type, t.source, t.amount]).sort()).toEqual(
      [
        ['charge', first.id, 3_000],
        ['charge', second.id, 2_000],
        ['payout', payout.id, -1_000],
        ['refund', refund.id, -500],
      ].sort(),
    )
    // A payout leaves the available balance when it is asked for, so the movements add up to it.
    expect(movements.reduce((sum, t) => sum + t.amount, 0)).toBe(balance.available)
    const refunds = await earner.balanceTransactions.list({ type: 'refund', account: account.id })
    expect(refunds).toMatchObject({ has_more: false, data: [{ source: refund.id, service: null }] })

    expect(await earner.payouts.retrieve(payout.id)).toMatchObject({
      id: payout.id,
      object: 'payout',
      amount: 1_000,
      status: 'pending',
    })
    const pending: string[] = []
    for await (const p of earner.payouts.list({ status: 'pending' })) pending.push(p.id)
    expect(pending).toEqual([payout.id])
    expect((await earner.payouts.list({ status: 'paid' })).data).toEqual([])
    expect(await refused(protus.payouts.retrieve(payout.id))).toMatchObject({
      code: 'not_found',
      status: 404,
    })
  })
})

describe('idempotency', () => {
  it('replays a repeated key and charges once', async () => {
    const account = await fundedAccount(3_000)
    const key = `order-${account.id}`
    const first = await protus.charges.create({ account: account.id, amount: 1_000 }, { idempotencyKey: key })
    const again = await protus.charges.create({ account: account.id, amount: 1_000 }, { idempotencyKey: key })
    expect(again).toEqual(first)
    expect(await protus.accounts.balance(account.id)).toMatchObject({ available: 2_000 })
    const reused = await refused(
      protus.charges.create({ account: account.id, amount: 999 }, { idempotencyKey: key }),
    )
    expect(reused).toMatchObject({ code: 'idempotency_key_reused', status: 422 })
    expect(await protus.accounts.balance(account.id)).toMatchObject({ available: 2_000 })
  })

  it('retries a charge whose answer was lost with the same key, so it is applied once', async () => {
    const account = await fundedAccount(3_000)
    let dropped = 0
    const lossy = createProtusClient({
      baseUrl: server.baseUrl,
      ...credentials,
      retries: { baseDelayMs: 10 },
      fetch: async (input, init) => {
        const res = await fetch(input, init)
        // The server did the work; the answer is lost on the way back, as on a cut connection.
        if (init?.method === 'POST' && dropped++ === 0) throw new TypeError('socket hang up')
        return res
      },
    })
    const charge = await lossy.charges.create({ account: account.id, amount: 1_200 })
    expect(dropped).toBe(2)
    expect(await protus.accounts.balance(account.id)).toMatchObject({ available: 1_800 })
    expect((await protus.charges.list({ account: account.id })).data.map((c) => c.id)).toEqual([charge.id])
  })
})

describe('refusals as ProtusError', () => {
  it('maps the server’s problems to codes with their details', async () => {
    const account = await fundedAccount(1_000)

    const poor = await refused(protus.charges.create({ account: account.id, amount: 1_001 }))
    expect(poor).toMatchObject({ code: 'insufficient_funds', status: 402, requestId: expect.any(String) })

    const hold = await protus.holds.create({ account: account.id, amount: 400 })
    const tooMuch = await refused(protus.holds.capture(hold.id, { amount: 401 }))
    expect(tooMuch).toMatchObject({ code: 'capture_exceeds_hold', status: 422 })
    await protus.holds.release(hold.id)
    const released = await refused(protus.holds.capture(hold.id))
    expect(released).toMatchObject({ code: 'hold_not_pending', status: 409 })
    expect(released.problem?.hold_status).toBe('released')

    const charge = await protus.charges.create({ account: account.id, amount: 300 })
    const over = await refused(protus.refunds.create(charge.id, { amount: 301 }))
    expect(over).toMatchObject({ code: 'refund_exceeds_charge', status: 422 })
    expect(over.problem?.refundable).toBe(300)

    expect(await refused(protus.charges.get('ch_00000000000000000000000000'))).toMatchObject({
      code: 'not_found',
      status: 404,
    })
    const invalid = await refused(
      protus.holds.create({ account: account.id, amount: 100, expires_in: 5 } as never),
    )
    expect(invalid).toMatchObject({ code: 'validation_failed', status: 400 })
    expect(invalid.errors.map((e) => e.field)).toContain('/expires_in')

    const stranger = createProtusClient({
      baseUrl: server.baseUrl,
      clientId: credentials.clientId,
      clientSecret: 'sk_wrong',
    })
    expect(await refused(stranger.company.get())).toMatchObject({
      code: 'invalid_client_credentials',
      status: 401,
    })

    // Everything refused left the balance as the two successes made it: 1000 − 300.
    expect(await protus.accounts.balance(account.id)).toMatchObject({ available: 700, held: 0 })
  })
})

describe('company', () => {
  it('reads and updates the company settings', async () => {
    const updated = await protus.company.update({ redirect_uris: ['http://127.0.0.1:9/cb'] })
    expect(updated.redirect_uris).toEqual(['http://127.0.0.1:9/cb'])
    expect(await protus.company.get()).toMatchObject({ id: credentials.id, client_id: credentials.clientId })
  })
})
