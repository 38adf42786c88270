import { ApiError, http } from './http.ts'
import type { AccountKind, CompanyCreated, Customer, Me } from './types.ts'

export interface CustomerRegistration {
  email: string
  username: string
  password: string
}

export interface CompanyRegistration {
  email: string
  name: string
  password: string
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

/** The signed-in account, or null when there is no session. */
export async function fetchMe(): Promise<Me | null> {
  try {
    const me = await http.get<Me>('/v1/me')
    http.setCsrfToken(me.csrf_token)
    return me
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      http.setCsrfToken(null)
      return null
    }
    throw error
  }
}
