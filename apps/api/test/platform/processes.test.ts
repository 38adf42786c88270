import { randomBytes } from 'node:crypto'
import { request } from 'node:http'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { buildTestApp, onPostgres } from '../support/app.js'
import { expectLedgerSound, fund } from '../support/money.js'
import { cliBuilt, runCli, type ServerProcess, startClusterProcess } from '../support/processes.js'
import { envSharingDatabase } from '../support/shared-database.js'
import { startReceiver } from '../support/webhook-receiver.js'

interface Answer {
  status: number
  body: string
}

/** One request on a connection of its own (no keep-alive), so that requests spread over the processes. */
function send(url: string, method = 'GET', headers: Record<string, string> = {}, body?: string) {
  return new Promise<Answer>((resolve, reject) => {
    const req = request(url, { method, headers, agent: false }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk) => {
        text += chunk
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

/** The pid `GET /metrics` names: the process that answered. */
async function answeringPid(baseUrl: string): Promise<number> {
  const { body } = await send(`${baseUrl}/metrics`)
  const pid = /^protus_process_info\{pid="(\d+)"\} 1$/m.exec(body)?.[1]
  expect(pid, body).toBeDefined()
  return Number(pid)
}

async function pidsAnswering(baseUrl: string, requests: number): Promise<Set<number>> {
  const pids = new Set<number>()
  for (let i = 0; i < requests; i++) pids.add(await answeringPid(baseUrl))
  return pids
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, ms = 20_000) {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

describe.skipIf(!cliBuilt)('protus start --processes, refused', () => {
  it('refuses several processes on the embedded database with exit code 1 and the reason', async () => {
    const flag = await runCli({ PROTUS_DATA_DIR: ':memory:' }, 'start', '--processes', '2')
    expect(flag.code).toBe(1)
    expect(flag.out).toContain('PROTUS_PROCESSES (--processes) 2 needs DATABASE_URL')
    const env = await runCli({ PROTUS_DATA_DIR: ':memory:', PROTUS_PROCESSES: 'auto' }, 'start')
    expect(env.code).toBe(1)
    expect(env.out).toContain('PROTUS_PROCESSES (--processes) auto needs DATABASE_URL')
  }, 90_000)

  it('answers a wrong --processes with the usage and exit code 2', async () => {
    const missing = await runCli({ PROTUS_DATA_DIR: ':memory:' }, 'start', '--processes')
    expect(missing.code).toBe(2)
    expect(missing.out).toContain('usage: protus start [--processes <n | auto>]')
    const wrong = await runCli({ PROTUS_DATA_DIR: ':memory:' }, 'start', '--processes=lots')
    expect(wrong.code).toBe(1)
    expect(wrong.out).toContain('must be auto or an integer from 1 to 256, got "lots"')
  }, 90_000)
})

describe.skipIf(!onPostgres || !cliBuilt)('protus start --processes 2 on PostgreSQL', () => {
  let app: FastifyInstance
  let server: ServerProcess & { pids: number[] }

  beforeAll(async () => {
    const secretKey = randomBytes(32).toString('hex')
    // The in-process app creates the schema and checks the ledger afterwards.
    app = await buildTestApp({ PROTUS_SWEEP_INTERVAL_SECONDS: '0', PROTUS_SECRET_KEY: secretKey })
    const env = {
      ...(await envSharingDatabase(app, secretKey)),
      PROTUS_DB_POOL_SIZE: '8',
      PROTUS_WEBHOOK_ALLOW_PRIVATE: 'true',
      // Deliveries go out when a process wakes the delivering one, not when it polls.
      PROTUS_WEBHOOK_POLL_MS: '60000',
    }
    server = await startClusterProcess(env, 2)
  }, 90_000)
  afterAll(async () => {
    await server?.stop('SIGKILL')
    await app?.close()
  })

  it('serves from two processes on one port, and one of them does the background work', async () => {
    expect(server.pids).toHaveLength(2)
    expect(new Set(server.pids).size).toBe(2)
    expect(server.pids).not.toContain(server.child.pid)
    const seen = await pidsAnswering(server.baseUrl, 10)
    expect([...seen].sort()).toEqual([...server.pids].sort())

    const ready = server
      .output()
      .split('\n')
      .filter((line) => line.includes('"msg":"process is ready"'))
      .map((line) => JSON.parse(line) as { pid: number; background_work: boolean })
    expect(ready.map((r) => r.pid).sort()).toEqual([...server.pids].sort())
    expect(ready.filter((r) => r.background_work)).toHaveLength(1)
  })

  /** A partner with one managed account holding `balance`, opened over HTTP. */
  async function partner(balance: number) {
    const email = `cluster-${randomBytes(4).toString('hex')}@example.com`
    const registered = await send(
      `${server.baseUrl}/v1/companies`,
      'POST',
      { 'content-type': 'application/json' },
      JSON.stringify({ email, name: 'Cluster', password: 'company password' }),
    )
    const company = JSON.parse(registered.body) as { client_id: string; client_secret: string }
    const auth = `Basic ${Buffer.from(`${company.client_id}:${company.client_secret}`).toString('base64')}`
    const headers = (key: string) => ({
      authorization: auth,
      'idempotency-key': key,
      'content-type': 'application/json',
    })
    const opened = await send(
      `${server.baseUrl}/v1/accounts`,
      'POST',
      headers('acct-1'),
      JSON.stringify({ external_id: 'user-1' }),
    )
    expect(opened.status, opened.body).toBe(201)
    const account = (JSON.parse(opened.body) as { id: string }).id
    await fund(app, account, balance)
    return { auth, headers, account }
  }

  it('lands one charge for one Idempotency-Key sent at once and again to both processes', async () => {
    const { auth, headers, account } = await partner(5000)
    const charge = () =>
      send(
        `${server.baseUrl}/v1/charges`,
        'POST',
        headers('charge-1'),
        JSON.stringify({ account, amount: 700 }),
      )
    const first = await Promise.all(Array.from({ length: 16 }, charge))
    console.info('one key sent 16 times at once:', first.map((a) => a.status).join(' '))
    const done = first.filter((a) => a.status === 201)
    expect(done.length).toBeGreaterThanOrEqual(1)
    for (const other of first.filter((a) => a.status !== 201)) {
      expect(other.status, other.body).toBe(409)
      expect(JSON.parse(other.body)).toMatchObject({ code: 'idempotency_request_in_progress' })
    }
    // Retries after the first finished: every answer is the first, from whichever process, even
    // while another retry of the key is in a batch of its own.
    const again = await Promise.all(Array.from({ length: 16 }, charge))
    const [answer, ...others] = [...done, ...again].map((a) => ({
      status: a.status,
      body: JSON.parse(a.body),
    }))
    expect(answer).toMatchObject({ status: 201, body: { account, amount: 700 } })
    for (const other of others) expect(other).toEqual(answer)

    const rows = await app.db.query<{ n: bigint }>(
      'SELECT count(*)::bigint AS n FROM billing_charges WHERE account_id = $1',
      [account],
    )
    expect(Number(rows[0]?.n)).toBe(1)
    const balance = await send(`${server.baseUrl}/v1/accounts/${account}/balance`, 'GET', {
      authorization: auth,
    })
    expect(JSON.parse(balance.body)).toMatchObject({ available: 4300, held: 0 })
    await expectLedgerSound(app)
  }, 60_000)

  it('delivers the webhooks of either process at once, though the delivering process polls once a minute', async () => {
    const receiver = await startReceiver()
    onTestFinished(() => receiver.stop())
    const { auth, headers, account } = await partner(5000)
    const patched = await send(
      `${server.baseUrl}/v1/company`,
      'PATCH',
      { authorization: auth, 'content-type': 'application/json' },
      JSON.stringify({ webhook_url: receiver.url }),
    )
    expect(patched.status, patched.body).toBe(200)
    // One at a time, each on a new connection (so they alternate between the processes), and
    // each delivered before the next: a delivery woken for another cannot carry it.
    const logged = server.output().length
    for (let i = 0; i < 4; i++) {
      const charge = await send(
        `${server.baseUrl}/v1/charges`,
        'POST',
        headers(`hook-${i}`),
        JSON.stringify({ account, amount: 10 }),
      )
      expect(charge.status, charge.body).toBe(201)
      const { id } = JSON.parse(charge.body) as { id: string }
      await receiver.waitFor((all) => all.some((r) => r.body.includes(id)), 15_000)
      // A finished delivery makes the worker look again once; let that pass, so it idles.
      await new Promise((resolve) => setTimeout(resolve, 1000))
    }
    const served = server
      .output()
      .slice(logged)
      .split('\n')
      .filter((line) => line.includes('"url":"/v1/charges"'))
      .map((line) => (JSON.parse(line) as { pid: number }).pid)
    console.info('charges served by', served.join(' '))
    expect(new Set(served).size).toBe(2)
  }, 60_000)

  it('starts a process that died again, and serves from it', async () => {
    const [victim, survivor] = server.pids as [number, number]
    process.kill(victim, 'SIGKILL')
    await waitFor('the process to be started again', () =>
      /process exited unexpectedly; starting it again/.test(server.output()),
    )
    // On a busy machine a process takes tens of seconds to build the app.
    let pids = new Set<number>()
    await waitFor(
      'a new process to answer',
      async () => {
        pids = await pidsAnswering(server.baseUrl, 4)
        return pids.size === 2
      },
      80_000,
    )
    expect(pids.has(survivor)).toBe(true)
    expect(pids.has(victim)).toBe(false)
    server.pids = [...pids]
  }, 120_000)

  it('finishes the requests in flight on SIGTERM, then every process exits and the primary with 0', async () => {
    // Requests whose headers have arrived but whose bodies are still on the way when the signal comes.
    const body = JSON.stringify({ email: 'drain@example.com', name: 'Drain', password: 'company password' })
    const inFlight = Array.from({ length: 4 }, (_, i) => {
      const text = body.replace('drain@', `drain-${i}@`)
      const req = request(`${server.baseUrl}/v1/companies`, {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) },
      })
      const answer = new Promise<Answer>((resolve, reject) => {
        req.on('response', (res) => {
          let out = ''
          res.on('data', (chunk) => {
            out += chunk
          })
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: out }))
        })
        req.on('error', reject)
      })
      // Answered below; a reset before then fails the test there, not as an unhandled rejection.
      answer.catch(() => {})
      req.flushHeaders()
      req.write(text.slice(0, 10))
      return { req, rest: text.slice(10), answer }
    })
    await new Promise((resolve) => setTimeout(resolve, 500))
    const exited = server.stop('SIGTERM')
    await waitFor(
      'every process to stop accepting',
      () => (server.output().match(/"msg":"shutting down"/g) ?? []).length >= 2,
    )
    await new Promise((resolve) => setTimeout(resolve, 300))
    for (const { req, rest } of inFlight) req.end(rest)
    const answers = await Promise.all(inFlight.map((r) => r.answer))
    for (const answer of answers) expect(answer.status, answer.body).toBe(201)
    expect(await exited).toBe(0)
    await waitFor('no process left', () => server.pids.every((pid) => !alive(pid)), 5_000)
    await expect(send(`${server.baseUrl}/healthz`)).rejects.toThrow(/ECONNREFUSED/)
  }, 60_000)
})
