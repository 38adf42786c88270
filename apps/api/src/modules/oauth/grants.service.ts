import type { Database } from '../../db/database.js'
import { DomainError } from '../../lib/domain-error.js'
import type { AccountsService } from '../billing/accounts.service.js'
import type { CompanySettingsService } from '../identity/company-settings.service.js'
import type { OauthRepository } from './oauth.repository.js'
import type { TokensService } from './tokens.service.js'

/** A person's connected services: every partner with access, and revoking it at once. */
export function createGrantsService(deps: {
  db: Database
  repo: OauthRepository
  companies: CompanySettingsService
  accounts: AccountsService
  tokens: TokensService
}) {
  const { db, repo, companies, accounts, tokens } = deps
  return {
    async list(customerId: string) {
      const grants = await repo.liveGrantsOf(db, customerId)
      const names = await companies.names(grants.map((g) => g.company_id))
      const atPartners = new Map((await accounts.ofCustomer(customerId)).map((a) => [a.id, a]))
      return {
        data: grants.map((g) => {
          const account = atPartners.get(g.account_id)
          const lastBilled = account?.last_activity_at ?? null
          const lastUsed =
            lastBilled && (!g.last_used_at || lastBilled > g.last_used_at) ? lastBilled : g.last_used_at
          return {
            client_id: g.client_id,
            company: { id: g.company_id, name: names.get(g.company_id) ?? '' },
            scopes: g.scopes,
            account_id: g.account_id,
            created_at: g.created_at,
            last_used_at: lastUsed,
            spent: account?.spent ?? 0,
          }
        }),
      }
    },

    /** Revokes at once: tokens die, refresh fails, billing answers 403 grant_revoked. */
    async revoke(customerId: string, clientId: string): Promise<void> {
      const grant = (await repo.liveGrantsOf(db, customerId)).find((g) => g.client_id === clientId)
      if (!grant) throw new DomainError('not_found', `no connected service with client_id ${clientId}`)
      await db.transaction((tx) => tokens.revokeGrant(tx, grant.id))
    },
  }
}

export type GrantsService = ReturnType<typeof createGrantsService>
