import type { Database, Queryable } from '../../db/database.js'
import type { Clock } from '../../lib/clock.js'
import { DomainError } from '../../lib/domain-error.js'
import { newId } from '../../lib/ids.js'
import { DEFAULT_CURRENCY } from '../catalogue/catalogue.service.js'
import type { LedgerService } from '../ledger/ledger.service.js'
import type { WebhookEvents } from '../webhooks/webhook-events.js'
import type { AccountRow, BillingRepository, PageQuery, Scope } from './billing.repository.js'
import { accountView, money } from './billing.views.js'

export const ALL_SCOPES: Scope[] = ['check', 'hold', 'charge']

/**
 * Accounts at partners (`acct_…`): a PROTUS person's or a partner's direct user's identity at one
 * partner, with the wallet it spends from and the scopes the partner holds on it.
 */
export function createAccountsService(deps: {
  db: Database
  repo: BillingRepository
  ledger: LedgerService
  events: Pick<WebhookEvents, 'emit'>
  clock: Clock
}) {
  const { db, repo, ledger, events, clock } = deps

  const grantView = (
    account: AccountRow,
    scopes: readonly string[],
    at: { created_at?: Date; revoked_at?: Date },
  ) => ({
    object: 'grant' as const,
    account: account.id,
    scopes,
    ...at,
  })

  async function withStats(rows: AccountRow[]) {
    const stats = await repo.stats(
      db,
      rows.map((r) => r.id),
      clock.now(),
    )
    return rows.map((row) => accountView(row, stats.get(row.id)))
  }

  return {
    /**
     * Finds or opens the managed account for a partner's direct user, with a wallet of its own.
     * Answers whether it was created. Concurrent calls for one external_id open one account.
     */
    async ensureManaged(
      tx: Queryable,
      companyId: string,
      input: { external_id: string; email?: string; username?: string },
    ): Promise<{ created: boolean; account: AccountRow }> {
      await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
        `acct\n${companyId}\n${input.external_id}`,
      ])
      const existing = await repo.findAccount(tx, { companyId, externalId: input.external_id })
      if (existing) return { created: false, account: existing }
      const now = clock.now()
      const id = newId('acct', now.getTime())
      const wallet = await ledger.openWallet(tx, id, DEFAULT_CURRENCY)
      const account = await repo.insertAccount(tx, {
        id,
        company_id: companyId,
        kind: 'managed',
        customer_id: null,
        external_id: input.external_id,
        email: input.email ?? null,
        username: input.username ?? null,
        wallet_account_id: wallet,
        currency: DEFAULT_CURRENCY,
        scopes: ALL_SCOPES,
        created_at: now,
      })
      await events.emit(tx, [{ companyId, type: 'account.created', data: accountView(account) }], now)
      return { created: true, account }
    },

    /**
     * Opens (or finds) a PROTUS person's account at a partner, spending from the person's wallet,
     * and sets the scopes of the person's grant on it. Called by the authorization server in the
     * consent transaction; every consent tells the partner with `grant.created`.
     */
    async connectCustomer(tx: Queryable, companyId: string, customerId: string, scopes: readonly string[]) {
      const billingScopes = ALL_SCOPES.filter((s) => scopes.includes(s))
      await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
        `acct\n${companyId}\n${customerId}`,
      ])
      const now = clock.now()
      const granted = (account: AccountRow) => ({
        companyId,
        type: 'grant.created' as const,
        data: grantView(account, scopes, { created_at: now }),
      })
      const existing = await repo.findProtusAccount(tx, companyId, customerId)
      if (existing) {
        await repo.setGrant(tx, existing.id, billingScopes, null)
        await events.emit(tx, [granted(existing)], now)
        return { ...existing, scopes: billingScopes, grant_revoked_at: null }
      }
      const wallet = await ledger.walletOf(customerId, DEFAULT_CURRENCY, tx)
      if (wallet === undefined) throw new Error(`customer ${customerId} has no wallet`)
      const account = await repo.insertAccount(tx, {
        id: newId('acct', now.getTime()),
        company_id: companyId,
        kind: 'protus',
        customer_id: customerId,
        external_id: null,
        email: null,
        username: null,
        wallet_account_id: wallet,
        currency: DEFAULT_CURRENCY,
        scopes: billingScopes,
        created_at: now,
      })
      await events.emit(
        tx,
        [{ companyId, type: 'account.created', data: accountView(account) }, granted(account)],
        now,
      )
      return account
    },

    /**
     * Mirrors a revoked grant: every billing call for the account answers 403 grant_revoked, and
     * the partner gets `grant.revoked` once.
     */
    async revokeGrant(tx: Queryable, accountId: string, grantScopes: readonly string[]): Promise<void> {
      const account = await repo.findAccount(tx, { id: accountId })
      // Revoked already (a reused token found after the person revoked): nothing new to tell.
      if (!account || account.grant_revoked_at) return
      const now = clock.now()
      await repo.setGrant(tx, accountId, account.scopes, now)
      const data = grantView(account, grantScopes, { revoked_at: now })
      await events.emit(tx, [{ companyId: account.company_id, type: 'grant.revoked', data }], now)
    },

    /** A partner's managed account by id (the owner of a top-up), in the caller's transaction. */
    async managed(q: Queryable, accountId: string): Promise<AccountRow | undefined> {
      const account = await repo.findAccount(q, { id: accountId })
      return account?.kind === 'managed' ? account : undefined
    },

    /** The account as its partner may use it: 404 for another partner's, 403 without the scope. */
    async forPartner(
      companyId: string,
      accountId: string,
      scope?: Scope,
      q: Queryable = db,
    ): Promise<AccountRow> {
      const account = await repo.findAccount(q, { id: accountId })
      if (!account || account.company_id !== companyId)
        throw new DomainError('not_found', `no account ${accountId}`)
      if (scope && account.grant_revoked_at) {
        throw new DomainError('grant_revoked', 'the person revoked this partner’s access to the account')
      }
      if (scope && !account.scopes.includes(scope)) {
        throw new DomainError('insufficient_scope', `the account did not grant "${scope}"`, { scope })
      }
      return account
    },

    async get(companyId: string, accountId: string) {
      const [view] = await withStats([await this.forPartner(companyId, accountId)])
      return view
    },

    async list(companyId: string, page: PageQuery) {
      const rows = await repo.listAccounts(db, companyId, page)
      return { data: await withStats(rows.slice(0, page.limit)), has_more: rows.length > page.limit }
    },

    async balance(companyId: string, accountId: string) {
      const account = await this.forPartner(companyId, accountId, 'check')
      const balance = (await ledger.balances([account.wallet_account_id])).get(account.wallet_account_id)
      return {
        account: account.id,
        currency: account.currency,
        available: money(balance?.available ?? 0n),
        held: money(balance?.held ?? 0n),
      }
    },

    /** The same, each with the id of the partner it is at (the person's own view). */
    async ofCustomerAtCompanies(customerId: string) {
      const rows = await repo.accountsOfCustomer(db, customerId)
      const views = await withStats(rows)
      return rows.map((row, i) => ({ company_id: row.company_id, account: views[i] ?? accountView(row) }))
    },

    /** A person's accounts at every partner, with what each spent and holds. */
    async ofCustomer(customerId: string) {
      return withStats(await repo.accountsOfCustomer(db, customerId))
    },
  }
}

export type AccountsService = ReturnType<typeof createAccountsService>
