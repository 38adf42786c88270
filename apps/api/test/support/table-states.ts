import type { FastifyInstance } from 'fastify'

/**
 * Tables that exist to count attempts, refused ones included, so that guessing and flooding are
 * throttled: sign-in attempts (recorded before the password is checked) and the per-address
 * rate-limit windows (counted before a request is read). A refused request may write only there.
 */
export const refusalCounters: ReadonlySet<string> = new Set(['identity_sign_in_attempts', 'limits_windows'])

/** Each table's row count and a digest of its rows, to tell whether anything was written. */
export type TableStates = Map<string, { rows: number; digest: string }>

/**
 * A reader of every table of the app's schema: `current_schema()` is `public` on PGlite and the
 * test's own schema on PostgreSQL (its search_path), so tables of other tests never count.
 */
export async function tableStateReader(app: FastifyInstance): Promise<() => Promise<TableStates>> {
  const tables = await app.db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
  )
  const sql = tables
    .map(
      ({ table_name: name }) =>
        `SELECT '${name}' AS name, count(*)::int8 AS n,
                md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS digest
         FROM "${name}" t`,
    )
    .join(' UNION ALL ')
  return async () => {
    const rows = await app.db.query<{ name: string; n: bigint; digest: string }>(sql)
    return new Map(rows.map((r) => [r.name, { rows: Number(r.n), digest: r.digest }]))
  }
}

/** The tables whose rows differ between two readings, but those in `ignored`, with their row counts. */
export function changedTables(before: TableStates, after: TableStates, ignored: ReadonlySet<string>) {
  const changed: { table: string; rowsBefore: number; rowsAfter: number }[] = []
  for (const [table, state] of after) {
    const earlier = before.get(table)
    if (ignored.has(table) || earlier?.digest === state.digest) continue
    changed.push({ table, rowsBefore: earlier?.rows ?? 0, rowsAfter: state.rows })
  }
  return changed
}
