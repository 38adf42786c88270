import type { Database, Queryable } from '../../db/database.js'
import type { Clock } from '../../lib/clock.js'
import { DomainError } from '../../lib/domain-error.js'
import { newId } from '../../lib/ids.js'
import { DEFAULT_CURRENCY } from '../catalogue/catalogue.service.js'
import type { LedgerService } from '../ledger/ledger.service.js'
import type { WebhookEvents } from '../webhooks/webhook-events.js'
import type { AccountRow, BillingRepository, PageQuery, Scope } from './billing.repository.js'
import {
  accountView,
  holdView,
  money,
  type PersonAccountView,
  personAccountView,
  spendingLimitView,
  toJson,
} from './billing.views.js'

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
  /**
   * Called in the transaction that takes the `charge` right away from a partner on an account
   * (a revoked grant, or the scope removed), before the account's wallet is locked: what the
   * partner was allowed to take from then on (its subscriptions) ends with it.
   */
  onChargeWithdrawn?: readonly ((tx: Queryable, accountId: string) => Promise<void>)[]
}) {
  const { db, repo, ledger, events, clock } = deps

  async function chargeWithdrawn(tx: Queryable, accountId: string) {
    for (const listener of deps.onChargeWithdrawn ?? []) await listener(tx, accountId)
  }

  const grantView = (
    account: AccountRow,
    scopes: readonly string[],
    at: { created_at?: Date; updated_at?: Date; revoked_at?: Date },
  ) => ({
    object: 'grant' as const,
    account: account.id,
    scopes,
    monthly_limit: account.monthly_limit ? money(account.monthly_limit) : null,
    ...at,
  })

  /** `hold.released` for each hold a change of grant released, saying why. */
  async function releasedEvents(
    tx: Queryable,
    holdIds: readonly string[],
    reason: 'grant_revoked' | 'scope_removed',
    now: Date,
  ) {
    if (holdIds.length === 0) return []
    const holds = await repo.findHolds(tx, holdIds)
    return holds.map((hold) => ({
      companyId: hold.company_id,
      type: 'hold.released' as const,
      data: { ...(toJson(holdView(hold, now)) as object), reason },
    }))
  }

  /** The person's side: the partner's view and what the month's limit leaves. */
  async function personViews(rows: AccountRow[]) {
    const stats = await repo.stats(
      db,
      rows.map((r) => r.id),
      clock.now(),
    )
    return rows.map((row) => personAccountView(row, stats.get(row.id)))
  }

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
     * and sets the scopes of the person's grant on it (and the monthly limit, when given; null
     * removes it). Called by the authorization server in the consent transaction; every consent
     * tells the partner with `grant.created`. Taking `charge` away releases the open holds, which
     * could then never be captured.
     */
    async connectCustomer(
      tx: Queryable,
      companyId: string,
      customerId: string,
      scopes: readonly string[],
      monthlyLimit?: bigint | null,
      person?: { username: string; email: string },
    ) {
      const billingScopes = ALL_SCOPES.filter((s) => scopes.includes(s))
      await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
        `acct\n${companyId}\n${customerId}`,
      ])
      const now = clock.now()
      let account = await repo.findProtusAccount(tx, companyId, customerId)
      const created = !account
      if (!account) {
        const wallet = await ledger.walletOf(customerId, DEFAULT_CURRENCY, tx)
        if (wallet === undefined) throw new Error(`customer ${customerId} has no wallet`)
        account = await repo.insertAccount(tx, {
          id: newId('acct', now.getTime()),
          company_id: companyId,
          kind: 'protus',
          customer_id: customerId,
          external_id: null,
          email: scopes.includes('email') ? (person?.email ?? null) : null,
          username: scopes.includes('profile') ? (person?.username ?? null) : null,
          wallet_account_id: wallet,
          currency: DEFAULT_CURRENCY,
          scopes: billingScopes,
          created_at: now,
        })
      }
      if (!created && person) {
        await repo.setShared(tx, account.id, {
          username: scopes.includes('profile') ? person.username : null,
          email: scopes.includes('email') ? person.email : null,
        })
      }
      const chargeTaken = account.scopes.includes('charge') && !billingScopes.includes('charge')
      if (chargeTaken) await chargeWithdrawn(tx, account.id)
      const released = await repo.setGrant(
        tx,
        account.id,
        {
          scopes: billingScopes,
          revoked: false,
          monthlyLimit,
          releaseReason: chargeTaken ? 'scope_removed' : undefined,
        },
        now,
      )
      account = (await repo.findAccount(tx, { id: account.id })) as AccountRow
      await events.emit(
        tx,
        [
          ...(created ? [{ companyId, type: 'account.created' as const, data: accountView(account) }] : []),
          { companyId, type: 'grant.created', data: grantView(account, scopes, { created_at: now }) },
          ...(await releasedEvents(tx, released, 'scope_removed', now)),
        ],
        now,
      )
      return account
    },

    /**
     * Mirrors a revoked grant under the account's wallet lock: no operation of the partner on the
     * account commits after this transaction, its open holds are released (`hold.released` with
     * reason `grant_revoked`), and the partner gets `grant.revoked` once.
     */
    async revokeGrant(tx: Queryable, accountId: string, grantScopes: readonly string[]): Promise<void> {
      const account = await repo.findAccount(tx, { id: accountId })
      // Revoked already (a reused token found after the person revoked): nothing new to tell.
      if (!account || account.grant_revoked_at) return
      await chargeWithdrawn(tx, accountId)
      const now = clock.now()
      const released = await repo.setGrant(
        tx,
        accountId,
        { revoked: true, releaseReason: 'grant_revoked' },
        now,
      )
      const data = grantView(account, grantScopes, { revoked_at: now })
      await events.emit(
        tx,
        [
          { companyId: account.company_id, type: 'grant.revoked', data },
          ...(await releasedEvents(tx, released, 'grant_revoked', now)),
        ],
        now,
      )
    },

    /**
     * Sets (or, with null, removes) the monthly limit a person allows a partner on their account;
     * the partner hears of it with `grant.updated`. Answers the account with its stats.
     */
    async setMonthlyLimit(accountId: string, scopes: readonly string[], limit: bigint | null) {
      const now = clock.now()
      const account = await db.transaction(async (tx) => {
        await repo.setGrant(tx, accountId, { monthlyLimit: limit }, now)
        const row = await repo.findAccount(tx, { id: accountId })
        if (!row) throw new DomainError('not_found', `no account ${accountId}`)
        const data = grantView(row, scopes, { updated_at: now })
        await events.emit(tx, [{ companyId: row.company_id, type: 'grant.updated', data }], now)
        return row
      })
      return (await personViews([account]))[0] as PersonAccountView
    },

    /** The monthly limit a person set on their account at a partner, in minor units; null when there is none. */
    async monthlyLimit(accountId: string): Promise<number | null> {
      const limit = (await repo.findAccount(db, { id: accountId }))?.monthly_limit
      return limit ? money(limit) : null
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
      const [balances, stats] = await Promise.all([
        ledger.balances([account.wallet_account_id]),
        account.monthly_limit ? repo.stats(db, [account.id], clock.now()) : undefined,
      ])
      const balance = balances.get(account.wallet_account_id)
      return {
        account: account.id,
        currency: account.currency,
        available: money(balance?.available ?? 0n),
        held: money(balance?.held ?? 0n),
        spending_limit: spendingLimitView(account, stats?.get(account.id)),
      }
    },

    /** The same, each with the id of the partner it is at (the person's own view). */
    async ofCustomerAtCompanies(customerId: string) {
      const rows = await repo.accountsOfCustomer(db, customerId)
      const views = await withStats(rows)
      return rows.map((row, i) => ({ company_id: row.company_id, account: views[i] ?? accountView(row) }))
    },

    /** A person's accounts at every partner, as stored. */
    ofCustomer(customerId: string): Promise<AccountRow[]> {
      return repo.accountsOfCustomer(db, customerId)
    },

    /** A person's accounts at every partner, with what each spent and holds and the month's limit. */
    async ofPerson(customerId: string): Promise<PersonAccountView[]> {
      return personViews(await repo.accountsOfCustomer(db, customerId))
    },
  }
}

export type AccountsService = ReturnType<typeof createAccountsService>
export type { PersonAccountView }
