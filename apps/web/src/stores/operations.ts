import { defineStore } from 'pinia'
import { ref } from 'vue'
import { listBalanceTransactions } from '../api/earnings.ts'
import { fetchCharge, listCharges, listHolds, listRefunds, refundCharge } from '../api/operations.ts'
import type { Charge, Refund } from '../api/types.ts'
import {
  balanceQuery,
  chargeQuery,
  holdQuery,
  NO_OPERATIONS_FILTERS,
  type OperationsFilters,
  type OperationsTab,
  paymentQuery,
} from '../composables/operations-filters.ts'
import { useAccountsStore } from './accounts.ts'
import { useBalanceStore } from './balance.ts'
import { createCursorList } from './cursor-list.ts'
import { useOverviewStore } from './overview.ts'

const PAGE_SIZE = 20
const byId = (item: { id: string }) => item.id

const sameFilters = (a: OperationsFilters, b: OperationsFilters) =>
  (Object.keys(a) as (keyof OperationsFilters)[]).every((key) => a[key] === b[key])

/** Every charge, hold, refund and balance movement of the company across its accounts, filtered. */
export const useOperationsStore = defineStore('operations', () => {
  const tab = ref<OperationsTab>('charges')
  const filters = ref<OperationsFilters>({ ...NO_OPERATIONS_FILTERS })
  const page = (startingAfter?: string) => ({ limit: PAGE_SIZE, starting_after: startingAfter })

  const charges = createCursorList(
    (after) => listCharges({ ...chargeQuery(filters.value), ...page(after) }),
    byId,
  )
  const holds = createCursorList((after) => listHolds({ ...holdQuery(filters.value), ...page(after) }), byId)
  const refunds = createCursorList(
    (after) => listRefunds({ ...paymentQuery(filters.value), ...page(after) }),
    byId,
  )
  const balance = createCursorList(
    (after) => listBalanceTransactions({ ...balanceQuery(filters.value), ...page(after) }),
    byId,
  )
  const lists = { charges, holds, refunds, balance }

  /** The first page of a tab under `next` filters; rows of other filters never stay on screen. */
  function load(nextTab: OperationsTab, next: OperationsFilters): Promise<void> {
    if (!sameFilters(next, filters.value)) for (const list of Object.values(lists)) list.reset()
    tab.value = nextTab
    filters.value = { ...next }
    return lists[nextTab].load()
  }

  /**
   * Gives `amount` of a charge back, then shows the charge as it is now wherever it is listed,
   * and the balance it came out of. The refund stands even if showing it fails.
   */
  async function refund(charge: Charge, amount: number, idempotencyKey: string): Promise<Refund> {
    const made = await refundCharge(charge.id, amount, idempotencyKey)
    const accounts = useAccountsStore()
    const overview = useOverviewStore()
    await Promise.all([
      fetchCharge(charge.id).then((fresh) => {
        for (const list of [charges, overview.latest, accounts.charges]) list.replace(fresh)
      }),
      useBalanceStore().load(),
    ]).catch(() => undefined)
    return made
  }

  function reset(): void {
    tab.value = 'charges'
    filters.value = { ...NO_OPERATIONS_FILTERS }
    for (const list of Object.values(lists)) list.reset()
  }

  return { tab, filters, charges, holds, refunds, balance, load, refund, reset }
})
