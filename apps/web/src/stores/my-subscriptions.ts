import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { type AttemptKey, createAttemptKey } from '../api/attempt-key.ts'
import { cancelMySubscription, listMySubscriptions, payMySubscription } from '../api/subscriptions.ts'
import type { PersonSubscription } from '../api/types.ts'
import { groupByPartner } from '../composables/subscription-state.ts'

/** The signed-in person's subscriptions at every partner: seeing them, stopping them, paying one that is due. */
export const useMySubscriptionsStore = defineStore('mySubscriptions', () => {
  const items = ref<PersonSubscription[]>([])
  const loaded = ref(false)
  /** One Idempotency-Key per attempt to pay a subscription, kept while its outcome is unknown. */
  const payAttempts = new Map<string, AttemptKey>()
  let generation = 0

  const byPartner = computed(() => groupByPartner(items.value))

  async function load(): Promise<void> {
    const mine = ++generation
    const page = await listMySubscriptions()
    if (mine !== generation) return
    items.value = page.data
    loaded.value = true
  }

  function put(subscription: PersonSubscription): void {
    items.value = items.value.map((held) => (held.id === subscription.id ? subscription : held))
  }

  /** Ends `id` at the end of its paid period (a past-due one at once); the list shows what the server saved. */
  async function cancel(id: string): Promise<PersonSubscription> {
    const saved = await cancelMySubscription(id)
    put(saved)
    return saved
  }

  /**
   * Pays the due period of past-due `id`. Pressing again after a dropped connection retries the
   * same payment, so it cannot be paid twice; after a refusal the next press is a new attempt.
   */
  async function pay(id: string): Promise<PersonSubscription> {
    const attempt = payAttempts.get(id) ?? createAttemptKey()
    payAttempts.set(id, attempt)
    try {
      const saved = await payMySubscription(id, attempt.keyFor(id))
      attempt.settle()
      put(saved)
      return saved
    } catch (error) {
      attempt.settle(error)
      throw error
    }
  }

  function reset(): void {
    generation++
    items.value = []
    loaded.value = false
    payAttempts.clear()
  }

  return { items, loaded, byPartner, load, cancel, pay, reset }
})
