import { http } from './http.ts'

/** A place where the account is signed in (GET /v1/me/sessions). */
export interface AccountSession {
  id: string
  /** The session of this browser. */
  current: boolean
  browser: string | null
  os: string | null
  user_agent: string
  address: string
  created_at: string
  last_seen_at: string
  expires_at: string
}

export interface PasswordChange {
  current_password: string
  new_password: string
  /** The language of the notice email. */
  locale: 'en' | 'ru'
}

export async function listSessions(): Promise<AccountSession[]> {
  return (await http.get<{ data: AccountSession[] }>('/v1/me/sessions')).data
}

export async function endSession(id: string): Promise<void> {
  await http.delete<void>(`/v1/me/sessions/${encodeURIComponent(id)}`)
}

/** Signs out every other session; answers how many it ended. */
export async function endOtherSessions(): Promise<number> {
  return (await http.post<{ signed_out: number }>('/v1/me/sessions/sign-out-others')).signed_out
}

/** Changes the password and signs out the other sessions; answers how many it ended. */
export async function changePassword(change: PasswordChange): Promise<number> {
  return (await http.post<{ signed_out: number }>('/v1/me/password', change)).signed_out
}
