import { computed } from 'vue'
import { useI18n } from 'vue-i18n'
import { isLocale, LOCALES, type Locale, rememberLocale } from '../i18n/locale.ts'

/** The interface language: read it, switch it (remembered for the next visit). */
export function useLanguage() {
  const { locale } = useI18n({ useScope: 'global' })
  const current = computed<Locale>(() => (isLocale(locale.value) ? locale.value : 'en'))

  function switchTo(next: Locale): void {
    locale.value = next
    rememberLocale(next)
  }

  return { locales: LOCALES, current, switchTo }
}
