import { DomainError } from './domain-error.js'

export interface WorkLimits {
  /** Tasks run at once. */
  concurrency: number
  /** Tasks that may wait for a free slot; one more is refused at once. */
  queue: number
  /** How long a task may wait for a slot before it is refused. */
  maxWaitMs: number
  /** What the refusal's Retry-After says. */
  retryAfterSeconds: number
}

interface Waiter {
  start(): void
  timer: NodeJS.Timeout
}

/**
 * Runs expensive work (argon2) a few tasks at a time. A few more wait in a short queue; beyond
 * that, or after waiting too long, a task is refused with 503 `busy` and Retry-After, so a burst
 * costs the burst its answers instead of every caller an unbounded wait (and the thread pool that
 * DNS lookups share).
 */
export function createWorkLimiter(limits: WorkLimits) {
  let running = 0
  let refused = 0
  const waiting: Waiter[] = []
  const busy = () => {
    refused += 1
    return new DomainError('busy', 'too much work at once; try again shortly', {
      headers: { 'retry-after': String(limits.retryAfterSeconds) },
    })
  }

  function slot(): Promise<void> {
    if (running < limits.concurrency) {
      running += 1
      return Promise.resolve()
    }
    if (waiting.length >= limits.queue) return Promise.reject(busy())
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        start: resolve,
        timer: setTimeout(() => {
          waiting.splice(waiting.indexOf(waiter), 1)
          reject(busy())
        }, limits.maxWaitMs),
      }
      waiting.push(waiter)
    })
  }

  /** A finished task hands its slot straight to the longest waiter. */
  function release(): void {
    const next = waiting.shift()
    if (!next) {
      running -= 1
      return
    }
    clearTimeout(next.timer)
    next.start()
  }

  return {
    async run<T>(task: () => Promise<T>): Promise<T> {
      await slot()
      try {
        return await task()
      } finally {
        release()
      }
    },

    /** Tasks running and waiting now, and tasks refused since the start. */
    stats: () => ({ running, waiting: waiting.length, refused }),
  }
}

export type WorkLimiter = ReturnType<typeof createWorkLimiter>
