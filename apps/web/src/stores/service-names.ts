import { defineStore } from 'pinia'
import { ref } from 'vue'
import { fetchService } from '../api/services.ts'

/** Names of the company's services for lists that carry only a service id. */
export const useServiceNamesStore = defineStore('serviceNames', () => {
  const names = ref<Record<string, string>>({})
  const asked = new Set<string>()

  /** Looks up the names not known yet; one that cannot be found is shown by its id. */
  async function resolve(ids: readonly (string | null)[]): Promise<void> {
    const missing = [...new Set(ids)].filter((id): id is string => id !== null && !asked.has(id))
    for (const id of missing) asked.add(id)
    await Promise.all(
      missing.map(async (id) => {
        try {
          names.value[id] = (await fetchService(id)).name
        } catch {
          asked.delete(id)
        }
      }),
    )
  }

  function reset(): void {
    names.value = {}
    asked.clear()
  }

  return { names, resolve, reset }
})
