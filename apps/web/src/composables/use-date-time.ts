import { useI18n } from 'vue-i18n'

/** Timestamps from the API (ISO 8601) in the interface language and the browser's time zone. */
export function useDateTime() {
  const { locale } = useI18n({ useScope: 'global' })
  const formatter = (options: Intl.DateTimeFormatOptions) => (iso: string) =>
    new Intl.DateTimeFormat(locale.value, options).format(new Date(iso))
  return {
    format: formatter({ dateStyle: 'medium', timeStyle: 'short' }),
    /** To the second, where moments seconds apart must be told apart (webhook attempts). */
    formatPrecise: formatter({ dateStyle: 'medium', timeStyle: 'medium' }),
    /** The day alone, where a narrow column has no room for the time. */
    formatDate: formatter({ dateStyle: 'medium' }),
    /** Day and month on the calendar the server counts months in (UTC): when a monthly limit starts over. */
    formatUtcDay: formatter({ day: 'numeric', month: 'short', timeZone: 'UTC' }),
  }
}
