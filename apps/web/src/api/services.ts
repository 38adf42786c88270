import { http } from './http.ts'
import type { Page, Service, ServiceCreate, ServiceUpdate } from './types.ts'

export interface ServiceListQuery {
  limit?: number
  starting_after?: string
  active?: boolean
}

export function listServices(query: ServiceListQuery = {}): Promise<Page<Service>> {
  return http.get('/v1/services', { ...query })
}

export function createService(input: ServiceCreate): Promise<Service> {
  return http.post('/v1/services', input)
}

export function updateService(id: string, update: ServiceUpdate): Promise<Service> {
  return http.patch(`/v1/services/${encodeURIComponent(id)}`, update)
}

export function fetchService(id: string): Promise<Service> {
  return http.get(`/v1/services/${encodeURIComponent(id)}`)
}
