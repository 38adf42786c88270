import { useI18n } from 'vue-i18n'
import { currencySymbol, formatMoney } from '../i18n/money.ts'

/** formatMoney bound to the interface language. */
export function useMoney() {
  const { locale } = useI18n({ useScope: 'global' })
  return {
    format: (minor: number, currency: string) => formatMoney(minor, currency, locale.value),
    /** With a + or - sign: a movement into or out of a balance. */
    formatSigned: (minor: number, currency: string) =>
      formatMoney(minor, currency, locale.value, { signed: true }),
    /** The currency's sign alone, beside a field for an amount. */
    symbol: (currency: string) => currencySymbol(currency, locale.value),
  }
}
