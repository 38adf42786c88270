import type { Queryable } from '../../db/database.js'
import { deleteBatch } from '../../db/prune.js'

export interface GrantRow {
  id: string
  company_id: string
  client_id: string
  customer_id: string
  account_id: string
  scopes: string[]
  created_at: Date
  updated_at: Date
  last_used_at: Date | null
  revoked_at: Date | null
}

export interface RequestRow {
  id: string
  client_id: string
  company_id: string
  customer_id: string
  redirect_uri: string
  scopes: string[]
  state: string | null
  code_challenge: string
  created_at: Date
  expires_at: Date
  decided_at: Date | null
}

export interface CodeRow {
  code_digest: string
  grant_id: string
  client_id: string
  redirect_uri: string
  scopes: string[]
  code_challenge: string
  expires_at: Date
  used_at: Date | null
}

export interface TokenRow {
  token_digest: string
  kind: 'access' | 'refresh'
  grant_id: string
  client_id: string
  scopes: string[]
  created_at: Date
  expires_at: Date | null
  used_at: Date | null
  parent_digest: string | null
  revoked_at: Date | null
}

/** A token with its grant, as introspection and userinfo read it. */
export interface ActiveToken extends TokenRow {
  account_id: string
  customer_id: string
  grant_revoked_at: Date | null
}

/** Where revocations are announced (NOTIFY, sent on commit); the payload is the grant id. */
export const REVOCATIONS_CHANNEL = 'protus_oauth_revocations'

/** What `oauth_refresh` answers (migrations/004-refresh-function.ts). */
export type RefreshOutcome =
  | { outcome: 'issued' | 'reissued'; grant_id: string; scopes: string[] }
  | { outcome: 'invalid_grant' | 'invalid_scope' | 'reused'; grant_id: string | null; scopes: null }

export interface RefreshInput {
  clientId: string
  presentedDigest: string
  /** A narrower scope asked for; null keeps the token's. */
  scopes: readonly string[] | null
  now: Date
  graceMs: number
  accessDigest: string
  accessTtlSeconds: number
  refreshDigest: string
  refreshTtlSeconds: number
}

const json = (v: unknown) => JSON.stringify(v)

/** The only code that reads or writes `oauth_*` tables. */
export function createOauthRepository() {
  return {
    async liveGrant(
      q: Queryable,
      companyId: string,
      customerId: string,
      lock = false,
    ): Promise<GrantRow | undefined> {
      const rows = await q.query<GrantRow>(
        `SELECT * FROM oauth_grants WHERE company_id = $1 AND customer_id = $2 AND revoked_at IS NULL${lock ? ' FOR UPDATE' : ''}`,
        [companyId, customerId],
      )
      return rows[0]
    },

    async insertGrant(q: Queryable, row: GrantRow): Promise<void> {
      await q.query(
        `INSERT INTO oauth_grants (id, company_id, client_id, customer_id, account_id, scopes, created_at, updated_at, last_used_at)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9)`,
        [
          row.id,
          row.company_id,
          row.client_id,
          row.customer_id,
          row.account_id,
          json(row.scopes),
          row.created_at,
          row.updated_at,
          row.last_used_at,
        ],
      )
    },

    async updateGrantScopes(q: Queryable, id: string, scopes: readonly string[], at: Date): Promise<void> {
      await q.query('UPDATE oauth_grants SET scopes = $2::jsonb, updated_at = $3 WHERE id = $1', [
        id,
        json(scopes),
        at,
      ])
    },

    async touchGrant(q: Queryable, id: string, at: Date): Promise<void> {
      await q.query('UPDATE oauth_grants SET last_used_at = $2 WHERE id = $1', [id, at])
    },

    async revokeGrant(q: Queryable, id: string, at: Date): Promise<void> {
      await q.query('UPDATE oauth_grants SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL', [id, at])
    },

    async findGrant(q: Queryable, id: string): Promise<GrantRow | undefined> {
      return (await q.query<GrantRow>('SELECT * FROM oauth_grants WHERE id = $1', [id]))[0]
    },

    liveGrantsOf(q: Queryable, customerId: string): Promise<GrantRow[]> {
      return q.query<GrantRow>(
        'SELECT * FROM oauth_grants WHERE customer_id = $1 AND revoked_at IS NULL ORDER BY created_at DESC',
        [customerId],
      )
    },

    /** The latest revoked grant of each partner that has no live one, most recently revoked first. */
    formerGrantsOf(q: Queryable, customerId: string): Promise<GrantRow[]> {
      return q.query<GrantRow>(
        `SELECT * FROM (
           SELECT DISTINCT ON (company_id) * FROM oauth_grants g
            WHERE customer_id = $1 AND revoked_at IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM oauth_grants l
                               WHERE l.company_id = g.company_id AND l.customer_id = g.customer_id
                                 AND l.revoked_at IS NULL)
            ORDER BY company_id, revoked_at DESC
         ) former ORDER BY revoked_at DESC`,
        [customerId],
      )
    },

    async insertRequest(q: Queryable, row: RequestRow): Promise<void> {
      await q.query(
        `INSERT INTO oauth_requests (id, client_id, company_id, customer_id, redirect_uri, scopes, state, code_challenge, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10)`,
        [
          row.id,
          row.client_id,
          row.company_id,
          row.customer_id,
          row.redirect_uri,
          json(row.scopes),
          row.state,
          row.code_challenge,
          row.created_at,
          row.expires_at,
        ],
      )
    },

    async findRequest(q: Queryable, id: string, lock = false): Promise<RequestRow | undefined> {
      const rows = await q.query<RequestRow>(
        `SELECT * FROM oauth_requests WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
        [id],
      )
      return rows[0]
    },

    async decideRequest(q: Queryable, id: string, at: Date): Promise<void> {
      await q.query('UPDATE oauth_requests SET decided_at = $2 WHERE id = $1', [id, at])
    },

    async insertCode(q: Queryable, row: CodeRow & { created_at: Date }): Promise<void> {
      await q.query(
        `INSERT INTO oauth_codes (code_digest, grant_id, client_id, redirect_uri, scopes, code_challenge, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8)`,
        [
          row.code_digest,
          row.grant_id,
          row.client_id,
          row.redirect_uri,
          json(row.scopes),
          row.code_challenge,
          row.created_at,
          row.expires_at,
        ],
      )
    },

    /**
     * Locks the code, marks it used and answers it as it was before: of two concurrent uses,
     * the second waits and then finds used_at set. Runs in the caller's transaction.
     */
    async takeCode(q: Queryable, digest: string, at: Date): Promise<CodeRow | undefined> {
      const rows = await q.query<CodeRow>('SELECT * FROM oauth_codes WHERE code_digest = $1 FOR UPDATE', [
        digest,
      ])
      const code = rows[0]
      if (code && !code.used_at)
        await q.query('UPDATE oauth_codes SET used_at = $2 WHERE code_digest = $1', [digest, at])
      return code
    },

    async insertToken(q: Queryable, row: Omit<TokenRow, 'used_at' | 'revoked_at'>): Promise<void> {
      await q.query(
        `INSERT INTO oauth_tokens (token_digest, kind, grant_id, client_id, scopes, created_at, expires_at, parent_digest)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8)`,
        [
          row.token_digest,
          row.kind,
          row.grant_id,
          row.client_id,
          json(row.scopes),
          row.created_at,
          row.expires_at,
          row.parent_digest,
        ],
      )
    },

    async findToken(q: Queryable, digest: string, lock = false): Promise<ActiveToken | undefined> {
      const rows = await q.query<ActiveToken>(
        `SELECT t.*, g.account_id, g.customer_id, g.revoked_at AS grant_revoked_at
           FROM oauth_tokens t JOIN oauth_grants g ON g.id = t.grant_id
          WHERE t.token_digest = $1${lock ? ' FOR UPDATE OF t' : ''}`,
        [digest],
      )
      return rows[0]
    },

    /** Checks, rotates and issues a refresh in one statement: no transaction is held open between round trips. */
    async refresh(q: Queryable, input: RefreshInput): Promise<RefreshOutcome> {
      const rows = await q.query<RefreshOutcome>(
        'SELECT * FROM oauth_refresh($1, $2, $3::jsonb, $4, $5, $6, $7, $8, $9)',
        [
          input.clientId,
          input.presentedDigest,
          input.scopes === null ? null : json(input.scopes),
          input.now,
          input.graceMs,
          input.accessDigest,
          input.accessTtlSeconds,
          input.refreshDigest,
          input.refreshTtlSeconds,
        ],
      )
      return rows[0] as RefreshOutcome
    },

    /** Tells every process, when the transaction commits, to forget what it remembers of the grant's tokens. */
    async announceRevocation(q: Queryable, grantId: string): Promise<void> {
      await q.query('SELECT pg_notify($1, $2)', [REVOCATIONS_CHANNEL, grantId])
    },

    async revokeTokens(q: Queryable, where: { grantId: string } | { digest: string }, at: Date) {
      const [column, value] =
        'grantId' in where ? ['grant_id', where.grantId] : ['token_digest', where.digest]
      await q.query(`UPDATE oauth_tokens SET revoked_at = $2 WHERE ${column} = $1 AND revoked_at IS NULL`, [
        value,
        at,
      ])
    },

    async revokeAccessTokensOfGrant(q: Queryable, grantId: string, at: Date): Promise<void> {
      await q.query(
        `UPDATE oauth_tokens SET revoked_at = $2 WHERE grant_id = $1 AND kind = 'access' AND revoked_at IS NULL`,
        [grantId, at],
      )
    },

    /** Deletes at most `limit` authorization requests expired at `now`. */
    deleteExpiredRequests(q: Queryable, now: Date, limit: number): Promise<number> {
      return deleteBatch(q, 'oauth_requests', 'id', 'expires_at <= $1', [now], limit)
    },

    /** Deletes at most `limit` codes expired at `now`, keeping used ones that expired after `usedAfter`. */
    deleteExpiredCodes(q: Queryable, now: Date, usedAfter: Date, limit: number): Promise<number> {
      return deleteBatch(
        q,
        'oauth_codes',
        'code_digest',
        'expires_at <= $1 AND (used_at IS NULL OR expires_at <= $2)',
        [now, usedAfter],
        limit,
      )
    },

    /** Deletes at most `limit` tokens, access or refresh, that expired by `now` or were revoked. */
    deleteDeadTokens(q: Queryable, now: Date, limit: number): Promise<number> {
      return deleteBatch(
        q,
        'oauth_tokens',
        'token_digest',
        'expires_at <= $1 OR revoked_at IS NOT NULL',
        [now],
        limit,
      )
    },
  }
}

export type OauthRepository = ReturnType<typeof createOauthRepository>
