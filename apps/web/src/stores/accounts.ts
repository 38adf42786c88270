import { defineStore } from 'pinia'
import { ref } from 'vue'
import { fetchAccount, listAccounts, listCharges, listHolds, listRefunds } from '../api/accounts.ts'
import { listSubscriptions } from '../api/subscriptions.ts'
import type { Account } from '../api/types.ts'
import { createCursorList } from './cursor-list.ts'

const PAGE_SIZE = 20
const byId = (item: { id: string }) => item.id

/** The signed-in company's accounts, and the holds, charges, refunds and subscriptions of the one it opened. */
export const useAccountsStore = defineStore('accounts', () => {
  const list = createCursorList(
    (startingAfter) => listAccounts({ limit: PAGE_SIZE, starting_after: startingAfter }),
    byId,
  )

  const account = ref<Account | null>(null)
  let openId = ''
  const page = (startingAfter?: string) => ({ limit: PAGE_SIZE, starting_after: startingAfter })
  const holds = createCursorList((after) => listHolds(openId, page(after)), byId)
  const charges = createCursorList((after) => listCharges(openId, page(after)), byId)
  const refunds = createCursorList((after) => listRefunds(openId, page(after)), byId)
  const subscriptions = createCursorList(
    (after) => listSubscriptions({ ...page(after), account: openId }),
    byId,
  )
  const activities = [holds, charges, refunds, subscriptions]

  /** Loads one account with the first page of its holds, charges, refunds and subscriptions. */
  async function open(id: string): Promise<void> {
    if (id !== openId) {
      openId = id
      account.value = null
      for (const activity of activities) activity.reset()
    }
    const [current] = await Promise.all([fetchAccount(id), ...activities.map((activity) => activity.load())])
    if (openId === id) account.value = current
  }

  function reset(): void {
    list.reset()
    openId = ''
    account.value = null
    for (const activity of activities) activity.reset()
  }

  return { list, account, holds, charges, refunds, subscriptions, open, reset }
})
