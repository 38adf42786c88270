import type { PageQuery } from './accounts.ts'
import { http } from './http.ts'
import type {
  Page,
  WebhookDelivery,
  WebhookDeliveryStatus,
  WebhookEndpoint,
  WebhookEventType,
} from './types.ts'

export interface DeliveryQuery extends PageQuery {
  status?: WebhookDeliveryStatus
  type?: WebhookEventType
}

export function fetchWebhookEndpoint(): Promise<WebhookEndpoint> {
  return http.get('/v1/company/webhooks')
}

/** Queues a `ping` event for the company's endpoint; 409 webhook_endpoint_unavailable without one. */
export function sendTestEvent(): Promise<WebhookDelivery> {
  return http.post('/v1/company/webhooks/test')
}

/** Newest first. */
export function listDeliveries(query: DeliveryQuery = {}): Promise<Page<WebhookDelivery>> {
  return http.get('/v1/webhook-deliveries', { ...query })
}

export function fetchDelivery(id: string): Promise<WebhookDelivery> {
  return http.get(`/v1/webhook-deliveries/${encodeURIComponent(id)}`)
}

/** Sends the event again at once; the delivery is pending until the attempt is made. */
export function retryDelivery(id: string): Promise<WebhookDelivery> {
  return http.post(`/v1/webhook-deliveries/${encodeURIComponent(id)}/retry`)
}
