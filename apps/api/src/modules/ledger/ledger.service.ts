import type { Database, Queryable } from '../../db/database.js'
import type { Clock } from '../../lib/clock.js'
import type {
  AccountCode,
  EntryFilter,
  EntryRow,
  LedgerRepository,
  TransferInput,
  TransferResult,
} from './ledger.repository.js'
import { verifyLedger } from './ledger.verify.js'

export interface Balance {
  currency: string
  /** credits_posted - debits_posted */
  posted: bigint
  /** Open holds that have not expired. */
  held: bigint
  /** What can be spent now: posted - held. */
  available: bigint
}

/**
 * The ledger as other modules see it: accounts by owner, balances, statements, single transfers
 * and the invariants. Batched money movement goes through the ledger's SQL functions, which the
 * billing batch calls inside its own transaction.
 */
export function createLedgerService(deps: {
  db: Database
  repo: LedgerRepository
  clock: Clock
  /** How many stripes a partner's revenue in one currency has at least (its set grows to it). */
  revenueStripes?: number
}) {
  const { db, repo, clock } = deps
  const systemAccounts = new Map<string, bigint>()
  const revenueSets = new Map<string, Promise<bigint[]>>()

  /**
   * A partner's revenue stripes in one currency, opened (or grown) once per process; the ids
   * never change once made, so they are cached. A failed attempt is forgotten, to be tried again.
   */
  function revenueStripes(companyId: string, currency: string): Promise<bigint[]> {
    const key = `${companyId}/${currency}`
    let set = revenueSets.get(key)
    if (!set) {
      const stripes = deps.revenueStripes ?? 1
      set = repo.ensureRevenue(db, { ownerId: companyId, currency, stripes, at: clock.now() })
      set.catch(() => revenueSets.delete(key))
      revenueSets.set(key, set)
    }
    return set
  }

  /** System accounts never move once created, so their ids are cached per process. */
  async function systemAccount(code: AccountCode, ownerId: string, currency: string): Promise<bigint> {
    const key = `${code}/${ownerId}/${currency}`
    const cached = systemAccounts.get(key)
    if (cached !== undefined) return cached
    const id = await repo.ensureAccount(db, { code, ownerId, currency, limited: false, at: clock.now() })
    systemAccounts.set(key, id)
    return id
  }

  return {
    /** Opens (or finds) the wallet of a person or a managed account; it may never go below zero. */
    openWallet(tx: Queryable, ownerId: string, currency: string): Promise<bigint> {
      return repo.ensureAccount(tx, { code: 'wallet', ownerId, currency, limited: true, at: clock.now() })
    },

    async walletOf(ownerId: string, currency: string, q: Queryable = db): Promise<bigint | undefined> {
      return (await repo.findAccount(q, { code: 'wallet', ownerId, currency }))?.id
    },

    /**
     * Where a partner's takings in one currency from a wallet are credited: the revenue stripe the
     * wallet's id chooses. Without a wallet, the first stripe (billing moves an operation to its
     * wallet's stripe in the batch anyway).
     */
    async revenueAccount(companyId: string, currency: string, wallet?: bigint): Promise<bigint> {
      const stripes = await revenueStripes(companyId, currency)
      const stripe = wallet === undefined ? 0 : Number(wallet % BigInt(stripes.length))
      const id = stripes[stripe]
      if (id === undefined) throw new Error(`no revenue stripe ${stripe} for ${companyId} in ${currency}`)
      return id
    },

    /** How many stripes a partner's revenue set is opened or grown to (PROTUS_REVENUE_STRIPES). */
    stripes: Math.max(1, deps.revenueStripes ?? 1),

    /** A partner's revenue per currency: its stripes summed (posted, and held by open holds). */
    async revenue(companyId: string, q: Queryable = db) {
      const rows = await repo.revenue(q, companyId, clock.now())
      return rows.map((r) => ({
        currency: r.currency,
        stripes: Number(r.stripes),
        posted: r.posted,
        held: r.held,
      }))
    },

    /**
     * A partner's accounts in one currency for its payouts: every revenue stripe (the set), the
     * account of payouts in flight and the account of what was paid out. Opened on first use.
     */
    async payoutAccounts(companyId: string, currency: string, q: Queryable = db) {
      const at = clock.now()
      const stripes = deps.revenueStripes ?? 1
      const revenue = await repo.ensureRevenue(q, { ownerId: companyId, currency, stripes, at })
      const account = (code: AccountCode) =>
        repo.ensureAccount(q, { code, ownerId: companyId, currency, limited: false, at })
      return { revenue, payout: await account('payout'), settled: await account('settled') }
    },

    /**
     * A partner's money in one currency from the ledger: revenue not paid out (`available`, may
     * be below zero only if refunds were allowed past it), payouts in flight and paid out.
     */
    async partnerBalance(companyId: string, currency: string, q: Queryable = db) {
      const totals = new Map(
        (await repo.partnerTotals(q, companyId, currency)).map((t) => [t.code, t.posted]),
      )
      return {
        available: totals.get('revenue') ?? 0n,
        pendingPayouts: totals.get('payout') ?? 0n,
        paidOut: totals.get('settled') ?? 0n,
      }
    },

    /** The other side of money that comes in through a payment provider. */
    fundingAccount: (provider: string, currency: string) => systemAccount('funding', provider, currency),

    async balances(ids: readonly bigint[], q: Queryable = db): Promise<Map<bigint, Balance>> {
      const rows = await repo.balances(q, ids, clock.now())
      return new Map(
        rows.map((r) => [
          r.id,
          { currency: r.currency, posted: r.posted, held: r.held, available: r.posted - r.held },
        ]),
      )
    },

    entries(
      accountId: bigint,
      page: { limit: number; before?: bigint; filter?: EntryFilter },
    ): Promise<EntryRow[]> {
      return repo.entries(db, accountId, page)
    },

    /** What an account paid to and got back from each company per UTC month (posted money only). */
    companyMonths: (accountId: bigint, range: { createdGte?: Date; createdLt?: Date }) =>
      repo.companyMonths(db, accountId, range),

    /** The paging position of a transfer among one account's entries; undefined if it is not one. */
    entrySeq: (accountId: bigint, transferId: string) => repo.entrySeq(db, accountId, transferId),

    /** How many accounts and transfers the ledger holds (`protus ledger verify`). */
    counts: (q: Queryable = db) => repo.counts(q),

    /** Locks accounts (and the other side of their due holds) in a deadlock-free order. */
    lock(tx: Queryable, ids: readonly bigint[]): Promise<void> {
      return repo.lockAccounts(tx, ids, clock.now())
    },

    /** One transfer in the caller's transaction, with both accounts locked first. */
    async transfer(tx: Queryable, transfer: TransferInput): Promise<TransferResult> {
      const at = clock.now()
      await repo.lockAccounts(
        tx,
        [transfer.debit, transfer.credit].filter((id): id is bigint => id !== undefined),
        at,
      )
      return repo.transfer(tx, transfer, at)
    },

    /** Expires the due holds on these accounts in the caller's transaction; returns their ids. */
    async expireDue(tx: Queryable, accountIds: readonly bigint[]): Promise<string[]> {
      const at = clock.now()
      await repo.lockAccounts(tx, accountIds, at)
      const expired: string[] = []
      for (const id of accountIds) expired.push(...(await repo.expireDue(tx, id, at)))
      return expired
    },

    /** Accounts with holds past their expiry, for the sweeper. */
    dueAccounts: (limit: number) => repo.dueAccounts(db, clock.now(), limit),

    /** When the next hold expires (maybe already past, before the sweeper records it); null: none pending. */
    nextExpiry: () => repo.earliestPendingExpiry(db),

    verify: (q: Queryable = db) => verifyLedger(q),
  }
}

export type LedgerService = ReturnType<typeof createLedgerService>
