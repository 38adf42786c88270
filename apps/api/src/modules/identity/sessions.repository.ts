import type { Queryable } from '../../db/database.js'
import type { PrincipalKind } from './identity.repository.js'

export interface SessionListRow {
  id: string
  user_agent: string
  address: string
  created_at: Date
  last_seen_at: Date
  expires_at: Date
}

/** The sessions of one account, and its password, as their owner manages them. */
export function createSessionsRepository() {
  return {
    /** The live sessions of an account, the most recently seen first. */
    async list(q: Queryable, kind: PrincipalKind, id: string, now: Date): Promise<SessionListRow[]> {
      return q.query<SessionListRow>(
        `SELECT id, user_agent, address, created_at, last_seen_at, expires_at FROM identity_sessions
         WHERE principal_kind = $1 AND principal_id = $2 AND expires_at > $3
         ORDER BY last_seen_at DESC, id DESC`,
        [kind, id, now],
      )
    },

    /** Ends one session of an account; answers whether there was one. */
    async delete(
      q: Queryable,
      kind: PrincipalKind,
      principalId: string,
      sessionId: string,
    ): Promise<boolean> {
      const rows = await q.query<{ id: string }>(
        `DELETE FROM identity_sessions WHERE principal_kind = $1 AND principal_id = $2 AND id = $3
         RETURNING id`,
        [kind, principalId, sessionId],
      )
      return rows.length > 0
    },

    /** Ends every session of an account but `keepId`; answers how many. */
    async deleteOthers(
      q: Queryable,
      kind: PrincipalKind,
      principalId: string,
      keepId: string,
    ): Promise<number> {
      const rows = await q.query<{ id: string }>(
        `DELETE FROM identity_sessions WHERE principal_kind = $1 AND principal_id = $2 AND id <> $3
         RETURNING id`,
        [kind, principalId, keepId],
      )
      return rows.length
    },

    /** The account's name, address and password hash. */
    async account(
      q: Queryable,
      kind: PrincipalKind,
      id: string,
    ): Promise<{ name: string; email: string; password_hash: string } | undefined> {
      const rows = await q.query<{ name: string; email: string; password_hash: string }>(
        kind === 'customer'
          ? 'SELECT username AS name, email, password_hash FROM identity_customers WHERE id = $1'
          : 'SELECT name, email, password_hash FROM identity_companies WHERE id = $1',
        [id],
      )
      return rows[0]
    },

    /** Sets a new password hash, unless the password changed since `previousHash` was read. */
    async setPassword(
      q: Queryable,
      kind: PrincipalKind,
      id: string,
      previousHash: string,
      passwordHash: string,
      now: Date,
    ): Promise<boolean> {
      const rows = await q.query<{ id: string }>(
        kind === 'customer'
          ? `UPDATE identity_customers SET password_hash = $3
             WHERE id = $1 AND password_hash = $2 AND $4::timestamptz IS NOT NULL RETURNING id`
          : `UPDATE identity_companies SET password_hash = $3, updated_at = $4
             WHERE id = $1 AND password_hash = $2 RETURNING id`,
        [id, previousHash, passwordHash, now],
      )
      return rows.length > 0
    },
  }
}

export type SessionsRepository = ReturnType<typeof createSessionsRepository>
