import { PRUNE_BATCH } from '../../db/prune.js'
import type { Clock } from '../../lib/clock.js'

/**
 * One kind of row that is only history after a while. `prune` deletes at most about `limit` of
 * those rows that are past their use at `now` and answers how many it deleted; the sweeper calls
 * it again while it answers `limit` or more. The owning module writes it: the sweeper owns no table.
 */
export interface PruneTask {
  /** The table it prunes; the label of its metrics. */
  name: string
  prune(now: Date, limit: number): Promise<number>
}

/** Rows deleted per task in one pass. */
export type PassResult = Record<string, number>

/** Where the sweeper tells what it deleted and what failed. */
export interface RetentionLog {
  info(obj: object, msg: string): void
  error(obj: object, msg: string): void
}

export interface RetentionStats {
  runs: number
  lastRunAt: Date | undefined
  pruned: Readonly<Record<string, number>>
  failures: Readonly<Record<string, number>>
}

const HOUR_SECONDS = 3_600
/** A bound on one task's batches per pass, so a table that fills faster than it empties cannot hold the pass. */
const MAX_BATCHES = 1_000

/**
 * Deletes what every module keeps only for a while (idempotency keys, expired sessions, OAuth
 * requests, codes and tokens, …), in batches of at most `PRUNE_BATCH` rows per statement so that
 * no statement holds many locks for long. A failing task is reported and the others still run.
 */
export function createRetentionSweeper(deps: {
  tasks: readonly PruneTask[]
  clock: Clock
  log: RetentionLog
  /** Rows per statement (tests lower it to see the batches). */
  batch?: number
}) {
  const { tasks, clock, log } = deps
  const limit = deps.batch ?? PRUNE_BATCH
  const zero = () => Object.fromEntries(tasks.map((task) => [task.name, 0]))
  const pruned: Record<string, number> = zero()
  const failures: Record<string, number> = zero()
  let runs = 0
  let lastRunAt: Date | undefined
  let timer: NodeJS.Timeout | undefined
  let stopped = false
  let running: Promise<PassResult> | undefined

  async function pruneAll(task: PruneTask, now: Date): Promise<number> {
    let total = 0
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const deleted = await task.prune(now, limit)
      total += deleted
      pruned[task.name] = (pruned[task.name] ?? 0) + deleted
      if (deleted < limit) break
    }
    return total
  }

  async function pass(): Promise<PassResult> {
    const now = clock.now()
    const result: PassResult = {}
    for (const task of tasks) {
      try {
        result[task.name] = await pruneAll(task, now)
      } catch (error) {
        failures[task.name] = (failures[task.name] ?? 0) + 1
        log.error({ err: error, table: task.name }, 'retention sweep failed')
      }
    }
    runs += 1
    lastRunAt = now
    if (Object.values(result).some((n) => n > 0)) log.info({ pruned: result }, 'retention sweep')
    return result
  }

  function schedule(seconds: number, every: number) {
    if (stopped) return
    timer = setTimeout(() => {
      sweeper
        .runOnce()
        .catch((error: unknown) => log.error({ err: error }, 'retention sweep failed'))
        .finally(() => schedule(every, every))
    }, seconds * 1000)
    timer.unref()
  }

  const sweeper = {
    /** One pass over every task now (a pass already running is joined); answers rows deleted per task. */
    runOnce(): Promise<PassResult> {
      running ??= pass().finally(() => {
        running = undefined
      })
      return running
    },

    /**
     * Runs a pass one sweep interval after the start, then hourly (or every sweep interval when
     * that is longer). A sweep interval of 0 turns it off, like the hold sweeper.
     */
    start(sweepIntervalSeconds: number) {
      if (sweepIntervalSeconds <= 0) return
      stopped = false
      schedule(sweepIntervalSeconds, Math.max(HOUR_SECONDS, sweepIntervalSeconds))
    },

    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      await running?.catch(() => {})
    },

    stats(): RetentionStats {
      return { runs, lastRunAt, pruned: { ...pruned }, failures: { ...failures } }
    },
  }
  return sweeper
}

export type RetentionSweeper = ReturnType<typeof createRetentionSweeper>
