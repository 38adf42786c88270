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
import { type Operation, type Outcome, type Reply, refusalError, type Written } from './billing.operations.js'
import type { Applied, BillingRepository } from './billing.repository.js'

/** The answer to an operation that succeeded, and the webhook events that report it. */
export interface Success extends JsonResponse {
  events: { type: EventType; data: unknown }[]
}

/**
 * One money operation on its way through a batch: the idempotent request it answers, the
 * partner whose webhooks report it, and either the operation with its answer, or a refusal
 * decided before the batch (which only claims the key, to be saved). The answer is a `reply`
 * that `billing_apply` builds, saves and reports in its statement, or, for an operation that
 * writes more in its transaction (a subscription records its charge), `succeeded`, run after it.
 */
export type Plan = { request: IdempotentRequest; companyId: string } & (
  | { operation: Exclude<Operation, { kind: 'refuse' }>; reply: Reply }
  | {
      operation: Exclude<Operation, { kind: 'refuse' }>
      succeeded(written: Written, at: Date, tx: Queryable): Success | Promise<Success>
    }
  | { operation: { kind: 'refuse' }; refusal: DomainError }
)

const MAX_BATCH = 256

/** A small non-negative number from a string, to spread refusals (no wallet) over the lanes. */
function hashOf(text: string): bigint {
  let h = 0
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) >>> 0
  return BigInt(h)
}

/** The response to one plan; a refusal the plan met also comes as the error that decided it. */
export type AppliedAnswer = StoredResponse & { refusal?: DomainError }

async function answerOf(
  plan: Plan,
  outcome: Outcome,
  at: Date,
  tx: Queryable,
): Promise<Success | DomainError> {
  if ('refusal' in plan) return plan.refusal
  if (outcome.result !== 'ok') return refusalError(outcome, plan.operation)
  if ('reply' in plan) throw new Error('billing_apply did not answer an operation that succeeded')
  return plan.succeeded(outcome, at, tx)
}

/**
 * Group commit for billing: operations from concurrent requests run in one transaction through
 * `billing_apply`, one statement that also answers those with a reply: saves the response under
 * the key and writes the events to the outbox. Only what it leaves takes more statements before
 * COMMIT: refusals (saved as the problem TypeScript renders), `succeeded` answers, and the hooks
 * that tell a person of a payment (receipts, low-balance alerts) when a person holds the account.
 */
export function createBillingBatch(deps: {
  db: Database
  repo: BillingRepository
  idempotency: IdempotencyService
  events: Pick<WebhookEvents, 'emit' | 'written' | 'newDelivery'>
  clock: Clock
  /** Batches that run at once, one per revenue stripe (PROTUS_REVENUE_STRIPES); default 1. */
  lanes?: number
}) {
  const { db, repo, idempotency, events, clock } = deps

  /**
   * Applies the plans in the caller's transaction: `billing_apply` claims each key, runs each
   * operation and answers those with a reply; the events of the other successes go to the outbox,
   * and the other responses are saved under their keys. The batch runs this in a transaction of
   * its own; a caller that has more to write with the operation (a subscription and its charge)
   * runs it in its own.
   */
  async function applyIn(tx: Queryable, plans: readonly Plan[]): Promise<(AppliedAnswer | DomainError)[]> {
    const at = clock.now()
    const entries = plans.map((plan) => {
      if (!('reply' in plan)) return plan
      const reply = plan.reply
      return {
        ...plan,
        reply: { ...reply, events: reply.events.map((e) => ({ ...e, ...events.newDelivery(at) })) },
      }
    })
    const results = await repo.apply(tx, entries, at)
    const saved: SavedResponse[] = []
    const reported: PartnerEvent[] = []
    const heard: PartnerEvent[] = []
    let written = false
    const answer = async (plan: Plan, applied: Applied | undefined): Promise<AppliedAnswer | DomainError> => {
      if (!applied) throw new Error('billing_apply answered fewer results than operations')
      if (applied.state === 'answered') {
        written = true
        remember(plan.operation, applied.wallet)
        for (const event of applied.events) heard.push({ companyId: plan.companyId, ...event })
        return { status: applied.status, body: applied.body, replayed: false }
      }
      if (applied.state !== 'claimed') return settleClaim(applied)
      remember(plan.operation, walletOf(applied.outcome))
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
    if (written) await events.written(tx, heard, at)
    await events.emit(tx, reported, at)
    await idempotency.save(tx, saved)
    return answers
  }

  const run = (plans: Plan[]) => db.transaction((tx) => applyIn(tx, plans))

  // One lane per revenue stripe, each running one batch at a time: an operation goes to the lane
  // of its wallet's stripe (the wallet's id modulo the lanes, as the ledger picks the stripe), so
  // batches of one process never wait on each other's wallet or revenue rows. Within a lane,
  // requests that arrive while a batch runs form the next, larger batch (measured with one lane:
  // 2 or 4 batches in flight on the one revenue row were slower than 1).
  const lanes = Array.from({ length: Math.max(1, deps.lanes ?? 1) }, () =>
    createBatcher<Plan, StoredResponse | DomainError>({ run, maxBatch: MAX_BATCH, maxInFlight: 1 }),
  )

  // Operations name the partner's account, hold or charge, not the wallet (the batch finds it):
  // the wallets of the ones seen are remembered (they never change) to pick the lane; one not
  // seen yet goes to a lane by its id, and its batch may then wait for another lane's locks.
  const wallets = new Map<string, bigint>()
  const remember = (operation: Plan['operation'], wallet: bigint | undefined) => {
    if (wallet === undefined || operation.kind === 'refuse') return
    if (wallets.size > 100_000) wallets.clear()
    // The ids later operations may name: the account, a new hold, a hold's or a new charge.
    const named = [
      'account_id' in operation ? operation.account_id : undefined,
      operation.kind === 'hold' ? operation.id : undefined,
      'hold_id' in operation ? operation.hold_id : undefined,
      'charge_id' in operation ? operation.charge_id : undefined,
      operation.kind === 'charge' ? operation.id : undefined,
    ]
    for (const id of named) if (id !== undefined) wallets.set(id, wallet)
  }
  const walletOf = (outcome: Outcome) =>
    outcome.result !== 'ok'
      ? undefined
      : 'hold' in outcome
        ? outcome.hold.wallet_account_id
        : outcome.charge.wallet_account_id

  const laneOf = (plan: Plan) => {
    const n = BigInt(lanes.length)
    const op = plan.operation
    const named =
      op.kind === 'refuse'
        ? plan.request.key
        : op.kind === 'charge' || op.kind === 'hold'
          ? op.account_id
          : op.kind === 'refund'
            ? op.charge_id
            : op.hold_id
    const wallet = ('wallet' in op ? op.wallet : undefined) ?? wallets.get(named)
    const index = wallet === undefined ? hashOf(named) % n : wallet % n
    return lanes[Number(index)] ?? (lanes[0] as (typeof lanes)[number])
  }

  return {
    applyIn,

    /** Runs the plan in the next batch; resolves with the response to send (saved for replays). */
    async execute(plan: Plan): Promise<StoredResponse> {
      const answer = await laneOf(plan).submit(plan)
      if (answer instanceof DomainError) throw answer
      return answer
    },
  }
}

export type BillingBatch = ReturnType<typeof createBillingBatch>
