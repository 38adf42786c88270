import { useI18n } from 'vue-i18n'

/** Timestamps from the API (ISO 8601) in the interface language and the browser's time zone. */
export function useDateTime() {
  const { locale } = useI18n({ useScope: 'global' })
  return {
    format: (iso: string) =>
      new Intl.DateTimeFormat(locale.value, { dateStyle: 'medium', timeStyle: 'short' }).format(
        new Date(iso),
      ),
  }
}
