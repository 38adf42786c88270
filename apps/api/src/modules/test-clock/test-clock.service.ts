import type { Database } from '../../db/database.js'
import { type Clock, createOffsetClock, type OffsetClock, systemClock } from '../../lib/clock.js'
import type { DueWork } from '../../lib/due-work.js'
import {
  createTestClockRepository,
  TEST_CLOCK_CHANNEL,
  type TestClockRepository,
} from './test-clock.repository.js'

/** Every process re-reads the offset this often too, in case it missed a notification. */
const REFRESH_MS = 5_000
/**
 * Work still due at one moment after it ran (a source that cannot finish it now, e.g. a delivery
 * held back by its company's cap) is run again this many times, then the clock moves on, so an
 * advance always ends.
 */
const RUNS_PER_MOMENT = 3

/** The sandbox clock of one process, started from the offset the database keeps. */
export async function openTestClock(db: Database, base: Clock = systemClock): Promise<OffsetClock> {
  return createOffsetClock(base, await createTestClockRepository().offset(db))
}

/**
 * Moves the sandbox clock forward for every process on the database, running the due work of
 * each source in time order on the way (renewals, hold expiry, webhook deliveries).
 */
export function createTestClockService(deps: {
  db: Database
  repo?: TestClockRepository
  clock: OffsetClock
  /** Read at each step, so sources registered after this service are included. */
  dueWork: readonly DueWork[]
}) {
  const { db, clock, dueWork } = deps
  const repo = deps.repo ?? createTestClockRepository()
  let turn: Promise<unknown> = Promise.resolve()

  const load = async () => clock.setOffset(await repo.offset(db))
  const save = () => db.transaction((tx) => repo.saveOffset(tx, clock.offsetMs(), systemClock.now()))

  async function runAll(): Promise<void> {
    for (const source of dueWork) await source.runDue()
  }

  /** The earliest due moment of any source, and whether something is due already. */
  async function dueMoments(now: Date): Promise<{ dueNow: boolean; next: Date | null }> {
    const moments = (await Promise.all(dueWork.map((source) => source.nextDueAt()))).filter(
      (at): at is Date => at !== null,
    )
    const later = moments.filter((at) => at > now).sort((a, b) => a.getTime() - b.getTime())
    return { dueNow: moments.some((at) => at <= now), next: later[0] ?? null }
  }

  /** Runs what is due up to `target`, one due moment at a time, saving the clock at each. */
  async function runUntil(target: Date): Promise<void> {
    let runsHere = 0
    for (;;) {
      const { dueNow, next } = await dueMoments(clock.now())
      if (dueNow && runsHere < RUNS_PER_MOMENT) {
        await runAll()
        runsHere++
        continue
      }
      if (next === null || next > target) return
      clock.moveTo(next)
      await save()
      await runAll()
      runsHere = 1
    }
  }

  /** One advance at a time in this process and, on PostgreSQL, across every process. */
  function serialized<T>(fn: () => Promise<T>): Promise<T> {
    const run = turn.then(() =>
      db.driver === 'postgres'
        ? db.transaction(async (tx) => {
            await repo.lockAdvances(tx)
            return fn()
          })
        : fn(),
    )
    turn = run.catch(() => {})
    return run
  }

  return {
    now: (): Date => clock.now(),

    /** Reads the offset the database keeps (after another process moved the clock). */
    load,

    /** Moves the clock `seconds` forward; answers the new time once everything due has run. */
    advance(seconds: number): Promise<Date> {
      return serialized(async () => {
        await load()
        const target = new Date(clock.now().getTime() + seconds * 1000)
        await runUntil(target)
        clock.moveTo(target)
        await save()
        await runAll()
        return clock.now()
      })
    },

    /**
     * Follows the moves of every process: hears them (LISTEN/NOTIFY) and re-reads the offset
     * whenever listening (re)starts and every few seconds. Answers the function that stops it.
     */
    async watch(onError: (error: unknown) => void): Promise<() => Promise<void>> {
      const reload = () => {
        load().catch(onError)
      }
      const unlisten = await db.listen(TEST_CLOCK_CHANNEL, {
        // The channel is the database's, shared by every schema on it: the offset is read from
        // this process's own table, never taken from the notification.
        notification: reload,
        listening: (on) => {
          if (on) reload()
        },
      })
      const timer = setInterval(reload, REFRESH_MS)
      timer.unref()
      return async () => {
        clearInterval(timer)
        await unlisten()
      }
    },
  }
}

export type TestClockService = ReturnType<typeof createTestClockService>
