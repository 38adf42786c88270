import { http } from './http.ts'
import type { AccountKind } from './types.ts'

/** What following a verification link proved: the account's kind and its (possibly new) email. */
export interface EmailVerified {
  kind: AccountKind
  email: string
}

/** A message in the sandbox mailbox. */
export interface MailboxMessage {
  id: string
  to: string
  subject: string
  text: string
  html: string
  created_at: string
  sent_at: string
}

/** "Forgot password?": the server answers the same whether or not the email has an account. */
export async function requestPasswordReset(email: string): Promise<void> {
  await http.post('/v1/password-resets', { email })
}

/** Sets the new password from the reset link's token; every session of the account ends. */
export function completePasswordReset(token: string, password: string): Promise<{ kind: AccountKind }> {
  return http.post('/v1/password-resets/complete', { token, password })
}

export function completeEmailVerification(token: string): Promise<EmailVerified> {
  return http.post('/v1/email-verifications/complete', { token })
}

/** "Send again": a new verification link to the signed-in account's email. */
export async function resendVerification(): Promise<void> {
  await http.post('/v1/me/email-verification')
}

/** Mails a link to the new address; the email changes when it is followed. */
export async function requestEmailChange(email: string, password: string): Promise<void> {
  await http.post('/v1/me/email', { email, password })
}

/** The sandbox mailbox, newest first (sandbox mode only). */
export async function fetchMailbox(to?: string): Promise<MailboxMessage[]> {
  const page = await http.get<{ data: MailboxMessage[] }>('/v1/sandbox/mail', {
    to: to || undefined,
    limit: 50,
  })
  return page.data
}
