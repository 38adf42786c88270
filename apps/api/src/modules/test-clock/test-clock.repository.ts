import type { Queryable } from '../../db/database.js'

/** The NOTIFY channel on which every process hears the sandbox clock's new offset (milliseconds). */
export const TEST_CLOCK_CHANNEL = 'protus_test_clock'
/** Taken by every advance for its whole run, so two callers (in any processes) take turns. */
const ADVANCE_LOCK_KEY = 7_730_115

/** The only code that reads or writes the `test_clock` table. */
export function createTestClockRepository() {
  return {
    async offset(q: Queryable): Promise<number> {
      const rows = await q.query<{ offset_ms: bigint }>('SELECT offset_ms FROM test_clock WHERE id')
      return Number(rows[0]?.offset_ms ?? 0n)
    },

    /** Waits for any other advance to finish; held until `tx` ends. */
    async lockAdvances(tx: Queryable): Promise<void> {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [ADVANCE_LOCK_KEY])
    },

    /**
     * Keeps the larger of the stored and the given offset and tells every process listening,
     * once `q`'s transaction commits; answers the stored offset.
     */
    async saveOffset(q: Queryable, offsetMs: number, at: Date): Promise<number> {
      const rows = await q.query<{ offset_ms: bigint }>(
        `INSERT INTO test_clock AS t (id, offset_ms, updated_at) VALUES (true, $1, $2)
         ON CONFLICT (id) DO UPDATE SET offset_ms = greatest(t.offset_ms, EXCLUDED.offset_ms), updated_at = $2
         RETURNING offset_ms`,
        [Math.round(offsetMs), at],
      )
      const saved = rows[0]?.offset_ms ?? 0n
      await q.query('SELECT pg_notify($1, $2)', [TEST_CLOCK_CHANNEL, saved.toString()])
      return Number(saved)
    },
  }
}

export type TestClockRepository = ReturnType<typeof createTestClockRepository>
