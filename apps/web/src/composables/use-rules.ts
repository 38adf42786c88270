import { parseMoney } from '../i18n/money.ts'
import { useI18n } from '../i18n/use-i18n.ts'
import { limitFromText } from './monthly-limit.ts'
import { isAllowedEndpointUrl } from './urls.ts'
import { useMoney } from './use-money.ts'

type Rule = (value: string) => true | string

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const USERNAME = /^[A-Za-z0-9._-]{3,32}$/
const MAX_PRICE = 10 ** 12

/** Form validation rules with messages in the interface language; the server checks again. */
export function useRules() {
  const { t } = useI18n()
  const money = useMoney()

  const required: Rule = (value) => (value ?? '').trim() !== '' || t('validation.required')
  const email: Rule = (value) => EMAIL.test((value ?? '').trim()) || t('validation.email')
  const password: Rule = (value) =>
    ((value ?? '').length >= 8 && (value ?? '').length <= 256) || t('validation.passwordLength')
  const username: Rule = (value) => USERNAME.test((value ?? '').trim()) || t('validation.username')
  const maxLength =
    (max: number): Rule =>
    (value) =>
      (value ?? '').trim().length <= max || t('validation.maxLength', { max })
  const endpointUrl: Rule = (value) => isAllowedEndpointUrl((value ?? '').trim()) || t('validation.url')
  const wholeNumber =
    (min: number, max: number): Rule =>
    (value) => {
      const n = Number(value)
      return (
        (/^\d+$/.test(String(value).trim()) && n >= min && n <= max) ||
        t('validation.wholeNumber', { min, max })
      )
    }
  const price =
    (currency: () => string): Rule =>
    (value) => {
      const minor = parseMoney(value ?? '', currency())
      if (minor === null) return t('validation.amount')
      if (minor <= 0) return t('validation.amountPositive')
      if (minor > MAX_PRICE) return t('validation.amountTooLarge')
      return true
    }

  /** An amount of money from `min` to `max` minor units. */
  const amount =
    (currency: () => string, min: number, max: number): Rule =>
    (value) => {
      const minor = parseMoney(value ?? '', currency())
      if (minor === null) return t('validation.amount')
      if (minor < min || minor > max) {
        const range = { min: money.format(min, currency()), max: money.format(max, currency()) }
        return t('validation.amountRange', range)
      }
      return true
    }

  /** A monthly spending limit above zero, or nothing for no limit. */
  const monthlyLimit =
    (currency: () => string): Rule =>
    (value) =>
      limitFromText(value ?? '', currency()) !== undefined || t('validation.limit')

  return {
    required,
    email,
    password,
    username,
    maxLength,
    endpointUrl,
    wholeNumber,
    price,
    amount,
    monthlyLimit,
  }
}
