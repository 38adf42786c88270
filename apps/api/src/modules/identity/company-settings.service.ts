import type { Database } from '../../db/database.js'
import type { Clock } from '../../lib/clock.js'
import { DomainError, type FieldError } from '../../lib/domain-error.js'
import type { CompanySecrets, SecretInfo } from './company-secrets.js'
import type { IdentityRepository, SecretKind } from './identity.repository.js'
import { callbackUrlProblem, redirectUriErrors } from './urls.js'

export interface Company {
  id: string
  name: string
  email: string
  client_id: string
  redirect_uris: string[]
  webhook_url: string | null
  client_secrets: SecretInfo[]
  webhook_secrets: SecretInfo[]
  created_at: Date
}

export interface CompanyPatch {
  name?: string
  webhook_url?: string | null
  redirect_uris?: string[]
}

/** A partner's own settings: name, redirect URIs, webhook URL and secret rotation. */
export function createCompanySettingsService(deps: {
  db: Database
  repo: IdentityRepository
  secrets: CompanySecrets
  clock: Clock
  secretOverlapSeconds: number
}) {
  const { db, repo, secrets, clock } = deps

  async function getCompany(id: string): Promise<Company> {
    const row = await repo.findCompany(db, { id })
    if (!row) throw new DomainError('not_found', 'no such company')
    const now = clock.now()
    return {
      id: row.id,
      name: row.name,
      email: row.email,
      client_id: row.client_id,
      redirect_uris: row.redirect_uris,
      webhook_url: row.webhook_url,
      client_secrets: await secrets.describe(db, id, 'client_secret', now),
      webhook_secrets: await secrets.describe(db, id, 'webhook_secret', now),
      created_at: row.created_at,
    }
  }

  return {
    getCompany,

    /** Names of companies by id, for lists that show whom money went to; unknown ids are left out. */
    /** An OAuth client: the company behind a client_id, with its registered redirect URIs. */
    async findClient(
      clientId: string,
    ): Promise<{ companyId: string; name: string; redirectUris: string[] } | undefined> {
      const row = await repo.findCompanyByClientId(db, clientId)
      return row && { companyId: row.id, name: row.name, redirectUris: row.redirect_uris }
    },

    async names(ids: readonly string[]): Promise<Map<string, string>> {
      const rows = await repo.companyNames(db, [...new Set(ids)])
      return new Map(rows.map((r) => [r.id, r.name]))
    },

    async updateCompany(id: string, patch: CompanyPatch): Promise<Company> {
      const errors: FieldError[] = []
      if (patch.redirect_uris) errors.push(...redirectUriErrors(patch.redirect_uris))
      const webhookProblem = patch.webhook_url ? callbackUrlProblem(patch.webhook_url) : undefined
      if (webhookProblem) errors.push({ field: '/webhook_url', message: webhookProblem })
      if (errors.length > 0)
        throw new DomainError('validation_failed', 'some fields are not valid', { errors })
      await repo.updateCompany(db, id, { ...patch, name: patch.name?.trim() }, clock.now())
      return getCompany(id)
    },

    /**
     * Issues a new secret of `kind`. The previous ones keep working until the overlap window ends,
     * so partners can deploy the new secret without downtime.
     */
    async rotateSecret(id: string, kind: SecretKind): Promise<{ secret: string; previousExpiresAt: Date }> {
      return db.transaction(async (tx) => {
        if (!(await repo.findCompany(tx, { id }, { forUpdate: true }))) {
          throw new DomainError('not_found', 'no such company')
        }
        const now = clock.now()
        const previousExpiresAt = new Date(now.getTime() + deps.secretOverlapSeconds * 1000)
        await repo.expireSecrets(tx, id, kind, previousExpiresAt)
        const secret = await secrets.issue(tx, id, kind, now)
        return { secret, previousExpiresAt }
      })
    },
  }
}

export type CompanySettingsService = ReturnType<typeof createCompanySettingsService>
