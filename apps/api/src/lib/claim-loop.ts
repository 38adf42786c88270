/** The outbox workers' `minGapMs`: what a new event may wait for its claim, at most. */
export const CLAIM_GAP_MS = 20

/**
 * The loop of an outbox worker (webhook deliveries, mail): it claims due work under a lease,
 * keeps at most `concurrency` items in flight, and between claims waits for a wake-up or the
 * poll interval. What an item does, and what a claim takes, belong to the worker.
 */
export function createClaimLoop(options: {
  concurrency: number
  pollMs: number
  /** How long `stop` waits for items in flight (unfinished ones go out again after their lease). */
  stopWaitMs: number
  /** Claims at most `limit` due items and hands each one's work to `track`; answers how many. */
  claim(limit: number): Promise<number>
  /** Claims wait until half the slots are free, not one claim per finished item: each claim is a query. */
  chunked?: boolean
  /**
   * After a claim that found less than it could take, a wake-up for new work (`wake`) starts the
   * next claim no sooner than this after it: under a stream of new work one claim takes what came
   * meanwhile, instead of one claim (a few statements) per wake-up. A full claim, and an item that
   * finishes (its slot may let a capped claim take more), claim again at once.
   */
  minGapMs?: number
  onError(error: unknown): void
}) {
  const inFlight = new Set<Promise<void>>()
  let running = false
  let loop: Promise<void> | undefined
  let wake: (() => void) | undefined
  let wokenWhileBusy = false
  let endPause: (() => void) | undefined
  let slotFreed = false

  function wakeUp(): void {
    if (wake) wake()
    else wokenWhileBusy = true
  }

  /** Waits `ms`, or less: `keep` holds the function that ends the wait early until it ends. */
  function sleep(ms: number, keep: (end: (() => void) | undefined) => void): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms)
      function done() {
        clearTimeout(timer)
        keep(undefined)
        resolve()
      }
      keep(done)
    })
  }

  /** Waits for a wake-up or the poll interval; a wake-up that came while busy ends it at once. */
  function idle(ms: number): Promise<void> {
    if (wokenWhileBusy) {
      wokenWhileBusy = false
      return Promise.resolve()
    }
    return sleep(ms, (end) => {
      wake = end
    })
  }

  /** Waits `ms`, or less when the loop stops or an item finishes. */
  function pause(ms: number): Promise<void> {
    return sleep(ms, (end) => {
      endPause = end
    })
  }

  function busy(free: number): boolean {
    if (free <= 0) return true
    return options.chunked === true && inFlight.size > 0 && free < options.concurrency / 2
  }

  async function run(): Promise<void> {
    while (running) {
      const free = options.concurrency - inFlight.size
      if (busy(free)) {
        await Promise.race(inFlight)
        continue
      }
      const started = Date.now()
      // The claim takes what a wake-up that came before it announced.
      wokenWhileBusy = false
      slotFreed = false
      let claimed = 0
      try {
        claimed = await options.claim(free)
      } catch (error) {
        options.onError(error)
      }
      if (claimed < free && running) {
        await idle(options.pollMs)
        const wait = (options.minGapMs ?? 0) - (Date.now() - started)
        if (wait > 0 && running && !slotFreed) await pause(wait)
      }
    }
  }

  return {
    /** Keeps an item's work in flight until it settles; a freed slot wakes the loop. */
    track(work: Promise<void>): void {
      const tracked: Promise<void> = work.catch(options.onError).finally(() => {
        inFlight.delete(tracked)
        slotFreed = true
        endPause?.()
        wakeUp()
      })
      inFlight.add(tracked)
    },

    start(): void {
      if (running) return
      running = true
      loop = run()
    },

    /** Looks for due work now instead of at the next poll. */
    wake: wakeUp,

    /** Stops claiming and waits a little for the items in flight. */
    async stop(): Promise<void> {
      running = false
      wake?.()
      endPause?.()
      await loop
      await Promise.race([
        Promise.allSettled(inFlight),
        new Promise((r) => setTimeout(r, options.stopWaitMs).unref()),
      ])
    },

    /** Claims and finishes everything due now, one claim after another; answers how many were claimed. */
    async drain(): Promise<number> {
      let total = 0
      for (;;) {
        const claimed = await options.claim(options.concurrency)
        await Promise.allSettled(inFlight)
        total += claimed
        if (claimed === 0) return total
      }
    },
  }
}
