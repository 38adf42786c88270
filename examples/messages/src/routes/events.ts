import { type SeenStore, type WebhookEvent, type WebhookHandlers, webhookEventTypes } from '@protus/sdk'
import { createWebhookHandler } from '@protus/sdk/fastify'
import type { FastifyInstance } from 'fastify'
import { html, list, money, page } from '../html.js'
import { applySubscription, currentPayment, utcDate } from '../plans.js'
import type { Protus } from '../protus.js'
import { viewerOf } from '../session.js'
import type { Store } from '../store.js'

function summaryOf(event: WebhookEvent): { account: string | null; summary: string } {
  switch (event.type) {
    case 'charge.succeeded':
      return {
        account: event.data.account,
        summary: `${money(event.data.amount, event.data.currency)} · ${event.data.description ?? ''}`,
      }
    case 'hold.created':
    case 'hold.captured':
    case 'hold.released':
    case 'hold.expired':
      return {
        account: event.data.account,
        summary: `${money(event.data.amount, event.data.currency)} held, ${money(event.data.captured_amount, event.data.currency)} captured${'reason' in event.data && event.data.reason ? ` (${event.data.reason})` : ''}`,
      }
    case 'charge.refunded':
      return { account: event.data.account, summary: `refund of ${event.data.charge}` }
    case 'grant.created':
    case 'grant.updated':
    case 'grant.revoked': {
      const limit = event.data.monthly_limit
      const perMonth = limit === null ? '' : ` · at most ${money(limit, 'RUB')} a month`
      return { account: event.data.account, summary: `scopes: ${event.data.scopes.join(' ')}${perMonth}` }
    }
    case 'wallet.topped_up':
      return {
        account: event.data.account,
        summary: `${money(event.data.amount, event.data.currency)} topped up`,
      }
    case 'account.created':
      return { account: event.data.id, summary: event.data.kind }
    case 'subscription.created':
    case 'subscription.updated':
    case 'subscription.canceled': {
      const s = event.data
      const ending = s.cancel_reason
        ? ` (${s.cancel_reason})`
        : s.cancel_at_period_end
          ? `, ends ${utcDate(s.current_period_end)}`
          : ''
      return {
        account: s.account,
        summary: `${s.status}${ending} · ${money(s.amount, s.currency)} every ${s.interval_count > 1 ? `${s.interval_count} ${s.interval}s` : s.interval}`,
      }
    }
    case 'subscription.renewed': {
      const { subscription: s, charge } = event.data
      return {
        account: s.account,
        summary: `${money(charge.amount, charge.currency)} for ${utcDate(s.current_period_start)} – ${utcDate(s.current_period_end)}`,
      }
    }
    case 'subscription.payment_failed': {
      const { subscription: s, code, next_retry_at } = event.data
      return {
        account: s.account,
        summary: `refused: ${code} · ${next_retry_at ? `tried again ${utcDate(next_retry_at)}` : 'no retry left'}`,
      }
    }
    case 'payout.created':
    case 'payout.paid':
    case 'payout.failed': {
      const settled = event.data.reference ?? event.data.failure_reason
      return {
        account: null,
        summary: `payout ${money(event.data.amount, event.data.currency)} ${event.data.status}${settled ? ` (${settled})` : ''}`,
      }
    }
    case 'ping':
      return { account: null, summary: 'test event' }
  }
}

/**
 * `POST /webhooks/protus`: the SDK verifies each webhook, skips the ones already received (the
 * received events are the "seen" store) and hands the rest to `record`.
 */
export async function webhookReceiver(
  app: FastifyInstance,
  { store, protus, secret }: { store: Store; protus: Protus; secret: string },
) {
  const seen: SeenStore = {
    has: (id) => store.data.events.some((e) => e.id === id),
    add: () => {}, // `record` saved it already
  }
  async function record(event: WebhookEvent) {
    store.data.events.push({
      id: event.id,
      type: event.type,
      timestamp: event.timestamp,
      ...summaryOf(event),
      duplicates: 0,
      receivedAt: new Date().toISOString(),
    })
    await store.save()
  }
  const userOf = (account: string) => store.data.users.find((u) => u.protusAccount === account)
  const handlers: WebhookHandlers = Object.fromEntries(webhookEventTypes.map((type) => [type, record]))
  handlers['grant.revoked'] = async (event) => {
    // The person took access back in PROTUS: forget cached tokens, show the explanation page.
    protus.client.oauth.forgetAccount(event.data.account)
    const user = userOf(event.data.account)
    if (user) user.revoked = true
    await record(event)
  }
  // The state of the Pro plan follows what PROTUS reports: Messages never guesses a renewal.
  handlers['subscription.created'] = async (event) => {
    applySubscription(store, event.data, currentPayment(event.data))
    await record(event)
  }
  handlers['subscription.updated'] = async (event) => {
    applySubscription(store, event.data)
    await record(event)
  }
  handlers['subscription.canceled'] = async (event) => {
    applySubscription(store, event.data)
    await record(event)
  }
  handlers['subscription.renewed'] = async (event) => {
    applySubscription(store, event.data.subscription, event.data.charge)
    await record(event)
  }
  handlers['subscription.payment_failed'] = async (event) => {
    applySubscription(store, event.data.subscription)
    await record(event)
  }
  await app.register(
    createWebhookHandler(secret, handlers, {
      path: '/webhooks/protus',
      seen,
      onDuplicate: async (event) => {
        const known = store.data.events.find((e) => e.id === event.id)
        if (known) known.duplicates += 1
        await store.save()
      },
    }),
  )
}

/** What PROTUS told Messages, newest first. */
export function eventRoutes(app: FastifyInstance, { store }: { store: Store }) {
  app.get('/events', async (request, reply) => {
    const events = [...store.data.events].reverse()
    return reply.type('text/html').send(
      page(
        'Webhooks from PROTUS',
        viewerOf(request),
        html`<p class="muted">Every event PROTUS sent to <code>/webhooks/protus</code>, verified with the SDK. A repeated delivery is counted, not recorded twice. (An operator's page: a real partner keeps it behind its admin sign-in.)</p>
${list(
  'events',
  ['Event', 'Account', 'What', 'When', 'Repeats'],
  events.map((e) => ({
    testid: 'event-row',
    data: { type: e.type, account: e.account ?? '' },
    cells: [
      html`<b>${e.type}</b><br><small class="muted">${e.id}</small>`,
      e.account ?? '',
      e.summary,
      e.timestamp,
      e.duplicates,
    ],
  })),
  html`<p class="card empty" data-testid="no-events">No webhooks received yet.</p>`,
)}`,
      ),
    )
  })
}
