import { randomBytes, randomInt } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { describe, expect, it } from 'vitest'
import { buildTestApp, onPostgres } from '../support/app.js'
import { type CrashLoadReport, type Settled, startCrashLoad } from '../support/crash-load.js'
import { effectProblems, readStoredEffects, type StoredEffects } from '../support/effect-checks.js'
import { connectedPerson } from '../support/grants.js'
import { expectMoneyMatches } from '../support/money-checks.js'
import { freePort, partnerClient } from '../support/oauth.js'
import { cliBuilt, runCli, type ServerProcess, startServerProcess } from '../support/processes.js'
import { serversSharingDatabase } from '../support/shared-database.js'
import { type Receiver, startReceiver } from '../support/webhook-receiver.js'

// A crash under load loses nothing: server processes are killed with SIGKILL while 32 clients
// move money through them, retrying each request with its Idempotency-Key until it is answered.

const CLIENTS = 32
const KILLS = 3
/**
 * Load before the first kill, between a restart and the next kill, and after the last restart
 * (and up to half a second more, so kills land anywhere in a batch). A PGlite process answers
 * slowly for its first second or two (cold WASM code and pages), so it gets longer.
 */
const LOAD_MS = onPostgres ? 2_500 : 3_500
const PEOPLE = 6
const BALANCE = 300_000

/**
 * The webhook worker of every server: quick retries and a short lease (twice the timeout plus
 * 5 s), so deliveries end soon after a restart. Polls stay at half a second: on PGlite every
 * claim shares the one connection with the money path.
 */
const workerEnv = {
  PROTUS_WEBHOOK_ALLOW_PRIVATE: '1',
  PROTUS_WEBHOOK_POLL_MS: '500',
  PROTUS_WEBHOOK_TIMEOUT_SECONDS: '1',
  PROTUS_WEBHOOK_RETRY_SCHEDULE: Array(20).fill('1').join(','),
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** A partner with a webhook URL, a few services and people connected with funded wallets. */
async function seedPartner(app: FastifyInstance, setWebhookUrl: (auth: string) => Promise<void>) {
  const partner = await partnerClient(app)
  await setWebhookUrl(partner.auth)
  const services: string[] = []
  for (const [name, price] of [
    ['Lesson', 700],
    ['Report', 150],
    ['Hour', 1_200],
  ] as const) {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/services',
      headers: { authorization: partner.auth },
      payload: { name, price },
    })
    expect(res.statusCode, res.body).toBe(201)
    services.push(res.json().id)
  }
  const accounts: string[] = []
  for (let i = 0; i < PEOPLE; i++) {
    accounts.push((await connectedPerson(app, { partner, balance: BALANCE })).accountId)
  }
  return { auth: partner.auth, companyId: partner.company.id, services, accounts, funded: PEOPLE * BALANCE }
}

type Seeded = Awaited<ReturnType<typeof seedPartner>>

async function until(what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(100)
  }
}

/** Kills the server with SIGKILL and starts it again on its port; answers the new process. */
async function killAndRestart(server: ServerProcess, env: Record<string, string>): Promise<ServerProcess> {
  expect(await server.stop('SIGKILL')).toBeNull()
  expect(server.child.signalCode).toBe('SIGKILL')
  return startServerProcess({ ...env, PORT: new URL(server.baseUrl).port })
}

/** Runs the load while `kill` kills and restarts servers KILLS times, LOAD_MS of load between. */
async function loadWithKills(
  seeded: Seeded,
  baseUrls: string[],
  kill: (n: number) => Promise<void>,
): Promise<{ report: CrashLoadReport; restartMs: number[]; keysBeforeKills: number[] }> {
  const load = startCrashLoad(
    { baseUrls, auth: seeded.auth, accounts: seeded.accounts, services: seeded.services },
    { clients: CLIENTS },
  )
  const restartMs: number[] = []
  const keysBeforeKills: number[] = []
  try {
    for (let n = 0; n < KILLS; n++) {
      await sleep(LOAD_MS + randomInt(500))
      keysBeforeKills.push(load.report.settled.length)
      const started = Date.now()
      await kill(n)
      restartMs.push(Date.now() - started)
    }
    await sleep(LOAD_MS)
  } finally {
    await load.stop()
  }
  return { report: load.report, restartMs, keysBeforeKills }
}

/** Waits until the receiver got every event the outbox holds (`outbox` reads their ids). */
async function allDelivered(receiver: Receiver, outbox: () => Promise<string[]>): Promise<number> {
  let count = 0
  await until(
    'every outbox event at the receiver',
    async () => {
      const got = new Set(receiver.received.map((r) => r.id))
      const ids = await outbox()
      count = ids.length
      return ids.every((id) => got.has(id))
    },
    30_000,
  )
  return count
}

type Run = Awaited<ReturnType<typeof loadWithKills>>

/** Milliseconds each phase of a test took, for its summary. */
function phases() {
  const started = Date.now()
  let last = started
  const took: Record<string, number> = {}
  return {
    done(phase: string): void {
      took[`${phase}_ms`] = Date.now() - last
      last = Date.now()
    },
    took: () => ({ ...took, total_ms: Date.now() - started }),
  }
}

/**
 * The checks after the run, on the database as the killed processes left it (`delivered`: how
 * many outbox events the receiver was seen to get), then a summary of the run.
 */
async function expectNothingLost(
  label: string,
  app: FastifyInstance,
  test: {
    seeded: Seeded
    run: Run
    receiver: Receiver
    delivered: number
    timing: ReturnType<typeof phases>
  },
): Promise<void> {
  const { seeded, run, receiver } = test
  const { report } = run
  const stored = await readStoredEffects(app, seeded.companyId)
  expect(effectProblems(report.settled, stored, new Set(receiver.received.map((r) => r.id)))).toEqual([])
  const { auth, accounts, funded } = seeded
  await expectMoneyMatches(app, { auth, accounts, funded, report })
  expect(test.delivered).toBe(stored.events.length)
  // The kills cut requests in flight (not only refused new ones), and their keys were retried.
  const cut = Object.entries(report.undecided).filter(([what]) => what !== 'ECONNREFUSED')
  expect(cut.reduce((n, [, times]) => n + times, 0)).toBeGreaterThan(0)
  expect(report.retries).toBeGreaterThan(0)

  const ok = report.settled.filter((s) => s.answer.status < 300).length
  const retried = report.settled.filter((s) => s.attempts > 1)
  const failed = Object.values(report.undecided).reduce((a, b) => a + b, 0)
  console.log(
    `${label}: ${report.settled.length} keys in ${report.requests} answered requests and ${failed} failed ` +
      `attempts; ${ok} answered 2xx; ${retried.length} keys retried, ` +
      `${retried.filter((s) => s.replayed).length} of them answered by a replay; ${KILLS} SIGKILLs; ` +
      `${stored.holds.length} holds, ${stored.charges.length} charges, ${stored.refunds.length} refunds; ` +
      `${stored.events.length} events, all delivered (${receiver.received.length} deliveries)`,
    {
      undecided: report.undecided,
      statuses: report.statuses,
      keys_before_kills: run.keysBeforeKills,
      restart_ms: run.restartMs,
      ...test.timing.took(),
    },
  )
}

function partnerPatch(baseUrl: string) {
  return async (auth: string, receiver: Receiver) => {
    const res = await fetch(`${baseUrl}/v1/company`, {
      method: 'PATCH',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({ webhook_url: receiver.url }),
    })
    expect(res.status, await res.text()).toBe(200)
  }
}

/** A small run the checker must find sound: a hold captured in part, a charge refunded in part, a refusal. */
function fabricatedRun() {
  const answered = (key: string, path: string, status: number, body: Record<string, unknown>) => ({
    sent: { method: 'POST', path, body: {}, key },
    answer: { status, body },
    attempts: 1,
    replayed: false,
  })
  const hold = { id: 'hold_1', account: 'acct_1', amount: 500 }
  const settled = [
    answered('wl-1', '/v1/holds', 201, hold),
    answered('wl-2', '/v1/holds/hold_1/capture', 200, { ...hold, charge: { id: 'ch_2', amount: 300 } }),
    answered('wl-3', '/v1/charges', 201, { id: 'ch_1', account: 'acct_1', amount: 1_000 }),
    answered('wl-4', '/v1/charges/ch_1/refunds', 201, { id: 're_1', account: 'acct_1', amount: 200 }),
    answered('wl-5', '/v1/charges', 402, { code: 'insufficient_funds' }),
  ]
  const stored: StoredEffects = {
    holds: [{ id: 'hold_1', account_id: 'acct_1', amount: 500, status: 'captured', captured_amount: 300 }],
    charges: [
      { id: 'ch_1', account_id: 'acct_1', amount: 1_000, hold_id: null, amount_refunded: 200 },
      { id: 'ch_2', account_id: 'acct_1', amount: 300, hold_id: 'hold_1', amount_refunded: 0 },
    ],
    refunds: [{ id: 're_1', charge_id: 'ch_1', account_id: 'acct_1', amount: 200 }],
    keys: settled.map((s) => ({ key: s.sent.key, status: s.answer.status, body: s.answer.body })),
    events: [
      ['hold.created', 'hold_1'],
      ['hold.captured', 'hold_1'],
      ['charge.succeeded', 'ch_2'],
      ['charge.succeeded', 'ch_1'],
      ['charge.refunded', 're_1'],
    ].map(([type, id], i) => ({ event_id: `evt_${i}`, type: type as string, data_id: id as string })),
  }
  return { settled, stored, received: new Set(stored.events.map((e) => e.event_id)) }
}

describe('the crash checker', () => {
  it('finds a doubled or lost effect, a changed replay, a hold resolved twice and an event lost or undelivered', () => {
    const sound = fabricatedRun()
    expect(effectProblems(sound.settled, sound.stored, sound.received)).toEqual([])

    const doubled = fabricatedRun()
    doubled.stored.charges.push({
      id: 'ch_9',
      account_id: 'acct_1',
      amount: 1_000,
      hold_id: null,
      amount_refunded: 0,
    })
    expect(effectProblems(doubled.settled, doubled.stored, doubled.received)).toEqual([
      'charge ch_9 is in the database but no answer created it',
      'event charge.succeeded ch_9 is missing',
    ])

    const lost = fabricatedRun()
    lost.stored.refunds = []
    lost.stored.events.pop()
    expect(effectProblems(lost.settled, lost.stored, lost.received)).toEqual([
      'refund re_1 was answered but is not in the database',
      'charge ch_1 says 200 refunded, its refunds 0',
    ])

    const replay = fabricatedRun()
    ;(replay.stored.keys[2] as { body: unknown }).body = { id: 'ch_1', account: 'acct_1', amount: 999 }
    replay.settled.push({
      ...(replay.settled[1] as Settled),
      sent: { ...(replay.settled[1] as Settled).sent, key: 'wl-6' },
    })
    replay.stored.keys.push({ key: 'wl-6', status: 200, body: replay.settled[5]?.answer.body })
    expect(effectProblems(replay.settled, replay.stored, replay.received)).toEqual([
      'key wl-3 was answered 201, another answer (201) is saved',
      'charge ch_2 was created twice',
      'hold hold_1 was resolved twice',
    ])

    const events = fabricatedRun()
    events.stored.events.push({ event_id: 'evt_9', type: 'charge.succeeded', data_id: 'ch_1' })
    events.received.delete('evt_0')
    expect(effectProblems(events.settled, events.stored, events.received)).toEqual([
      'event charge.succeeded ch_1 is in the outbox twice',
      'event evt_0 (hold.created) was never delivered',
      'event evt_9 (charge.succeeded) was never delivered',
    ])
  })
})

describe.skipIf(!onPostgres || !cliBuilt)('two PostgreSQL servers killed with SIGKILL under load', () => {
  it('keeps every answered effect exactly once, the ledger sound and every event delivered', async () => {
    const timing = phases()
    const receiver = await startReceiver()
    const shared = await serversSharingDatabase(2, workerEnv)
    let stopped = false
    try {
      const { app, servers, env } = shared
      const patch = partnerPatch(servers[0]?.baseUrl as string)
      const seeded = await seedPartner(app, (auth) => patch(auth, receiver))
      timing.done('seed')
      const run = await loadWithKills(
        seeded,
        servers.map((s) => s.baseUrl),
        async (n) => {
          const victim = n % servers.length
          servers[victim] = await killAndRestart(servers[victim] as ServerProcess, env)
        },
      )
      timing.done('load')
      const delivered = await allDelivered(receiver, async () =>
        (
          await app.db.query<{ event_id: string }>(
            'SELECT event_id FROM webhook_deliveries WHERE company_id = $1',
            [seeded.companyId],
          )
        ).map((r) => r.event_id),
      )
      timing.done('deliveries')
      const ledger = await runCli(env, 'ledger', 'verify')
      expect(ledger.out).toMatch(/^ledger OK/)
      await expectNothingLost('PostgreSQL, two servers', app, { seeded, run, receiver, delivered, timing })
      // Both servers, restarted or not, still shut down cleanly.
      await shared.stop()
      stopped = true
    } finally {
      if (!stopped) {
        for (const server of shared.servers) await server.stop('SIGKILL')
        await shared.app.close()
      }
      await receiver.stop()
    }
  }, 120_000)
})

describe.skipIf(onPostgres || !cliBuilt)('a PGlite server killed with SIGKILL under load', () => {
  it('comes back on its data directory with every answered effect exactly once and every event delivered', async () => {
    const timing = phases()
    const dir = await mkdtemp(join(tmpdir(), 'protus-crash-'))
    const receiver = await startReceiver()
    const env = {
      PROTUS_DATA_DIR: dir,
      PROTUS_SECRET_KEY: randomBytes(32).toString('hex'),
      PORT: String(await freePort()),
      ...workerEnv,
    }
    let server: ServerProcess | undefined
    try {
      // The test and the server open the data directory in turn: PGlite has one process.
      const seedApp = await buildTestApp(env)
      const seeded = await seedPartner(seedApp, async (auth) => {
        const res = await seedApp.inject({
          method: 'PATCH',
          url: '/v1/company',
          headers: { authorization: auth },
          payload: { webhook_url: receiver.url },
        })
        expect(res.statusCode, res.body).toBe(200)
      })
      await seedApp.close()
      server = await startServerProcess(env)
      timing.done('seed')
      const run = await loadWithKills(seeded, [server.baseUrl], async () => {
        server = await killAndRestart(server as ServerProcess, env)
      })
      timing.done('load')
      const base = server.baseUrl
      const delivered = await allDelivered(receiver, () => outboxIds(base, seeded.auth))
      timing.done('deliveries')
      expect(await server.stop()).toBe(0)
      // The ledger is verified by the services here (expectMoneyMatches): another process on the
      // data directory would only add a PGlite start.
      const app = await buildTestApp(env)
      try {
        await expectNothingLost('PGlite, one server', app, { seeded, run, receiver, delivered, timing })
      } finally {
        await app.close()
      }
    } finally {
      await server?.stop('SIGKILL')
      await receiver.stop()
      await rm(dir, { recursive: true, force: true })
    }
  }, 120_000)
})

/** The event ids of the partner's webhook deliveries, through the API's cursor pages. */
async function outboxIds(baseUrl: string, auth: string): Promise<string[]> {
  const ids: string[] = []
  let after = ''
  for (;;) {
    const res = await fetch(`${baseUrl}/v1/webhook-deliveries?limit=100${after}`, {
      headers: { authorization: auth },
    })
    const page = (await res.json()) as { data: { id: string; event: { id: string } }[]; has_more: boolean }
    ids.push(...page.data.map((d) => d.event.id))
    if (!page.has_more) return ids
    after = `&starting_after=${page.data.at(-1)?.id}`
  }
}
