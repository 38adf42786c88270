import type { Queryable } from '../../db/database.js'
import { deleteBatch } from '../../db/prune.js'

/** The only code that reads or writes `limits_*` tables. */
export function createLimitsRepository() {
  return {
    /** Counts one hit in the key's window in one statement (parallel hits each count) and answers the count. */
    async hit(q: Queryable, key: string, windowStart: Date, windowEnd: Date): Promise<number> {
      const rows = await q.query<{ hits: number }>(
        `INSERT INTO limits_windows AS w (key, window_start, window_end, hits) VALUES ($1, $2, $3, 1)
         ON CONFLICT (key, window_start) DO UPDATE SET hits = w.hits + 1
         RETURNING hits`,
        [key, windowStart, windowEnd],
      )
      return rows[0]?.hits ?? 1
    },

    /** Deletes at most `limit` windows that ended by `now`. */
    pruneWindows(q: Queryable, now: Date, limit: number): Promise<number> {
      return deleteBatch(q, 'limits_windows', 'key, window_start', 'window_end <= $1', [now], limit)
    },
  }
}

export type LimitsRepository = ReturnType<typeof createLimitsRepository>
