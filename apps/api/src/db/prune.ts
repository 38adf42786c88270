import type { Queryable } from './database.js'

/** The most rows one pruning statement deletes, so that it never holds many locks for long. */
export const PRUNE_BATCH = 5_000

/**
 * Deletes at most `limit` rows of `table` that match `where` and answers how many. Rows another
 * transaction holds are skipped (the next pass takes them), so pruning never waits on live work.
 * `key` is the table's primary key; `where` uses `$1`, `$2`, … for `params`.
 */
export async function deleteBatch(
  q: Queryable,
  table: string,
  key: string,
  where: string,
  params: readonly unknown[],
  limit: number,
): Promise<number> {
  const rows = await q.query<{ n: number }>(
    `WITH d AS (
       DELETE FROM ${table} WHERE (${key}) IN (
         SELECT ${key} FROM ${table} WHERE ${where} LIMIT $${params.length + 1} FOR UPDATE SKIP LOCKED)
       RETURNING 1)
     SELECT count(*)::int AS n FROM d`,
    [...params, limit],
  )
  return rows[0]?.n ?? 0
}
