import type { Balance } from '@protus/sdk'
import type { FastifyInstance } from 'fastify'
import { csrfField, html, money, page } from '../html.js'
import { accountOf, type Protus, refusalOf } from '../protus.js'
import { explainRefusal } from '../refusals.js'
import { signedIn, userOf, viewerOf } from '../session.js'
import type { Store } from '../store.js'

const TOP_UP_AMOUNTS = [10_000, 50_000, 100_000]

interface Payment {
  at: string
  what: string
  amount: number
  currency: string
  status: string
}

/** Charges, holds and refunds of one account, as Messages sees them at PROTUS, newest first. */
async function paymentsOf(protus: Protus, account: string): Promise<Payment[]> {
  const [charges, holds, refunds] = await Promise.all([
    protus.client.charges.list({ account, limit: 50 }),
    protus.client.holds.list({ account, limit: 50 }),
    protus.client.refunds.list({ account, limit: 50 }),
  ])
  // A refund does not name its currency; its charge does.
  const currencyOf = new Map(charges.data.map((c) => [c.id, c.currency]))
  return [
    ...charges.data.map((c) => ({
      at: c.created_at,
      what: `Charge: ${c.description ?? c.id}`,
      amount: c.amount,
      currency: c.currency,
      status: c.hold ? `captured from ${c.hold}` : 'charged',
    })),
    ...holds.data.map((h) => ({
      at: h.created_at,
      what: `Hold: ${h.description ?? h.id}`,
      amount: h.amount,
      currency: h.currency,
      status: `${h.status}${h.status === 'captured' ? ` (${money(h.captured_amount, h.currency)})` : ''}`,
    })),
    ...refunds.data.map((r) => ({
      at: r.created_at,
      what: `Refund of ${r.charge}`,
      amount: -r.amount,
      currency: currencyOf.get(r.charge) ?? 'RUB',
      status: 'refunded',
    })),
  ].sort((a, b) => b.at.localeCompare(a.at))
}

/** The user's PROTUS balance (scope `check`), payments, and for direct users a top-up link. */
export function accountRoutes(
  app: FastifyInstance,
  { store, protus, returnUrl }: { store: Store; protus: Protus; returnUrl: string },
) {
  app.get('/account', { preHandler: signedIn }, async (request, reply) => {
    const user = userOf(request)
    const account = await accountOf(protus, store, user)
    let balance: Balance | null = null
    if (!user.revoked && user.scopes.includes('check')) {
      try {
        balance = await protus.client.accounts.balance(account)
      } catch (error) {
        const refusal = refusalOf(error)
        if (refusal.kind === 'revoked')
          return explainRefusal(request, reply, store, refusal, 'showing your balance')
      }
    }
    const payments = await paymentsOf(protus, account)
    const topUp =
      user.kind === 'direct'
        ? html`<form class="card" method="post" action="/account/top-up">
  ${csrfField(request.session.csrf)}
  <label>Top up your balance through PROTUS
  <select name="amount" data-testid="top-up-amount">${TOP_UP_AMOUNTS.map((a) => html`<option value="${a}">${money(a, 'RUB')}</option>`)}</select></label>
  <button data-testid="top-up">Top up</button>
  <p class="muted">You pay on the PROTUS checkout page, then come back here.</p>
</form>`
        : html`<p class="muted">Your money is in your PROTUS wallet: top it up there.</p>`
    return reply.type('text/html').send(
      page(
        'Balance and payments',
        viewerOf(request),
        html`<div class="card">
${
  balance
    ? html`<p>Available on PROTUS: <b data-testid="balance-available">${money(balance.available, balance.currency)}</b>
  · held: <span data-testid="balance-held">${money(balance.held, balance.currency)}</span></p>`
    : html`<p data-testid="balance-hidden">You did not allow Messages to see your balance. <a href="/auth/protus?scope=check">Allow it</a></p>`
}
<p class="muted">PROTUS account <code data-testid="protus-account">${account}</code></p></div>
${topUp}
<h2>Payments</h2>
<table data-testid="payments"><tr><th>When</th><th>What</th><th>Amount</th><th>Status</th></tr>
${payments.map((p) => html`<tr data-testid="payment-row"><td>${new Date(p.at).toLocaleString('en-GB')}</td><td>${p.what}</td><td>${money(p.amount, p.currency)}</td><td>${p.status}</td></tr>`)}</table>`,
      ),
    )
  })

  app.post<{ Body: { amount?: string } }>(
    '/account/top-up',
    { preHandler: signedIn },
    async (request, reply) => {
      const user = userOf(request)
      const amount = Number(request.body.amount)
      if (user.kind !== 'direct' || !TOP_UP_AMOUNTS.includes(amount)) return reply.redirect('/account', 303)
      const account = await accountOf(protus, store, user)
      const topup = await protus.client.accounts.createTopup(account, { amount, return_url: returnUrl })
      // PROTUS's sandbox checkout page (a real provider's page in production), with a way back here.
      return reply.redirect(topup.checkout_url ?? '/account', 303)
    },
  )
}
