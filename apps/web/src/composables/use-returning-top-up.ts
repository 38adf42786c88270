import { onBeforeUnmount, ref } from 'vue'
import { ApiError } from '../api/http.ts'
import type { TopUp } from '../api/types.ts'
import { useNoticesStore } from '../stores/notices.ts'
import { forgetTopUp, recallTopUp } from '../stores/returning-top-up.ts'
import { useWalletStore } from '../stores/wallet.ts'

const POLL_MS = 2000
const POLLS = 15

/**
 * How the top-up the person went to pay for ended: asked once they are back on the wallet, and
 * again for a little while as long as the payment is still pending.
 */
export function useReturningTopUp(onSettled: () => void) {
  const wallet = useWalletStore()
  const notices = useNoticesStore()
  const topUp = ref<TopUp | null>(null)
  let timer: ReturnType<typeof setTimeout> | undefined
  let polls = 0

  async function check(id: string): Promise<void> {
    clearTimeout(timer)
    try {
      const current = await wallet.topUpStatus(id)
      const wasPending = topUp.value?.status === 'pending'
      topUp.value = current
      if (current.status === 'pending') {
        if (++polls < POLLS) timer = setTimeout(() => void check(id), POLL_MS)
        return
      }
      forgetTopUp()
      if (wasPending) onSettled()
    } catch (error) {
      // Another person's or a vanished top-up: nothing to tell.
      if (error instanceof ApiError && error.status === 404) forgetTopUp()
      else notices.error(error)
    }
  }

  /** Starts watching the top-up named in the address, or else the one this tab left to pay. */
  function start(fromQuery: unknown): void {
    const id = typeof fromQuery === 'string' && fromQuery.startsWith('top_') ? fromQuery : recallTopUp()
    if (!id) return
    polls = 0
    void check(id)
  }

  function recheck(): void {
    if (!topUp.value) return
    polls = 0
    void check(topUp.value.id)
  }

  function dismiss(): void {
    clearTimeout(timer)
    forgetTopUp()
    topUp.value = null
  }

  onBeforeUnmount(() => clearTimeout(timer))

  return { topUp, start, recheck, dismiss }
}
