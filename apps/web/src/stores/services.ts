import { defineStore } from 'pinia'
import { ref } from 'vue'
import { createService, listServices, updateService } from '../api/services.ts'
import type { Service, ServiceCreate, ServiceUpdate } from '../api/types.ts'

export type ServiceFilter = 'all' | 'active' | 'archived'

const PAGE_SIZE = 50

function activeParam(filter: ServiceFilter): boolean | undefined {
  return filter === 'all' ? undefined : filter === 'active'
}

/** The signed-in company's catalogue, fetched one page at a time. */
export const useServicesStore = defineStore('services', () => {
  const items = ref<Service[]>([])
  const hasMore = ref(false)
  const filter = ref<ServiceFilter>('all')
  const loading = ref(false)
  const loaded = ref(false)

  async function fetchPage(startingAfter?: string): Promise<void> {
    loading.value = true
    try {
      const page = await listServices({
        limit: PAGE_SIZE,
        starting_after: startingAfter,
        active: activeParam(filter.value),
      })
      items.value = startingAfter ? [...items.value, ...page.data] : page.data
      hasMore.value = page.has_more
      loaded.value = true
    } finally {
      loading.value = false
    }
  }

  function load(next: ServiceFilter = filter.value): Promise<void> {
    filter.value = next
    return fetchPage()
  }

  function loadMore(): Promise<void> {
    return fetchPage(items.value.at(-1)?.id)
  }

  function belongsInView(service: Service): boolean {
    const active = activeParam(filter.value)
    return active === undefined || service.active === active
  }

  function put(service: Service): void {
    const index = items.value.findIndex((item) => item.id === service.id)
    if (!belongsInView(service)) {
      if (index >= 0) items.value.splice(index, 1)
    } else if (index >= 0) {
      items.value[index] = service
    } else {
      items.value.unshift(service)
    }
  }

  async function create(input: ServiceCreate): Promise<Service> {
    const service = await createService(input)
    put(service)
    return service
  }

  async function update(id: string, changes: ServiceUpdate): Promise<Service> {
    const service = await updateService(id, changes)
    put(service)
    return service
  }

  function setActive(id: string, active: boolean): Promise<Service> {
    return update(id, { active })
  }

  function reset(): void {
    items.value = []
    hasMore.value = false
    loaded.value = false
    filter.value = 'all'
  }

  return { items, hasMore, filter, loading, loaded, load, loadMore, create, update, setActive, reset }
})
