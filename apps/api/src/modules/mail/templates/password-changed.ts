import type { MailTemplate } from './mail-template.js'

export interface PasswordChangedParams {
  /** The person's username or the company's name. */
  name: string
  /** When the password was changed, in UTC: "2026-12-06 10:00 UTC". */
  changed_at: string
}

/** Tells the account's address that its password was changed and the other sessions were ended. */
export const passwordChanged: MailTemplate<PasswordChangedParams> = {
  en: ({ name, changed_at }) => ({
    subject: 'Your PROTUS password was changed',
    blocks: [
      `Hello, ${name}.`,
      `The password of your PROTUS account was changed on ${changed_at}. Every other device signed in to the account was signed out.`,
      'If you did not do this, reset your password at once from the sign-in page ("Forgot password?") and check the devices signed in to your account.',
    ],
  }),
  ru: ({ name, changed_at }) => ({
    subject: 'Пароль PROTUS изменён',
    blocks: [
      `Здравствуйте, ${name}.`,
      `Пароль вашего аккаунта PROTUS был изменён ${changed_at}. Все остальные устройства, где был выполнен вход, отключены от аккаунта.`,
      'Если это были не вы, сразу сбросьте пароль на странице входа («Забыли пароль?») и проверьте список устройств, где выполнен вход.',
    ],
  }),
}
