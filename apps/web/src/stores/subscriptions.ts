import { defineStore } from 'pinia'
import { ref } from 'vue'
import { listSubscriptions } from '../api/subscriptions.ts'
import type { SubscriptionStatus } from '../api/types.ts'
import { createCursorList } from './cursor-list.ts'

const PAGE_SIZE = 20

export interface SubscriptionFilters {
  status: SubscriptionStatus | null
  service: string | null
}

export const NO_FILTERS: SubscriptionFilters = Object.freeze({ status: null, service: null })

/** The signed-in company's subscriptions, filtered by status and service, a page at a time. */
export const useSubscriptionsStore = defineStore('subscriptions', () => {
  const filters = ref<SubscriptionFilters>({ ...NO_FILTERS })
  const list = createCursorList(
    (startingAfter) =>
      listSubscriptions({
        status: filters.value.status ?? undefined,
        service: filters.value.service ?? undefined,
        limit: PAGE_SIZE,
        starting_after: startingAfter,
      }),
    (subscription) => subscription.id,
  )

  /** The first page under `next` filters; rows of other filters never stay on screen. */
  function load(next: SubscriptionFilters = filters.value): Promise<void> {
    const changed = next.status !== filters.value.status || next.service !== filters.value.service
    filters.value = { status: next.status, service: next.service }
    if (changed) list.reset()
    return list.load()
  }

  function reset(): void {
    filters.value = { ...NO_FILTERS }
    list.reset()
  }

  return { filters, list, load, reset }
})
