import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { decideConsentRequest, fetchConsentRequest } from '../api/oauth.ts'
import type { ConsentRequest } from '../api/types.ts'
import { type ConsentChoices, chosenScopes, initialChoices, shownScopes } from './consent-choices.ts'

/** A partner's request to act for the signed-in person, and what the person chose to allow. */
export const useConsentStore = defineStore('consent', () => {
  const request = ref<ConsentRequest | null>(null)
  const choices = ref<ConsentChoices>({})

  const scopes = computed(() => (request.value ? shownScopes(request.value.scopes) : []))
  const chosen = computed(() => (request.value ? chosenScopes(request.value.scopes, choices.value) : []))

  async function open(id: string): Promise<void> {
    if (request.value?.id !== id) reset()
    const current = await fetchConsentRequest(id)
    request.value = current
    choices.value = initialChoices(current.scopes)
  }

  /** Answers the request; resolves to the partner's address to send the browser to. */
  async function decide(allow: boolean): Promise<string> {
    const current = request.value
    if (!current) throw new Error('no consent request is open')
    const decision = allow ? { allow: true as const, scopes: chosen.value } : { allow: false as const }
    const { redirect_to } = await decideConsentRequest(current.id, decision)
    return redirect_to
  }

  function reset(): void {
    request.value = null
    choices.value = {}
  }

  return { request, choices, scopes, chosen, open, decide, reset }
})
