import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest'
import { loadConfig } from '../../src/config.js'
import type { Database } from '../../src/db/database.js'
import { migrate } from '../../src/db/migrations.js'
import { ensureMode } from '../../src/db/mode.js'
import { openDatabase } from '../../src/db/open.js'
import { PRUNE_BATCH } from '../../src/db/prune.js'
import { createManualClock } from '../../src/lib/clock.js'
import { allMigrations } from '../../src/migrations.js'
import { createRetentionSweeper } from '../../src/modules/retention/retention-sweeper.js'
import { buildTestApp, databaseUrl, freshDatabaseEnv } from '../support/app.js'
import { registerCompany, signIn, unique } from '../support/http.js'
import {
  authorizeUrl,
  consent,
  formPost,
  partnerClient,
  pkce,
  REDIRECT_URI,
  signedInPerson,
} from '../support/oauth.js'
import { cliBuilt, startWorkerProcess } from '../support/processes.js'

const HOUR = 3_600_000
const clock = createManualClock(new Date())
let app: FastifyInstance
beforeAll(async () => {
  // The sweep runs when the test says so, at the test's time.
  app = await buildTestApp({ PROTUS_SWEEP_INTERVAL_SECONDS: '0', LOG_LEVEL: 'error' }, { clock })
})
afterAll(() => app.close())

const digest = (token: string) => createHash('sha256').update(token).digest('hex')
const sweep = () => app.services.retention.runOnce()

/** The retention samples of `/metrics`: `pruned.<table>`, `runs`, `last_run`. */
async function retentionMetrics() {
  const text = (await app.inject({ method: 'GET', url: '/metrics' })).body
  const value = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? Number.NaN)
  const pruned = (table: string) =>
    value(new RegExp(`^protus_retention_pruned_rows_total\\{table="${table}"\\} (\\d+)$`, 'm'))
  return {
    pruned,
    runs: value(/^protus_retention_runs_total (\d+)$/m),
    lastRun: value(/^protus_retention_last_run_timestamp_seconds (\d+)$/m),
  }
}

const rowsOf = async (table: string, where: string, params: unknown[]) =>
  (await app.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, params))[0]?.n

describe('the retention sweep', () => {
  it('deletes nothing on an empty database, and counts the pass', async () => {
    const before = await retentionMetrics()
    expect(before.runs).toBe(0)
    expect(before.lastRun).toBe(0)
    const pruned = await sweep()
    expect(Object.keys(pruned)).toEqual(
      expect.arrayContaining([
        'idempotency_keys',
        'identity_sessions',
        'oauth_requests',
        'oauth_codes',
        'oauth_tokens',
        'webhook_attempts',
      ]),
    )
    expect(Object.values(pruned).filter((n) => n !== 0)).toEqual([])
    const after = await retentionMetrics()
    expect(after.runs).toBe(1)
    expect(after.lastRun).toBe(Math.floor(clock.now().getTime() / 1000))
    expect(after.pruned('idempotency_keys')).toBe(0)
  })

  it('replays an idempotency key for 24 hours, then drops it', async () => {
    const { auth } = await registerCompany(app)
    const post = (key: string) =>
      app.inject({
        method: 'POST',
        url: '/v1/services',
        headers: { authorization: auth, 'idempotency-key': key },
        payload: { name: 'Client', price: 15000 },
      })
    const [old, young] = [unique('old'), unique('young')]
    const first = await post(old)
    expect(first.statusCode, first.body).toBe(201)
    clock.advance(23 * HOUR)
    expect((await post(young)).statusCode).toBe(201)
    const metrics = await retentionMetrics()

    await sweep()
    const replay = await post(old)
    expect(replay.headers['idempotent-replayed']).toBe('true')
    expect(replay.json()).toEqual(first.json())

    clock.advance(HOUR + 1_000)
    expect((await sweep()).idempotency_keys).toBeGreaterThanOrEqual(1)
    expect(await rowsOf('idempotency_keys', 'key = $1', [old])).toBe(0)
    expect((await retentionMetrics()).pruned('idempotency_keys')).toBeGreaterThan(
      metrics.pruned('idempotency_keys'),
    )
    // The young key still replays; the dropped one is a new request now.
    expect((await post(young)).headers['idempotent-replayed']).toBe('true')
    const again = await post(old)
    expect(again.statusCode).toBe(201)
    expect(again.headers['idempotent-replayed']).toBeUndefined()
    expect(again.json().id).not.toBe(first.json().id)
  })

  it('deletes expired sessions and keeps the others signed in', async () => {
    const person = await signedInPerson(app)
    const token = (cookie: string) => cookie.replace(/^protus_session=/, '')
    clock.advance(13 * 86_400_000)
    const fresh = await signIn(app, 'customer', person.email, person.password)
    clock.advance(86_400_000 + 1_000) // the first session is past its 14 days, the second is not

    expect((await sweep()).identity_sessions).toBeGreaterThanOrEqual(1)
    expect(
      await rowsOf('identity_sessions', 'token_digest = $1', [digest(token(person.session.cookie))]),
    ).toBe(0)
    expect(await rowsOf('identity_sessions', 'token_digest = $1', [digest(token(fresh.cookie))])).toBe(1)
    const me = await app.inject({ method: 'GET', url: '/v1/me', headers: { cookie: fresh.cookie } })
    expect(me.statusCode).toBe(200)
  })

  describe('OAuth', () => {
    type Partner = Awaited<ReturnType<typeof partnerClient>>
    type Person = Awaited<ReturnType<typeof signedInPerson>>
    const exchange = (partner: Partner, form: Record<string, string>) =>
      formPost(app, '/oauth/token', form, partner.auth)
    const tokensOf = (partner: Partner) =>
      app.db.query<{ token_digest: string }>('SELECT token_digest FROM oauth_tokens WHERE client_id = $1', [
        partner.clientId,
      ])

    async function code(partner: Partner, person: Person) {
      const { verifier, challenge } = pkce()
      const url = authorizeUrl({
        response_type: 'code',
        client_id: partner.clientId,
        redirect_uri: REDIRECT_URI,
        scope: 'check',
        state: 'st',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      })
      const back = await consent(app, person.session.headers, url, { allow: true, scopes: ['check'] })
      return { code: back.searchParams.get('code') as string, verifier }
    }

    async function tokens(partner: Partner, person: Person) {
      const { code: value, verifier } = await code(partner, person)
      const res = await exchange(partner, {
        grant_type: 'authorization_code',
        code: value,
        redirect_uri: REDIRECT_URI,
        code_verifier: verifier,
      })
      expect(res.statusCode, res.body).toBe(200)
      return { ...(res.json() as { access_token: string; refresh_token: string }), code: value }
    }
    const refresh = (partner: Partner, token: string) =>
      exchange(partner, { grant_type: 'refresh_token', refresh_token: token })

    it('keeps a rotated refresh token for reuse detection and a live one for refreshing, and drops expired access tokens, requests and codes', async () => {
      const partner = await partnerClient(app)
      const person = await signedInPerson(app)
      const first = await tokens(partner, person)
      const unused = await code(partner, person)
      const rotated = await refresh(partner, first.refresh_token)
      expect(rotated.statusCode, rotated.body).toBe(200)
      const second = rotated.json() as { access_token: string; refresh_token: string }
      expect(await rowsOf('oauth_requests', 'client_id = $1', [partner.clientId])).toBeGreaterThan(0)
      const metrics = await retentionMetrics()

      clock.advance(11 * 60_000) // access tokens (10 min), requests (10 min) and codes (60 s) expired
      const pruned = await sweep()
      expect(pruned.oauth_tokens).toBeGreaterThanOrEqual(2)
      const kept = (await tokensOf(partner)).map((t) => t.token_digest).sort()
      expect(kept).toEqual([digest(first.refresh_token), digest(second.refresh_token)].sort())
      expect(await rowsOf('oauth_requests', 'client_id = $1', [partner.clientId])).toBe(0)
      // The unused code is gone; the used one is kept a day, so a second use still revokes.
      expect(await rowsOf('oauth_codes', 'code_digest = $1', [digest(unused.code)])).toBe(0)
      expect(await rowsOf('oauth_codes', 'code_digest = $1', [digest(first.code)])).toBe(1)
      const after = await retentionMetrics()
      for (const table of ['oauth_tokens', 'oauth_requests', 'oauth_codes'])
        expect(after.pruned(table), table).toBeGreaterThan(metrics.pruned(table))

      // The live refresh token still refreshes.
      const third = await refresh(partner, second.refresh_token)
      expect(third.statusCode, third.body).toBe(200)
      // The rotated one, presented again, still revokes the grant: reuse detection had its row.
      const reuse = await refresh(partner, first.refresh_token)
      expect(reuse.json().error).toBe('invalid_grant')
      expect((await refresh(partner, third.json().refresh_token)).json().error).toBe('invalid_grant')

      // Revoked with the grant, every token goes at the next pass; the grant stays.
      await sweep()
      expect(await tokensOf(partner)).toEqual([])
      expect(await rowsOf('oauth_grants', 'client_id = $1', [partner.clientId])).toBe(1)
      clock.advance(86_400_000)
      await sweep()
      expect(await rowsOf('oauth_codes', 'client_id = $1', [partner.clientId])).toBe(0)
    })

    it('drops a refresh token once it has expired', async () => {
      const partner = await partnerClient(app)
      const person = await signedInPerson(app)
      const pair = await tokens(partner, person)
      clock.advance(29 * 86_400_000)
      await sweep()
      expect((await tokensOf(partner)).map((t) => t.token_digest)).toEqual([digest(pair.refresh_token)])
      clock.advance(86_400_000 + 1_000) // past the 30 days
      await sweep()
      expect(await tokensOf(partner)).toEqual([])
    })
  })

  it('asks the webhooks module for attempts older than PROTUS_WEBHOOK_ATTEMPT_DAYS', async () => {
    const prune = vi.spyOn(app.services.webhooks, 'pruneAttempts')
    onTestFinished(() => prune.mockRestore())
    await sweep()
    expect(prune).toHaveBeenCalledWith(new Date(clock.now().getTime() - 30 * 86_400_000), PRUNE_BATCH)
  })

  it('deletes in batches of the given size until a batch comes back short', async () => {
    await sweep() // what earlier tests left to prune
    const now = clock.now()
    const company = unique('batch')
    await app.db.query(
      `INSERT INTO idempotency_keys (principal, key, request_hash, status, body, created_at)
       SELECT $1, 'k' || i, 'h', 201, '{}'::jsonb, $2 FROM generate_series(1, 12) AS i`,
      [company, new Date(now.getTime() - 25 * HOUR)],
    )
    const batches: number[] = []
    const sweeper = createRetentionSweeper({
      clock,
      log: { info: () => {}, error: () => {} },
      batch: 5,
      tasks: [
        {
          name: 'idempotency_keys',
          prune: async (at, limit) => {
            const deleted = await app.services.idempotency.prune(at, limit)
            batches.push(deleted)
            return deleted
          },
        },
      ],
    })
    expect(await sweeper.runOnce()).toEqual({ idempotency_keys: 12 })
    expect(batches).toEqual([5, 5, 2])
    expect(await rowsOf('idempotency_keys', 'principal = $1', [company])).toBe(0)
  })

  it('reports a failing task and still runs the others', async () => {
    const errors: object[] = []
    const sweeper = createRetentionSweeper({
      clock,
      log: { info: () => {}, error: (obj) => errors.push(obj) },
      tasks: [
        { name: 'broken', prune: () => Promise.reject(new Error('boom')) },
        { name: 'fine', prune: async () => 3 },
      ],
    })
    expect(await sweeper.runOnce()).toEqual({ fine: 3 })
    expect(errors).toEqual([expect.objectContaining({ table: 'broken' })])
    expect(sweeper.stats()).toMatchObject({
      runs: 1,
      pruned: { broken: 0, fine: 3 },
      failures: { broken: 1 },
    })
  })
})

// `protus worker` as operators run it; the CLI exists after `npm run build -w apps/api`.
describe.skipIf(!cliBuilt)('protus worker', () => {
  /** A database that outlives its processes: a PostgreSQL schema, or a PGlite data directory. */
  async function durableDatabase(): Promise<Record<string, string>> {
    if (databaseUrl) {
      const database = await freshDatabaseEnv()
      onTestFinished(() => database.drop())
      return { ...database.env, PROTUS_DATA_DIR: ':memory:' }
    }
    const dir = await mkdtemp(join(tmpdir(), 'protus-retention-'))
    onTestFinished(() => rm(dir, { recursive: true, force: true }))
    return { PROTUS_DATA_DIR: dir }
  }

  async function withDatabase<T>(env: Record<string, string>, fn: (db: Database) => Promise<T>) {
    const db = await openDatabase(loadConfig({ PROTUS_MODE: 'sandbox', ...env }))
    try {
      return await fn(db)
    } finally {
      await db.close()
    }
  }

  it('prunes old idempotency keys soon after it starts', async () => {
    const env = {
      ...(await durableDatabase()),
      PROTUS_SECRET_KEY: randomBytes(32).toString('hex'),
      PROTUS_SWEEP_INTERVAL_SECONDS: '1',
    }
    await withDatabase(env, async (db) => {
      await migrate(db, allMigrations)
      await ensureMode(db, 'sandbox')
      await db.query(
        `INSERT INTO idempotency_keys (principal, key, request_hash, status, body, created_at)
         VALUES ('co_test', 'old', 'h', 201, '{}', now() - interval '25 hours'),
                ('co_test', 'young', 'h', 201, '{}', now() - interval '23 hours')`,
      )
    })
    const worker = await startWorkerProcess(env)
    onTestFinished(() => worker.stop('SIGKILL').then(() => {}))
    const deadline = Date.now() + 20_000
    while (!worker.output().includes('"msg":"retention sweep"') && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100))
    expect(worker.output()).toContain('"pruned":{"idempotency_keys":1,')
    expect(await worker.stop()).toBe(0)
    const keys = await withDatabase(env, (db) =>
      db.query<{ key: string }>('SELECT key FROM idempotency_keys'),
    )
    expect(keys).toEqual([{ key: 'young' }])
  }, 120_000)
})
