import { defineStore } from 'pinia'
import { ref } from 'vue'
import { listSubscriptions } from '../api/subscriptions.ts'

/** Counted up to one page: more than that shows as "100+". */
export const COUNT_LIMIT = 100

export interface ActiveCount {
  count: number
  /** There are more than `count`. */
  more: boolean
}

/**
 * How many active subscriptions each recurring service of the company has: one list request per
 * service, of at most COUNT_LIMIT rows, so a large catalogue costs one bounded call per service shown.
 */
export const useSubscriptionCountsStore = defineStore('subscriptionCounts', () => {
  const counts = ref<Record<string, ActiveCount>>({})
  const asked = new Set<string>()
  let generation = 0

  /** Counts the services not counted yet; one that fails stays uncounted and is asked again next time. */
  async function count(serviceIds: readonly string[]): Promise<void> {
    const mine = generation
    const missing = [...new Set(serviceIds)].filter((id) => !asked.has(id))
    for (const id of missing) asked.add(id)
    await Promise.all(
      missing.map(async (service) => {
        try {
          const page = await listSubscriptions({ service, status: 'active', limit: COUNT_LIMIT })
          if (mine === generation) counts.value[service] = { count: page.data.length, more: page.has_more }
        } catch {
          if (mine === generation) asked.delete(service)
        }
      }),
    )
  }

  /** Forgets every count, so the next `count` asks the server again (a page opened anew, a sign-out). */
  function reset(): void {
    generation++
    counts.value = {}
    asked.clear()
  }

  return { counts, count, reset }
})
