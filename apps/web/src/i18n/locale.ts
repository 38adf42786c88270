// Which language the interface speaks: remembered per browser, announced to assistive
// technology and search engines through <html lang>.

export const LOCALES = ['en', 'ru'] as const
export type Locale = (typeof LOCALES)[number]

export const LOCALE_STORAGE_KEY = 'protus.locale'

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value)
}

interface LocaleEnvironment {
  stored: string | null
  languages: readonly string[]
}

/** The remembered choice first, then the first browser language we speak, then English. */
export function pickLocale({ stored, languages }: LocaleEnvironment): Locale {
  if (isLocale(stored)) return stored
  for (const language of languages) {
    const base = language.toLowerCase().split('-')[0]
    if (isLocale(base)) return base
  }
  return 'en'
}

function readStored(): string | null {
  try {
    return localStorage.getItem(LOCALE_STORAGE_KEY)
  } catch {
    return null
  }
}

export function initialLocale(): Locale {
  return pickLocale({ stored: readStored(), languages: navigator.languages ?? [navigator.language] })
}

export function rememberLocale(locale: Locale): void {
  try {
    localStorage.setItem(LOCALE_STORAGE_KEY, locale)
  } catch {
    // Storage can be disabled (private mode, policies); the choice then lasts for this page only.
  }
  document.documentElement.lang = locale
}
