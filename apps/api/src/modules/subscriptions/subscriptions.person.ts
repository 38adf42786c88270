import type { Database } from '../../db/database.js'
import { DomainError } from '../../lib/domain-error.js'
import type { AccountsService } from '../billing/accounts.service.js'
import type { CatalogueService } from '../catalogue/catalogue.service.js'
import type { CompanySettingsService } from '../identity/company-settings.service.js'
import type { Renewals } from './renewals.js'
import type { SubscriptionRow, SubscriptionsRepository } from './subscriptions.repository.js'
import type { SubscriptionsService } from './subscriptions.service.js'
import { personSubscriptionView } from './subscriptions.views.js'

/** A person's subscriptions at every partner: see them, stop them, pay a past-due one now. */
export function createPersonSubscriptions(deps: {
  db: Database
  repo: SubscriptionsRepository
  accounts: AccountsService
  companies: CompanySettingsService
  catalogue: CatalogueService
  subscriptions: SubscriptionsService
  renewals: Renewals
}) {
  const { db, repo, accounts, companies, catalogue, subscriptions, renewals } = deps

  /** The views of the rows, with the partner's client id and name and the service's name. */
  async function views(rows: readonly SubscriptionRow[]) {
    const companyIds = [...new Set(rows.map((r) => r.company_id))]
    const [clients, services] = await Promise.all([
      Promise.all(companyIds.map((id) => companies.getCompany(id))),
      catalogue.names(rows.map((r) => r.service_id)),
    ])
    const byId = new Map(clients.map((c) => [c.id, c]))
    return rows.map((row) => {
      const company = byId.get(row.company_id)
      return personSubscriptionView(row, {
        clientId: company?.client_id ?? '',
        partnerName: company?.name ?? '',
        serviceName: services.get(row.service_id) ?? row.service_id,
      })
    })
  }

  async function view(row: SubscriptionRow) {
    const [one] = await views([row])
    if (!one) throw new Error(`no view of subscription ${row.id}`)
    return one
  }

  /** The person's own subscription, or 404: another person's does not exist for them. */
  async function own(customerId: string, id: string): Promise<SubscriptionRow> {
    const row = await repo.find(db, id)
    const mine = row && (await accounts.ofCustomer(customerId)).some((a) => a.id === row.account_id)
    if (!row || !mine) throw new DomainError('not_found', `no subscription ${id}`)
    return row
  }

  return {
    async list(customerId: string) {
      const accountIds = (await accounts.ofCustomer(customerId)).map((a) => a.id)
      return { data: await views(await repo.ofAccounts(db, accountIds)) }
    },

    /** Cancels at the end of the paid period; a past-due one ends at once. */
    async cancel(customerId: string, id: string) {
      await own(customerId, id)
      const row = await db.transaction(async (tx) => {
        const locked = await repo.lock(tx, id)
        if (!locked) throw new DomainError('not_found', `no subscription ${id}`)
        return subscriptions.cancelLocked(tx, locked, 'person', true)
      })
      return view(row)
    },

    /** Pays the due period of a past-due subscription now; a refusal is the charge's problem. */
    async pay(customerId: string, id: string) {
      const row = await own(customerId, id)
      if (row.status !== 'past_due') {
        throw new DomainError('subscription_not_past_due', `subscription ${id} is ${row.status}`)
      }
      const attempt = await renewals.payNow(row)
      if (attempt.refusal) throw attempt.refusal
      return view(attempt.row)
    },
  }
}

export type PersonSubscriptions = ReturnType<typeof createPersonSubscriptions>
