import type { Mode } from '../config.js'
import type { Database } from './database.js'
import type { Migration } from './migrations.js'

export const modeMigrations: Migration[] = [
  {
    id: 'platform/001-mode',
    sql: `
-- The mode a database was created in: sandbox money must never reach a live database.
CREATE TABLE platform_mode (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  mode text NOT NULL CHECK (mode IN ('sandbox', 'live')),
  created_at timestamptz NOT NULL DEFAULT now()
);
`,
  },
]

export class ModeMismatchError extends Error {
  constructor(
    readonly databaseMode: Mode,
    readonly serverMode: Mode,
  ) {
    super(
      `this database was created in ${databaseMode} mode and this server runs in ${serverMode} mode: ` +
        (databaseMode === 'sandbox'
          ? 'sandbox money must never reach a live server; use a new database for live mode'
          : 'a live database holds real money; start a sandbox on a database of its own') +
        ` (set PROTUS_MODE=${databaseMode} only if this database really is meant for ${databaseMode} mode)`,
    )
    this.name = 'ModeMismatchError'
  }
}

/**
 * Records the server's mode in a database that has none yet, and refuses a database of the other
 * mode. Runs after migrations, before the server takes any request.
 */
export async function ensureMode(db: Database, mode: Mode): Promise<void> {
  const rows = await db.query<{ mode: Mode }>(
    `WITH ins AS (INSERT INTO platform_mode (mode) VALUES ($1) ON CONFLICT (only_row) DO NOTHING RETURNING mode)
     SELECT mode FROM ins UNION ALL SELECT mode FROM platform_mode`,
    [mode],
  )
  const recorded = rows[0]?.mode ?? mode
  if (recorded !== mode) throw new ModeMismatchError(recorded, mode)
}
