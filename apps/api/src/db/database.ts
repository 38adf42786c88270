/** One row as the drivers return it: int8 already parsed to bigint. */
export type Row = Record<string, unknown>

export interface Queryable {
  query<R = Row>(sql: string, params?: readonly unknown[]): Promise<R[]>
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>
}

/** What `Database.listen` reports to. */
export interface Listener {
  /** The payload of a NOTIFY on the channel, sent by any process on this database (this one too). */
  notification(payload: string): void
  /** Listening started (true) or stopped (false); what is sent while not listening is never heard. */
  listening(on: boolean): void
}

/**
 * The database as modules see it: the same SQL runs on embedded PGlite and on PostgreSQL.
 * `transaction` runs `fn` in one transaction, committed when it resolves, rolled back when it throws.
 * `listen` hears `SELECT pg_notify(channel, payload)` (sent when its transaction commits) until the
 * answered function stops it or the database closes.
 */
export interface Database extends Queryable {
  readonly driver: 'pglite' | 'postgres'
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>
  listen(channel: string, listener: Listener): Promise<() => Promise<void>>
  close(): Promise<void>
}

export const INT8_OID = 20

export function parseInt8(value: string): bigint {
  return BigInt(value)
}

/** Parameters go to both drivers as text; bigint and Buffer need no help, Date is sent as ISO. */
export function toParam(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString()
  if (value instanceof Date) return value.toISOString()
  return value
}

/** The SQLSTATE and constraint of a database error, the same on both drivers. */
export function sqlError(error: unknown): { code: string | undefined; constraint: string | undefined } {
  const e = error as { code?: unknown; constraint?: unknown }
  return {
    code: typeof e?.code === 'string' ? e.code : undefined,
    constraint: typeof e?.constraint === 'string' ? e.constraint : undefined,
  }
}

export const UNIQUE_VIOLATION = '23505'
