// Shapes of the identity, company and catalogue endpoints (docs/api-contract-identity.md).

export type AccountKind = 'customer' | 'company'

export interface Customer {
  id: string
  email: string
  username: string
  created_at: string
}

export interface CompanyCreated {
  id: string
  name: string
  email: string
  client_id: string
  client_secret: string
  webhook_secret: string
  created_at: string
}

export interface CustomerMe {
  kind: 'customer'
  id: string
  email: string
  username: string
  csrf_token: string
}

export interface CompanyMe {
  kind: 'company'
  id: string
  email: string
  name: string
  csrf_token: string
}

export type Me = CustomerMe | CompanyMe

export interface SecretInfo {
  hint: string
  created_at: string
  /** Set on a secret that was rotated away and still works until then. */
  expires_at: string | null
}

export interface Company {
  id: string
  name: string
  email: string
  client_id: string
  redirect_uris: string[]
  webhook_url: string | null
  client_secrets: SecretInfo[]
  webhook_secrets: SecretInfo[]
  created_at: string
}

export interface CompanyUpdate {
  name?: string
  webhook_url?: string | null
  redirect_uris?: string[]
}

export type SecretKind = 'client_secret' | 'webhook_secret'

export interface RotatedSecret {
  secret: string
  previous_expires_at: string
}

export type RecurringInterval = 'day' | 'week' | 'month' | 'year'

export interface Recurring {
  interval: RecurringInterval
  count: number
}

export interface Service {
  id: string
  name: string
  /** Integer minor units of `currency`. */
  price: number
  currency: string
  recurring: Recurring | null
  active: boolean
  created_at: string
  updated_at: string
}

export interface ServiceCreate {
  name: string
  price: number
  currency?: string
  recurring?: Recurring | null
}

export interface ServiceUpdate {
  name?: string
  price?: number
  active?: boolean
}

export interface Page<T> {
  data: T[]
  has_more: boolean
}
