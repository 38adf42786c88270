import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createClaimLoop } from './claim-loop.js'

/** A loop whose claims answer from `answers` (then 0), recording when each claim began. */
function loopOf(answers: number[], options: { minGapMs?: number } = {}) {
  const claims: number[] = []
  const start = Date.now()
  const loop = createClaimLoop({
    concurrency: 4,
    pollMs: 10_000,
    stopWaitMs: 100,
    ...options,
    claim: async () => {
      claims.push(Date.now() - start)
      return answers.shift() ?? 0
    },
    onError: (error) => {
      throw error
    },
  })
  return { loop, claims }
}

describe('the claim loop of an outbox worker', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('claims once per wake-up without a gap', async () => {
    const { loop, claims } = loopOf([])
    loop.start()
    for (let t = 0; t < 50; t += 5) {
      await vi.advanceTimersByTimeAsync(5)
      loop.wake()
    }
    await vi.advanceTimersByTimeAsync(1)
    expect(claims.length).toBe(11)
    await loop.stop()
  })

  it('takes the wake-ups that come within the gap in one claim after it, and loses none', async () => {
    const { loop, claims } = loopOf([], { minGapMs: 50 })
    loop.start()
    // Ten wake-ups within 50 ms of the first claim, then one more at 45 ms past the second.
    for (let t = 0; t < 50; t += 5) {
      await vi.advanceTimersByTimeAsync(5)
      loop.wake()
    }
    await vi.advanceTimersByTimeAsync(45)
    loop.wake()
    await vi.advanceTimersByTimeAsync(200)
    expect(claims).toEqual([0, 50, 100])
    // Quiet for longer than the gap: a wake-up is claimed at once.
    await vi.advanceTimersByTimeAsync(1_000)
    loop.wake()
    await vi.advanceTimersByTimeAsync(1)
    expect(claims).toEqual([0, 50, 100, 1_295])
    await loop.stop()
  })

  it('claims again at once after a claim that took all it could', async () => {
    const { loop, claims } = loopOf([4, 4, 4], { minGapMs: 50 })
    loop.start()
    await vi.advanceTimersByTimeAsync(1)
    expect(claims).toEqual([0, 0, 0, 0])
    await loop.stop()
  })

  it('claims at once when an item finishes, however soon after the last claim', async () => {
    const claims: number[] = []
    let release: () => void = () => {}
    const loop = createClaimLoop({
      concurrency: 4,
      pollMs: 10_000,
      stopWaitMs: 100,
      minGapMs: 50,
      claim: async () => {
        claims.push(Date.now())
        // The first claim takes one item (fewer than it could), which finishes 10 ms later.
        if (claims.length > 1) return 0
        loop.track(new Promise<void>((resolve) => (release = resolve)))
        return 1
      },
      onError: (error) => {
        throw error
      },
    })
    const start = Date.now()
    loop.start()
    await vi.advanceTimersByTimeAsync(10)
    release()
    await vi.advanceTimersByTimeAsync(1)
    expect(claims.map((t) => t - start)).toEqual([0, 10])
    await loop.stop()
  })

  it('stops while it waits out the gap', async () => {
    const { loop, claims } = loopOf([], { minGapMs: 10_000 })
    loop.start()
    await vi.advanceTimersByTimeAsync(5)
    loop.wake()
    await vi.advanceTimersByTimeAsync(5)
    const stopped = loop.stop()
    await vi.advanceTimersByTimeAsync(1)
    await stopped
    expect(claims).toEqual([0])
  })
})
