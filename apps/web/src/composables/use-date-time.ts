import { useI18n } from 'vue-i18n'

const UNITS: [unit: Intl.RelativeTimeFormatUnit, seconds: number, below: number][] = [
  ['second', 1, 90],
  ['minute', 60, 50 * 60],
  ['hour', 3600, 36 * 3600],
  ['day', 86_400, Number.POSITIVE_INFINITY],
]

/** A wait ahead, in the largest unit that still reads naturally: "in 5 seconds", "через 1 час". */
export function relativeIn(locale: string, ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000))
  const [unit, size] = UNITS.find(([, , below]) => seconds < below) ?? ['day', 86_400]
  return new Intl.RelativeTimeFormat(locale, { numeric: 'always' }).format(Math.round(seconds / size), unit)
}

/** Timestamps from the API (ISO 8601) in the interface language and the browser's time zone. */
export function useDateTime() {
  const { locale } = useI18n({ useScope: 'global' })
  const formatter = (options: Intl.DateTimeFormatOptions) => (iso: string) =>
    new Intl.DateTimeFormat(locale.value, options).format(new Date(iso))
  const time = formatter({ timeStyle: 'medium' })
  const formatPrecise = formatter({ dateStyle: 'medium', timeStyle: 'medium' })
  return {
    format: formatter({ dateStyle: 'medium', timeStyle: 'short' }),
    /** To the second, where moments seconds apart must be told apart (webhook attempts). */
    formatPrecise,
    /** To the second, without the date when it is today: a recent moment in a narrow cell. */
    formatRecent: (iso: string) =>
      new Date(iso).toDateString() === new Date().toDateString() ? time(iso) : formatPrecise(iso),
    /** The day alone, where a narrow column has no room for the time. */
    formatDate: formatter({ dateStyle: 'medium' }),
    /** Day and month on the calendar the server counts months in (UTC): when a monthly limit starts over. */
    formatUtcDay: formatter({ day: 'numeric', month: 'short', timeZone: 'UTC' }),
    /** A wait ahead of `ms` milliseconds, in words: "in 5 seconds". */
    formatIn: (ms: number) => relativeIn(locale.value, ms),
  }
}
