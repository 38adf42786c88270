import { sqlError } from '../db/database.js'

export interface BatcherOptions<T, R> {
  /** Runs one batch; answers one result per item, in order. */
  run(items: T[]): Promise<R[]>
  /** Largest batch. */
  maxBatch: number
  /** Batches running at once; new items wait and form the next batch meanwhile. */
  maxInFlight: number
}

const retryable = new Set(['40P01', '40001']) // deadlock, serialization failure

/**
 * Group commit: items submitted while earlier batches run are gathered and run together, so a
 * hot row is written once per batch instead of once per request. A batch that fails on a
 * deadlock or serialization failure is run again; one that fails otherwise is split so that a
 * single bad item cannot fail its batch-mates.
 */
export function createBatcher<T, R>(options: BatcherOptions<T, R>) {
  const queue: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = []
  let inFlight = 0
  let scheduled = false

  async function runWithRetry(items: T[], attempt = 1): Promise<R[]> {
    try {
      return await options.run(items)
    } catch (error) {
      const { code } = sqlError(error)
      if (code && retryable.has(code) && attempt < 5) return runWithRetry(items, attempt + 1)
      throw error
    }
  }

  async function execute(entries: typeof queue): Promise<void> {
    try {
      const results = await runWithRetry(entries.map((e) => e.item))
      entries.forEach((e, i) => {
        e.resolve(results[i] as R)
      })
    } catch (error) {
      if (entries.length === 1) {
        entries[0]?.reject(error)
        return
      }
      await Promise.all(entries.map((e) => execute([e])))
    }
  }

  function flush(): void {
    scheduled = false
    while (inFlight < options.maxInFlight && queue.length > 0) {
      const entries = queue.splice(0, options.maxBatch)
      inFlight++
      execute(entries).finally(() => {
        inFlight--
        if (queue.length > 0) flush()
      })
    }
  }

  return {
    submit(item: T): Promise<R> {
      return new Promise<R>((resolve, reject) => {
        queue.push({ item, resolve, reject })
        if (!scheduled && inFlight < options.maxInFlight) {
          scheduled = true
          setImmediate(flush)
        }
      })
    },
    get pending() {
      return queue.length + inFlight
    },
  }
}

export type Batcher<T, R> = ReturnType<typeof createBatcher<T, R>>
