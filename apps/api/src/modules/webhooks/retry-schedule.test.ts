import { describe, expect, it } from 'vitest'
import { DEFAULT_RETRY_SCHEDULE, nextAttemptAt } from './retry-schedule.js'

describe('the retry schedule', () => {
  it('keeps retrying for at least three days, even with the least jitter', () => {
    const total = DEFAULT_RETRY_SCHEDULE.reduce((sum, s) => sum + s, 0)
    expect(total).toBeGreaterThanOrEqual(3 * 86_400)
    expect(DEFAULT_RETRY_SCHEDULE[0]).toBe(5)
  })

  it('waits the step’s delay plus at most 10% jitter', () => {
    const failedAt = new Date('2026-01-01T00:00:00Z')
    expect(nextAttemptAt([300], 0, failedAt, () => 0)?.toISOString()).toBe('2026-01-01T00:05:00.000Z')
    expect(nextAttemptAt([300], 0, failedAt, () => 0.999)?.getTime()).toBe(failedAt.getTime() + 329_970)
  })

  it('answers null once the schedule is used up', () => {
    expect(nextAttemptAt([5, 300], 2, new Date())).toBeNull()
  })
})
