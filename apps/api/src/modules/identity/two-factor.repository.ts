import type { Queryable } from '../../db/database.js'
import { deleteBatch } from '../../db/prune.js'
import type { PrincipalKind } from './identity.repository.js'

export interface TwoFactorAccount {
  kind: PrincipalKind
  id: string
}

export interface TwoFactorRow {
  secret_sealed: string
  enabled_at: Date | null
  required_for_secret_rotation: boolean
  recovery_codes_left: number
}

/** Reads and writes the two-factor `identity_*` tables: secrets, recovery codes, sign-in challenges. */
export function createTwoFactorRepository() {
  return {
    async find(q: Queryable, account: TwoFactorAccount): Promise<TwoFactorRow | undefined> {
      const rows = await q.query<TwoFactorRow>(
        `SELECT t.secret_sealed, t.enabled_at, t.required_for_secret_rotation,
           (SELECT count(*)::int FROM identity_recovery_codes r
             WHERE r.principal_kind = t.principal_kind AND r.principal_id = t.principal_id
               AND r.used_at IS NULL) AS recovery_codes_left
         FROM identity_two_factor t WHERE t.principal_kind = $1 AND t.principal_id = $2`,
        [account.kind, account.id],
      )
      return rows[0]
    },

    /** Starts (or starts again) an enrolment; answers false when two-factor is already on. */
    async startEnrolment(
      q: Queryable,
      account: TwoFactorAccount,
      sealed: string,
      now: Date,
    ): Promise<boolean> {
      const rows = await q.query(
        `INSERT INTO identity_two_factor AS t (principal_kind, principal_id, secret_sealed, created_at)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (principal_kind, principal_id) DO UPDATE
           SET secret_sealed = EXCLUDED.secret_sealed, created_at = EXCLUDED.created_at, last_step = NULL
           WHERE t.enabled_at IS NULL
         RETURNING 1`,
        [account.kind, account.id, sealed, now],
      )
      return rows.length > 0
    },

    /**
     * Takes the code of time step `step`: only if no code of this or a later step was taken before,
     * so that a code works once. Answers whether it was taken.
     */
    async takeStep(q: Queryable, account: TwoFactorAccount, step: number): Promise<boolean> {
      const rows = await q.query(
        `UPDATE identity_two_factor SET last_step = $3
         WHERE principal_kind = $1 AND principal_id = $2 AND (last_step IS NULL OR last_step < $3)
         RETURNING 1`,
        [account.kind, account.id, step],
      )
      return rows.length > 0
    },

    /** Turns a pending enrolment on with its recovery codes; answers false when it was not pending. */
    async enable(q: Queryable, account: TwoFactorAccount, codeDigests: readonly string[], now: Date) {
      const rows = await q.query(
        `UPDATE identity_two_factor SET enabled_at = $3
         WHERE principal_kind = $1 AND principal_id = $2 AND enabled_at IS NULL RETURNING 1`,
        [account.kind, account.id, now],
      )
      if (rows.length === 0) return false
      await q.query(
        `INSERT INTO identity_recovery_codes (principal_kind, principal_id, code_digest)
         SELECT $1, $2, unnest($3::text[])`,
        [account.kind, account.id, codeDigests],
      )
      return true
    },

    /** Uses a recovery code once; answers whether it was unused. */
    async useRecoveryCode(
      q: Queryable,
      account: TwoFactorAccount,
      digest: string,
      now: Date,
    ): Promise<boolean> {
      const rows = await q.query(
        `UPDATE identity_recovery_codes SET used_at = $4
         WHERE principal_kind = $1 AND principal_id = $2 AND code_digest = $3 AND used_at IS NULL
         RETURNING 1`,
        [account.kind, account.id, digest, now],
      )
      return rows.length > 0
    },

    async remove(q: Queryable, account: TwoFactorAccount): Promise<void> {
      await q.query('DELETE FROM identity_two_factor WHERE principal_kind = $1 AND principal_id = $2', [
        account.kind,
        account.id,
      ])
    },

    async setRequiredForSecretRotation(q: Queryable, companyId: string, required: boolean): Promise<boolean> {
      const rows = await q.query(
        `UPDATE identity_two_factor SET required_for_secret_rotation = $2
         WHERE principal_kind = 'company' AND principal_id = $1 AND enabled_at IS NOT NULL RETURNING 1`,
        [companyId, required],
      )
      return rows.length > 0
    },

    async insertChallenge(
      q: Queryable,
      row: { id_digest: string; account: TwoFactorAccount; created_at: Date; expires_at: Date },
    ): Promise<void> {
      await q.query(
        `INSERT INTO identity_sign_in_challenges (id_digest, principal_kind, principal_id, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5)`,
        [row.id_digest, row.account.kind, row.account.id, row.created_at, row.expires_at],
      )
    },

    async findChallenge(q: Queryable, idDigest: string, now: Date): Promise<TwoFactorAccount | undefined> {
      const rows = await q.query<{ principal_kind: PrincipalKind; principal_id: string }>(
        `SELECT principal_kind, principal_id FROM identity_sign_in_challenges
         WHERE id_digest = $1 AND expires_at > $2`,
        [idDigest, now],
      )
      const row = rows[0]
      return row && { kind: row.principal_kind, id: row.principal_id }
    },

    /** Ends a challenge; answers whether it was still there (a challenge is answered once). */
    async deleteChallenge(q: Queryable, idDigest: string): Promise<boolean> {
      const rows = await q.query('DELETE FROM identity_sign_in_challenges WHERE id_digest = $1 RETURNING 1', [
        idDigest,
      ])
      return rows.length > 0
    },

    pruneChallenges(q: Queryable, now: Date, limit: number): Promise<number> {
      return deleteBatch(q, 'identity_sign_in_challenges', 'id_digest', 'expires_at <= $1', [now], limit)
    },
  }
}

export type TwoFactorRepository = ReturnType<typeof createTwoFactorRepository>
