import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import { createAttemptKey } from '../api/attempt-key.ts'
import { ApiError } from '../api/http.ts'
import type { NamedRef, SpendingByMonth, TopUp, Wallet } from '../api/types.ts'
import {
  createTopUp,
  type EntryFilters,
  fetchSpendingByMonth,
  fetchTopUp,
  fetchWallet,
  listEntries,
  listPartnerAccounts,
} from '../api/wallet.ts'
import { createCursorList } from './cursor-list.ts'
import { rememberTopUp } from './returning-top-up.ts'
import { useStatusStore } from './status.ts'

const PAGE_SIZE = 20

/** The signed-in person's wallet: balances, statement (narrowed by filters), spending and top-ups. */
export const useWalletStore = defineStore('wallet', () => {
  const wallet = ref<Wallet | null>(null)
  const entryFilters = shallowRef<EntryFilters>({})
  const entries = createCursorList(
    (startingAfter) =>
      listEntries({ ...entryFilters.value, limit: PAGE_SIZE, starting_after: startingAfter }),
    (entry) => entry.id,
  )
  const spending = shallowRef<SpendingByMonth | null>(null)
  /** The partners the person has accounts at, for the statement's partner filter. */
  const partners = shallowRef<NamedRef[]>([])
  const topUpAttempt = createAttemptKey()
  const status = useStatusStore()

  /** The balances and the first page of the statement. */
  async function load(): Promise<void> {
    const [current] = await Promise.all([fetchWallet(), entries.load()])
    wallet.value = current
  }

  async function loadBalance(): Promise<void> {
    wallet.value = await fetchWallet()
  }

  /** Narrows the statement (the next load reads under these filters); reads its first page again when asked. */
  function filterEntries(filters: EntryFilters, reload = true): Promise<void> {
    entryFilters.value = filters
    return reload ? entries.load() : Promise.resolve()
  }

  /** What went to partners in the last 12 months, and the partners to filter the statement by. */
  async function loadSpending(): Promise<void> {
    const [report, accounts] = await Promise.all([fetchSpendingByMonth(), listPartnerAccounts()])
    spending.value = report
    partners.value = accounts.data.map((account) => account.company)
  }

  /**
   * Starts a top-up of `amount` minor units. Pressing the button again after a failure whose
   * outcome is unknown retries the same top-up instead of starting a second one.
   */
  async function startTopUp(amount: number): Promise<TopUp> {
    const key = topUpAttempt.keyFor(String(amount))
    try {
      const topUp = await createTopUp(amount, key)
      topUpAttempt.settle()
      rememberTopUp(topUp.id)
      return topUp
    } catch (error) {
      topUpAttempt.settle(error)
      if (error instanceof ApiError && error.code === 'topups_unavailable') status.markTopUpsUnavailable()
      throw error
    }
  }

  function topUpStatus(id: string): Promise<TopUp> {
    return fetchTopUp(id)
  }

  /**
   * Forgets the person who signed out, down to a top-up still being retried. The top-up kept for
   * the way back from paying stays: its owner may sign in again after the session expired, and
   * anyone else is told it does not exist.
   */
  function reset(): void {
    topUpAttempt.settle()
    wallet.value = null
    entryFilters.value = {}
    entries.reset()
    spending.value = null
    partners.value = []
  }

  return {
    wallet,
    entries,
    entryFilters,
    spending,
    partners,
    load,
    loadBalance,
    filterEntries,
    loadSpending,
    startTopUp,
    topUpStatus,
    reset,
  }
})
