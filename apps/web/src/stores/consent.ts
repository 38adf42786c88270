import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { decideConsentRequest, fetchConsentRequest } from '../api/oauth.ts'
import type { ConsentDecision, ConsentRequest } from '../api/types.ts'
import { limitApplies } from '../composables/monthly-limit.ts'
import { knownScopes } from '../composables/scopes.ts'
import { type ConsentChoices, chosenScopes, initialChoices, shownScopes } from './consent-choices.ts'

/** A partner's request to act for the signed-in person, and what the person chose to allow. */
export const useConsentStore = defineStore('consent', () => {
  const request = ref<ConsentRequest | null>(null)
  const choices = ref<ConsentChoices>({})
  /** The monthly spending limit to set, in minor units; null: no limit. */
  const monthlyLimit = ref<number | null>(null)

  const scopes = computed(() => (request.value ? shownScopes(request.value.scopes) : []))
  /** Allowed before and not asked about: they stay allowed whatever the answer. */
  const keptScopes = computed(() => knownScopes(request.value?.kept_scopes ?? []))
  const chosen = computed(() => (request.value ? chosenScopes(request.value.scopes, choices.value) : []))
  /** The person is asked for a limit only when the partner may take money. */
  const asksForLimit = computed(() => limitApplies(chosen.value))

  async function open(id: string): Promise<void> {
    if (request.value?.id !== id) reset()
    const current = await fetchConsentRequest(id)
    request.value = current
    choices.value = initialChoices(current.scopes)
    monthlyLimit.value = current.monthly_limit ?? null
  }

  /** Answers the request; resolves to the partner's address to send the browser to. */
  async function decide(allow: boolean): Promise<string> {
    const current = request.value
    if (!current) throw new Error('no consent request is open')
    let decision: ConsentDecision = { allow: false }
    if (allow) {
      // Without a money scope the limit was not shown, so one set before stays as it was.
      decision = asksForLimit.value
        ? { allow: true, scopes: chosen.value, monthly_limit: monthlyLimit.value }
        : { allow: true, scopes: chosen.value }
    }
    const { redirect_to } = await decideConsentRequest(current.id, decision)
    return redirect_to
  }

  function reset(): void {
    request.value = null
    choices.value = {}
    monthlyLimit.value = null
  }

  return { request, choices, monthlyLimit, scopes, keptScopes, chosen, asksForLimit, open, decide, reset }
})
