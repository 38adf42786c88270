import { onScopeDispose, shallowReactive } from 'vue'
import type { WebhookDelivery } from '../api/types.ts'

export interface DeliveryPollingOptions {
  intervalMs?: number
  /** A delivery to a failing endpoint stays pending for days; watching it ends after this many polls. */
  maxPolls?: number
}

/**
 * Watches deliveries that were just sent or retried: fetches each again every `intervalMs` until it
 * is no longer pending, a bounded number of times, and stops when the component using it goes away.
 */
export function useDeliveryPolling(
  refresh: (id: string) => Promise<WebhookDelivery>,
  onError: (error: unknown) => void,
  { intervalMs = 1000, maxPolls = 15 }: DeliveryPollingOptions = {},
) {
  /** The ids being watched, for the rows to say they update by themselves. */
  const following = shallowReactive(new Set<string>())
  // One token per watch, so a poll answering after its watch was stopped or restarted does nothing.
  const watches = new Map<string, { timer?: ReturnType<typeof setTimeout> }>()

  function stop(id: string): void {
    clearTimeout(watches.get(id)?.timer)
    watches.delete(id)
    following.delete(id)
  }

  function follow(id: string): void {
    stop(id)
    const watch: { timer?: ReturnType<typeof setTimeout> } = {}
    watches.set(id, watch)
    following.add(id)
    let polls = 0

    async function poll(): Promise<void> {
      polls++
      let delivery: WebhookDelivery
      try {
        delivery = await refresh(id)
      } catch (error) {
        if (watches.get(id) !== watch) return
        stop(id)
        onError(error)
        return
      }
      if (watches.get(id) !== watch) return
      if (delivery.status !== 'pending' || polls >= maxPolls) stop(id)
      else watch.timer = setTimeout(poll, intervalMs)
    }

    watch.timer = setTimeout(poll, intervalMs)
  }

  function stopAll(): void {
    for (const id of [...watches.keys()]) stop(id)
  }

  onScopeDispose(stopAll)

  return { following, follow, stop, stopAll }
}
