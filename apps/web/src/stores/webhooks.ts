import { defineStore } from 'pinia'
import { ref } from 'vue'
import type {
  WebhookDelivery,
  WebhookDeliveryStatus,
  WebhookEndpoint,
  WebhookEventType,
} from '../api/types.ts'
import {
  fetchDelivery,
  fetchWebhookEndpoint,
  listDeliveries,
  retryDelivery,
  sendTestEvent,
} from '../api/webhooks.ts'
import { createCursorList } from './cursor-list.ts'

const PAGE_SIZE = 20

export interface DeliveryFilter {
  status: WebhookDeliveryStatus | null
  type: WebhookEventType | null
}

export const NO_FILTER: DeliveryFilter = { status: null, type: null }

function shows(filter: DeliveryFilter, delivery: WebhookDelivery): boolean {
  return (
    (filter.status === null || filter.status === delivery.status) &&
    (filter.type === null || filter.type === delivery.event.type)
  )
}

/** The signed-in company's webhook endpoint and the log of deliveries to it, newest first. */
export const useWebhooksStore = defineStore('webhooks', () => {
  const endpoint = ref<WebhookEndpoint | null>(null)
  const filter = ref<DeliveryFilter>(NO_FILTER)

  const deliveries = createCursorList(
    (startingAfter) =>
      listDeliveries({
        limit: PAGE_SIZE,
        starting_after: startingAfter,
        status: filter.value.status ?? undefined,
        type: filter.value.type ?? undefined,
      }),
    (delivery) => delivery.id,
  )

  async function loadEndpoint(): Promise<void> {
    endpoint.value = await fetchWebhookEndpoint()
  }

  async function load(): Promise<void> {
    await Promise.all([loadEndpoint(), deliveries.load()])
  }

  function applyFilter(next: DeliveryFilter): Promise<void> {
    filter.value = next
    return deliveries.load()
  }

  /** Sends a ping and shows its delivery at the top of the log, dropping a filter that hides it. */
  async function sendTest(): Promise<WebhookDelivery> {
    const delivery = await sendTestEvent()
    if (shows(filter.value, delivery)) deliveries.prepend(delivery)
    // The ping was sent either way; a log that failed to reload still gets it on top.
    else await applyFilter(NO_FILTER).catch(() => deliveries.prepend(delivery))
    return delivery
  }

  /** Fetches one delivery again and updates its row, if the log still shows it. */
  async function refresh(id: string): Promise<WebhookDelivery> {
    const delivery = await fetchDelivery(id)
    deliveries.replace(delivery)
    return delivery
  }

  async function retry(id: string): Promise<WebhookDelivery> {
    const delivery = await retryDelivery(id)
    deliveries.replace(delivery)
    return delivery
  }

  function reset(): void {
    endpoint.value = null
    filter.value = NO_FILTER
    deliveries.reset()
  }

  return { endpoint, filter, deliveries, loadEndpoint, load, applyFilter, sendTest, refresh, retry, reset }
})
