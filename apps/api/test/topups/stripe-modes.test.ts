import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeStripe, startFakeStripe } from '../support/fake-stripe.js'
import { count, expectProblem } from '../support/http.js'
import { expectLedgerSound, partnerWithAccount } from '../support/money.js'
import { type Receiver, startReceiver, verify } from '../support/webhook-receiver.js'
import { buildSandboxApp, openTopup, person, postTopup, type Topup, walletOf } from './sandbox.js'
import { buildStripeApp, comeBack, deliver, PUBLIC_URL, sessionEvent, sessionOf, topupRow } from './stripe.js'

let stripe: FakeStripe
beforeAll(async () => {
  stripe = await startFakeStripe()
})
afterAll(async () => {
  await stripe.stop()
})

type Partner = Awaited<ReturnType<typeof partnerWithAccount>>

async function setCompany(app: FastifyInstance, p: Partner, payload: object) {
  const res = await app.inject({
    method: 'PATCH',
    url: '/v1/company',
    headers: { authorization: p.auth },
    payload,
  })
  expect(res.statusCode, res.body).toBe(200)
}

const balanceOf = async (p: Partner) =>
  (await p.get(`/v1/accounts/${p.account.id}/balance`)).json() as { available: number; held: number }

describe("a managed account's top-up through Stripe", () => {
  let app: FastifyInstance
  let receiver: Receiver
  beforeAll(async () => {
    app = await buildStripeApp(stripe, { PROTUS_WEBHOOK_ALLOW_PRIVATE: '1' })
    receiver = await startReceiver()
  })
  afterAll(async () => {
    await expectLedgerSound(app)
    await app.close()
    await receiver.stop()
  })

  it('credits the account once and tells the partner wallet.topped_up; the user goes back to return_url', async () => {
    const p = await partnerWithAccount(app, 0)
    await setCompany(app, p, {
      webhook_url: receiver.url,
      redirect_uris: ['https://messages.example/auth/protus/callback'],
    })
    await app.services.webhookWorker.drain()
    const before = receiver.received.length
    const res = await p.post(`/v1/accounts/${p.account.id}/topups`, {
      amount: 2_500,
      return_url: 'https://messages.example/account?paid=1',
    })
    expect(res.statusCode, res.body).toBe(201)
    const topup = res.json() as Topup & { account: string }
    expect(topup.account).toBe(p.account.id)
    const paid = stripe.pay(sessionOf(stripe, topup).id)
    const [event, back] = await Promise.all([
      deliver(app, sessionEvent(stripe, 'checkout.session.completed', paid)),
      comeBack(app, paid),
    ])
    expect(event.statusCode, event.body).toBe(200)
    expect(back.statusCode).toBe(303)
    expect(back.headers.location).toBe('https://messages.example/account?paid=1')
    expect(await balanceOf(p)).toMatchObject({ available: 2_500, held: 0 })
    await expectLedgerSound(app)

    await app.services.webhookWorker.drain()
    const events = receiver.received.slice(before).map((r) => verify(p.company.webhook_secret, r))
    expect(events.map((e) => e.type)).toEqual(['wallet.topped_up'])
    expect(events[0]?.data).toMatchObject({
      id: topup.id,
      account: p.account.id,
      amount: 2_500,
      status: 'succeeded',
    })
  })

  it('shows the result on a PROTUS page when the partner gave no return_url', async () => {
    const p = await partnerWithAccount(app, 0)
    const res = await p.post(`/v1/accounts/${p.account.id}/topups`, { amount: 1_500 })
    const paid = stripe.pay(sessionOf(stripe, res.json() as Topup).id)
    const back = await comeBack(app, paid)
    expect(back.statusCode).toBe(200)
    expect(back.headers['content-type']).toMatch(/^text\/html/)
    expect(back.body).toContain('Payment received')
    expect(back.body).not.toContain('<a href')
    expect(await balanceOf(p)).toMatchObject({ available: 1_500 })
    await expectLedgerSound(app)
  })
})

describe('top-ups in live mode', () => {
  it('answers 503 topups_unavailable on both endpoints without a provider, and writes nothing', async () => {
    const app = await buildSandboxApp({ PROTUS_MODE: 'live' })
    try {
      const me = await person(app)
      const p = await partnerWithAccount(app, 0)
      const tables = ['topups_payments', 'idempotency_keys']
      const before = await Promise.all(tables.map((t) => count(app, t)))
      expectProblem(await postTopup(app, me, { amount: 500 }), 503, 'topups_unavailable')
      expectProblem(
        await p.post(`/v1/accounts/${p.account.id}/topups`, { amount: 500 }),
        503,
        'topups_unavailable',
      )
      expect(await Promise.all(tables.map((t) => count(app, t)))).toEqual(before)
      // Bad input is still told apart first.
      expectProblem(await postTopup(app, me, { amount: 0 }), 400, 'validation_failed')
      expect((await app.inject({ method: 'GET', url: '/v1/status' })).json()).toMatchObject({
        topups_available: false,
      })
      expect(app.printRoutes()).not.toContain('sandbox')
      expect(app.services.providers.sandbox).toBeUndefined()
      expect(
        (await app.inject({ method: 'POST', url: '/v1/providers/stripe/webhook', payload: {} })).statusCode,
      ).toBe(404)
      expect(await walletOf(app, me)).toMatchObject({ available: 0 })
    } finally {
      await app.close()
    }
  })

  it('sends top-ups to Stripe when it is configured, with no sandbox checkout anywhere', async () => {
    const app = await buildStripeApp(stripe, { PROTUS_MODE: 'live' })
    try {
      expect((await app.inject({ method: 'GET', url: '/v1/status' })).json()).toMatchObject({
        mode: 'live',
        topups_available: true,
      })
      expect(app.printRoutes()).not.toContain('sandbox')
      expect(app.services.providers.sandbox).toBeUndefined()
      const me = await person(app)
      const topup = await openTopup(app, me, 12_000)
      expect(topup.checkout_url).toBe(sessionOf(stripe, topup).url)
      expect(topup.checkout_url).not.toContain(PUBLIC_URL)
      expect((await topupRow(app, topup.id))?.provider).toBe('stripe')
      const paid = stripe.pay(sessionOf(stripe, topup).id)
      expect(
        (await deliver(app, sessionEvent(stripe, 'checkout.session.completed', paid))).json(),
      ).toMatchObject({
        status: 'succeeded',
        changed: true,
      })
      expect(await walletOf(app, me)).toMatchObject({ available: 12_000, posted: 12_000 })
      await expectLedgerSound(app)
    } finally {
      await app.close()
    }
  })
})

describe('top-ups in sandbox mode without Stripe', () => {
  it('still go to the sandbox provider, and the Stripe webhook does not exist', async () => {
    const app = await buildSandboxApp()
    try {
      const me = await person(app)
      const topup = await openTopup(app, me, 100)
      expect(topup.checkout_url).toContain('/sandbox/checkout/sbx_')
      expect(
        (await app.inject({ method: 'POST', url: '/v1/providers/stripe/webhook', payload: {} })).statusCode,
      ).toBe(404)
    } finally {
      await app.close()
    }
  })
})
