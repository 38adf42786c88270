import type { FastifyInstance } from 'fastify'
import { expect } from 'vitest'
import type { FakeSession, FakeStripe } from '../support/fake-stripe.js'
import { buildSandboxApp, type Topup } from './sandbox.js'

export const PUBLIC_URL = 'https://wallet.example.test'

/** A PROTUS whose top-ups go to the fake Stripe (sandbox mode unless `overrides` say otherwise). */
export function buildStripeApp(stripe: FakeStripe, overrides: Record<string, string> = {}) {
  return buildSandboxApp({ ...stripe.env(), PROTUS_PUBLIC_URL: PUBLIC_URL, ...overrides })
}

/** Stripe delivering a signed event to PROTUS's webhook endpoint. */
export function deliver(app: FastifyInstance, event: { payload: string; signature?: string }) {
  return app.inject({
    method: 'POST',
    url: '/v1/providers/stripe/webhook',
    headers: {
      'content-type': 'application/json; charset=utf-8',
      ...(event.signature === undefined ? {} : { 'stripe-signature': event.signature }),
    },
    payload: event.payload,
  })
}

/** Stripe's `checkout.session.*` event about a session as it now stands. */
export function sessionEvent(stripe: FakeStripe, type: string, session: FakeSession) {
  return stripe.event(type, { ...session })
}

/** The browser coming back from Stripe's page to the URL PROTUS gave for the session. */
export function comeBack(
  app: FastifyInstance,
  session: FakeSession,
  which: 'success_url' | 'cancel_url' = 'success_url',
) {
  const url = new URL(session[which])
  expect(url.origin).toBe(PUBLIC_URL)
  return app.inject({ method: 'GET', url: url.pathname + url.search })
}

export async function topupRow(app: FastifyInstance, id: string) {
  const rows = await app.db.query<{ status: string; provider: string; provider_payment_id: string }>(
    'SELECT status, provider, provider_payment_id FROM topups_payments WHERE id = $1',
    [id],
  )
  return rows[0]
}

/** The Stripe session behind a top-up's checkout URL. */
export const sessionOf = (stripe: FakeStripe, topup: Topup) => stripe.sessionOf(topup.checkout_url)
