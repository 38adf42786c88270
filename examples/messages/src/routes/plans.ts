import { randomUUID } from 'node:crypto'
import { isProtusError, ProtusError, type SandboxClock, type Subscription } from '@protus/sdk'
import type { FastifyInstance } from 'fastify'
import { paidRoute } from '../guard.js'
import { csrfField, type Html, html, list, money, page } from '../html.js'
import { takeKeptForm } from '../kept-form.js'
import { applySubscription, currentPayment, oneMonthAfter, planOf, utcDate } from '../plans.js'
import { accountOf, type Protus, refusalOf } from '../protus.js'
import { explainRefusal } from '../refusals.js'
import { signedIn, userOf, viewerOf } from '../session.js'
import type { PlanSubscription, Store } from '../store.js'

const CANCEL_REASONS: Record<string, string> = {
  payment_failed: 'PROTUS could not take the payment, even after trying again',
  grant_revoked: 'Messages may no longer charge your account at PROTUS',
  service_archived: 'Messages no longer offers the plan',
  canceled_by_partner: 'you canceled it here',
  canceled_by_person: 'you canceled it in your PROTUS wallet',
}

const STATUS_NAMES: Record<Subscription['status'], string> = {
  active: 'Active',
  past_due: 'Past due',
  canceled: 'Canceled',
}

/**
 * The PROTUS sandbox clock, when the server has one (`PROTUS_TEST_CLOCK=true`; 404 otherwise);
 * null too when PROTUS cannot say, so the plan still shows without the demo's button.
 */
async function sandboxClock(protus: Protus): Promise<SandboxClock | null> {
  try {
    return await protus.client.sandbox.clock()
  } catch (error) {
    if (error instanceof ProtusError) return null
    throw error
  }
}

function stateCard(plan: PlanSubscription, csrf: string, funds: string): Html {
  const s = plan.state
  const price = html`<span data-testid="plan-amount">${money(s.amount, s.currency)}</span>`
  const status = html`<p>Status: <b data-testid="plan-status" data-status="${s.status}">${STATUS_NAMES[s.status]}</b></p>`
  const period = html`<p>Paid period: <span data-testid="plan-period">${utcDate(s.current_period_start)} – ${utcDate(s.current_period_end)}</span></p>`
  const cancel = html`<form method="post" action="/plans/cancel">${csrfField(csrf)}<button data-testid="cancel-plan">Cancel the plan</button></form>`
  if (s.status === 'canceled') {
    const why = s.cancel_reason ? CANCEL_REASONS[s.cancel_reason] : undefined
    return html`<div class="card" data-testid="plan" data-subscription="${s.id}">${status}
<p data-testid="plan-ended">Your Pro plan ended on ${utcDate(s.canceled_at)}${why ? html`: ${why}` : ''}.</p></div>`
  }
  if (s.status === 'past_due') {
    return html`<div class="card problem" data-testid="plan" data-subscription="${s.id}">${status}${period}
<p data-testid="plan-past-due">PROTUS could not take ${price} for the next month${s.last_payment_error ? html` (<code>${s.last_payment_error.code}</code>)` : ''}.
It tries again on <span data-testid="plan-next-charge">${utcDate(s.next_retry_at)}</span>; add money to ${funds} before then${funds === 'your PROTUS wallet' ? ', or press "Pay now" on the subscription in your PROTUS wallet (Connected services)' : ''}.</p>
${cancel}</div>`
  }
  const next = s.cancel_at_period_end
    ? html`<p data-testid="plan-ends">Ends on ${utcDate(s.current_period_end)}: not charged again.</p>`
    : html`<p>Next charge: <span data-testid="plan-next-charge">${utcDate(s.next_charge_at)}</span>, ${price}</p>`
  return html`<div class="card ok" data-testid="plan" data-subscription="${s.id}">${status}
<p>${price} a month, from ${funds}</p>${period}${next}
${s.cancel_at_period_end ? '' : html`${cancel}<p class="muted">Canceling keeps the plan until the end of the paid period; nothing is refunded.</p>`}</div>`
}

/**
 * "Plans": the recurring service "Pro", a subscription at PROTUS. Messages starts and cancels it
 * through the SDK; PROTUS charges every month on its own and tells Messages with `subscription.*`
 * webhooks, which keep the state shown here. In the sandbox the page can move PROTUS's clock a
 * month ahead, so the renewal can be seen.
 */
export function planRoutes(app: FastifyInstance, { store, protus }: { store: Store; protus: Protus }) {
  app.get<{ Querystring: { subscribed?: string; canceled?: string; moved?: string; restored?: string } }>(
    '/plans',
    { preHandler: signedIn },
    async (request, reply) => {
      const user = userOf(request)
      const [service, clock] = await Promise.all([protus.service('Pro'), sandboxClock(protus)])
      const plan = planOf(store, user.id)
      const running = plan && plan.state.status !== 'canceled'
      const funds = user.kind === 'direct' ? 'your Messages balance' : 'your PROTUS wallet'
      const price = money(service.price, service.currency)
      const csrf = request.session.csrf
      const { query } = request
      // Back from PROTUS after allowing the `charge` permission the plan was refused for.
      const restored = query.restored ? takeKeptForm(request, '/plans') : undefined
      if (restored) await store.save()
      const payments = store.data.subscriptions
        .filter((s) => s.userId === user.id)
        .flatMap((s) => s.payments)
        .sort((a, b) => b.periodStart.localeCompare(a.periodStart))
      const notice = query.subscribed
        ? html`<p class="card ok" data-testid="plan-notice">You subscribed to Pro: ${price} was charged for the first month.</p>`
        : query.canceled
          ? html`<p class="card ok" data-testid="plan-notice">Your Pro plan is canceled: it stays until the end of the paid period.</p>`
          : query.moved && !Number.isNaN(Date.parse(query.moved))
            ? html`<p class="card ok" data-testid="plan-notice">The sandbox clock moved a month ahead, to ${utcDate(query.moved)}.</p>`
            : restored && !running
              ? html`<p class="card ok" data-testid="form-restored">Messages may now take payment from ${funds}: subscribe to Pro below.</p>`
              : ''
      const offer = running
        ? ''
        : html`<form class="card" method="post" action="/plans/subscribe">
  ${csrfField(csrf)}<input type="hidden" name="attempt" value="${randomUUID()}">
  <p>${plan ? 'Subscribe again: ' : ''}${price} now for the first month, then every month from ${funds} until you cancel.</p>
  <button data-testid="subscribe-pro">Subscribe to Pro</button>
</form>`
      const sandbox = clock
        ? html`<form class="card" method="post" action="/plans/clock" data-testid="sandbox-clock">
  <h2>Sandbox clock</h2>
  ${csrfField(csrf)}
  <p>PROTUS time: <b data-testid="sandbox-now">${utcDate(clock.now)}</b>. This PROTUS runs in the sandbox with a clock
  you can move forward: what comes due in between (such as the next month of Pro) happens at once.</p>
  <button data-testid="move-clock">Move the sandbox clock one month</button>
</form>`
        : ''
      return reply.type('text/html').send(
        page(
          'Plans',
          viewerOf(request),
          html`${notice}
<div class="card"><h2>Pro</h2>
<p>A sender name of your own and priority delivery for every campaign:
<b data-testid="pro-price">${price}</b> a month. The price stays as long as your subscription lasts.</p></div>
${plan ? stateCard(plan, csrf, funds) : ''}
${offer}
<h2>Payments for Pro</h2>
${list(
  'plan-payments',
  ['Period', 'Amount', 'Charge'],
  payments.map((p) => ({
    testid: 'plan-payment-row',
    cells: [`${utcDate(p.periodStart)} – ${utcDate(p.periodEnd)}`, money(-p.amount, p.currency), p.charge],
    amounts: [1],
  })),
  html`<p class="card empty" data-testid="no-plan-payments">No payments for Pro yet. Each month's charge shows here.</p>`,
)}
${sandbox}`,
        ),
      )
    },
  )

  app.post<{ Body: { attempt?: string } }>(
    '/plans/subscribe',
    { preHandler: [signedIn, paidRoute(store, 'the Pro plan', 'charge')] },
    async (request, reply) => {
      const user = userOf(request)
      const known = planOf(store, user.id)
      if (known && known.state.status !== 'canceled') return reply.redirect('/plans', 303)
      try {
        const service = await protus.service('Pro')
        const subscription = await protus.client.subscriptions.create(
          { account: await accountOf(protus, store, user), service: service.id, metadata: { user: user.id } },
          // A resubmitted form replays the first answer instead of subscribing twice.
          { idempotencyKey: `pro-${user.id}-${request.body.attempt ?? randomUUID()}` },
        )
        applySubscription(store, subscription, currentPayment(subscription))
      } catch (error) {
        return explainRefusal(request, reply, store, refusalOf(error), 'the Pro plan')
      }
      await store.save()
      return reply.redirect('/plans?subscribed=1', 303)
    },
  )

  app.post('/plans/cancel', { preHandler: signedIn }, async (request, reply) => {
    const plan = planOf(store, userOf(request).id)
    if (!plan || plan.state.status === 'canceled') return reply.redirect('/plans', 303)
    try {
      applySubscription(store, await protus.client.subscriptions.cancel(plan.id, { at_period_end: true }))
    } catch (error) {
      // Ended at PROTUS already (its webhook is on the way): show what PROTUS says.
      if (!isProtusError(error, 'subscription_canceled')) throw error
      applySubscription(store, await protus.client.subscriptions.retrieve(plan.id))
    }
    await store.save()
    return reply.redirect('/plans?canceled=1', 303)
  })

  app.post('/plans/clock', { preHandler: signedIn }, async (request, reply) => {
    const clock = await sandboxClock(protus)
    if (!clock) return reply.redirect('/plans', 303)
    const now = new Date(clock.now)
    const seconds = Math.ceil((oneMonthAfter(now).getTime() - now.getTime()) / 1000)
    // PROTUS answers once everything due in between ran, renewals included.
    const moved = await protus.client.sandbox.advanceClock(seconds)
    const plan = planOf(store, userOf(request).id)
    if (plan) {
      // The webhooks follow in moments; the page shows the renewal already.
      const subscription = await protus.client.subscriptions.retrieve(plan.id)
      applySubscription(store, subscription, currentPayment(subscription))
      await store.save()
    }
    return reply.redirect(`/plans?moved=${encodeURIComponent(moved.now)}`, 303)
  })
}
