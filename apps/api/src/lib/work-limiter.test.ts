import { afterEach, describe, expect, it, vi } from 'vitest'
import { DomainError } from './domain-error.js'
import { createWorkLimiter } from './work-limiter.js'

/** A task that runs until the test lets it finish. */
function gate() {
  let open!: () => void
  const done = new Promise<void>((resolve) => {
    open = resolve
  })
  return { task: () => done, open }
}

const limits = { concurrency: 2, queue: 2, maxWaitMs: 1_000, retryAfterSeconds: 1 }

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(DomainError)
  return error as DomainError
}

afterEach(() => {
  vi.useRealTimers()
})

describe('the work limiter', () => {
  it('runs the allowed number at once, queues a few and refuses the next with busy and Retry-After', async () => {
    const limiter = createWorkLimiter(limits)
    const gates = [gate(), gate(), gate(), gate()]
    const runs = gates.map((g) => limiter.run(g.task))
    expect(limiter.stats()).toEqual({ running: 2, waiting: 2, refused: 0 })
    const refused = await refusal(limiter.run(async () => 'never'))
    expect(refused.code).toBe('busy')
    expect(refused.extra.headers).toEqual({ 'retry-after': '1' })
    for (const g of gates) g.open()
    await Promise.all(runs)
    expect(limiter.stats()).toEqual({ running: 0, waiting: 0, refused: 1 })
    expect(await limiter.run(async () => 'free again')).toBe('free again')
  })

  it('hands a finished slot to the longest waiter, never to more than the limit', async () => {
    const limiter = createWorkLimiter({ ...limits, concurrency: 1 })
    const order: string[] = []
    const first = gate()
    const a = limiter.run(async () => {
      order.push('a')
      await first.task()
    })
    const b = limiter.run(async () => {
      order.push('b')
      expect(limiter.stats().running).toBe(1)
    })
    const c = limiter.run(async () => {
      order.push('c')
    })
    await Promise.resolve()
    expect(order).toEqual(['a'])
    first.open()
    await Promise.all([a, b, c])
    expect(order).toEqual(['a', 'b', 'c'])
  })

  it('refuses a task that waited longer than allowed and frees its place in the queue', async () => {
    vi.useFakeTimers()
    const limiter = createWorkLimiter({ ...limits, concurrency: 1, queue: 1 })
    const held = gate()
    const running = limiter.run(held.task)
    const waiting = limiter.run(async () => 'late')
    vi.advanceTimersByTime(1_001)
    expect((await refusal(waiting)).code).toBe('busy')
    expect(limiter.stats()).toEqual({ running: 1, waiting: 0, refused: 1 })
    held.open()
    await running
  })

  it('frees the slot of a task that failed', async () => {
    const limiter = createWorkLimiter({ ...limits, concurrency: 1 })
    await expect(limiter.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
    expect(limiter.stats()).toEqual({ running: 0, waiting: 0, refused: 0 })
  })
})
