import type { Database, Queryable } from '../../db/database.js'
import type { Clock } from '../../lib/clock.js'
import { DomainError } from '../../lib/domain-error.js'
import type { WebhookEvents } from './webhook-events.js'
import type {
  AttemptRow,
  DeliveryFilter,
  DeliveryRow,
  EndpointRow,
  WebhooksRepository,
} from './webhooks.repository.js'

const MINUTE_MS = 60_000
/** Attempts deleted per statement, so that pruning never holds many locks for long. */
const PRUNE_BATCH = 5_000

/** A delivery as the API answers it: the event sent, where it stands, and every attempt. */
export function deliveryView(row: DeliveryRow, attempts: readonly AttemptRow[]) {
  const body = JSON.parse(row.body) as { type: string; timestamp: string; data: unknown }
  return {
    id: row.id,
    object: 'webhook_delivery' as const,
    event: { id: row.event_id, type: body.type, timestamp: body.timestamp, data: body.data },
    status: row.status,
    attempt_count: row.attempt_count,
    next_attempt_at: row.next_attempt_at,
    created_at: row.created_at,
    completed_at: row.completed_at,
    attempts: attempts.map((a) => ({
      attempted_at: a.attempted_at,
      url: a.url,
      http_status: a.http_status,
      error: a.error,
      duration_ms: a.duration_ms,
      response_excerpt: a.response_excerpt,
      succeeded: a.succeeded,
      manual: a.manual,
    })),
  }
}

export type DeliveryView = ReturnType<typeof deliveryView>

/**
 * The partner's side of webhooks: its endpoint's state, the delivery log, manual retries and the
 * test event.
 */
export function createWebhooksService(deps: {
  db: Database
  repo: WebhooksRepository
  events: WebhookEvents
  clock: Clock
  webhookUrl: (companyId: string) => Promise<string | null>
  onRequeued: () => void
  /** Test events and manual retries one company may ask for per minute. */
  manualPerMinute: number
}) {
  const { db, repo, events, clock } = deps

  async function view(row: DeliveryRow, q: Queryable = db): Promise<DeliveryView> {
    const attempts = await repo.attemptsOf(q, [row.id])
    return deliveryView(row, attempts.get(row.id) ?? [])
  }

  async function endpoint(companyId: string) {
    const url = await deps.webhookUrl(companyId)
    const row: EndpointRow | undefined = await repo.findEndpoint(db, companyId)
    const disabled = !!row?.disabled_at
    return {
      url,
      status: url === null ? ('not_set' as const) : disabled ? ('disabled' as const) : ('enabled' as const),
      disabled_at: row?.disabled_at ?? null,
      disabled_reason: row?.disabled_reason ?? null,
    }
  }

  /** Refuses to send when nothing would receive it. */
  async function ensureSendable(companyId: string): Promise<void> {
    const state = await endpoint(companyId)
    if (state.status === 'not_set') {
      throw new DomainError('webhook_endpoint_unavailable', 'set a webhook URL first')
    }
    if (state.status === 'disabled') {
      throw new DomainError(
        'webhook_endpoint_unavailable',
        `the endpoint is disabled (${state.disabled_reason ?? 'gone'}); set the webhook URL again to enable it`,
      )
    }
  }

  return {
    endpoint,

    /** The company set its webhook URL (again): a disabled endpoint is enabled. */
    async enable(companyId: string): Promise<void> {
      await repo.enableEndpoint(db, companyId)
      deps.onRequeued()
    },

    async list(companyId: string, filter: DeliveryFilter, page: { limit: number; startingAfter?: string }) {
      const rows = await repo.list(db, companyId, filter, page)
      const shown = rows.slice(0, page.limit)
      const attempts = await repo.attemptsOf(
        db,
        shown.map((r) => r.id),
      )
      return {
        data: shown.map((row) => deliveryView(row, attempts.get(row.id) ?? [])),
        has_more: rows.length > page.limit,
      }
    },

    async get(companyId: string, id: string): Promise<DeliveryView> {
      const row = await repo.find(db, id)
      if (!row || row.company_id !== companyId)
        throw new DomainError('not_found', `no webhook delivery ${id}`)
      return view(row)
    },

    /** Refuses (409) while the company's endpoint cannot receive anything. */
    ensureSendable,

    /**
     * Counts a test event or manual retry against the company's limit per minute; past it, 429
     * `rate_limited` with Retry-After, counting nothing. The count is in the database, so it holds
     * across servers.
     */
    async countManualSend(companyId: string): Promise<void> {
      const now = clock.now()
      const counted = await repo.countManualSend(db, companyId, now, MINUTE_MS, deps.manualPerMinute)
      if (counted.allowed) return
      const retryAfter = Math.max(1, Math.ceil((counted.windowEndsAt.getTime() - now.getTime()) / 1000))
      throw new DomainError(
        'rate_limited',
        `at most ${deps.manualPerMinute} test events and manual retries a minute; try again in ${retryAfter} s`,
        { headers: { 'retry-after': String(retryAfter) } },
      )
    },

    /** 404 for a delivery that is not the company's, 409 while its endpoint cannot receive. */
    async ensureRetryable(companyId: string, id: string): Promise<void> {
      const found = await repo.find(db, id)
      if (!found || found.company_id !== companyId)
        throw new DomainError('not_found', `no webhook delivery ${id}`)
      await ensureSendable(companyId)
    },

    /** Sends the delivery again now, whatever its state; the answer shows it pending. */
    async retry(companyId: string, id: string, q: Queryable = db): Promise<DeliveryView> {
      const found = await repo.find(q, id)
      if (!found || found.company_id !== companyId)
        throw new DomainError('not_found', `no webhook delivery ${id}`)
      const row = (await repo.requeue(q, id, clock.now())) ?? found
      deps.onRequeued()
      return view(row, q)
    },

    /** Emits a `ping` event for the company and answers its delivery. */
    async sendTest(companyId: string, q: Queryable = db): Promise<DeliveryView> {
      const [id] = await events.emit(q, [{ companyId, type: 'ping', data: { company: companyId } }])
      const row = id === undefined ? undefined : await repo.find(q, id)
      if (!row) throw new Error('the test event was not written')
      return view(row, q)
    },

    /** `protus webhooks retry`: failed and skipped deliveries since a date become due again. */
    async retryFinished(since: Date, companyId?: string): Promise<number> {
      const count = await repo.requeueFinished(db, since, clock.now(), companyId)
      deps.onRequeued()
      return count
    },

    /**
     * Retention: drops attempts made before `before`, except each delivery's last one; at most about
     * `limit` when given (a sweep calls again while it gets `limit`), else all of them in batches.
     * Answers how many.
     */
    async pruneAttempts(before: Date, limit?: number): Promise<number> {
      if (limit !== undefined) return repo.deleteAttemptsBefore(db, before, limit)
      let deleted = 0
      for (;;) {
        const n = await repo.deleteAttemptsBefore(db, before, PRUNE_BATCH)
        deleted += n
        if (n < PRUNE_BATCH) return deleted
      }
    },

    /** The shared queue: pending deliveries by state and the age of the oldest one. */
    async queueStats() {
      const now = clock.now()
      const stats = await repo.queueStats(db, now)
      const oldest = stats.oldest_pending_at
      return {
        due: Number(stats.due),
        scheduled: Number(stats.pending - stats.due),
        paused: Number(stats.paused),
        oldestPendingAgeSeconds: oldest ? Math.max(0, (now.getTime() - oldest.getTime()) / 1000) : 0,
      }
    },
  }
}

export type WebhooksService = ReturnType<typeof createWebhooksService>
