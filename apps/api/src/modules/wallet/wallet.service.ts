import { DomainError } from '../../lib/domain-error.js'
import type { AccountsService } from '../billing/accounts.service.js'
import type { CatalogueService } from '../catalogue/catalogue.service.js'
import { DEFAULT_CURRENCY } from '../catalogue/catalogue.service.js'
import type { CompanySettingsService } from '../identity/company-settings.service.js'
import type { EntryRow } from '../ledger/ledger.repository.js'
import type { LedgerService } from '../ledger/ledger.service.js'
import { entryRefs, statementLines, transferOf } from './wallet.entries.js'

const expand = (rows: readonly EntryRow[]) =>
  rows.flatMap((row) => statementLines(row).map((line) => ({ line, row, refs: entryRefs(row) })))

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

  const notAnEntry = (startingAfter: string) =>
    new DomainError('validation_failed', `${startingAfter} is not an entry of this wallet`, {
      errors: [{ field: 'querystring:/starting_after', message: 'is not an entry of this wallet' }],
    })

  /**
   * The statement's lines after `starting_after` (the last line already seen), newest first. Its
   * transfer's place in the wallet's history is the cursor; the line that gives back the rest of
   * a capture shares its transfer with the capture's line, so paging after it starts within it.
   */
  async function linesAfter(wallet: bigint, startingAfter: string | undefined, count: number) {
    if (startingAfter === undefined) return expand(await ledger.entries(wallet, { limit: count }))
    const seq = await ledger.entrySeq(wallet, transferOf(startingAfter))
    if (seq === undefined) throw notAnEntry(startingAfter)
    // One more transfer than asked: the one the cursor is in, whose lines up to the cursor are seen.
    const lines = expand(await ledger.entries(wallet, { limit: count + 1, before: seq + 1n }))
    const seen = lines.findIndex(({ line }) => line.id === startingAfter)
    if (seen < 0) throw notAnEntry(startingAfter)
    return lines.slice(seen + 1)
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
      // Every transfer gives at least one line, so limit + 1 transfers tell whether there are more.
      const lines = await linesAfter(wallet, page.startingAfter, page.limit + 1)
      const shown = lines.slice(0, page.limit)
      const [partners, services] = await Promise.all([
        companies.names(shown.flatMap(({ refs }) => refs.companyId ?? [])),
        catalogue.names(shown.flatMap(({ refs }) => refs.serviceId ?? [])),
      ])
      const data = shown.map(({ line, row, refs }) => ({
        ...line,
        partner: named(partners, refs.companyId),
        service: named(services, refs.serviceId),
        subscription: refs.subscriptionId,
        description: refs.description,
        created_at: row.created_at,
      }))
      return { data, has_more: lines.length > page.limit }
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
