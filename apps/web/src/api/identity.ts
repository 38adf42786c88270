import { http } from './http.ts'
import type { AccountKind, CompanyCreated, Customer, Me, SessionState } from './types.ts'

export interface CustomerRegistration {
  email: string
  username: string
  password: string
  /** The language of PROTUS's emails to the person. */
  locale?: 'en' | 'ru'
}

export interface CompanyRegistration {
  email: string
  name: string
  password: string
  /** The language of PROTUS's emails to the company. */
  locale?: 'en' | 'ru'
}

export interface Credentials {
  email: string
  password: string
  /** Without it, the server signs in to the email's account that the password opens. */
  kind?: AccountKind
}

export function registerCustomer(input: CustomerRegistration): Promise<Customer> {
  return http.post('/v1/customers', input)
}

export function registerCompany(input: CompanyRegistration): Promise<CompanyCreated> {
  return http.post('/v1/companies', input)
}

export async function createSession(credentials: Credentials): Promise<Me> {
  const me = await http.post<Me>('/v1/sessions', credentials)
  http.setCsrfToken(me.csrf_token)
  return me
}

export async function deleteSession(): Promise<void> {
  await http.delete<void>('/v1/sessions')
  http.setCsrfToken(null)
}

/**
 * The signed-in account, or null when there is no session. GET /v1/sessions answers 200 either
 * way, so a signed-out visitor's page logs no failed request.
 */
export async function fetchMe(): Promise<Me | null> {
  const state = await http.get<SessionState>('/v1/sessions')
  const me = state.signed_in ? state.me : null
  http.setCsrfToken(me?.csrf_token ?? null)
  return me
}
