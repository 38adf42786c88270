import { http } from './http.ts'
import { isChallenge, type SignInChallenge } from './two-factor.ts'
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

/** Signs in, or answers the challenge of the code step when the account has two-factor on. */
export async function createSession(credentials: Credentials): Promise<Me | SignInChallenge> {
  const answer = await http.post<Me | SignInChallenge>('/v1/sessions', credentials)
  if (isChallenge(answer)) return answer
  http.setCsrfToken(answer.csrf_token)
  return answer
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
