import type { Charge, Subscription } from '@protus/sdk'
import type { PlanSubscription, Store } from './store.js'

/**
 * How far a subscription has got: its paid period, then how close it is to ending. Webhooks can
 * arrive out of order (a retried delivery comes after a later event), so Messages keeps the state
 * that got furthest: a renewal moves the period end forward, and within one period an active
 * subscription can only become set to end, past due or canceled, never the other way.
 */
function progressOf(s: Subscription): [string, number] {
  const stage = s.status === 'canceled' ? 3 : s.status === 'past_due' ? 2 : s.cancel_at_period_end ? 1 : 0
  return [s.current_period_end, stage]
}

function isNotOlder(next: Subscription, known: Subscription): boolean {
  const [nextEnd, nextStage] = progressOf(next)
  const [knownEnd, knownStage] = progressOf(known)
  const a = Date.parse(nextEnd)
  const b = Date.parse(knownEnd)
  return a > b || (a === b && nextStage >= knownStage)
}

/**
 * Records what PROTUS said about a subscription of Messages, and the charge that paid its current
 * period when there is one. Answers the record, or undefined for a subscription of no known user.
 */
export function applySubscription(
  store: Store,
  subscription: Subscription,
  paid?: Pick<Charge, 'id' | 'amount' | 'currency'>,
): PlanSubscription | undefined {
  let known = store.data.subscriptions.find((s) => s.id === subscription.id)
  if (!known) {
    const user = store.data.users.find((u) => u.protusAccount === subscription.account)
    if (!user) return undefined
    known = { id: subscription.id, userId: user.id, state: subscription, payments: [] }
    store.data.subscriptions.push(known)
  } else if (isNotOlder(subscription, known.state)) {
    known.state = subscription
  }
  if (paid && !known.payments.some((p) => p.charge === paid.id)) {
    known.payments.push({
      charge: paid.id,
      amount: paid.amount,
      currency: paid.currency,
      periodStart: subscription.current_period_start,
      periodEnd: subscription.current_period_end,
    })
    known.payments.sort((a, b) => a.periodStart.localeCompare(b.periodStart))
  }
  return known
}

/**
 * The charge that paid the subscription's current period, as far as the subscription itself says:
 * right after it started or renewed, `latest_charge` paid `current_period_*` at `amount`.
 */
export function currentPayment(s: Subscription): Pick<Charge, 'id' | 'amount' | 'currency'> | undefined {
  return s.latest_charge && s.status === 'active'
    ? { id: s.latest_charge, amount: s.amount, currency: s.currency }
    : undefined
}

/** The user's subscription to show: the one still running, else the latest. */
export function planOf(store: Store, userId: string): PlanSubscription | undefined {
  const mine = store.data.subscriptions.filter((s) => s.userId === userId)
  return (
    mine.findLast((s) => s.state.status !== 'canceled') ??
    mine.toSorted((a, b) => a.state.created_at.localeCompare(b.state.created_at)).at(-1)
  )
}

/** The same day and time a month later in UTC, on the month's last day when it is shorter. */
export function oneMonthAfter(at: Date): Date {
  const year = at.getUTCFullYear()
  const month = at.getUTCMonth() + 1
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate()
  return new Date(
    Date.UTC(
      year,
      month,
      Math.min(at.getUTCDate(), lastDay),
      at.getUTCHours(),
      at.getUTCMinutes(),
      at.getUTCSeconds(),
      at.getUTCMilliseconds(),
    ),
  )
}

/** Dates as the plan page shows them: in UTC, as PROTUS computes periods. */
export function utcDate(iso: string | null): string {
  if (!iso) return '—'
  const text = new Intl.DateTimeFormat('en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'UTC',
  }).format(new Date(iso))
  return `${text} UTC`
}
