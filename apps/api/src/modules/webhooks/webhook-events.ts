import type { Queryable } from '../../db/database.js'
import type { Clock } from '../../lib/clock.js'
import { newId } from '../../lib/ids.js'
import type { WebhooksRepository } from './webhooks.repository.js'
import type { EventType } from './webhooks.schemas.js'

export type { EventType }

/** An event for one partner: `data` is the object as the API answers it. */
export interface PartnerEvent {
  companyId: string
  type: EventType
  data: unknown
}

/**
 * The transactional outbox. Modules emit events inside the transaction of the change they
 * report, so an event exists exactly when its change does; the delivery worker sends them later.
 */
export function createWebhookEvents(deps: { repo: WebhooksRepository; clock: Clock }) {
  const { repo, clock } = deps
  const listeners: (() => void)[] = []
  const inTransaction: ((tx: Queryable, events: readonly PartnerEvent[], at: Date) => Promise<void>)[] = []

  return {
    /** Writes the events in the caller's transaction (one statement); answers their delivery ids. */
    async emit(tx: Queryable, events: readonly PartnerEvent[], at: Date = clock.now()): Promise<string[]> {
      if (events.length === 0) return []
      const rows = events.map((event) => {
        const eventId = newId('evt', at.getTime())
        const body = JSON.stringify({ type: event.type, timestamp: at.toISOString(), data: event.data })
        return {
          id: newId('whd', at.getTime()),
          event_id: eventId,
          company_id: event.companyId,
          type: event.type,
          body,
          created_at: at,
        }
      })
      await repo.insertDeliveries(tx, rows)
      for (const hook of inTransaction) await hook(tx, events, at)
      // The transaction has not committed yet: look soon, and once more a little later; a
      // worker that still looks too early finds the events on its next poll.
      for (const listener of listeners) {
        setTimeout(listener, 5).unref()
        setTimeout(listener, 50).unref()
      }
      return rows.map((r) => r.id)
    },

    /**
     * Called with every emitted batch of events in the emitting transaction, after they are
     * written: other modules that tell people of the same changes write in that transaction too.
     */
    onEmitInTransaction(
      hook: (tx: Queryable, events: readonly PartnerEvent[], at: Date) => Promise<void>,
    ): void {
      inTransaction.push(hook)
    },

    /** Called soon after events are emitted (the in-process worker wakes up). */
    onEmitted(listener: () => void): void {
      listeners.push(listener)
    },
  }
}

export type WebhookEvents = ReturnType<typeof createWebhookEvents>
