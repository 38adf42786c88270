import { randomInt } from 'node:crypto'
import {
  type Answer,
  billingOperations,
  type Sent,
  sendOnce,
  type Target,
  type WorkloadReport,
} from './workload.js'

/** A client's request and the definite answer it got in the end, after however many attempts. */
export interface Settled {
  sent: Sent
  answer: Answer
  attempts: number
  /** The definite answer was a replay of one saved before (the effect ran in an earlier attempt). */
  replayed: boolean
}

export interface CrashLoadReport extends WorkloadReport {
  settled: Settled[]
  /** Attempts that decided nothing, by what happened (a network error's code, a 5xx, 409 in progress). */
  undecided: Record<string, number>
}

/** One attempt may wait this long for its answer; a server that died mid-answer fails sooner. */
const ATTEMPT_TIMEOUT_MS = 15_000
/** A request without a definite answer for this long fails the load. */
const GIVE_UP_MS = 90_000

type Attempt = { answer: Answer; replayed: boolean } | { undecided: string }

/**
 * `clients` concurrent clients sending random billing operations to random servers of the
 * target until `stop`. Each request carries an Idempotency-Key and is sent again with the same
 * key and body after a network error, a 5xx or 409 idempotency_request_in_progress, until it
 * gets a definite answer (2xx or a refusal); servers may die and come back meanwhile.
 */
export function startCrashLoad(target: Target, options: { clients: number }) {
  const operations = billingOperations(target)
  const report: CrashLoadReport = Object.assign(operations.report, { settled: [], undecided: {} })
  let stopping = false

  async function attempt(sent: Sent): Promise<Attempt> {
    try {
      const { replayed, ...answer } = await sendOnce(
        target,
        sent,
        report,
        AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
      )
      if (answer.status >= 500 || answer.body.code === 'idempotency_request_in_progress') {
        return { undecided: `${answer.status} ${String(answer.body.code)}` }
      }
      return { answer, replayed }
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause
      return { undecided: cause?.code ?? (error as Error).name }
    }
  }

  async function untilAnswered(sent: Sent): Promise<Settled> {
    const started = Date.now()
    for (let attempts = 1; ; attempts++) {
      const result = await attempt(sent)
      if ('answer' in result) return { sent, attempts, ...result }
      report.undecided[result.undecided] = (report.undecided[result.undecided] ?? 0) + 1
      if (Date.now() - started > GIVE_UP_MS) {
        throw new Error(`${sent.path} with key ${sent.key}: no definite answer in ${attempts} attempts`)
      }
      // Quick at first (a retry on another server), slower while a server is still coming back.
      await new Promise((r) => setTimeout(r, Math.min(500, 10 * 2 ** attempts) + randomInt(50)))
    }
  }

  async function client(): Promise<void> {
    while (!stopping) {
      const sent = operations.next()
      const settled = await untilAnswered(sent)
      if (settled.attempts > 1) report.retries++
      operations.record(sent, settled.answer)
      report.settled.push(settled)
    }
  }

  const done = Promise.all(Array.from({ length: options.clients }, () => client()))
  // Seen by `stop`; until then a client that gave up must not end the test process.
  done.catch(() => {})
  return {
    report,
    /** Lets every client finish the request it is on (to its definite answer), then answers the report. */
    async stop(): Promise<CrashLoadReport> {
      stopping = true
      await done
      return report
    },
  }
}
