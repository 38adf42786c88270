import type { Balance } from '@protus/sdk'
import type { FastifyInstance } from 'fastify'
import { csrfField, html, list, money, page } from '../html.js'
import { accountOf, type Protus, refusalOf } from '../protus.js'
import { explainRefusal } from '../refusals.js'
import { signedIn, userOf, viewerOf } from '../session.js'
import type { Store } from '../store.js'

const TOP_UP_AMOUNTS = [10_000, 50_000, 100_000]

interface Payment {
  at: string
  what: string
  /** As the user's balance sees it: negative when money left it. */
  amount: number
  currency: string
  status: string
}

const TOPUP_STATUS = { pending: 'not paid yet', succeeded: 'received', failed: 'declined' } as const

/**
 * Charges, holds and refunds of one account as Messages sees them at PROTUS, and for a direct
 * user's managed account its top-ups too; newest first.
 */
async function paymentsOf(protus: Protus, account: string, direct: boolean): Promise<Payment[]> {
  const [charges, holds, refunds, topups] = await Promise.all([
    protus.client.charges.list({ account, limit: 50 }),
    protus.client.holds.list({ account, limit: 50 }),
    protus.client.refunds.list({ account, limit: 50 }),
    direct ? protus.client.accounts.listTopups(account, { limit: 50 }) : { data: [] },
  ])
  // A refund does not name its currency; its charge does.
  const currencyOf = new Map(charges.data.map((c) => [c.id, c.currency]))
  return [
    ...topups.data.map((t) => ({
      at: t.created_at,
      what: 'Money added to your balance',
      amount: t.amount,
      currency: t.currency,
      status: TOPUP_STATUS[t.status],
    })),
    ...charges.data.map((c) => ({
      at: c.created_at,
      what: `Charge: ${c.description ?? c.id}`,
      amount: -c.amount,
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
      amount: r.amount,
      currency: currencyOf.get(r.charge) ?? 'RUB',
      status: 'refunded',
    })),
  ].sort((a, b) => b.at.localeCompare(a.at))
}

const signed = (amount: number, currency: string) => `${amount > 0 ? '+' : ''}${money(amount, currency)}`

/**
 * The user's balance (scope `check`) and payments. A direct user's money is their Messages
 * balance (a managed account PROTUS keeps for Messages), topped up here; a PROTUS user's is their
 * PROTUS wallet, topped up there.
 */
export function accountRoutes(
  app: FastifyInstance,
  { store, protus, returnUrl }: { store: Store; protus: Protus; returnUrl: string },
) {
  app.get('/account', { preHandler: signedIn }, async (request, reply) => {
    const user = userOf(request)
    const direct = user.kind === 'direct'
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
    const payments = await paymentsOf(protus, account, direct)
    const topUp = direct
      ? html`<form class="card" method="post" action="/account/top-up">
  <h2>Add money to your Messages balance</h2>
  ${csrfField(request.session.csrf)}
  <label>Amount
  <select name="amount" data-testid="top-up-amount">${TOP_UP_AMOUNTS.map((a) => html`<option value="${a}">${money(a, 'RUB')}</option>`)}</select></label>
  <button data-testid="top-up">Add money</button>
  <p class="muted">You pay by card on the page of our payment provider, PROTUS, then come back here.</p>
</form>`
      : html`<p class="muted" data-testid="top-up-elsewhere">Your money is in your PROTUS wallet: top it up there.</p>`
    const rows = payments.map((p) => ({
      testid: 'payment-row',
      cells: [new Date(p.at).toLocaleString('en-GB'), p.what, signed(p.amount, p.currency), p.status],
      amounts: [2],
    }))
    const empty = html`<p class="card empty" data-testid="no-payments">No payments yet.
${direct ? 'Money you add and what you pay for clients and campaigns shows here.' : 'What you pay for clients and campaigns shows here.'}</p>`
    return reply.type('text/html').send(
      page(
        'Balance and payments',
        viewerOf(request),
        html`<div class="card">
${
  balance
    ? html`<p>${direct ? 'Your Messages balance' : 'Available in your PROTUS wallet'}: <b data-testid="balance-available">${money(balance.available, balance.currency)}</b>
  · held: <span data-testid="balance-held">${money(balance.held, balance.currency)}</span></p>`
    : html`<p data-testid="balance-hidden">You did not allow Messages to see your balance. <a href="/auth/protus?scope=check">Allow it</a></p>`
}
<p class="muted">${direct ? 'Kept by PROTUS, account' : 'PROTUS account'} <code data-testid="protus-account">${account}</code></p></div>
${topUp}
<h2>Payments</h2>
${list('payments', ['When', 'What', 'Amount', 'Status'], rows, empty)}`,
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
