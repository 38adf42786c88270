import type { Subscription } from '../api/types.ts'

/**
 * What a person or a partner needs to know of a subscription at a glance: it renews (`active`),
 * it runs to the end of the paid period and stops (`ending`), its last renewal was refused and
 * is retried (`past_due`), or it is over (`canceled`).
 */
export type SubscriptionState = 'active' | 'ending' | 'past_due' | 'canceled'

type StateFields = Pick<Subscription, 'status' | 'cancel_at_period_end'>

export function subscriptionState(subscription: StateFields): SubscriptionState {
  if (subscription.status === 'active' && subscription.cancel_at_period_end) return 'ending'
  return subscription.status
}

/** Whether the person may still stop it: not when it is over or already set to end. */
export function canCancel(subscription: StateFields): boolean {
  const state = subscriptionState(subscription)
  return state === 'active' || state === 'past_due'
}

/** A refused renewal waits for money: the person may pay the due period now. */
export const canPay = (subscription: StateFields): boolean => subscription.status === 'past_due'

/** What needs the person first: a refused payment, then what renews, what ends, what is over. */
const ORDER: Record<SubscriptionState, number> = { past_due: 0, active: 1, ending: 2, canceled: 3 }

/**
 * Subscriptions by the partner's client id, each partner's in the order above and, within one
 * state, in the order given (the API's, newest first).
 */
export function groupByPartner<T extends StateFields & { client_id: string }>(
  subscriptions: readonly T[],
): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  subscriptions.forEach((subscription) => {
    groups.set(subscription.client_id, [...(groups.get(subscription.client_id) ?? []), subscription])
  })
  for (const [clientId, list] of groups) {
    groups.set(
      clientId,
      list.toSorted((a, b) => ORDER[subscriptionState(a)] - ORDER[subscriptionState(b)]),
    )
  }
  return groups
}
