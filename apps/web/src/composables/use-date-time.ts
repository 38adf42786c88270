import { useI18n } from 'vue-i18n'

/** Timestamps from the API (ISO 8601) in the interface language and the browser's time zone. */
export function useDateTime() {
  const { locale } = useI18n({ useScope: 'global' })
  return {
    format: (iso: string) =>
      new Intl.DateTimeFormat(locale.value, { dateStyle: 'medium', timeStyle: 'short' }).format(
        new Date(iso),
      ),
    /** The day alone, where a narrow column has no room for the time. */
    formatDate: (iso: string) =>
      new Intl.DateTimeFormat(locale.value, { dateStyle: 'medium' }).format(new Date(iso)),
  }
}
