import type { Database, Queryable } from '../../db/database.js'
import { createBatcher } from '../../lib/batcher.js'
import type { Clock } from '../../lib/clock.js'
import { DomainError } from '../../lib/domain-error.js'
import type { SavedResponse } from '../idempotency/idempotency.repository.js'
import type {
  IdempotencyService,
  IdempotentRequest,
  JsonResponse,
  StoredResponse,
} from '../idempotency/idempotency.service.js'
import { decidedResponse, savedUnder, settleClaim } from '../idempotency/idempotency.service.js'
import type { EventType, PartnerEvent, WebhookEvents } from '../webhooks/webhook-events.js'
import { type Operation, type Outcome, refusalError, type Written } from './billing.operations.js'
import type { Applied, BillingRepository } from './billing.repository.js'

/** The answer to an operation that succeeded, and the webhook events that report it. */
export interface Success extends JsonResponse {
  events: { type: EventType; data: unknown }[]
}

/**
 * One money operation on its way through a batch: the idempotent request it answers, the
 * partner whose webhooks report it, and either the operation with the answer to the rows it
 * writes, or a refusal decided before the batch (which only claims the key, to be saved). The
 * answer may write more in the operation's transaction (a subscription records its charge).
 */
export type Plan = { request: IdempotentRequest; companyId: string } & (
  | {
      operation: Exclude<Operation, { kind: 'refuse' }>
      succeeded(written: Written, at: Date, tx: Queryable): Success | Promise<Success>
    }
  | { operation: { kind: 'refuse' }; refusal: DomainError }
)

const MAX_BATCH = 256

/** The response to one plan; a refusal the plan met also comes as the error that decided it. */
export type AppliedAnswer = StoredResponse & { refusal?: DomainError }

async function answerOf(
  plan: Plan,
  outcome: Outcome,
  at: Date,
  tx: Queryable,
): Promise<Success | DomainError> {
  if ('refusal' in plan) return plan.refusal
  if (outcome.result === 'ok') return plan.succeeded(outcome, at, tx)
  return refusalError(outcome, plan.operation)
}

/**
 * Group commit for billing: operations from concurrent requests run in one transaction through
 * `billing_apply` (one round trip), then the webhook events of those that succeeded are written to
 * the outbox and every response is saved under its idempotency key, before that transaction commits.
 */
export function createBillingBatch(deps: {
  db: Database
  repo: BillingRepository
  idempotency: IdempotencyService
  events: Pick<WebhookEvents, 'emit'>
  clock: Clock
}) {
  const { db, repo, idempotency, events, clock } = deps

  /**
   * Applies the plans in the caller's transaction: `billing_apply` claims each key and runs each
   * operation, the events of those that succeeded go to the outbox, and every response is saved
   * under its key. The batch runs this in a transaction of its own; a caller that has more to
   * write with the operation (a subscription and its charge) runs it in its own.
   */
  async function applyIn(tx: Queryable, plans: readonly Plan[]): Promise<(AppliedAnswer | DomainError)[]> {
    const at = clock.now()
    const results = await repo.apply(tx, plans, at)
    const saved: SavedResponse[] = []
    const reported: PartnerEvent[] = []
    const answer = async (plan: Plan, applied: Applied | undefined): Promise<AppliedAnswer | DomainError> => {
      if (!applied) throw new Error('billing_apply answered fewer results than operations')
      if (applied.state !== 'claimed') return settleClaim(applied)
      const decided = await answerOf(plan, applied.outcome, at, tx)
      if (!(decided instanceof DomainError)) {
        for (const event of decided.events) reported.push({ companyId: plan.companyId, ...event })
      }
      const { status, body } = decidedResponse(decided, plan.request.requestId)
      saved.push(savedUnder(plan.request, { status, body }))
      const refusal = decided instanceof DomainError ? { refusal: decided } : {}
      return { status, body, replayed: false, ...refusal }
    }
    const answers: (AppliedAnswer | DomainError)[] = []
    for (const [i, plan] of plans.entries()) answers.push(await answer(plan, results[i]))
    await events.emit(tx, reported, at)
    await idempotency.save(tx, saved)
    return answers
  }

  const run = (plans: Plan[]) => db.transaction((tx) => applyIn(tx, plans))

  const batcher = createBatcher<Plan, StoredResponse | DomainError>({
    run,
    maxBatch: MAX_BATCH,
    // One batch at a time per process: every batch locks its partners' revenue accounts, so
    // concurrent batches of one process would only queue on those locks (measured: fewer
    // operations per second with 2 or 4 in flight than with 1). Requests that arrive meanwhile
    // form the next, larger batch.
    maxInFlight: 1,
  })

  return {
    applyIn,

    /** Runs the plan in the next batch; resolves with the response to send (saved for replays). */
    async execute(plan: Plan): Promise<StoredResponse> {
      const answer = await batcher.submit(plan)
      if (answer instanceof DomainError) throw answer
      return answer
    },
  }
}

export type BillingBatch = ReturnType<typeof createBillingBatch>
