import type { Queryable } from '../../db/database.js'
import { deleteBatch } from '../../db/prune.js'

export type Claim =
  | { state: 'claimed' }
  | { state: 'reused' }
  | { state: 'in_progress' }
  | { state: 'replay'; status: number; body: unknown }

export interface SavedResponse {
  principal: string
  key: string
  status: number
  body: unknown
}

/** The only code that reads or writes `idempotency_keys` (besides `idempotency_claim`). */
export function createIdempotencyRepository() {
  return {
    async claim(q: Queryable, principal: string, key: string, hash: string, at: Date): Promise<Claim> {
      const rows = await q.query<{ c: Claim }>('SELECT idempotency_claim($1, $2, $3, $4) AS c', [
        principal,
        key,
        hash,
        at,
      ])
      return rows[0]?.c as Claim
    },

    async save(q: Queryable, responses: readonly SavedResponse[]): Promise<void> {
      if (responses.length === 0) return
      await q.query(
        `UPDATE idempotency_keys k SET status = r.status, body = r.body
           FROM jsonb_to_recordset($1::jsonb) AS r(principal text, key text, status integer, body jsonb)
          WHERE k.principal = r.principal AND k.key = r.key`,
        [JSON.stringify(responses)],
      )
    },

    /** Deletes at most `limit` keys claimed before `before`. */
    deleteOlderThan(q: Queryable, before: Date, limit: number): Promise<number> {
      return deleteBatch(q, 'idempotency_keys', 'principal, key', 'created_at < $1', [before], limit)
    },
  }
}

export type IdempotencyRepository = ReturnType<typeof createIdempotencyRepository>
