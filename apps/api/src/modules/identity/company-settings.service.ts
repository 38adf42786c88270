import type { Database } from '../../db/database.js'
import type { Clock } from '../../lib/clock.js'
import { DomainError, type FieldError } from '../../lib/domain-error.js'
import { isPrivateHost } from '../../lib/public-address.js'
import type { CompanySecrets, SecretInfo } from './company-secrets.js'
import type { IdentityRepository, SecretKind, SecretRotation } from './identity.repository.js'
import type { TwoFactorProof } from './two-factor.service.js'
import { callbackUrlProblem, redirectUriErrors } from './urls.js'

/** What a rotation carries for a company that requires a two-factor code for it. */
export type RotationProof = TwoFactorProof & { ip: string }

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

const NOT_PUBLIC = 'must reach a public address (loopback, private and link-local hosts are refused)'

/** A partner's own settings: name, redirect URIs, webhook URL and secret rotation. */
export function createCompanySettingsService(deps: {
  db: Database
  repo: IdentityRepository
  secrets: CompanySecrets
  clock: Clock
  secretOverlapSeconds: number
  /** Accept webhook URLs on loopback and private hosts (development, tests, the demo). */
  allowPrivateWebhooks: boolean
  /** Called after the company sets its webhook URL (a disabled endpoint is enabled again). */
  onWebhookUrlSet?: ((companyId: string) => Promise<void>)[]
  /** Called in this process once a rotation commits; other processes hear it from the database. */
  onSecretsRotated?: ((rotation: SecretRotation) => void)[]
  /** Refuses a rotation the company's two-factor rule does not let through. */
  guardSecretRotation?: (companyId: string, proof: RotationProof) => Promise<void>
}) {
  const { db, repo, secrets, clock } = deps

  /** A well-formed webhook URL on a host this PROTUS does not send to (a policy, not a typo). */
  function isRefusedHost(raw: string): boolean {
    return !deps.allowPrivateWebhooks && isPrivateHost(new URL(raw).hostname)
  }

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

    /** An OAuth client: the company behind a client_id, with its registered redirect URIs. */
    async findClient(
      clientId: string,
    ): Promise<{ companyId: string; name: string; redirectUris: string[] } | undefined> {
      const row = await repo.findCompanyByClientId(db, clientId)
      return row && { companyId: row.id, name: row.name, redirectUris: row.redirect_uris }
    },

    /** Names of companies by id, for lists that show whom money went to; unknown ids are left out. */
    async names(ids: readonly string[]): Promise<Map<string, string>> {
      const rows = await repo.companyNames(db, [...new Set(ids)])
      return new Map(rows.map((r) => [r.id, r.name]))
    },

    async updateCompany(id: string, patch: CompanyPatch): Promise<Company> {
      const errors: FieldError[] = []
      if (patch.redirect_uris) errors.push(...redirectUriErrors(patch.redirect_uris))
      const malformed = patch.webhook_url ? callbackUrlProblem(patch.webhook_url) : undefined
      if (malformed) errors.push({ field: '/webhook_url', message: malformed })
      const notPublic = !malformed && patch.webhook_url ? isRefusedHost(patch.webhook_url) : false
      // A private host alone has a code of its own, so a dashboard can say why and how to allow it.
      if (notPublic && errors.length === 0) {
        throw new DomainError('webhook_url_not_public', 'the webhook URL must reach a public address', {
          errors: [{ field: '/webhook_url', message: NOT_PUBLIC }],
        })
      }
      if (notPublic) errors.push({ field: '/webhook_url', message: NOT_PUBLIC })
      if (errors.length > 0)
        throw new DomainError('validation_failed', 'some fields are not valid', { errors })
      await repo.updateCompany(db, id, { ...patch, name: patch.name?.trim() }, clock.now())
      if (patch.webhook_url) for (const listener of deps.onWebhookUrlSet ?? []) await listener(id)
      return getCompany(id)
    },

    async webhookUrl(id: string): Promise<string | null> {
      return (await repo.findCompany(db, { id }))?.webhook_url ?? null
    },

    /** Where each company's webhooks go and the secrets that sign them now; unknown ids are left out. */
    async webhookTargets(
      ids: readonly string[],
    ): Promise<Map<string, { url: string | null; secrets: string[] }>> {
      const now = clock.now()
      const targets = new Map<string, { url: string | null; secrets: string[] }>()
      for (const id of ids) {
        const row = await repo.findCompany(db, { id })
        if (!row) continue
        targets.set(id, { url: row.webhook_url, secrets: await secrets.webhookSigningSecrets(db, id, now) })
      }
      return targets
    },

    /**
     * Issues a new secret of `kind`. The previous ones keep working for `previousExpiresIn`
     * seconds (the configured overlap by default), so partners can deploy the new secret without
     * downtime; 0 ends them now, on every process.
     */
    async rotateSecret(
      id: string,
      kind: SecretKind,
      previousExpiresIn = deps.secretOverlapSeconds,
      proof: RotationProof = { ip: '' },
    ): Promise<{ secret: string; previousExpiresAt: Date }> {
      await deps.guardSecretRotation?.(id, proof)
      const rotated = await db.transaction(async (tx) => {
        if (!(await repo.findCompany(tx, { id }, { forUpdate: true }))) {
          throw new DomainError('not_found', 'no such company')
        }
        const now = clock.now()
        const previousExpiresAt = new Date(now.getTime() + previousExpiresIn * 1000)
        await repo.expireSecrets(tx, id, kind, previousExpiresAt)
        const secret = await secrets.issue(tx, id, kind, now)
        await repo.announceSecretRotation(tx, { company_id: id, kind })
        return { secret, previousExpiresAt }
      })
      for (const listener of deps.onSecretsRotated ?? []) listener({ company_id: id, kind })
      return rotated
    },
  }
}

export type CompanySettingsService = ReturnType<typeof createCompanySettingsService>
