import { randomBytes } from 'node:crypto'
import type { Queryable } from '../../db/database.js'
import { randomToken, seal, sha256, unseal } from '../../lib/secrets.js'
import type { IdentityRepository, SecretKind } from './identity.repository.js'

export interface SecretInfo {
  hint: string
  created_at: Date
  expires_at: Date | null
}

/** A client secret: 256 random bits. */
const newClientSecret = () => randomToken(32, 'sk_')
/** A webhook signing secret in the Standard Webhooks format: whsec_ + base64 of 32 random bytes. */
const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64')}`

/**
 * Issues and reads a company's secrets. Client secrets are stored only as SHA-256 digests;
 * webhook secrets are sealed with AES-256-GCM under the server's key so that they can sign.
 */
export function createCompanySecrets(deps: { repo: IdentityRepository; key: Buffer }) {
  const { repo, key } = deps
  return {
    /** Stores a new secret of `kind` and returns its plaintext, which is never readable again. */
    async issue(tx: Queryable, companyId: string, kind: SecretKind, now: Date): Promise<string> {
      const secret = kind === 'client_secret' ? newClientSecret() : newWebhookSecret()
      await repo.insertSecret(tx, {
        company_id: companyId,
        kind,
        digest: kind === 'client_secret' ? sha256(secret).toString('hex') : null,
        sealed: kind === 'webhook_secret' ? seal(key, secret).toString('base64') : null,
        hint: `…${secret.slice(-4)}`,
        created_at: now,
      })
      return secret
    },

    async describe(q: Queryable, companyId: string, kind: SecretKind, now: Date): Promise<SecretInfo[]> {
      const rows = await repo.liveSecrets(q, companyId, kind, now)
      return rows.map((row) => ({ hint: row.hint, created_at: row.created_at, expires_at: row.expires_at }))
    },

    /** The webhook secrets that sign right now, newest first (two during a rotation overlap). */
    async webhookSigningSecrets(q: Queryable, companyId: string, now: Date): Promise<string[]> {
      const rows = await repo.liveSecrets(q, companyId, 'webhook_secret', now)
      return rows.map((row) => unseal(key, Buffer.from(row.sealed ?? '', 'base64')))
    },
  }
}

export type CompanySecrets = ReturnType<typeof createCompanySecrets>
