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

  // The transaction has not committed yet: look soon, and once more a little later; a worker
  // that still looks too early finds the events on its next poll.
  const wake = () => {
    for (const listener of listeners) {
      setTimeout(listener, 5).unref()
      setTimeout(listener, 50).unref()
    }
  }

  /** The ids of a new event and its delivery, as `emit` gives them (and `webhooks_emit` takes them). */
  const newDelivery = (at: Date) => ({ id: newId('whd', at.getTime()), event_id: newId('evt', at.getTime()) })

  return {
    newDelivery,

    /** Writes the events in the caller's transaction (one statement); answers their delivery ids. */
    async emit(tx: Queryable, events: readonly PartnerEvent[], at: Date = clock.now()): Promise<string[]> {
      if (events.length === 0) return []
      const rows = events.map((event) => ({
        ...newDelivery(at),
        company_id: event.companyId,
        type: event.type,
        body: JSON.stringify({ type: event.type, timestamp: at.toISOString(), data: event.data }),
        created_at: at,
      }))
      await repo.insertDeliveries(tx, rows)
      for (const hook of inTransaction) await hook(tx, events, at)
      wake()
      return rows.map((r) => r.id)
    },

    /**
     * After a module's SQL wrote events to the outbox itself (`webhooks_emit`, with ids from
     * `newDelivery`) in the caller's transaction: the in-transaction hooks hear `heard`, those of
     * the events a person may be told of (the writer leaves out the rest), and the worker wakes.
     */
    async written(tx: Queryable, heard: readonly PartnerEvent[], at: Date): Promise<void> {
      if (heard.length > 0) for (const hook of inTransaction) await hook(tx, heard, at)
      wake()
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
