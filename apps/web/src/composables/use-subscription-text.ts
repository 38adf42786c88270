import type { Subscription } from '../api/types.ts'
import { codeMessage } from '../i18n/problems.ts'
import { useI18n } from '../i18n/use-i18n.ts'
import { subscriptionState } from './subscription-state.ts'
import { useDateTime } from './use-date-time.ts'
import { useMoney } from './use-money.ts'

type Shown = Pick<
  Subscription,
  | 'amount'
  | 'currency'
  | 'interval'
  | 'interval_count'
  | 'status'
  | 'cancel_at_period_end'
  | 'current_period_end'
  | 'last_payment_error'
>

/** How a subscription reads in the interface language: its price per period, its state, why a payment failed. */
export function useSubscriptionText() {
  const { t } = useI18n()
  const money = useMoney()
  const dateTime = useDateTime()

  return {
    /** "₽500.00 every month", "500,00 ₽ каждые 3 месяца". */
    price: (subscription: Shown): string =>
      t('subscriptions.amountEvery', {
        amount: money.format(subscription.amount, subscription.currency),
        period: t(`subscriptions.every.${subscription.interval}`, subscription.interval_count),
      }),
    /** "Active", "Past due", "Canceled", or "Ends on Jan 5, 2027" for one set to end. */
    state: (subscription: Shown): string => {
      const state = subscriptionState(subscription)
      return state === 'ending'
        ? t('subscriptions.status.ending', { date: dateTime.formatDate(subscription.current_period_end) })
        : t(`subscriptions.status.${state}`)
    },
    /** Why the last renewal was refused, as the person would be told of the same refusal anywhere. */
    paymentError: (subscription: Shown): string | null => {
      const error = subscription.last_payment_error
      if (!error) return null
      const message = codeMessage(error.code, error.message)
      return t(message.key, message.params ?? {})
    },
  }
}

export const STATE_COLORS = {
  active: 'success',
  ending: 'warning',
  past_due: 'error',
  canceled: undefined,
} as const
