import type { WebhookAttempt, WebhookDelivery } from '../api/types.ts'
import type { Message } from '../i18n/problems.ts'

/**
 * The failures the delivery worker records in its own words, as messages in the person's
 * language; anything else (a rarer system error) is shown as recorded.
 */
const KNOWN_ERRORS: [RegExp, (match: RegExpExecArray) => Message][] = [
  [/^connection refused$/, () => ({ key: 'webhooks.attempts.errors.refused' })],
  [/^connection reset$/, () => ({ key: 'webhooks.attempts.errors.reset' })],
  [/^host not found$/, () => ({ key: 'webhooks.attempts.errors.notFound' })],
  [
    /^timeout: no answer within ([\d.]+) s$/,
    (match) => ({ key: 'webhooks.attempts.errors.timeout', params: { seconds: Number(match[1]) } }),
  ],
  [/^refused: .*not (a )?public/, () => ({ key: 'webhooks.attempts.errors.notPublic' })],
]

/** An attempt's error as a message to translate, or the recorded text when it is not a known one. */
export function attemptError(error: string): Message | string {
  for (const [pattern, message] of KNOWN_ERRORS) {
    const match = pattern.exec(error)
    if (match) return message(match)
  }
  return error
}

/** What became of a test event (or a retry) so far, for a sentence that says it. */
export type SendOutcome =
  | { kind: 'sending' }
  | { kind: 'no_answer_yet' }
  | { kind: 'skipped' }
  | { kind: 'gone' }
  | { kind: 'delivered'; status: number }
  | { kind: 'answered'; status: number; retryInMs: number | null }
  | { kind: 'unreachable'; error: string; retryInMs: number | null }

/**
 * The outcome of a delivery's last attempt. `watching` says whether the page still fetches it;
 * once it stops, a delivery with no attempt yet has had no answer in time. `retryInMs` is the wait
 * the schedule set after the attempt ended, null when no retry is left.
 */
export function sendOutcome(delivery: WebhookDelivery, watching: boolean): SendOutcome {
  if (delivery.status === 'skipped') return { kind: 'skipped' }
  const last: WebhookAttempt | undefined = delivery.attempts.at(-1)
  if (!last) return { kind: watching ? 'sending' : 'no_answer_yet' }
  if (last.succeeded && last.http_status !== null) return { kind: 'delivered', status: last.http_status }
  // 410 disables the endpoint: the event waits for a new URL rather than for a retry.
  if (last.http_status === 410 && delivery.status === 'pending') return { kind: 'gone' }
  const ended = Date.parse(last.attempted_at) + last.duration_ms
  const retryInMs =
    delivery.status === 'pending' && delivery.next_attempt_at
      ? Math.max(0, Date.parse(delivery.next_attempt_at) - ended)
      : null
  if (last.http_status !== null) return { kind: 'answered', status: last.http_status, retryInMs }
  return { kind: 'unreachable', error: last.error ?? '', retryInMs }
}
