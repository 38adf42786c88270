import type { Database } from '../../db/database.js'
import type { Clock } from '../../lib/clock.js'
import type { LedgerService } from '../ledger/ledger.service.js'
import type { WebhookEvents } from '../webhooks/webhook-events.js'
import type { BillingRepository } from './billing.repository.js'
import { holdView, toJson } from './billing.views.js'

const ACCOUNTS_PER_PASS = 100

/**
 * Expires holds past their expiry in the background. Reads and writes already treat them as
 * released before this runs; the sweeper makes the ledger say so too, and tells the partners
 * (`hold.expired`).
 */
export function createHoldSweeper(deps: {
  db: Database
  repo: BillingRepository
  ledger: LedgerService
  events: Pick<WebhookEvents, 'emit'>
  clock: Clock
}) {
  const { db, repo, ledger, events, clock } = deps
  let timer: NodeJS.Timeout | undefined
  let running: Promise<number> | undefined

  async function pass(): Promise<number> {
    let expired = 0
    for (;;) {
      const accounts = await ledger.dueAccounts(ACCOUNTS_PER_PASS)
      if (accounts.length === 0) return expired
      for (const account of accounts) {
        expired += await db.transaction(async (tx) => {
          const ids = await ledger.expireDue(tx, [account])
          const now = clock.now()
          const holds = await repo.markExpired(tx, ids, now)
          const expired = holds.map((hold) => ({
            companyId: hold.company_id,
            type: 'hold.expired' as const,
            data: toJson(holdView(hold, now)),
          }))
          await events.emit(tx, expired, now)
          return ids.length
        })
      }
    }
  }

  return {
    /** When the next hold comes due (the sandbox clock runs the sweeper then). */
    nextDueAt: (): Promise<Date | null> => ledger.nextExpiry(),

    /** Expires every due hold now; answers how many. */
    runOnce(): Promise<number> {
      running ??= pass().finally(() => {
        running = undefined
      })
      return running
    },
    start(intervalSeconds: number, onError: (error: unknown) => void) {
      if (intervalSeconds <= 0) return
      timer = setInterval(() => {
        this.runOnce().catch(onError)
      }, intervalSeconds * 1000)
      timer.unref()
    },
    async stop() {
      if (timer) clearInterval(timer)
      await running?.catch(() => {})
    },
  }
}
