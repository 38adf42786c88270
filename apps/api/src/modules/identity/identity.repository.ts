import type { Queryable } from '../../db/database.js'
import { sqlError, UNIQUE_VIOLATION } from '../../db/database.js'
import { deleteBatch } from '../../db/prune.js'
import { DomainError } from '../../lib/domain-error.js'

export type PrincipalKind = 'customer' | 'company'
export type SecretKind = 'client_secret' | 'webhook_secret'

/** The NOTIFY channel on which every process hears that a company's secrets were rotated. */
export const SECRET_ROTATIONS_CHANNEL = 'protus_secret_rotations'

export interface SecretRotation {
  company_id: string
  kind: SecretKind
}

export interface CustomerRow {
  id: string
  email: string
  username: string
  password_hash: string
  created_at: Date
  /** When the current email was proven (read only; email-tokens.repository.ts writes it). */
  email_verified_at?: Date | null
}

export interface CompanyRow {
  id: string
  name: string
  email: string
  password_hash: string
  client_id: string
  redirect_uris: string[]
  webhook_url: string | null
  created_at: Date
  updated_at: Date
}

export interface SecretRow {
  id: bigint
  company_id: string
  kind: SecretKind
  digest: string | null
  sealed: string | null
  hint: string
  created_at: Date
  expires_at: Date | null
}

export interface SessionRow {
  id: string
  principal_kind: PrincipalKind
  principal_id: string
  csrf_token: string
  expires_at: Date
}

const uniqueViolations: Record<string, DomainError> = {
  identity_customers_email_key_key: new DomainError('email_taken', 'a person with this email is registered'),
  identity_customers_username_key_key: new DomainError('username_taken', 'this username is taken'),
  identity_companies_email_key_key: new DomainError('email_taken', 'a company with this email is registered'),
}

function mapUniqueViolation(error: unknown): never {
  const { code, constraint } = sqlError(error)
  const mapped = code === UNIQUE_VIOLATION && constraint ? uniqueViolations[constraint] : undefined
  if (mapped) throw new DomainError(mapped.code, mapped.message)
  throw error
}

export const emailKey = (email: string) => email.trim().toLowerCase()

/** The only code that reads or writes `identity_*` tables. */
export function createIdentityRepository() {
  return {
    async insertCustomer(q: Queryable, row: CustomerRow): Promise<void> {
      await q
        .query(
          `INSERT INTO identity_customers (id, email, email_key, username, username_key, password_hash, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [
            row.id,
            row.email,
            emailKey(row.email),
            row.username,
            row.username.toLowerCase(),
            row.password_hash,
            row.created_at,
          ],
        )
        .catch(mapUniqueViolation)
    },

    async insertCompany(q: Queryable, row: CompanyRow): Promise<void> {
      await q
        .query(
          `INSERT INTO identity_companies
             (id, name, email, email_key, password_hash, client_id, redirect_uris, webhook_url, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10)`,
          [
            row.id,
            row.name,
            row.email,
            emailKey(row.email),
            row.password_hash,
            row.client_id,
            JSON.stringify(row.redirect_uris),
            row.webhook_url,
            row.created_at,
            row.updated_at,
          ],
        )
        .catch(mapUniqueViolation)
    },

    async findCustomer(
      q: Queryable,
      by: { id: string } | { email: string },
    ): Promise<CustomerRow | undefined> {
      const [column, value] = 'id' in by ? ['id', by.id] : ['email_key', emailKey(by.email)]
      const rows = await q.query<CustomerRow>(
        `SELECT id, email, username, password_hash, created_at, email_verified_at FROM identity_customers WHERE ${column} = $1`,
        [value],
      )
      return rows[0]
    },

    async findCompanyByClientId(q: Queryable, clientId: string): Promise<CompanyRow | undefined> {
      const rows = await q.query<CompanyRow>(
        `SELECT id, name, email, password_hash, client_id, redirect_uris, webhook_url, created_at, updated_at
         FROM identity_companies WHERE client_id = $1`,
        [clientId],
      )
      return rows[0]
    },

    async findCompany(
      q: Queryable,
      by: { id: string } | { email: string },
      options: { forUpdate?: boolean } = {},
    ): Promise<CompanyRow | undefined> {
      const [column, value] = 'id' in by ? ['id', by.id] : ['email_key', emailKey(by.email)]
      const rows = await q.query<CompanyRow>(
        `SELECT id, name, email, password_hash, client_id, redirect_uris, webhook_url, created_at, updated_at
         FROM identity_companies WHERE ${column} = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
        [value],
      )
      return rows[0]
    },

    async companyNames(q: Queryable, ids: readonly string[]): Promise<{ id: string; name: string }[]> {
      if (ids.length === 0) return []
      return q.query('SELECT id, name FROM identity_companies WHERE id = ANY ($1::text[])', [ids])
    },

    async updateCompany(
      q: Queryable,
      id: string,
      patch: { name?: string; webhook_url?: string | null; redirect_uris?: string[] },
      now: Date,
    ): Promise<void> {
      await q.query(
        `UPDATE identity_companies SET
           name = CASE WHEN $2 THEN $3 ELSE name END,
           webhook_url = CASE WHEN $4 THEN $5 ELSE webhook_url END,
           redirect_uris = CASE WHEN $6 THEN $7::jsonb ELSE redirect_uris END,
           updated_at = $8
         WHERE id = $1`,
        [
          id,
          patch.name !== undefined,
          patch.name ?? null,
          patch.webhook_url !== undefined,
          patch.webhook_url ?? null,
          patch.redirect_uris !== undefined,
          patch.redirect_uris === undefined ? null : JSON.stringify(patch.redirect_uris),
          now,
        ],
      )
    },

    async insertSecret(q: Queryable, row: Omit<SecretRow, 'id' | 'expires_at'>): Promise<void> {
      await q.query(
        `INSERT INTO identity_company_secrets (company_id, kind, digest, sealed, hint, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [row.company_id, row.kind, row.digest, row.sealed, row.hint, row.created_at],
      )
    },

    /** Secrets of one kind still usable at `now`, newest first. */
    async liveSecrets(q: Queryable, companyId: string, kind: SecretKind, now: Date): Promise<SecretRow[]> {
      return q.query<SecretRow>(
        `SELECT id, company_id, kind, digest, sealed, hint, created_at, expires_at
         FROM identity_company_secrets
         WHERE company_id = $1 AND kind = $2 AND (expires_at IS NULL OR expires_at > $3)
         ORDER BY id DESC`,
        [companyId, kind, now],
      )
    },

    /** Puts an end date on the live secrets of one kind that would outlive `expiresAt`. */
    async expireSecrets(q: Queryable, companyId: string, kind: SecretKind, expiresAt: Date): Promise<void> {
      await q.query(
        `UPDATE identity_company_secrets SET expires_at = $3
         WHERE company_id = $1 AND kind = $2 AND (expires_at IS NULL OR expires_at > $3)`,
        [companyId, kind, expiresAt],
      )
    },

    /** Tells every process listening on the database, once `q`'s transaction commits. */
    async announceSecretRotation(q: Queryable, rotation: SecretRotation): Promise<void> {
      await q.query('SELECT pg_notify($1, $2)', [SECRET_ROTATIONS_CHANNEL, JSON.stringify(rotation)])
    },

    async clientSecretDigests(
      q: Queryable,
      clientId: string,
      now: Date,
    ): Promise<{ company_id: string; digest: string; expires_at: Date | null }[]> {
      return q.query<{ company_id: string; digest: string; expires_at: Date | null }>(
        `SELECT c.id AS company_id, s.digest, s.expires_at
         FROM identity_companies c
         JOIN identity_company_secrets s ON s.company_id = c.id AND s.kind = 'client_secret'
         WHERE c.client_id = $1 AND (s.expires_at IS NULL OR s.expires_at > $2)`,
        [clientId, now],
      )
    },

    async insertSession(
      q: Queryable,
      row: SessionRow & { token_digest: string; created_at: Date; user_agent: string; address: string },
    ): Promise<void> {
      await q.query(
        `INSERT INTO identity_sessions
           (token_digest, id, principal_kind, principal_id, csrf_token, created_at, expires_at, user_agent, address, last_seen_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $6)`,
        [
          row.token_digest,
          row.id,
          row.principal_kind,
          row.principal_id,
          row.csrf_token,
          row.created_at,
          row.expires_at,
          row.user_agent,
          row.address,
        ],
      )
    },

    async findSession(
      q: Queryable,
      tokenDigest: string,
      now: Date,
    ): Promise<(SessionRow & { last_seen_at: Date }) | undefined> {
      const rows = await q.query<SessionRow & { last_seen_at: Date }>(
        `SELECT id, principal_kind, principal_id, csrf_token, expires_at, last_seen_at FROM identity_sessions
         WHERE token_digest = $1 AND expires_at > $2`,
        [tokenDigest, now],
      )
      return rows[0]
    },

    /** Records that the session was used at `now` from `address`, unless it was at or after `seenSince`. */
    async touchSession(q: Queryable, tokenDigest: string, now: Date, address: string, seenSince: Date) {
      await q.query(
        `UPDATE identity_sessions SET last_seen_at = $2, address = $3
         WHERE token_digest = $1 AND last_seen_at < $4`,
        [tokenDigest, now, address, seenSince],
      )
    },

    async deleteSession(q: Queryable, tokenDigest: string): Promise<void> {
      await q.query('DELETE FROM identity_sessions WHERE token_digest = $1', [tokenDigest])
    },

    /** Deletes at most `limit` sessions expired at `now`. */
    deleteExpiredSessions(q: Queryable, now: Date, limit: number): Promise<number> {
      return deleteBatch(q, 'identity_sessions', 'token_digest', 'expires_at <= $1', [now], limit)
    },
  }
}

export type IdentityRepository = ReturnType<typeof createIdentityRepository>
