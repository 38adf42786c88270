import { randomUUID } from 'node:crypto'
import type { Database } from '../../db/database.js'
import { createBatcher } from '../../lib/batcher.js'
import { CLAIM_GAP_MS, createClaimLoop } from '../../lib/claim-loop.js'
import { type Clock, systemClock } from '../../lib/clock.js'
import { nextAttemptAt } from './retry-schedule.js'
import type { SendOutcome, WebhookSender } from './webhook-sender.js'
import { signedHeaders } from './webhook-signer.js'
import type {
  AttemptRecord,
  BackOff,
  DeliveryRow,
  EndpointHealth,
  WebhooksRepository,
} from './webhooks.repository.js'

/** Where a company's events go and the secrets that sign them right now. */
export interface WebhookTarget {
  url: string | null
  secrets: string[]
}

export type DeliveryOutcome = 'succeeded' | 'retrying' | 'failed' | 'skipped'

export interface WorkerOptions {
  schedule: readonly number[]
  timeoutMs: number
  /** Deliveries in flight at once. */
  concurrency: number
  /** Deliveries of one company in flight at once, across every worker on the database. */
  perCompany: number
  /** How often to look for due deliveries when nothing wakes the worker. */
  pollMs: number
}

const TARGET_CACHE_MS = 1000
const STOP_WAIT_MS = 5000
/**
 * An endpoint that times out three times in a row (each attempt holding one of its company's slots
 * for the whole timeout) pauses its company's deliveries for 5 s, doubled with each further
 * timeout up to 5 minutes; after a pause one delivery goes out at a time until one is answered.
 * Failures that come at once (connection refused) cost no one anything and only follow the retry
 * schedule. Other companies never wait for it.
 */
export const ENDPOINT_BACK_OFF: BackOff = { after: 3, baseMs: 5_000, maxMs: 300_000 }

/** One finished attempt as the recorder writes it. */
type Finished = AttemptRecord & { company_id: string; timed_out: boolean }

const isSuccess = (outcome: SendOutcome) =>
  outcome.httpStatus !== null && outcome.httpStatus >= 200 && outcome.httpStatus < 300

/** Per company, in the order the attempts finished: was any answered, and how many timed out after the last answer. */
function healthOf(records: readonly Finished[]): EndpointHealth[] {
  const byCompany = new Map<string, EndpointHealth>()
  for (const r of records) {
    const health = byCompany.get(r.company_id) ?? { company_id: r.company_id, answered: false, timeouts: 0 }
    if (r.http_status !== null) {
      health.answered = true
      health.timeouts = 0
    } else if (r.timed_out) health.timeouts++
    byCompany.set(r.company_id, health)
  }
  return [...byCompany.values()]
}

/**
 * Sends due deliveries. Several workers (in API servers or `protus worker` processes) share one
 * database: each claims rows under a lease, so no delivery is sent twice at once, and a worker
 * that dies mid-send only delays its claims until their leases end. Results are recorded in
 * batches. Companies share the workers fairly: each has at most `perCompany` deliveries in flight
 * and they take turns in every claim, and an endpoint that stops answering pauses only its own
 * company's deliveries (ENDPOINT_BACK_OFF).
 */
export function createDeliveryWorker(deps: {
  db: Database
  repo: WebhooksRepository
  clock: Clock
  sender: WebhookSender
  targets: (companyIds: string[]) => Promise<Map<string, WebhookTarget>>
  options: WorkerOptions
  onError: (error: unknown) => void
}) {
  const { db, repo, clock, sender, options } = deps
  const leaseId = randomUUID()
  const leaseMs = options.timeoutMs * 2 + 5000
  const outcomes: Record<DeliveryOutcome, number> = { succeeded: 0, retrying: 0, failed: 0, skipped: 0 }
  const targetCache = new Map<string, { until: number; target: WebhookTarget }>()
  const loop = createClaimLoop({
    concurrency: options.concurrency,
    pollMs: options.pollMs,
    stopWaitMs: STOP_WAIT_MS,
    claim: claimAndSend,
    minGapMs: CLAIM_GAP_MS,
    chunked: true,
    onError: deps.onError,
  })

  const recorder = createBatcher<Finished, void>({
    maxBatch: 256,
    maxInFlight: 1,
    async run(records) {
      await db.transaction(async (tx) => {
        await repo.recordAttempts(tx, records)
        const gone = records.filter((r) => r.http_status === 410)
        const reason = (r: AttemptRecord) => `${r.url} answered 410 Gone`
        await repo.disableEndpoints(
          tx,
          gone.map((r) => ({ company_id: r.company_id, reason: reason(r) })),
          clock.now(),
        )
        await repo.recordEndpointHealth(tx, healthOf(records), clock.now(), ENDPOINT_BACK_OFF)
      })
      return records.map(() => undefined)
    },
  })

  async function targetsOf(deliveries: DeliveryRow[]): Promise<Map<string, WebhookTarget>> {
    const now = clock.now().getTime()
    const found = new Map<string, WebhookTarget>()
    const missing: string[] = []
    for (const id of new Set(deliveries.map((d) => d.company_id))) {
      const cached = targetCache.get(id)
      // Only a URL is remembered: "no URL" is read afresh, so a URL just set is never missed.
      if (cached && cached.until > now && cached.target.url) found.set(id, cached.target)
      else missing.push(id)
    }
    if (missing.length > 0) {
      for (const [id, target] of await deps.targets(missing)) {
        targetCache.set(id, { until: now + TARGET_CACHE_MS, target })
        found.set(id, target)
      }
    }
    return found
  }

  /** The delivery's next state after a failed attempt; manual attempts do not use up the schedule. */
  function afterFailure(delivery: DeliveryRow, at: Date) {
    const next = nextAttemptAt(options.schedule, delivery.schedule_step, at)
    if (next === null)
      return { status: 'failed' as const, schedule_step: delivery.schedule_step, next_attempt_at: null }
    const step = delivery.manual_requested ? delivery.schedule_step : delivery.schedule_step + 1
    return { status: 'pending' as const, schedule_step: step, next_attempt_at: next }
  }

  async function attempt(delivery: DeliveryRow, target: WebhookTarget): Promise<void> {
    const url = target.url as string
    const sentAt = clock.now()
    // The signature carries real time even when the sandbox clock runs ahead: receivers compare
    // webhook-timestamp with their own clock and refuse a signature from the future.
    const outcome =
      target.secrets.length > 0
        ? await sender.send(
            url,
            signedHeaders(target.secrets, delivery.event_id, systemClock.now(), delivery.body),
            delivery.body,
          )
        : {
            httpStatus: null,
            error: 'no live webhook signing secret',
            durationMs: 0,
            responseExcerpt: null,
            timedOut: false,
          }
    const finishedAt = clock.now()
    const succeeded = isSuccess(outcome)
    const next = succeeded
      ? { status: 'succeeded' as const, schedule_step: delivery.schedule_step, next_attempt_at: null }
      : afterFailure(delivery, finishedAt)
    outcomes[succeeded ? 'succeeded' : next.status === 'failed' ? 'failed' : 'retrying']++
    await recorder.submit({
      delivery_id: delivery.id,
      company_id: delivery.company_id,
      lease_id: leaseId,
      attempted_at: sentAt,
      url,
      http_status: outcome.httpStatus,
      error: outcome.error,
      duration_ms: outcome.durationMs,
      response_excerpt: outcome.responseExcerpt,
      succeeded,
      manual: delivery.manual_requested,
      timed_out: outcome.timedOut,
      ...next,
      completed_at: next.status === 'pending' ? null : finishedAt,
    })
  }

  /** Claims what is due and starts sending it; answers how many were claimed. */
  async function claimAndSend(limit: number): Promise<number> {
    const now = clock.now()
    const leasedUntil = new Date(now.getTime() + leaseMs)
    const cap = { perCompany: options.perCompany, pausedAfter: ENDPOINT_BACK_OFF.after }
    const claimed = await db.transaction((tx) => repo.claimDue(tx, now, leaseId, leasedUntil, limit, cap))
    if (claimed.length === 0) return 0
    const targets = await targetsOf(claimed)
    const nowhere = claimed.filter((d) => !targets.get(d.company_id)?.url)
    if (nowhere.length > 0) {
      await repo.skip(
        db,
        nowhere.map((d) => d.id),
        leaseId,
        clock.now(),
      )
      outcomes.skipped += nowhere.length
    }
    for (const delivery of claimed) {
      const target = targets.get(delivery.company_id)
      if (target?.url) loop.track(attempt(delivery, target))
    }
    return claimed.length
  }

  return {
    start: loop.start,

    /** Reads a company's URL and signing secrets afresh for its next delivery (after a rotation). */
    forget(companyId: string): void {
      targetCache.delete(companyId)
    },

    /** Looks for due deliveries now instead of at the next poll; a finished delivery wakes it too. */
    wake: loop.wake,

    /** Stops claiming; waits a little for deliveries in flight (unfinished ones are sent again after their lease). */
    async stop(): Promise<void> {
      await loop.stop()
      sender.close()
    },

    /** When the next delivery comes due (the sandbox clock drains the worker then). */
    nextDueAt: (): Promise<Date | null> => repo.nextDueAt(db),

    /** Sends everything due now and waits until it is recorded (tests, the CLI and the sandbox clock). */
    drain: loop.drain,

    /** Outcomes of this process's attempts since it started (Prometheus counters). */
    outcomes(): Readonly<Record<DeliveryOutcome, number>> {
      return { ...outcomes }
    },
  }
}

export type DeliveryWorker = ReturnType<typeof createDeliveryWorker>
