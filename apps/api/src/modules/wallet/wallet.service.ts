import { DomainError } from '../../lib/domain-error.js'
import type { AccountsService } from '../billing/accounts.service.js'
import type { CatalogueService } from '../catalogue/catalogue.service.js'
import { DEFAULT_CURRENCY } from '../catalogue/catalogue.service.js'
import type { CompanySettingsService } from '../identity/company-settings.service.js'
import type { LedgerService } from '../ledger/ledger.service.js'
import { entryDirection, entryKind, entryRefs } from './wallet.entries.js'

const named = (names: Map<string, string>, id: string | null) =>
  id === null ? null : { id, name: names.get(id) ?? id }

/**
 * A person's own views of their money: the wallet's balance, its statement and their accounts at
 * partners. Read-only; names of partners and services are looked up once per answer.
 */
export function createWalletService(deps: {
  ledger: LedgerService
  accounts: AccountsService
  companies: CompanySettingsService
  catalogue: CatalogueService
}) {
  const { ledger, accounts, companies, catalogue } = deps

  async function walletOf(customerId: string): Promise<bigint> {
    const wallet = await ledger.walletOf(customerId, DEFAULT_CURRENCY)
    if (wallet === undefined) throw new DomainError('not_found', 'this person has no wallet')
    return wallet
  }

  /** `starting_after` names the last entry already seen; its place in the wallet's history is the cursor. */
  async function cursor(wallet: bigint, startingAfter: string | undefined): Promise<bigint | undefined> {
    if (startingAfter === undefined) return undefined
    const seq = await ledger.entrySeq(wallet, startingAfter)
    if (seq !== undefined) return seq
    throw new DomainError('validation_failed', `${startingAfter} is not an entry of this wallet`, {
      errors: [{ field: 'querystring:/starting_after', message: 'is not an entry of this wallet' }],
    })
  }

  return {
    async balance(customerId: string) {
      const wallet = await walletOf(customerId)
      const balance = (await ledger.balances([wallet])).get(wallet)
      return {
        currency: balance?.currency ?? DEFAULT_CURRENCY,
        available: balance?.available ?? 0n,
        held: balance?.held ?? 0n,
        posted: balance?.posted ?? 0n,
      }
    },

    /** Every movement on the wallet, newest first, with the partner and service it was for. */
    async entries(customerId: string, page: { limit: number; startingAfter?: string }) {
      const wallet = await walletOf(customerId)
      const before = await cursor(wallet, page.startingAfter)
      const rows = await ledger.entries(wallet, { limit: page.limit + 1, before })
      const shown = rows.slice(0, page.limit).map((row) => ({ row, refs: entryRefs(row) }))
      const [partners, services] = await Promise.all([
        companies.names(shown.flatMap(({ refs }) => refs.companyId ?? [])),
        catalogue.names(shown.flatMap(({ refs }) => refs.serviceId ?? [])),
      ])
      const data = shown.map(({ row, refs }) => {
        const kind = entryKind(row)
        return {
          id: row.id,
          kind,
          amount: row.amount,
          direction: entryDirection(kind),
          balance_after: row.balance_after,
          partner: named(partners, refs.companyId),
          service: named(services, refs.serviceId),
          description: refs.description,
          created_at: row.created_at,
        }
      })
      return { data, has_more: rows.length > page.limit }
    },

    /** The person's accounts at partners, with the partner's name, what each spent and holds. */
    async accounts(customerId: string) {
      const found = await accounts.ofCustomerAtCompanies(customerId)
      const names = await companies.names(found.map((f) => f.company_id))
      const data = found.map(({ company_id, account }) => ({
        id: account.id,
        company: { id: company_id, name: names.get(company_id) ?? company_id },
        spent: account.spent,
        held: account.held,
        scopes: account.scopes,
        created_at: account.created_at,
        last_activity_at: account.last_activity_at,
      }))
      return { data }
    },
  }
}

export type WalletService = ReturnType<typeof createWalletService>
