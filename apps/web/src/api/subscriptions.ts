import { http } from './http.ts'
import type { Page, PersonSubscription, Subscription, SubscriptionStatus } from './types.ts'

export interface SubscriptionListQuery {
  account?: string
  service?: string
  status?: SubscriptionStatus
  limit?: number
  starting_after?: string
}

/** The signed-in company's subscriptions, newest first. */
export function listSubscriptions(query: SubscriptionListQuery = {}): Promise<Page<Subscription>> {
  return http.get('/v1/subscriptions', { ...query })
}

/** The signed-in person's subscriptions at every partner, newest first, in every status. */
export function listMySubscriptions(): Promise<{ data: PersonSubscription[] }> {
  return http.get('/v1/me/subscriptions')
}

/** Ends the subscription at the end of the period paid for (a past-due one at once). */
export function cancelMySubscription(id: string): Promise<PersonSubscription> {
  return http.post(`/v1/me/subscriptions/${encodeURIComponent(id)}/cancel`, {})
}

/** Pays the due period of a past-due subscription now. */
export function payMySubscription(id: string, idempotencyKey: string): Promise<PersonSubscription> {
  return http.post(`/v1/me/subscriptions/${encodeURIComponent(id)}/pay`, {}, { idempotencyKey })
}
