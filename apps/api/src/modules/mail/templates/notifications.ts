import type { MailLocale, MailTemplate } from './mail-template.js'

/** Minor units for people, exactly (no floating point): 15000 RUB -> "₽150.00" / "150,00 ₽". */
export function formatMoney(minor: number, currency: string, locale: MailLocale): string {
  const code = currency.toUpperCase()
  const options = { style: 'currency', currency: code, currencyDisplay: 'narrowSymbol' } as const
  const format = new Intl.NumberFormat(locale, options)
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2
  const padded = String(Math.abs(minor)).padStart(digits + 1, '0')
  const decimal = digits === 0 ? padded : `${padded.slice(0, -digits)}.${padded.slice(-digits)}`
  return format.format(`${minor < 0 ? '-' : ''}${decimal}` as Intl.StringNumericLiteral)
}

export interface ReceiptParams {
  partner: string
  /** The service of the partner's catalogue charged for, when the charge names one. */
  service: string | null
  /** Whether the charge paid a subscription's period. */
  subscription: boolean
  amount: number
  balance: number
  currency: string
  /** The charge's line on the person's statement in the web app. */
  link: string
}

/** A receipt for one charge (a subscription's period too): who took what, and what is left. */
export const receipt: MailTemplate<ReceiptParams> = {
  en: (p) => ({
    subject: `Receipt: ${formatMoney(p.amount, p.currency, 'en')} to ${p.partner}`,
    blocks: [
      `${p.partner} charged ${formatMoney(p.amount, p.currency, 'en')} to your PROTUS wallet` +
        (p.subscription ? ' for your subscription.' : '.'),
      ...(p.service ? [`Service: ${p.service}`] : []),
      `Available in your wallet now: ${formatMoney(p.balance, p.currency, 'en')}`,
      { link: p.link, label: 'See it on your statement' },
      'You can turn receipts off on your PROTUS account page.',
    ],
  }),
  ru: (p) => ({
    subject: `Чек: ${formatMoney(p.amount, p.currency, 'ru')}, ${p.partner}`,
    blocks: [
      `${p.partner} списал ${formatMoney(p.amount, p.currency, 'ru')} с вашего кошелька PROTUS` +
        (p.subscription ? ' за подписку.' : '.'),
      ...(p.service ? [`Услуга: ${p.service}`] : []),
      `Доступно в кошельке сейчас: ${formatMoney(p.balance, p.currency, 'ru')}`,
      { link: p.link, label: 'Посмотреть в выписке' },
      'Чеки можно отключить на странице аккаунта PROTUS.',
    ],
  }),
}

export interface NewPartnerParams {
  partner: string
  /** The person's connected services in the web app. */
  link: string
}

/** Sent at a person's first consent to a partner. */
export const newPartner: MailTemplate<NewPartnerParams> = {
  en: (p) => ({
    subject: `${p.partner} is now connected to your PROTUS wallet`,
    blocks: [
      `You signed in to ${p.partner} with PROTUS and allowed it access to your wallet.`,
      'If this was not you, revoke its access and change your password.',
      { link: p.link, label: 'See connected services' },
    ],
  }),
  ru: (p) => ({
    subject: `${p.partner} подключён к вашему кошельку PROTUS`,
    blocks: [
      `Вы вошли в ${p.partner} через PROTUS и дали доступ к своему кошельку.`,
      'Если это были не вы, отзовите доступ и смените пароль.',
      { link: p.link, label: 'Подключённые сервисы' },
    ],
  }),
}

export interface LowBalanceParams {
  balance: number
  threshold: number
  currency: string
  /** The wallet in the web app, where it is topped up. */
  link: string
}

/** Sent once each time the available funds fall below the threshold the person set. */
export const lowBalance: MailTemplate<LowBalanceParams> = {
  en: (p) => ({
    subject: `Your PROTUS wallet is below ${formatMoney(p.threshold, p.currency, 'en')}`,
    blocks: [
      `Available in your wallet now: ${formatMoney(p.balance, p.currency, 'en')}, below the ${formatMoney(p.threshold, p.currency, 'en')} you asked to be told about.`,
      { link: p.link, label: 'Top up your wallet' },
    ],
  }),
  ru: (p) => ({
    subject: `В кошельке PROTUS меньше ${formatMoney(p.threshold, p.currency, 'ru')}`,
    blocks: [
      `Доступно в кошельке сейчас: ${formatMoney(p.balance, p.currency, 'ru')} — меньше порога ${formatMoney(p.threshold, p.currency, 'ru')}, о котором вы просили сообщить.`,
      { link: p.link, label: 'Пополнить кошелёк' },
    ],
  }),
}
