import type { NamedValue } from 'vue-i18n'
import { useI18n as useVueI18n } from 'vue-i18n'
import type { MessageSchema } from './en.ts'

/** The dotted path of every message in the English schema: 'signIn.title', 'problems.other'… */
export type MessageKey = Paths<MessageSchema>

type Paths<T> = {
  [K in keyof T & string]: T[K] extends string ? K : `${K}.${Paths<T[K]>}`
}[keyof T & string]

/** vue-i18n's t, taking only keys the messages have: a missing or misspelt key fails the type check. */
export interface Translate {
  (key: MessageKey, plural?: number): string
  (key: MessageKey, named: NamedValue, plural?: number): string
}

/** The translation function of the app's messages, for a component's setup. */
export function useI18n(): { t: Translate } {
  const { t } = useVueI18n()
  return { t }
}
