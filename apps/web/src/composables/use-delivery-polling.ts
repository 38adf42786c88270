import { onScopeDispose, shallowReactive } from 'vue'
import type { WebhookDelivery } from '../api/types.ts'

export interface DeliveryPollingOptions {
  intervalMs?: number
  /** A delivery to a failing endpoint stays pending for days; watching it ends after this many polls. */
  maxPolls?: number
}

/** When watching a delivery can stop: by default once it is no longer pending. */
export type Settled = (delivery: WebhookDelivery) => boolean

const notPending: Settled = (delivery) => delivery.status !== 'pending'

/** Settled once an attempt beyond the first `attempts` is recorded: a send or retry has its answer. */
export const attemptedBeyond =
  (attempts: number): Settled =>
  (delivery) =>
    delivery.status !== 'pending' || delivery.attempt_count > attempts

/**
 * Watches deliveries that were just sent or retried: fetches each again every `intervalMs` until it
 * is settled, a bounded number of times, and stops when the component using it goes away.
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

  function follow(id: string, settled: Settled = notPending): void {
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
      if (settled(delivery) || polls >= maxPolls) stop(id)
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
