import '@fontsource-variable/inter'
import 'vuetify/styles'
import { useI18n } from 'vue-i18n'
import { createVuetify } from 'vuetify'
import { aliases, mdi } from 'vuetify/iconsets/mdi-svg'
import { createVueI18nAdapter } from 'vuetify/locale/adapters/vue-i18n'
import type { AppI18n } from '../i18n/index.ts'

type AdapterI18n = Parameters<typeof createVueI18nAdapter>[0]['i18n']

export function createAppVuetify(i18n: AppI18n) {
  return createVuetify({
    // Vuetify types the instance loosely (any locale string); ours knows its locales exactly.
    locale: { adapter: createVueI18nAdapter({ i18n: i18n as unknown as AdapterI18n, useI18n }) },
    icons: { defaultSet: 'mdi', aliases, sets: { mdi } },
    theme: {
      defaultTheme: 'protus',
      themes: {
        protus: {
          dark: false,
          colors: {
            primary: '#2743C6',
            secondary: '#0F766E',
            background: '#F5F6FA',
            surface: '#FFFFFF',
            'surface-variant': '#1E2433',
            'on-surface-variant': '#F1F3F9',
            error: '#C62828',
            success: '#1B7F4B',
            warning: '#B25E00',
            info: '#1E63B5',
          },
        },
      },
    },
    defaults: {
      VCard: { elevation: 0, border: true, rounded: 'lg' },
      VTextField: { variant: 'outlined', density: 'comfortable', color: 'primary' },
      VSelect: { variant: 'outlined', density: 'comfortable', color: 'primary' },
      VAlert: { rounded: 'lg' },
      VBtnToggle: { rounded: 'lg' },
      VChip: { rounded: 'lg' },
    },
  })
}
