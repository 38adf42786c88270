import type { FastifyInstance } from 'fastify'
import Stripe from 'stripe'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type FakeStripe, startFakeStripe } from '../support/fake-stripe.js'
import { count, expectProblem, type Signed } from '../support/http.js'
import { expectLedgerSound, newKey } from '../support/money.js'
import { openTopup, person, postTopup, type Topup, walletOf } from './sandbox.js'
import { buildStripeApp, comeBack, deliver, PUBLIC_URL, sessionEvent, sessionOf, topupRow } from './stripe.js'

let stripe: FakeStripe
let app: FastifyInstance
beforeAll(async () => {
  stripe = await startFakeStripe()
  app = await buildStripeApp(stripe)
})
afterEach(() => stripe.setDown(false))
afterAll(async () => {
  await expectLedgerSound(app)
  await app.close()
  await stripe.stop()
})

async function statement(who: Signed) {
  const res = await app.inject({ method: 'GET', url: '/v1/me/entries', headers: { cookie: who.cookie } })
  expect(res.statusCode, res.body).toBe(200)
  return (res.json().data as { id: string; kind: string; amount: number }[]).filter(
    (e) => e.kind === 'top_up',
  )
}

const getTopup = (who: Signed, topup: Topup) =>
  app.inject({ method: 'GET', url: `/v1/me/topups/${topup.id}`, headers: { cookie: who.cookie } })

/** A person with a pending Stripe top-up of `amount`. */
async function opened(amount: number) {
  const me = await person(app)
  return { me, topup: await openTopup(app, me, amount) }
}

/** The person sees the top-up ended, as the wallet's polling would. */
async function expectEnded(who: Signed, topup: Topup, status: 'succeeded' | 'failed') {
  expect((await getTopup(who, topup)).json()).toMatchObject({ status, completed_at: expect.any(String) })
}

/** Money in: exactly `amount` was credited, once, and the ledger holds together. */
async function expectCreditedOnce(who: Signed, topup: Topup, amount: number) {
  expect(await walletOf(app, who)).toMatchObject({ available: amount, posted: amount, held: 0 })
  expect(await statement(who)).toEqual(
    amount === 0 ? [] : [expect.objectContaining({ id: topup.id, kind: 'top_up', amount })],
  )
  await expectLedgerSound(app)
}

describe('a top-up through Stripe Checkout (sandbox mode with Stripe test keys)', () => {
  it('opens a Checkout Session for the amount in the wallet currency and answers its URL', async () => {
    const { topup } = await opened(150_000)
    const session = sessionOf(stripe, topup)
    expect(topup).toMatchObject({ status: 'pending', amount: 150_000, currency: 'RUB' })
    expect(topup.checkout_url).toBe(session.url)
    expect(topup.checkout_url).not.toContain('/sandbox/')
    const request = stripe.created.find((c) => c.params.client_reference_id === topup.id)
    expect(request?.idempotencyKey).toBe(topup.id)
    expect(request?.params).toMatchObject({
      mode: 'payment',
      client_reference_id: topup.id,
      'metadata[protus_topup_id]': topup.id,
      'line_items[0][quantity]': '1',
      'line_items[0][price_data][currency]': 'rub',
      'line_items[0][price_data][unit_amount]': '150000',
      success_url: `${PUBLIC_URL}/v1/topups/${topup.id}/return`,
      cancel_url: `${PUBLIC_URL}/v1/topups/${topup.id}/return`,
    })
    expect(await topupRow(app, topup.id)).toEqual({
      status: 'pending',
      provider: 'stripe',
      provider_payment_id: session.id,
    })
  })

  it('credits the wallet once when Stripe reports the session completed and paid', async () => {
    const { me, topup } = await opened(4_200)
    const paid = stripe.pay(sessionOf(stripe, topup).id)
    const res = await deliver(app, sessionEvent(stripe, 'checkout.session.completed', paid))
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toEqual({ received: true, topup: topup.id, status: 'succeeded', changed: true })
    await expectEnded(me, topup, 'succeeded')
    await expectCreditedOnce(me, topup, 4_200)
  })

  it('credits once when the same event is delivered again and another event says the same', async () => {
    const { me, topup } = await opened(3_000)
    const paid = stripe.pay(sessionOf(stripe, topup).id)
    const event = sessionEvent(stripe, 'checkout.session.completed', paid)
    expect((await deliver(app, event)).json()).toMatchObject({ changed: true })
    for (const again of [
      event,
      event,
      sessionEvent(stripe, 'checkout.session.async_payment_succeeded', paid),
    ]) {
      const res = await deliver(app, again)
      expect(res.statusCode).toBe(200)
      expect(res.json()).toMatchObject({ topup: topup.id, status: 'succeeded', changed: false })
    }
    // Once paid, an expiry (or any later event) changes nothing either.
    expect((await deliver(app, sessionEvent(stripe, 'checkout.session.expired', paid))).json()).toMatchObject(
      {
        status: 'succeeded',
        changed: false,
      },
    )
    await expectCreditedOnce(me, topup, 3_000)
  })

  it('credits on the return to PROTUS when the webhook is lost, and a late webhook changes nothing', async () => {
    const { me, topup } = await opened(9_900)
    const paid = stripe.pay(sessionOf(stripe, topup).id)
    const back = await comeBack(app, paid)
    expect(back.statusCode).toBe(303)
    expect(back.headers.location).toBe(`${PUBLIC_URL}/wallet?topup=${topup.id}`)
    await expectCreditedOnce(me, topup, 9_900)
    const late = await deliver(app, sessionEvent(stripe, 'checkout.session.completed', paid))
    expect(late.json()).toMatchObject({ status: 'succeeded', changed: false })
    expect((await comeBack(app, paid)).statusCode).toBe(303)
    await expectCreditedOnce(me, topup, 9_900)
  })

  it('settles a pending top-up when the wallet asks after it, with one question to Stripe per look', async () => {
    const { me, topup } = await opened(1_234)
    const session = sessionOf(stripe, topup)
    const asked = () => stripe.retrieved.filter((id) => id === session.id).length
    expect((await getTopup(me, topup)).json()).toMatchObject({ status: 'pending' })
    expect(asked()).toBe(1)
    stripe.pay(session.id)
    expect((await getTopup(me, topup)).json()).toMatchObject({ status: 'succeeded' })
    expect(asked()).toBe(2)
    // Settled: Stripe is not asked again.
    expect((await getTopup(me, topup)).json()).toMatchObject({ status: 'succeeded' })
    expect(asked()).toBe(2)
    await expectCreditedOnce(me, topup, 1_234)
  })

  it('credits once when webhooks, returns and looks race', async () => {
    const me = await person(app)
    const topups: Topup[] = []
    for (let i = 0; i < 3; i++) topups.push(await openTopup(app, me, 1_000))
    const answers = await Promise.all(
      topups.flatMap((topup) => {
        const paid = stripe.pay(sessionOf(stripe, topup).id)
        const event = sessionEvent(stripe, 'checkout.session.completed', paid)
        return [
          deliver(app, event),
          comeBack(app, paid),
          deliver(app, event),
          comeBack(app, paid, 'cancel_url'),
          getTopup(me, topup),
        ]
      }),
    )
    expect(answers.map((a) => a.statusCode).sort()).toEqual(
      [...Array(9).fill(200), ...Array(6).fill(303)].sort(),
    )
    for (const topup of topups) {
      expect((await topupRow(app, topup.id))?.status).toBe('succeeded')
      const changed = answers.filter(
        (a) => a.statusCode === 200 && a.json().topup === topup.id && a.json().changed,
      )
      expect(changed.length).toBeLessThanOrEqual(1)
    }
    expect(await walletOf(app, me)).toMatchObject({ available: 3_000, posted: 3_000 })
    expect((await statement(me)).map((e) => e.id).sort()).toEqual(topups.map((t) => t.id).sort())
    await expectLedgerSound(app)
  })

  it('refuses a bad signature with 400 webhook_signature_invalid and changes nothing', async () => {
    const { me, topup } = await opened(5_000)
    const paid = stripe.pay(sessionOf(stripe, topup).id)
    const good = sessionEvent(stripe, 'checkout.session.completed', paid)
    const otherSecret = stripe.event('checkout.session.completed', paid, 'whsec_someone_else')
    const old = Stripe.webhooks.generateTestHeaderString({
      payload: good.payload,
      secret: stripe.env().PROTUS_STRIPE_WEBHOOK_SECRET as string,
      timestamp: Math.floor(Date.now() / 1000) - 3600,
    })
    for (const forged of [
      { payload: good.payload },
      { payload: good.payload, signature: '' },
      { payload: good.payload, signature: 't=1,v1=deadbeef' },
      { payload: good.payload, signature: otherSecret.signature },
      { payload: good.payload, signature: old },
      { payload: good.payload.replace('"paid"', '"unpaid"'), signature: good.signature },
      { payload: '', signature: good.signature },
    ]) {
      expectProblem(await deliver(app, forged), 400, 'webhook_signature_invalid')
    }
    expect((await topupRow(app, topup.id))?.status).toBe('pending')
    await expectCreditedOnce(me, topup, 0)
  })

  it('marks the top-up failed when the session expires, crediting nothing', async () => {
    const { me, topup } = await opened(7_000)
    const expired = stripe.expire(sessionOf(stripe, topup).id)
    const res = await deliver(app, sessionEvent(stripe, 'checkout.session.expired', expired))
    expect(res.json()).toEqual({ received: true, topup: topup.id, status: 'failed', changed: true })
    // A payment reported afterwards cannot revive it.
    const late = await deliver(
      app,
      sessionEvent(stripe, 'checkout.session.completed', { ...expired, payment_status: 'paid' }),
    )
    expect(late.json()).toMatchObject({ status: 'failed', changed: false })
    await expectEnded(me, topup, 'failed')
    await expectCreditedOnce(me, topup, 0)
  })

  it('marks an expired session failed on the return too, and sends the person back to the wallet', async () => {
    const { me, topup } = await opened(700)
    const expired = stripe.expire(sessionOf(stripe, topup).id)
    const back = await comeBack(app, expired, 'cancel_url')
    expect(back.headers.location).toBe(`${PUBLIC_URL}/wallet?topup=${topup.id}`)
    expect((await topupRow(app, topup.id))?.status).toBe('failed')
    await expectCreditedOnce(me, topup, 0)
  })

  it('waits for an async payment: credited when it succeeds, failed when it fails', async () => {
    const me = await person(app)
    const good = await openTopup(app, me, 2_000)
    const bad = await openTopup(app, me, 3_000)
    for (const topup of [good, bad]) {
      const processing = stripe.pay(sessionOf(stripe, topup).id, { async: true })
      const res = await deliver(app, sessionEvent(stripe, 'checkout.session.completed', processing))
      expect(res.json()).toEqual({ received: true })
      expect((await comeBack(app, processing)).statusCode).toBe(303)
      expect((await topupRow(app, topup.id))?.status).toBe('pending')
    }
    const succeeded = stripe.settleAsync(sessionOf(stripe, good).id, true)
    const failed = stripe.settleAsync(sessionOf(stripe, bad).id, false)
    expect(
      (
        await deliver(app, sessionEvent(stripe, 'checkout.session.async_payment_succeeded', succeeded))
      ).json(),
    ).toMatchObject({ topup: good.id, status: 'succeeded', changed: true })
    expect(
      (await deliver(app, sessionEvent(stripe, 'checkout.session.async_payment_failed', failed))).json(),
    ).toMatchObject({ topup: bad.id, status: 'failed', changed: true })
    await expectCreditedOnce(me, good, 2_000)
  })

  it('answers 200 to events it does not act on and to sessions it does not know, changing nothing', async () => {
    const { me, topup } = await opened(800)
    const session = sessionOf(stripe, topup)
    const before = await count(app, 'topups_payments')
    for (const event of [
      stripe.event('payment_intent.succeeded', { id: 'pi_123', object: 'payment_intent' }),
      stripe.event('checkout.session.async_payment_succeeded', {
        ...session,
        id: 'cs_test_of_another_system',
      }),
      stripe.event('checkout.session.completed', {
        ...session,
        id: 'cs_test_unknown',
        payment_status: 'paid',
      }),
    ]) {
      const res = await deliver(app, event)
      expect(res.statusCode, res.body).toBe(200)
      expect(res.json()).toEqual({ received: true })
    }
    expect(await count(app, 'topups_payments')).toBe(before)
    expect((await topupRow(app, topup.id))?.status).toBe('pending')
    await expectCreditedOnce(me, topup, 0)
  })

  it('refuses a signed event without a session with 400, and a body that is not JSON with 415', async () => {
    const noSession = stripe.event('checkout.session.completed', { object: 'checkout.session' })
    expectProblem(await deliver(app, noSession), 400, 'validation_failed')
    const form = await app.inject({
      method: 'POST',
      url: '/v1/providers/stripe/webhook',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'type=checkout.session.completed',
    })
    expectProblem(form, 415, 'unsupported_media_type')
  })

  it('answers 422 payment_provider_refused for an amount Stripe does not take, saved under the key', async () => {
    const me = await person(app)
    const before = await count(app, 'topups_payments')
    const key = newKey()
    const refused = expectProblem(
      await postTopup(app, me, { amount: 1_000_000_000_000 }, key),
      422,
      'payment_provider_refused',
    )
    expect(refused.detail).toMatch(/Stripe refused the payment/)
    const again = await postTopup(app, me, { amount: 1_000_000_000_000 }, key)
    expectProblem(again, 422, 'payment_provider_refused')
    expect(again.headers['idempotent-replayed']).toBe('true')
    expect(await count(app, 'topups_payments')).toBe(before)
  })

  it('answers 502 payment_provider_unavailable while Stripe is unreachable, saving nothing, so a retry works', async () => {
    const me = await person(app)
    const before = await count(app, 'topups_payments')
    const key = newKey()
    stripe.setDown(true)
    expectProblem(await postTopup(app, me, { amount: 500 }, key), 502, 'payment_provider_unavailable')
    expect(await count(app, 'topups_payments')).toBe(before)
    stripe.setDown(false)
    const retried = await postTopup(app, me, { amount: 500 }, key)
    expect(retried.statusCode, retried.body).toBe(201)
    expect(retried.headers['idempotent-replayed']).toBeUndefined()
    expect(await count(app, 'topups_payments')).toBe(before + 1)
  })

  it('keeps a top-up pending, and still answers the wallet, when Stripe cannot be asked', async () => {
    const { me, topup } = await opened(600)
    stripe.pay(sessionOf(stripe, topup).id)
    stripe.setDown(true)
    expect((await getTopup(me, topup)).json()).toMatchObject({ status: 'pending' })
    const back = await comeBack(app, sessionOf(stripe, topup))
    expect(back.statusCode).toBe(303)
    stripe.setDown(false)
    expect((await getTopup(me, topup)).json()).toMatchObject({ status: 'succeeded' })
    await expectCreditedOnce(me, topup, 600)
  })

  it('documents the webhook and the return in the OpenAPI document', async () => {
    const res = await app.inject({ method: 'GET', url: '/docs/json' })
    expect(res.statusCode).toBe(200)
    const paths = res.json().paths
    expect(paths['/v1/providers/stripe/webhook'].post).toMatchObject({
      tags: ['Top-ups'],
      summary: expect.stringContaining('stripe'),
      description: expect.stringContaining('checkout.session.completed'),
    })
    expect(paths['/v1/topups/{id}/return'].get).toMatchObject({ tags: ['Top-ups'] })
  })

  it('answers 404 on the return URL of an unknown top-up', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/topups/top_00000000000000000000000000/return' })
    expectProblem(res, 404, 'not_found')
  })
})
