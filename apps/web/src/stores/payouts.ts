import { defineStore } from 'pinia'
import { ref } from 'vue'
import { createPayout, listBalanceTransactions, listPayouts } from '../api/earnings.ts'
import type { Payout, PayoutCreate } from '../api/types.ts'
import {
  balanceQuery,
  NO_OPERATIONS_FILTERS,
  type OperationsFilters,
} from '../composables/operations-filters.ts'
import { useBalanceStore } from './balance.ts'
import { createCursorList } from './cursor-list.ts'

const PAGE_SIZE = 20
const byId = (item: { id: string }) => item.id

/** The company's payouts, and the movements of its balance under the Payouts page's filters. */
export const usePayoutsStore = defineStore('payouts', () => {
  const balance = useBalanceStore()
  const filters = ref<OperationsFilters>({ ...NO_OPERATIONS_FILTERS })
  const page = (startingAfter?: string) => ({ limit: PAGE_SIZE, starting_after: startingAfter })
  const payouts = createCursorList((after) => listPayouts(page(after)), byId)
  const transactions = createCursorList(
    (after) => listBalanceTransactions({ ...balanceQuery(filters.value), ...page(after) }),
    byId,
  )

  function loadPayouts(): Promise<void> {
    return Promise.all([balance.load(), payouts.load()]).then(() => undefined)
  }

  /** The first page of balance movements under `next` filters. */
  function loadTransactions(next: OperationsFilters = filters.value): Promise<void> {
    if (JSON.stringify(next) !== JSON.stringify(filters.value)) transactions.reset()
    filters.value = { ...next }
    return transactions.load()
  }

  /** Asks for a payout; the list, the balance and its movements then show it. */
  async function request(input: PayoutCreate, idempotencyKey: string): Promise<Payout> {
    const payout = await createPayout(input, idempotencyKey)
    payouts.prepend(payout)
    // The payout stands even if showing what it changed fails; the page can be reloaded.
    await Promise.all([balance.load(), transactions.load()]).catch(() => undefined)
    return payout
  }

  function reset(): void {
    filters.value = { ...NO_OPERATIONS_FILTERS }
    payouts.reset()
    transactions.reset()
  }

  return { filters, payouts, transactions, loadPayouts, loadTransactions, request, reset }
})
