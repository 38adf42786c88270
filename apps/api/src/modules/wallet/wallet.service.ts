import type { Clock } from '../../lib/clock.js'
import { DomainError } from '../../lib/domain-error.js'
import type { AccountsService } from '../billing/accounts.service.js'
import type { CatalogueService } from '../catalogue/catalogue.service.js'
import { DEFAULT_CURRENCY } from '../catalogue/catalogue.service.js'
import type { CompanySettingsService } from '../identity/company-settings.service.js'
import type { EntryFilter, EntryRow } from '../ledger/ledger.repository.js'
import type { LedgerService } from '../ledger/ledger.service.js'
import {
  type EntryKind,
  entryRefs,
  type StatementLine,
  shapesOf,
  statementLines,
  transferOf,
} from './wallet.entries.js'
import { monthsOf, spendingByMonth, spendingByPartner } from './wallet.spending.js'

/** What the statement is narrowed to; each field left out narrows nothing. */
export interface StatementFilter {
  /** The partner (`co_…`) the movement was with. */
  partner?: string
  kind?: EntryKind
  createdGte?: Date
  createdLt?: Date
  /** Contained in the description, case-insensitively; empty narrows nothing. */
  q?: string
}

/** One line of the statement as the person reads it. */
export interface StatementEntry extends StatementLine {
  partner: { id: string; name: string } | null
  service: { id: string; name: string } | null
  subscription: string | null
  description: string | null
  created_at: Date
}

const ledgerFilter = (filter: StatementFilter): EntryFilter => ({
  companyId: filter.partner,
  description: filter.q || undefined,
  createdGte: filter.createdGte,
  createdLt: filter.createdLt,
  shapes: filter.kind === undefined ? undefined : shapesOf(filter.kind),
})

const expand = (rows: readonly EntryRow[], kind?: EntryKind) =>
  rows.flatMap((row) =>
    statementLines(row)
      .filter((line) => kind === undefined || line.kind === kind)
      .map((line) => ({ line, row, refs: entryRefs(row) })),
  )

const day = (at: Date) => at.toISOString().slice(0, 10)

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
  clock: Clock
}) {
  const { ledger, accounts, companies, catalogue, clock } = deps

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
   * The statement's lines under `filter` after `starting_after` (the last line already seen),
   * newest first. Its transfer's place in the wallet's history is the cursor; the line that gives
   * back the rest of a capture shares its transfer with the capture's line, so paging after it
   * starts within it. `count` transfers give at least `count` lines when there are so many.
   */
  async function linesAfter(
    wallet: bigint,
    filter: StatementFilter,
    startingAfter: string | undefined,
    count: number,
  ) {
    const narrowed = ledgerFilter(filter)
    if (startingAfter === undefined) {
      return expand(await ledger.entries(wallet, { limit: count, filter: narrowed }), filter.kind)
    }
    const seq = await ledger.entrySeq(wallet, transferOf(startingAfter))
    if (seq === undefined) throw notAnEntry(startingAfter)
    // The cursor's transfer as a whole, whatever the filter: the lines up to the cursor are seen.
    const [transfer] = await ledger.entries(wallet, { limit: 1, before: seq + 1n })
    const own = transfer ? statementLines(transfer) : []
    const seen = own.findIndex((line) => line.id === startingAfter)
    if (seen < 0) throw notAnEntry(startingAfter)
    const unseen = new Set(own.slice(seen + 1).map((line) => line.id))
    // One more transfer than asked: the cursor's, when it passes the filter.
    const rows = await ledger.entries(wallet, { limit: count + 1, before: seq + 1n, filter: narrowed })
    return expand(rows, filter.kind).filter(({ line, row }) => row.seq !== seq || unseen.has(line.id))
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

    /** The movements on the wallet under `filter`, newest first, with the partner and service each was for. */
    async entries(
      customerId: string,
      filter: StatementFilter,
      page: { limit: number; startingAfter?: string },
    ): Promise<{ data: StatementEntry[]; has_more: boolean }> {
      const wallet = await walletOf(customerId)
      // Every transfer gives at least one line, so limit + 1 transfers tell whether there are more.
      const lines = await linesAfter(wallet, filter, page.startingAfter, page.limit + 1)
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

    /** What a download of the statement is called and the currency its amounts are in. */
    async statementFile(customerId: string) {
      await walletOf(customerId)
      return { filename: `protus-statement-${day(clock.now())}.csv`, currency: DEFAULT_CURRENCY }
    },

    /**
     * What went to partners, charges less their refunds (a refund counts when it was made), per
     * UTC month (each month of the period, by partner) or per partner over the period.
     */
    async spending(
      customerId: string,
      groupBy: 'month' | 'partner',
      range: { createdGte?: Date; createdLt?: Date },
    ) {
      const wallet = await walletOf(customerId)
      const months = groupBy === 'month' ? monthsOf(range, clock.now()) : undefined
      const rows = months?.keys.length === 0 ? [] : await ledger.companyMonths(wallet, months ?? range)
      const names = await companies.names([...new Set(rows.map((row) => row.company_id))])
      const currency = DEFAULT_CURRENCY
      return months
        ? { group_by: 'month' as const, currency, data: spendingByMonth(months.keys, rows, names) }
        : { group_by: 'partner' as const, currency, data: spendingByPartner(rows, names) }
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
