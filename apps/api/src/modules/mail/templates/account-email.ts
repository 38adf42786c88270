import type { MailTemplate } from './mail-template.js'

export interface LinkParams {
  /** The link to follow: it carries a single-use token. */
  link: string
}

/** After registration (or "Send again"): prove the address is the account's. Valid 24 hours. */
export const verifyEmail: MailTemplate<LinkParams> = {
  en: ({ link }) => ({
    subject: 'Confirm your email for PROTUS',
    blocks: [
      'Please confirm that this is your email address for your PROTUS account.',
      { link, label: 'Confirm email' },
      'The link works once, for 24 hours. If you did not create a PROTUS account, ignore this message.',
    ],
  }),
  ru: ({ link }) => ({
    subject: 'Подтвердите почту для PROTUS',
    blocks: [
      'Подтвердите, что это ваш адрес электронной почты для аккаунта PROTUS.',
      { link, label: 'Подтвердить почту' },
      'Ссылка действует один раз в течение 24 часов. Если вы не создавали аккаунт PROTUS, просто проигнорируйте это письмо.',
    ],
  }),
}

export interface ChangeEmailParams extends LinkParams {
  /** The address the account's email changes to (this message's recipient). */
  email: string
}

/** To the new address of an email change: the change happens when this link is followed. */
export const changeEmail: MailTemplate<ChangeEmailParams> = {
  en: ({ link, email }) => ({
    subject: 'Confirm your new email for PROTUS',
    blocks: [
      `Someone asked to change the email of a PROTUS account to ${email}. Confirm it to make the change.`,
      { link, label: 'Confirm new email' },
      'The link works once, for 24 hours. If you did not ask for this, ignore this message: nothing changes.',
    ],
  }),
  ru: ({ link, email }) => ({
    subject: 'Подтвердите новую почту для PROTUS',
    blocks: [
      `Поступил запрос сменить почту аккаунта PROTUS на ${email}. Подтвердите её, чтобы адрес сменился.`,
      { link, label: 'Подтвердить новую почту' },
      'Ссылка действует один раз в течение 24 часов. Если вы этого не просили, проигнорируйте письмо: ничего не изменится.',
    ],
  }),
}

export interface EmailChangedParams {
  /** The account's new address. */
  email: string
}

/** To the old address once an email change took effect. */
export const emailChanged: MailTemplate<EmailChangedParams> = {
  en: ({ email }) => ({
    subject: 'Your PROTUS email was changed',
    blocks: [
      `The email of your PROTUS account is now ${email}. PROTUS will write to that address from now on.`,
      'If you did not make this change, reset your password from the sign-in page and contact support.',
    ],
  }),
  ru: ({ email }) => ({
    subject: 'Почта вашего аккаунта PROTUS изменена',
    blocks: [
      `Теперь почта вашего аккаунта PROTUS — ${email}. Дальше PROTUS будет писать на этот адрес.`,
      'Если это сделали не вы, сбросьте пароль на странице входа и обратитесь в поддержку.',
    ],
  }),
}

/** "Forgot password?": a link to set a new password. Valid 1 hour. */
export const resetPassword: MailTemplate<LinkParams> = {
  en: ({ link }) => ({
    subject: 'Reset your PROTUS password',
    blocks: [
      'Someone asked to reset the password of your PROTUS account. Follow the link to choose a new one.',
      { link, label: 'Choose a new password' },
      'The link works once, for 1 hour. If you did not ask for this, ignore this message: your password stays as it is.',
    ],
  }),
  ru: ({ link }) => ({
    subject: 'Сброс пароля PROTUS',
    blocks: [
      'Поступил запрос на сброс пароля вашего аккаунта PROTUS. Перейдите по ссылке, чтобы задать новый.',
      { link, label: 'Задать новый пароль' },
      'Ссылка действует один раз в течение 1 часа. Если вы этого не просили, проигнорируйте письмо: пароль останется прежним.',
    ],
  }),
}

/** After a password was set from a reset link: every session was signed out. */
export const passwordReset: MailTemplate<Record<string, never>> = {
  en: () => ({
    subject: 'Your PROTUS password was reset',
    blocks: [
      'The password of your PROTUS account was just changed from a reset link, and every device was signed out.',
      'If you did not do this, reset your password again at once from the sign-in page.',
    ],
  }),
  ru: () => ({
    subject: 'Пароль PROTUS сброшен',
    blocks: [
      'Пароль вашего аккаунта PROTUS только что изменён по ссылке для сброса, и все устройства вышли из аккаунта.',
      'Если это были не вы, сразу сбросьте пароль ещё раз на странице входа.',
    ],
  }),
}
