import type { Database } from '../../db/database.js'
import { DomainError } from '../../lib/domain-error.js'
import type { AccountsService, PersonAccountView } from '../billing/accounts.service.js'
import type { CompanySettingsService } from '../identity/company-settings.service.js'
import type { GrantRow, OauthRepository } from './oauth.repository.js'
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

  async function liveGrant(customerId: string, clientId: string): Promise<GrantRow> {
    const grant = (await repo.liveGrantsOf(db, customerId)).find((g) => g.client_id === clientId)
    if (!grant) throw new DomainError('not_found', `no connected service with client_id ${clientId}`)
    return grant
  }

  function view(g: GrantRow, name: string, account: PersonAccountView | undefined) {
    const lastBilled = account?.last_activity_at ?? null
    const lastUsed =
      lastBilled && (!g.last_used_at || lastBilled > g.last_used_at) ? lastBilled : g.last_used_at
    return {
      client_id: g.client_id,
      company: { id: g.company_id, name },
      scopes: g.scopes,
      account_id: g.account_id,
      created_at: g.created_at,
      last_used_at: lastUsed,
      spent: account?.spent ?? 0,
      monthly_limit: account?.monthly_limit ?? null,
      spent_this_month: account?.spent_this_month ?? 0,
      limit_remaining: account?.limit_remaining ?? null,
      limit_resets_at: account?.limit_resets_at ?? null,
      revoked_at: g.revoked_at,
    }
  }

  return {
    /** The connected partners; with `includeRevoked`, then the latest revoked grant of each former one. */
    async list(customerId: string, opts: { includeRevoked?: boolean } = {}) {
      const grants = await repo.liveGrantsOf(db, customerId)
      if (opts.includeRevoked) grants.push(...(await repo.formerGrantsOf(db, customerId)))
      const names = await companies.names(grants.map((g) => g.company_id))
      const atPartners = new Map((await accounts.ofPerson(customerId)).map((a) => [a.id, a]))
      return {
        data: grants.map((g) => view(g, names.get(g.company_id) ?? '', atPartners.get(g.account_id))),
      }
    },

    /** Sets or removes the monthly limit of one connected service; the partner gets `grant.updated`. */
    async setLimit(customerId: string, clientId: string, limit: number | null) {
      const grant = await liveGrant(customerId, clientId)
      const account = await accounts.setMonthlyLimit(
        grant.account_id,
        grant.scopes,
        limit === null ? null : BigInt(limit),
      )
      const names = await companies.names([grant.company_id])
      return view(grant, names.get(grant.company_id) ?? '', account)
    },

    /** Revokes at once: tokens die, refresh fails, billing answers 403 grant_revoked. */
    async revoke(customerId: string, clientId: string): Promise<void> {
      const grant = await liveGrant(customerId, clientId)
      await tokens.revokeGrantNow(grant.id)
    },
  }
}

export type GrantsService = ReturnType<typeof createGrantsService>
