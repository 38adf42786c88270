import { randomUUID } from 'node:crypto'
import type { Database } from '../../db/database.js'
import { CLAIM_GAP_MS, createClaimLoop } from '../../lib/claim-loop.js'
import type { Clock } from '../../lib/clock.js'
import { nextAttemptAt } from '../webhooks/retry-schedule.js'
import type { MailRepository, MailRow } from './mail.repository.js'
import { MailSendError, type MailTransport, SMTP_TIMEOUT_MS } from './mail-transport.js'

export type MailOutcome = 'sent' | 'retrying' | 'failed'

export interface MailWorkerOptions {
  /** Seconds to wait after each failed attempt; when they are used up the message has failed. */
  schedule: readonly number[]
  /** Messages in flight at once. */
  concurrency: number
  /** How often to look for due messages when nothing wakes the worker. */
  pollMs: number
}

/** A lease outlasts a whole SMTP send (connect, greeting, each step), so no one claims a message being sent. */
const LEASE_MS = SMTP_TIMEOUT_MS * 4 + 5_000
const STOP_WAIT_MS = 5_000

/**
 * Sends due messages from the mail outbox, as the webhook delivery worker sends deliveries.
 * Several workers (in API servers or `protus worker` processes) share one database: each claims
 * messages under a lease, so no message is sent twice at once, and one whose worker died goes out
 * again once its lease ends. A failed attempt waits its turn on the retry schedule; after the last
 * one, or when the server refuses the message itself, the message has failed.
 */
export function createMailWorker(deps: {
  db: Database
  repo: MailRepository
  clock: Clock
  transport: MailTransport
  options: MailWorkerOptions
  onError: (error: unknown, messageId?: string) => void
}) {
  const { db, repo, clock, transport, options } = deps
  const leaseId = randomUUID()
  const outcomes: Record<MailOutcome, number> = { sent: 0, retrying: 0, failed: 0 }
  const loop = createClaimLoop({
    concurrency: options.concurrency,
    pollMs: options.pollMs,
    stopWaitMs: STOP_WAIT_MS,
    claim: claimAndSend,
    minGapMs: CLAIM_GAP_MS,
    onError: (error) => deps.onError(error),
  })

  async function attempt(message: MailRow): Promise<void> {
    try {
      await transport.send({
        id: message.id,
        to: message.to_address,
        subject: message.subject,
        text: message.text_body,
        html: message.html_body,
      })
    } catch (error) {
      const at = clock.now()
      const permanent = error instanceof MailSendError && error.permanent
      const next = permanent ? null : nextAttemptAt(options.schedule, message.attempt_count, at)
      outcomes[next ? 'retrying' : 'failed']++
      const text = error instanceof Error ? error.message : String(error)
      await repo.markFailedAttempt(db, message.id, leaseId, { error: text, at, next_attempt_at: next })
      if (!next) deps.onError(error, message.id)
      return
    }
    outcomes.sent++
    await repo.markSent(db, message.id, leaseId, clock.now(), transport.name)
  }

  /** Claims what is due and starts sending it; answers how many were claimed. */
  async function claimAndSend(limit: number): Promise<number> {
    const now = clock.now()
    const claimed = await repo.claimDue(db, now, leaseId, new Date(now.getTime() + LEASE_MS), limit)
    for (const message of claimed) {
      loop.track(attempt(message).catch((error) => deps.onError(error, message.id)))
    }
    return claimed.length
  }

  return {
    start: loop.start,

    /** Looks for due messages now instead of at the next poll. */
    wake: loop.wake,

    /** Stops claiming; waits a little for sends in flight (unfinished ones go out again after their lease). */
    async stop(): Promise<void> {
      await loop.stop()
      transport.close()
    },

    /** When the next message comes due (the sandbox clock drains the worker then). */
    nextDueAt: (): Promise<Date | null> => repo.nextDueAt(db),

    /** Sends everything due now and waits until each attempt is recorded; answers how many were tried. */
    drain: loop.drain,

    /** Outcomes of this process's attempts since it started (Prometheus counters). */
    outcomes(): Readonly<Record<MailOutcome, number>> {
      return { ...outcomes }
    },
  }
}

export type MailWorker = ReturnType<typeof createMailWorker>
