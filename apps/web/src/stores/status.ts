import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { fetchStatus } from '../api/status.ts'
import type { PlatformStatus } from '../api/types.ts'

/** What this PROTUS is: sandbox or live, its currency, whether wallets can be topped up. */
export const useStatusStore = defineStore('status', () => {
  const status = ref<PlatformStatus | null>(null)
  let loading: Promise<void> | null = null

  /** Only a server that said so is a sandbox: a banner saying "no real money" must never be a guess. */
  const sandbox = computed(() => status.value?.mode === 'sandbox')
  /** Offered until the server says otherwise; a top-up it refuses is explained then. */
  const topUpsAvailable = computed(() => status.value?.topups_available !== false)
  const currency = computed(() => status.value?.currency ?? null)

  /** Asks the server once per page load; later calls share the answer, a failure is asked again. */
  function ensureLoaded(): Promise<void> {
    loading ??= fetchStatus().then(
      (current) => {
        status.value = current
      },
      (error: unknown) => {
        loading = null
        throw error
      },
    )
    return loading
  }

  /** The server refused a top-up as unavailable: stop offering them. */
  function markTopUpsUnavailable(): void {
    if (status.value) status.value = { ...status.value, topups_available: false }
  }

  return { status, sandbox, topUpsAvailable, currency, ensureLoaded, markTopUpsUnavailable }
})
