import { createI18n } from 'vue-i18n'
import { en as vuetifyEn, ru as vuetifyRu } from 'vuetify/locale'
import en, { type MessageSchema } from './en.ts'
import { initialLocale, type Locale, rememberLocale } from './locale.ts'
import { russianPlural } from './plural.ts'
import ru from './ru.ts'

export function createAppI18n(locale: Locale = initialLocale()) {
  const i18n = createI18n<[MessageSchema & { $vuetify: typeof vuetifyEn }], Locale, false>({
    legacy: false,
    locale,
    fallbackLocale: 'en',
    messages: {
      en: { ...en, $vuetify: vuetifyEn },
      ru: { ...ru, $vuetify: vuetifyRu },
    },
    pluralRules: { ru: russianPlural },
    missingWarn: false,
    fallbackWarn: false,
  })
  rememberLocale(locale)
  return i18n
}

export type AppI18n = ReturnType<typeof createAppI18n>
