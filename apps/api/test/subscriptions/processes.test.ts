import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs'
import type { FastifyInstance } from 'fastify'
import { describe, expect, it } from 'vitest'
import { databaseUrl, onPostgres } from '../support/app.js'
import { expectLedgerSound } from '../support/money.js'
import { fundAll } from '../support/money-checks.js'
import { type CliProcess, cliBuilt, runCli, startWorkerProcess } from '../support/processes.js'
import { serversSharingDatabase } from '../support/shared-database.js'
import { startReceiver, verify } from '../support/webhook-receiver.js'

// Renewals as they run in production: a `protus start` server with its own renewal worker and two
// `protus worker` processes on one PostgreSQL database, the sandbox clock (PROTUS_TEST_CLOCK=true)
// moved a day so 200 daily subscriptions come due at once, and one worker killed with SIGKILL while
// they renew. The CLI exists after `npm run build -w apps/api`.

const SUBSCRIPTIONS = 200
const PRICE = 700
const BALANCE = 10_000
const DAY_MS = 86_400_000

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

// biome-ignore lint/suspicious/noExplicitAny: tests read API objects loosely.
type Json = Record<string, any>

/** Runs `task(i)` for i in 0..count-1, `width` at a time; answers the results in order of i. */
async function inParallel<T>(count: number, width: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count)
  let next = 0
  await Promise.all(
    Array.from({ length: width }, async () => {
      for (let i = next++; i < count; i = next++) results[i] = await task(i)
    }),
  )
  return results
}

/** Milliseconds each phase took, for the summary. */
function phases() {
  const started = Date.now()
  let last = started
  const took: Record<string, number> = {}
  return {
    done(phase: string) {
      took[`${phase}_ms`] = Date.now() - last
      last = Date.now()
    },
    took: () => ({ ...took, total_ms: Date.now() - started }),
  }
}

/** The local ports of `pid`'s TCP connections to PostgreSQL on loopback, from /proc (Linux). */
function databasePortsOf(pid: number): number[] {
  if (!existsSync(`/proc/${pid}/fd`)) return []
  const port = Number(new URL(databaseUrl as string).port || 5432)
  const inodes = new Set<string>()
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))
        if (match?.[1]) inodes.add(match[1])
      } catch {
        // closed meanwhile
      }
    }
  } catch {
    return [] // the process is gone
  }
  const ports: number[] = []
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(table)) continue
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/)
      const [local, remote, inode] = [fields[1], fields[2], fields[9]]
      if (!local || !remote || !inode || !inodes.has(inode)) continue
      if (Number.parseInt(remote.split(':').at(-1) ?? '', 16) === port) {
        ports.push(Number.parseInt(local.split(':').at(-1) ?? '', 16))
      }
    }
  }
  return ports
}

/**
 * Whether a connection from one of `ports` is inside a transaction that locked the subscriptions
 * table (FOR UPDATE or UPDATE): during the renewals, only a renewal does.
 */
async function renewingOn(app: FastifyInstance, ports: number[]): Promise<boolean> {
  if (ports.length === 0) return false
  const rows = await app.db.query<{ n: bigint }>(
    `SELECT count(*)::int8 AS n FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid
      WHERE a.client_port = ANY ($1::int[]) AND l.relation = 'subscriptions'::regclass
        AND l.mode IN ('RowShareLock', 'RowExclusiveLock') AND l.granted`,
    [ports],
  )
  return Number(rows[0]?.n ?? 0) > 0
}

// PostgreSQL only: PGlite is embedded in one process, so workers cannot share its database.
describe.skipIf(!onPostgres || !cliBuilt)('renewals by a server and two workers on one PostgreSQL', () => {
  it('charges each of 200 subscriptions due at once exactly once for its period, with a worker killed mid-run', async () => {
    const timing = phases()
    const receiver = await startReceiver()
    const shared = await serversSharingDatabase(1, {
      PROTUS_TEST_CLOCK: 'true',
      // Every process polls for due renewals each second, beside the clock's own run.
      PROTUS_SWEEP_INTERVAL_SECONDS: '1',
      PROTUS_WEBHOOK_ALLOW_PRIVATE: '1',
      PROTUS_WEBHOOK_POLL_MS: '100',
      PROTUS_WEBHOOK_PER_COMPANY: '32',
      PROTUS_WEBHOOK_TIMEOUT_SECONDS: '1',
    })
    const { app } = shared
    const workers: CliProcess[] = []
    let stopped = false
    try {
      workers.push(...(await Promise.all([startWorkerProcess(shared.env), startWorkerProcess(shared.env)])))
      const base = shared.baseUrl(0)
      timing.done('start')

      let keys = 0
      const call = async (method: string, path: string, body?: object, auth?: string) => {
        const res = await fetch(`${base}${path}`, {
          method,
          headers: {
            ...(body ? { 'content-type': 'application/json' } : {}),
            ...(auth ? { authorization: auth } : {}),
            ...(method === 'POST' ? { 'idempotency-key': `k-${process.pid}-${++keys}` } : {}),
          },
          body: body ? JSON.stringify(body) : undefined,
        })
        const text = await res.text()
        expect(res.status, `${method} ${path}: ${text}`).toBeLessThan(300)
        return (text ? JSON.parse(text) : undefined) as Json
      }
      const tag = randomBytes(4).toString('hex')
      const company = await call('POST', '/v1/companies', {
        email: `renewals-${tag}@example.com`,
        name: `Renewals ${tag}`,
        password: 'company password',
      })
      const auth = `Basic ${Buffer.from(`${company.client_id}:${company.client_secret}`).toString('base64')}`
      const post = (path: string, body: object = {}) => call('POST', path, body, auth)
      const get = (path: string) => call('GET', path, undefined, auth)
      await call('PATCH', '/v1/company', { webhook_url: receiver.url }, auth)
      const daily = await post('/v1/services', {
        name: 'Daily plan',
        price: PRICE,
        recurring: { interval: 'day', count: 1 },
      })

      const accounts = await inParallel(SUBSCRIPTIONS, 8, async (i) => {
        return (await post('/v1/accounts', { external_id: `subscriber-${i}` })).id as string
      })
      const funded = await fundAll(app, accounts, BALANCE)
      const quantityOf = (i: number) => 1 + (i % 3)
      const created = await inParallel(SUBSCRIPTIONS, 8, (i) =>
        post('/v1/subscriptions', { account: accounts[i], service: daily.id, quantity: quantityOf(i) }),
      )
      for (const [i, sub] of created.entries()) {
        expect(sub).toMatchObject({ account: accounts[i], amount: PRICE * quantityOf(i), status: 'active' })
      }
      timing.done('seed')

      const countCharges = async () => {
        const [row] = await app.db.query<{ n: bigint }>(
          'SELECT count(*)::int8 AS n FROM billing_charges WHERE company_id = $1',
          [company.id],
        )
        return Number(row?.n ?? 0)
      }
      expect(await countCharges()).toBe(SUBSCRIPTIONS)
      const lastAnchor = Math.max(...created.map((s) => Date.parse(s.current_period_start)))
      const clockBefore = new Date((await get('/v1/sandbox/clock')).now)

      // A day on: every subscription's period 1 begins, none's period 2.
      const advanceSeconds = Math.ceil((lastAnchor + DAY_MS - clockBefore.getTime()) / 1000) + 30
      expect(advanceSeconds * 1000).toBeLessThan(DAY_MS + 10 * 60_000)
      const advancing = post('/v1/sandbox/clock', { advance_seconds: advanceSeconds })
      advancing.catch(() => {})

      // Kill a worker once some renewals committed and not all, while one of its own renewal
      // transactions is open when that is seen (it holds a lock on subscriptions), else at half.
      const [victim, survivor] = workers as [CliProcess, CliProcess]
      let renewedAtKill = -1
      let killedInTransaction = false
      const killDeadline = Date.now() + 60_000
      while (renewedAtKill < 0) {
        const renewed = (await countCharges()) - SUBSCRIPTIONS
        if (renewed >= SUBSCRIPTIONS) {
          throw new Error('every renewal committed before a worker could be killed mid-run')
        }
        const inTransaction =
          renewed > 0 && (await renewingOn(app, databasePortsOf(victim.child.pid as number)))
        if (inTransaction || renewed >= SUBSCRIPTIONS / 2) {
          expect(await victim.stop('SIGKILL')).toBeNull()
          renewedAtKill = renewed
          killedInTransaction = inTransaction
        } else if (Date.now() > killDeadline) {
          throw new Error(`${renewed} renewals committed within 60 s of moving the clock`)
        }
        await sleep(2)
      }
      expect(victim.child.signalCode).toBe('SIGKILL')
      timing.done('until_kill')
      // The killed worker comes back, as a supervisor would start it again.
      workers.push(await startWorkerProcess(shared.env))

      const moved = await advancing
      expect(Date.parse(moved.now) - clockBefore.getTime()).toBeGreaterThanOrEqual(advanceSeconds * 1000)
      const allDeadline = Date.now() + 60_000
      while ((await countCharges()) < 2 * SUBSCRIPTIONS) {
        if (Date.now() > allDeadline)
          throw new Error(`only ${(await countCharges()) - SUBSCRIPTIONS} renewed in 60 s`)
        await sleep(100)
      }
      timing.done('renewals')
      // Every process passes at least once more over the due subscriptions: nothing is charged again.
      await sleep(2_500)
      expect(await countCharges()).toBe(2 * SUBSCRIPTIONS)

      // Each account: exactly two charges (periods 0 and 1), each of the subscription's amount.
      const rows = await app.db.query<{ account_id: string; id: string; amount: bigint; created_at: Date }>(
        'SELECT account_id, id, amount, created_at FROM billing_charges WHERE company_id = $1 ORDER BY id',
        [company.id],
      )
      const chargesOf = new Map<string, { id: string; amount: number; at: number }[]>()
      for (const r of rows) {
        const list = chargesOf.get(r.account_id) ?? []
        list.push({ id: r.id, amount: Number(r.amount), at: new Date(r.created_at).getTime() })
        chargesOf.set(r.account_id, list)
      }
      expect(chargesOf.size).toBe(SUBSCRIPTIONS)

      const subscriptions: Json[] = []
      let after = ''
      for (;;) {
        const page = await get(`/v1/subscriptions?limit=100${after}`)
        subscriptions.push(...page.data)
        if (!page.has_more) break
        after = `&starting_after=${page.data.at(-1).id}`
      }
      expect(subscriptions).toHaveLength(SUBSCRIPTIONS)
      const byId = new Map(subscriptions.map((s) => [s.id as string, s]))
      const renewalCharge = new Map<string, string>()
      for (const [i, first] of created.entries()) {
        const amount = PRICE * quantityOf(i)
        const charges = chargesOf.get(accounts[i] as string) ?? []
        expect(
          charges.map((c) => c.amount),
          `charges of ${first.id}`,
        ).toEqual([amount, amount])
        expect(charges[0]?.id).toBe(first.latest_charge)
        const renewal = charges[1] as { id: string; at: number }
        renewalCharge.set(first.id, renewal.id)
        const anchor = Date.parse(first.current_period_start)
        // Charged on the clock's time, after its period began.
        expect(renewal.at).toBeGreaterThanOrEqual(anchor + DAY_MS)
        expect(byId.get(first.id)).toMatchObject({
          status: 'active',
          amount,
          current_period_start: new Date(anchor + DAY_MS).toISOString(),
          current_period_end: new Date(anchor + 2 * DAY_MS).toISOString(),
          next_charge_at: new Date(anchor + 2 * DAY_MS).toISOString(),
          latest_charge: renewal.id,
          last_payment_error: null,
        })
      }

      // The outbox: one subscription.renewed per subscription, with its renewal charge, and no refusal.
      const events = await app.db.query<{ event_id: string; type: string; body: string }>(
        "SELECT event_id, type, body FROM webhook_deliveries WHERE company_id = $1 AND type LIKE 'subscription.%'",
        [company.id],
      )
      const typeCounts: Record<string, number> = {}
      for (const e of events) typeCounts[e.type] = (typeCounts[e.type] ?? 0) + 1
      expect(typeCounts).toEqual({
        'subscription.created': SUBSCRIPTIONS,
        'subscription.renewed': SUBSCRIPTIONS,
      })
      const renewedEvents = events.filter((e) => e.type === 'subscription.renewed')
      const renewedSubs = renewedEvents.map((e) => JSON.parse(e.body).data.subscription.id as string)
      expect(new Set(renewedSubs).size).toBe(SUBSCRIPTIONS)
      for (const e of renewedEvents) {
        const data = JSON.parse(e.body).data
        expect(data.charge.id).toBe(renewalCharge.get(data.subscription.id))
      }

      // Every one reached the partner, signed, with a real-time webhook-timestamp.
      const renewedIds = new Set(renewedEvents.map((e) => e.event_id))
      await receiver.waitFor(
        (all) => new Set(all.filter((r) => renewedIds.has(r.id)).map((r) => r.id)).size === renewedIds.size,
        30_000,
      )
      for (const delivery of receiver.received.filter((r) => renewedIds.has(r.id))) {
        expect(verify(company.webhook_secret, delivery).type).toBe('subscription.renewed')
        const stamp = Number(delivery.headers['webhook-timestamp']) * 1000
        expect(Math.abs(stamp - Date.now())).toBeLessThan(10 * 60_000)
      }
      timing.done('webhooks')

      // Money: each wallet paid its two periods, the ledger holds together.
      let wallets = 0
      await inParallel(SUBSCRIPTIONS, 8, async (i) => {
        const balance = await get(`/v1/accounts/${accounts[i]}/balance`)
        expect(balance).toMatchObject({ available: BALANCE - 2 * PRICE * quantityOf(i), held: 0 })
        wallets += balance.available
      })
      const spent = created.reduce((sum, _s, i) => sum + 2 * PRICE * quantityOf(i), 0)
      expect(wallets + spent).toBe(funded)
      await expectLedgerSound(app)
      const ledger = await runCli(shared.env, 'ledger', 'verify')
      expect(ledger, ledger.out).toMatchObject({ code: 0 })
      expect(ledger.out).toMatch(/^ledger OK/)

      for (const worker of [survivor, ...workers.slice(2)]) expect(await worker.stop()).toBe(0)
      await shared.stop()
      stopped = true
      timing.done('checks')
      console.info(
        `renewals: ${SUBSCRIPTIONS} subscriptions renewed once each by a server and two workers; ` +
          `worker killed with SIGKILL after ${renewedAtKill} renewals, ` +
          (killedInTransaction ? 'in one of its renewal transactions' : 'between its transactions'),
        timing.took(),
      )
    } finally {
      if (!stopped) {
        for (const worker of workers) await worker.stop('SIGKILL')
        for (const server of shared.servers) await server.stop('SIGKILL')
        await app.close()
      }
      await receiver.stop()
    }
  }, 120_000)
})
