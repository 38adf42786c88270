import type { Queryable } from '../../db/database.js'
import { sqlError, UNIQUE_VIOLATION } from '../../db/database.js'
import { deleteBatch } from '../../db/prune.js'
import { DomainError } from '../../lib/domain-error.js'
import type { MailLocale } from '../mail/templates/mail-template.js'
import { emailKey, type PrincipalKind } from './identity.repository.js'

export type EmailTokenPurpose = 'verify_email' | 'change_email' | 'reset_password'

export interface EmailTokenRow {
  id: string
  secret_digest: string
  purpose: EmailTokenPurpose
  principal_kind: PrincipalKind
  principal_id: string
  email: string
  created_at: Date
  expires_at: Date
  used_at: Date | null
}

/** What mail about an account needs: where to, in which language, and whether the address is proven. */
export interface AccountContact {
  id: string
  email: string
  locale: MailLocale
  email_verified_at: Date | null
  password_hash: string
}

const table = (kind: PrincipalKind) => (kind === 'customer' ? 'identity_customers' : 'identity_companies')

/** The links PROTUS mails (`identity_email_tokens`) and the account columns they change. */
export function createEmailTokensRepository() {
  return {
    async insertToken(q: Queryable, row: Omit<EmailTokenRow, 'used_at'>): Promise<void> {
      await q.query(
        `INSERT INTO identity_email_tokens
           (id, secret_digest, purpose, principal_kind, principal_id, email, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          row.id,
          row.secret_digest,
          row.purpose,
          row.principal_kind,
          row.principal_id,
          row.email,
          row.created_at,
          row.expires_at,
        ],
      )
    },

    /** The token, locked for the transaction that uses it. */
    async lockToken(q: Queryable, id: string): Promise<EmailTokenRow | undefined> {
      const rows = await q.query<EmailTokenRow>(
        `SELECT id, secret_digest, purpose, principal_kind, principal_id, email, created_at, expires_at, used_at
         FROM identity_email_tokens WHERE id = $1 FOR UPDATE`,
        [id],
      )
      return rows[0]
    },

    /** Ends every unused link of one purpose of the account (the one just followed among them). */
    async useTokens(
      q: Queryable,
      kind: PrincipalKind,
      principalId: string,
      purposes: readonly EmailTokenPurpose[],
      now: Date,
    ): Promise<void> {
      await q.query(
        `UPDATE identity_email_tokens SET used_at = $4
         WHERE principal_kind = $1 AND principal_id = $2 AND purpose = ANY ($3::text[]) AND used_at IS NULL`,
        [kind, principalId, purposes, now],
      )
    },

    async contact(
      q: Queryable,
      kind: PrincipalKind,
      by: { id: string } | { email: string },
      options: { forUpdate?: boolean } = {},
    ): Promise<AccountContact | undefined> {
      const [column, value] = 'id' in by ? ['id', by.id] : ['email_key', emailKey(by.email)]
      const rows = await q.query<AccountContact>(
        `SELECT id, email, locale, email_verified_at, password_hash FROM ${table(kind)}
         WHERE ${column} = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
        [value],
      )
      return rows[0]
    },

    async setLocale(q: Queryable, kind: PrincipalKind, id: string, locale: MailLocale): Promise<void> {
      await q.query(`UPDATE ${table(kind)} SET locale = $2 WHERE id = $1`, [id, locale])
    },

    async setVerified(q: Queryable, kind: PrincipalKind, id: string, now: Date): Promise<void> {
      await q.query(
        `UPDATE ${table(kind)} SET email_verified_at = COALESCE(email_verified_at, $2) WHERE id = $1`,
        [id, now],
      )
    },

    /** The account's email becomes `email`, proven now; 409 email_taken when another account has it. */
    async changeEmail(
      q: Queryable,
      kind: PrincipalKind,
      id: string,
      email: string,
      now: Date,
    ): Promise<void> {
      await q
        .query(`UPDATE ${table(kind)} SET email = $2, email_key = $3, email_verified_at = $4 WHERE id = $1`, [
          id,
          email,
          emailKey(email),
          now,
        ])
        .catch((error: unknown) => {
          if (sqlError(error).code === UNIQUE_VIOLATION)
            throw new DomainError('email_taken', 'another account has this email now')
          throw error
        })
    },

    async setPassword(q: Queryable, kind: PrincipalKind, id: string, passwordHash: string): Promise<void> {
      await q.query(`UPDATE ${table(kind)} SET password_hash = $2 WHERE id = $1`, [id, passwordHash])
    },

    /** Signs the account out everywhere. */
    async deleteSessions(q: Queryable, kind: PrincipalKind, id: string): Promise<void> {
      await q.query('DELETE FROM identity_sessions WHERE principal_kind = $1 AND principal_id = $2', [
        kind,
        id,
      ])
    },

    /** Deletes at most `limit` links that expired by `now`. */
    prune(q: Queryable, now: Date, limit: number): Promise<number> {
      return deleteBatch(q, 'identity_email_tokens', 'id', 'expires_at <= $1', [now], limit)
    },
  }
}

export type EmailTokensRepository = ReturnType<typeof createEmailTokensRepository>
