import { changeEmail, emailChanged, passwordReset, resetPassword, verifyEmail } from './account-email.js'
import type { MailLocale, MailTemplate } from './mail-template.js'
import { lowBalance, newPartner, receipt } from './notifications.js'
import { passwordChanged } from './password-changed.js'
import { testMessage } from './test-message.js'

/**
 * Every kind of message PROTUS sends, by name. A feature that sends mail adds its template here,
 * with its content in every locale; the parameters' types follow from the template.
 */
export const mailTemplates = {
  test_message: testMessage,
  password_changed: passwordChanged,
  receipt,
  new_partner: newPartner,
  low_balance: lowBalance,
  verify_email: verifyEmail,
  change_email: changeEmail,
  email_changed: emailChanged,
  reset_password: resetPassword,
  password_reset: passwordReset,
} as const

export type MailTemplateName = keyof typeof mailTemplates

type ParamsOf<N extends MailTemplateName> =
  (typeof mailTemplates)[N] extends MailTemplate<infer P> ? P : never

/** A message to send: one template, in the recipient's language, with its parameters. */
export type MailMessage = {
  [N in MailTemplateName]: { to: string; template: N; locale: MailLocale; params: ParamsOf<N> }
}[MailTemplateName]
