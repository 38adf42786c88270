import { randomBytes, randomInt } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import type { Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterEach, describe, expect, it } from 'vitest'
import { databaseUrl, onPostgres } from '../support/app.js'
import {
  type CliProcess,
  cliBuilt,
  runCli,
  type ServerProcess,
  startServerProcess,
  startWorkerProcess,
} from '../support/processes.js'
import { type Receiver, startReceiver, verify } from '../support/webhook-receiver.js'

// The webhook worker as it runs in production: `protus start` and `protus worker` processes on a
// database that outlives them. The CLI exists after `npm run build -w apps/api`.

/** What to stop and remove after each test, whether it passed or not. */
const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {})
})

/** A database that survives its processes: a new schema on PostgreSQL, a data directory for PGlite. */
async function durableDatabase(): Promise<Record<string, string>> {
  if (!databaseUrl) {
    const dir = await mkdtemp(join(tmpdir(), 'protus-webhooks-'))
    cleanups.push(() => rm(dir, { recursive: true, force: true }))
    return { PROTUS_DATA_DIR: dir }
  }
  const schema = `test_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: databaseUrl })
  await admin.connect()
  await admin.query(`CREATE SCHEMA ${schema}`)
  await admin.end()
  cleanups.push(async () => {
    const client = new pg.Client({ connectionString: databaseUrl })
    await client.connect()
    await client.query(`DROP SCHEMA ${schema} CASCADE`)
    await client.end()
  })
  const url = new URL(databaseUrl)
  url.searchParams.set('options', `-c search_path=${schema}`)
  return { DATABASE_URL: url.toString(), PROTUS_DB_POOL_SIZE: '5', PROTUS_DATA_DIR: ':memory:' }
}

async function started<T extends CliProcess>(process: Promise<T>): Promise<T> {
  const child = await process
  cleanups.push(() => child.stop('SIGKILL'))
  return child
}

async function receiver(options: Parameters<typeof startReceiver>[0] = {}): Promise<Receiver> {
  const r = await startReceiver(options)
  cleanups.push(() => r.stop())
  return r
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const found = await probe()
    if (found !== undefined) return found
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

interface Delivery {
  id: string
  event: { id: string; type: string }
  status: string
  attempt_count: number
  attempts: { http_status: number | null; error: string | null; succeeded: boolean }[]
}

/** A partner talking to a server process over HTTP. */
async function partnerOn(baseUrl: string) {
  let base = baseUrl
  let keys = 0
  const call = async (method: string, path: string, body?: object, auth?: string) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...(auth ? { authorization: auth } : {}),
        ...(method === 'POST' ? { 'idempotency-key': `k-${Date.now()}-${++keys}` } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    })
    const text = await res.text()
    if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${text}`)
    return text ? JSON.parse(text) : undefined
  }
  const tag = randomBytes(4).toString('hex')
  const company = await call('POST', '/v1/companies', {
    email: `hooks-${tag}@example.com`,
    name: `Hooks ${tag}`,
    password: 'company password',
  })
  const auth = `Basic ${Buffer.from(`${company.client_id}:${company.client_secret}`).toString('base64')}`
  const partner = {
    secret: company.webhook_secret as string,
    /** Talks to another server process from now on (after a restart). */
    moveTo(url: string) {
      base = url
    },
    post: (path: string, body: object = {}) => call('POST', path, body, auth),
    patch: (path: string, body: object) => call('PATCH', path, body, auth),
    get: (path: string) => call('GET', path, undefined, auth),
    /** A managed account topped up through the sandbox checkout, as its user would pay. */
    async fundedAccount(amount: number): Promise<string> {
      const account = await partner.post('/v1/accounts', { external_id: `user-${tag}` })
      const topup = await partner.post(`/v1/accounts/${account.id}/topups`, { amount })
      const paid = await fetch(`${base}${new URL(topup.checkout_url).pathname}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'outcome=succeeded',
        redirect: 'manual',
      })
      expect(paid.status, await paid.text()).toBeLessThan(400)
      return account.id
    },
    /** The log once every delivery in it reads succeeded (their results are recorded in batches). */
    deliveredLog: () =>
      until(
        'every delivery to read succeeded',
        async () => {
          const log = await partner.deliveries()
          return log.every((d) => d.status === 'succeeded') ? log : undefined
        },
        10_000,
      ),
    /** Every delivery in the partner's log, through the cursor pages. */
    async deliveries(): Promise<Delivery[]> {
      const all: Delivery[] = []
      let after = ''
      for (;;) {
        const page = await partner.get(`/v1/webhook-deliveries?limit=100${after}`)
        all.push(...page.data)
        if (!page.has_more) return all
        after = `&starting_after=${page.data.at(-1).id}`
      }
    },
  }
  return partner
}

/** Two server starts: PGlite initialises its data directory in WASM, slow on a busy machine. */
const STARTS_TIMEOUT = onPostgres ? 60_000 : 150_000

const processEnv = (database: Record<string, string>, overrides: Record<string, string> = {}) => ({
  ...database,
  PROTUS_SECRET_KEY: randomBytes(32).toString('hex'),
  PROTUS_WEBHOOK_ALLOW_PRIVATE: '1',
  PROTUS_SWEEP_INTERVAL_SECONDS: '0',
  ...overrides,
})

describe.skipIf(!cliBuilt)('webhooks across server restarts', () => {
  it(
    'delivers every pending event after the server is killed with SIGKILL and started again',
    async () => {
      const env = processEnv(await durableDatabase(), {
        // Up to 30 s of retries a second apart: the events stay pending across the restart.
        PROTUS_WEBHOOK_RETRY_SCHEDULE: Array(30).fill('1').join(','),
        PROTUS_WEBHOOK_TIMEOUT_SECONDS: '1',
        PROTUS_WEBHOOK_POLL_MS: '50',
      })
      const partnerEnd = await receiver()
      await partnerEnd.stop() // the partner is down: connection refused
      let server: ServerProcess = await started(startServerProcess(env))
      const partner = await partnerOn(server.baseUrl)
      await partner.patch('/v1/company', { webhook_url: partnerEnd.url })

      const account = await partner.fundedAccount(100_000)
      const charges = []
      for (let i = 0; i < 12; i++) charges.push(await partner.post('/v1/charges', { account, amount: 1_000 }))
      const holds = []
      for (let i = 0; i < 6; i++) holds.push(await partner.post('/v1/holds', { account, amount: 2_000 }))
      for (const hold of holds.slice(0, 3))
        await partner.post(`/v1/holds/${hold.id}/capture`, { amount: 1_500 })
      for (const hold of holds.slice(3, 5)) await partner.post(`/v1/holds/${hold.id}/release`)
      for (const charge of charges.slice(0, 2)) {
        await partner.post(`/v1/charges/${charge.id}/refunds`, { amount: 300 })
      }
      // The worker has tried every event and failed: they wait for their next attempt.
      await until(
        'a failed attempt of every event',
        async () => {
          const log = await partner.deliveries()
          return log.length === 30 && log.every((d) => d.attempt_count > 0) ? log : undefined
        },
        15_000,
      )
      // A few more that the worker may not have seen at all when the server dies.
      for (let i = 0; i < 4; i++) await partner.post('/v1/charges', { account, amount: 1_000 })
      const outbox = await partner.deliveries()
      const balance = await partner.get(`/v1/accounts/${account}/balance`)
      expect(balance).toMatchObject({ available: 78_100, held: 2_000 })
      expect(await server.stop('SIGKILL')).toBeNull()

      expect(outbox).toHaveLength(34)
      expect(outbox.every((d) => d.status === 'pending')).toBe(true)
      const refused = outbox.flatMap((d) => d.attempts)
      expect(refused.length).toBeGreaterThanOrEqual(30)
      for (const a of refused) expect(a).toMatchObject({ http_status: null, error: 'connection refused' })
      expect(partnerEnd.received).toHaveLength(0)

      await partnerEnd.start()
      server = await started(startServerProcess(env))
      partner.moveTo(server.baseUrl)
      const eventIds = outbox.map((d) => d.event.id).sort()
      await partnerEnd.waitFor((all) => eventIds.every((id) => all.some((r) => r.id === id)), 20_000)

      // Every event arrived, signed with the company's secret, with the type the log says.
      const typeOf = new Map(outbox.map((d) => [d.event.id, d.event.type]))
      for (const delivery of partnerEnd.received) {
        expect(verify(partner.secret, delivery).type).toBe(typeOf.get(delivery.id))
      }
      expect([...new Set(partnerEnd.received.map((r) => r.id))].sort()).toEqual(eventIds)
      const types = outbox.map((d) => d.event.type)
      const counted = Object.fromEntries(
        [...new Set(types)].map((t) => [t, types.filter((x) => x === t).length]),
      )
      expect(counted).toEqual({
        'account.created': 1,
        'wallet.topped_up': 1,
        'charge.succeeded': 19,
        'hold.created': 6,
        'hold.captured': 3,
        'hold.released': 2,
        'charge.refunded': 2,
      })
      const after = await partner.deliveredLog()
      expect(after.map((d) => d.id).sort()).toEqual(outbox.map((d) => d.id).sort())
      for (const d of after) expect(d.attempts.at(-1)).toMatchObject({ http_status: 200, succeeded: true })
      expect(await partner.get(`/v1/accounts/${account}/balance`)).toEqual(balance)

      expect(await server.stop()).toBe(0)
      const ledger = await runCli(env, 'ledger', 'verify')
      expect(ledger, ledger.out).toMatchObject({ code: 0 })
      expect(ledger.out).toMatch(/^ledger OK/)
    },
    STARTS_TIMEOUT,
  )
})

/** The local ports of the TCP connections `pid` has open, from /proc (Linux). */
function portsOf(pid: number, port: number): number[] {
  const inodes = new Set<string>()
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))
      if (match?.[1]) inodes.add(match[1])
    } catch {
      // closed meanwhile
    }
  }
  const ports: number[] = []
  for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/)
    const [local, remote, inode] = [fields[1], fields[2], fields[9]]
    if (!local || !remote || !inode || !inodes.has(inode)) continue
    if (Number.parseInt(remote.split(':')[1] ?? '', 16) === port) {
      ports.push(Number.parseInt(local.split(':')[1] ?? '', 16))
    }
  }
  return ports
}

// PostgreSQL only: PGlite is embedded in one process, so two workers cannot share its database.
describe.skipIf(!cliBuilt || !onPostgres)('webhook workers on one PostgreSQL', () => {
  it('two workers on one PostgreSQL never send a delivery twice at once, and send every one', async () => {
    // Which worker process opened each connection to the receiver (when /proc tells).
    const senderOf = new Map<number, number>()
    let workers: CliProcess[] = []
    const procfs = existsSync('/proc/net/tcp')
    const identify = (socket: Socket) => {
      if (!procfs) return
      for (const worker of workers) {
        const pid = worker.child.pid as number
        for (const port of portsOf(pid, socket.localPort ?? 0)) senderOf.set(port, pid)
      }
    }
    const partnerEnd = await receiver({ delayMs: () => 20 + randomInt(31), onConnection: identify })
    const env = processEnv(await durableDatabase(), {
      PROTUS_WEBHOOK_RETRY_SCHEDULE: '1,1,1',
      PROTUS_WEBHOOK_POLL_MS: '50',
      PROTUS_WEBHOOK_CONCURRENCY: '16',
      PROTUS_WEBHOOK_PER_COMPANY: '4',
      PROTUS_WEBHOOK_MANUAL_PER_MINUTE: '1000',
    })
    const server = await started(startServerProcess({ ...env, PROTUS_WEBHOOK_WORKER: '0' }))
    workers = await Promise.all([started(startWorkerProcess(env)), started(startWorkerProcess(env))])
    const partner = await partnerOn(server.baseUrl)
    await partner.patch('/v1/company', { webhook_url: partnerEnd.url })
    const account = await partner.fundedAccount(1_000_000)

    // 150 charges and 150 pings, 8 requests at a time, while both workers send.
    const requests = [
      ...Array.from({ length: 150 }, () => () => partner.post('/v1/charges', { account, amount: 100 })),
      ...Array.from({ length: 150 }, () => () => partner.post('/v1/company/webhooks/test')),
    ].sort(() => Math.random() - 0.5)
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let next = requests.pop(); next; next = requests.pop()) await next()
      }),
    )
    const outbox = await partner.deliveries()
    expect(outbox).toHaveLength(302) // and account.created, wallet.topped_up
    const eventIds = outbox.map((d) => d.event.id).sort()
    await partnerEnd.waitFor((all) => new Set(all.map((r) => r.id)).size >= eventIds.length, 30_000)
    const log = await partner.deliveredLog()

    expect(partnerEnd.overlapping).toEqual([])
    // The company's cap holds across both workers: they count each other's deliveries in flight.
    expect(partnerEnd.mostConcurrent()).toBeLessThanOrEqual(4)
    const received = partnerEnd.received.map((r) => r.id).sort()
    expect(received).toEqual(eventIds) // every event, each exactly once
    for (const delivery of partnerEnd.received) verify(partner.secret, delivery)
    expect(log.map((d) => d.attempt_count)).toEqual(log.map(() => 1))
    for (const worker of workers) expect(worker.child.exitCode).toBeNull()
    if (procfs) {
      const bySender = new Map<number | undefined, number>()
      for (const r of partnerEnd.received) {
        const pid = senderOf.get(r.remotePort)
        bySender.set(pid, (bySender.get(pid) ?? 0) + 1)
      }
      console.info('deliveries by worker pid', Object.fromEntries(bySender))
      expect(bySender.get(undefined)).toBeUndefined()
      for (const worker of workers) expect(bySender.get(worker.child.pid)).toBeGreaterThan(0)
    }
    for (const worker of workers) expect(await worker.stop()).toBe(0)
    expect(await server.stop()).toBe(0)
  }, 60_000)
})
