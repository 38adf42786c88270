import type { WebhookAttempt } from '../api/types.ts'
import { useI18n } from '../i18n/use-i18n.ts'
import { useDateTime } from './use-date-time.ts'
import { attemptError, type SendOutcome } from './webhook-attempts.ts'

/** Webhook attempts and their outcomes in the person's language. */
export function useAttemptText() {
  const { t } = useI18n()
  const dateTime = useDateTime()

  function error(recorded: string): string {
    const message = attemptError(recorded)
    return typeof message === 'string' ? message : t(message.key, message.params ?? {})
  }

  /** What the endpoint answered, or why no answer came back. */
  function outcome(attempt: WebhookAttempt): string {
    if (attempt.http_status !== null) return t('webhooks.attempts.http', { status: attempt.http_status })
    return attempt.error ? error(attempt.error) : t('common.none')
  }

  /** A sentence saying what became of a test event: delivered, retrying and when, or still on its way. */
  function result(sent: SendOutcome): string {
    switch (sent.kind) {
      case 'sending':
        return t('webhooks.test.sending')
      case 'no_answer_yet':
        return t('webhooks.test.noAnswerYet')
      case 'skipped':
        return t('webhooks.test.skipped')
      case 'gone':
        return t('webhooks.test.gone')
      case 'delivered':
        return t('webhooks.test.delivered', { status: sent.status })
      case 'answered':
        return sent.retryInMs === null
          ? t('webhooks.test.answeredFailed', { status: sent.status })
          : t('webhooks.test.answeredRetrying', {
              status: sent.status,
              when: dateTime.formatIn(sent.retryInMs),
            })
      case 'unreachable':
        return sent.retryInMs === null
          ? t('webhooks.test.unreachableFailed', { error: error(sent.error) })
          : t('webhooks.test.unreachableRetrying', {
              error: error(sent.error),
              when: dateTime.formatIn(sent.retryInMs),
            })
    }
  }

  return { error, outcome, result }
}
