/**
 * Seconds to wait after each failed attempt: the Standard Webhooks example schedule (5 s, 5 min,
 * 30 min, 2 h, 5 h, 10 h, 10 h) continued with four 12-hour retries, so that a partner who is down
 * for three days still gets every event. 12 attempts over about 75 hours, before jitter.
 */
export const DEFAULT_RETRY_SCHEDULE: readonly number[] = [
  5, 300, 1_800, 7_200, 18_000, 36_000, 36_000, 43_200, 43_200, 43_200, 43_200,
]

/** Up to 10% more, so that deliveries failed together by one outage do not all return together. */
const JITTER = 0.1

/**
 * When to try again after a failed attempt at `step` of the schedule, or null when the schedule
 * is used up. Jitter only lengthens a wait, so the whole schedule never gets shorter than its sum.
 */
export function nextAttemptAt(
  schedule: readonly number[],
  step: number,
  failedAt: Date,
  random: () => number = Math.random,
): Date | null {
  const wait = schedule[step]
  if (wait === undefined) return null
  return new Date(failedAt.getTime() + Math.round(wait * 1000 * (1 + JITTER * random())))
}
