import { describe, expect, it } from 'vitest'
import type { WebhookAttempt, WebhookDelivery } from '../api/types.ts'
import { attemptError, sendOutcome } from './webhook-attempts.ts'

const attempt = (fields: Partial<WebhookAttempt>): WebhookAttempt => ({
  attempted_at: '2026-12-05T10:00:00.000Z',
  url: 'https://partner.example/hooks',
  http_status: null,
  error: null,
  duration_ms: 200,
  response_excerpt: null,
  succeeded: false,
  manual: false,
  ...fields,
})

const delivery = (fields: Partial<WebhookDelivery>): WebhookDelivery =>
  ({
    id: 'whd_1',
    status: 'pending',
    attempt_count: fields.attempts?.length ?? 0,
    next_attempt_at: null,
    attempts: [],
    ...fields,
  }) as WebhookDelivery

describe('sendOutcome', () => {
  it('is on its way while watched without an attempt, and unanswered once watching ends', () => {
    expect(sendOutcome(delivery({}), true)).toEqual({ kind: 'sending' })
    expect(sendOutcome(delivery({}), false)).toEqual({ kind: 'no_answer_yet' })
  })

  it('is delivered with the status the endpoint answered', () => {
    const done = delivery({ status: 'succeeded', attempts: [attempt({ http_status: 204, succeeded: true })] })
    expect(sendOutcome(done, false)).toEqual({ kind: 'delivered', status: 204 })
  })

  it('counts the wait to the retry from the end of the attempt, not from now', () => {
    const retrying = delivery({
      attempts: [attempt({ http_status: 500 })],
      // 5.3 s after the attempt ended (started 10:00:00.000, took 200 ms)
      next_attempt_at: '2026-12-05T10:00:05.500Z',
    })
    expect(sendOutcome(retrying, false)).toEqual({ kind: 'answered', status: 500, retryInMs: 5300 })
  })

  it('says no retry is left once the delivery failed, and why the endpoint was not reached', () => {
    const failed = delivery({ status: 'failed', attempts: [attempt({ error: 'connection refused' })] })
    expect(sendOutcome(failed, false)).toEqual({
      kind: 'unreachable',
      error: 'connection refused',
      retryInMs: null,
    })
  })

  it('tells a 410 that disabled the endpoint and a skipped delivery apart from retries', () => {
    expect(sendOutcome(delivery({ attempts: [attempt({ http_status: 410 })] }), false)).toEqual({
      kind: 'gone',
    })
    expect(sendOutcome(delivery({ status: 'skipped' }), false)).toEqual({ kind: 'skipped' })
  })
})

describe('attemptError', () => {
  it('turns the worker’s known failures into messages and keeps others as recorded', () => {
    expect(attemptError('connection refused')).toEqual({ key: 'webhooks.attempts.errors.refused' })
    expect(attemptError('host not found')).toEqual({ key: 'webhooks.attempts.errors.notFound' })
    expect(attemptError('timeout: no answer within 15 s')).toEqual({
      key: 'webhooks.attempts.errors.timeout',
      params: { seconds: 15 },
    })
    expect(attemptError('refused: localhost is not a public address')).toEqual({
      key: 'webhooks.attempts.errors.notPublic',
    })
    expect(attemptError('refused: hooks.example resolves to 10.0.0.1, which is not public')).toEqual({
      key: 'webhooks.attempts.errors.notPublic',
    })
    expect(attemptError('EPIPE: broken pipe')).toBe('EPIPE: broken pipe')
  })
})
