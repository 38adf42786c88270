import type { Recurring } from '../api/types.ts'
import { useI18n } from '../i18n/use-i18n.ts'

/** "One-off", "Every month", "Every 3 months" (and the Russian forms) for a service. */
export function useBillingLabel() {
  const { t } = useI18n()
  return (recurring: Recurring | null): string =>
    recurring
      ? t('services.every', { period: t(`services.intervals.${recurring.interval}`, recurring.count) })
      : t('services.oneOff')
}
