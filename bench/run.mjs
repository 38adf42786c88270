// `npm run bench`: PROTUS over HTTP beside pgbench, on one PostgreSQL, in one run. Not a test;
// never in CI. See bench/README.md for what it measures and how to read the table.
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join, resolve } from 'node:path'
import { diffFunctionStats, readFunctionStats, trackFunctions } from './lib/function-stats.mjs'
import { runScenario } from './lib/http-load.mjs'
import { chainPool, runOauthScenario } from './lib/oauth-load.mjs'
import { seedGrants } from './lib/oauth-seed.mjs'
import { cleanupPgbench, preparePgbench, runPgbench } from './lib/pgbench.mjs'
import { checkPostgres, databaseUrl, dropDatabase, psql, recreateDatabase, redact } from './lib/postgres.mjs'
import { postgresPids, processTree, startSampler, statusBytes, treeBytes } from './lib/proc.mjs'
import {
  failuresOf,
  GOAL_HEADING,
  OAUTH_HEADING,
  oauthFailuresOf,
  renderGoalSection,
  renderOauthSection,
  renderReport,
  renderScaleSection,
  renderWebhookSection,
  SCALE_HEADING,
  WEBHOOK_HEADING,
  webhookFailuresOf,
  withSection,
} from './lib/report.mjs'
import {
  accountIdsOf,
  explainReads,
  fillScale,
  runReads,
  scaleCounts,
  timeLedgerVerify,
} from './lib/scale.mjs'
import { basic, countOauthTrips, fundAndCountTrips, seedPartner, settledCompany } from './lib/seed.mjs'
import { freePort, startOidcProvider, startServer, startWorker } from './lib/server.mjs'
import { startWaitSampler } from './lib/wait-sampler.mjs'
import { awaitArrivals, createPings, startWebhookReceiver } from './lib/webhooks.mjs'

const root = resolve(import.meta.dirname, '..')
const resultsDir = join(import.meta.dirname, 'results')

function setting(name, fallback) {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, got "${raw}"`)
  return value
}

function connectionCounts(raw) {
  const counts = raw.split(',').map(Number)
  if (counts.some((n) => !Number.isInteger(n) || n < 1 || n > 90)) {
    throw new Error(`BENCH_CONNECTIONS must list whole numbers from 1 to 90, got "${raw}"`)
  }
  return counts
}

const SECTIONS = ['billing', 'oauth', 'webhooks', 'scale']

/** `--only=billing|oauth|webhooks|scale` (or BENCH_ONLY): one section of the bench instead of all. */
function onlySection() {
  const arg = process.argv.slice(2).find((a) => a.startsWith('--only='))
  const raw = arg ? arg.slice('--only='.length) : process.env.BENCH_ONLY || ''
  if (raw !== '' && !SECTIONS.includes(raw)) {
    throw new Error(`--only (or BENCH_ONLY) must be one of ${SECTIONS.join(', ')}, got "${raw}"`)
  }
  return raw || undefined
}

function processCounts(raw) {
  const counts = raw.split(',').map(Number)
  if (counts.some((n) => !Number.isInteger(n) || n < 1 || n > 16)) {
    throw new Error(`BENCH_PROCESSES must list whole numbers from 1 to 16, got "${raw}"`)
  }
  return counts
}

function oidcStores(raw) {
  const stores = raw.split(',').filter(Boolean)
  if (stores.some((s) => s !== 'memory' && s !== 'postgres')) {
    throw new Error(`BENCH_OIDC_STORES must list memory and/or postgres, got "${raw}"`)
  }
  return stores
}

function webhookStores(raw) {
  const stores = raw.split(',').filter(Boolean)
  if (stores.some((s) => s !== 'postgres' && s !== 'pglite')) {
    throw new Error(`BENCH_WEBHOOK_STORES must list postgres and/or pglite, got "${raw}"`)
  }
  return stores
}

const settings = {
  only: onlySection(),
  adminUrl: process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test',
  duration: setting('BENCH_DURATION', 10),
  warmup: setting('BENCH_WARMUP', 2),
  accounts: setting('BENCH_ACCOUNTS', 1000),
  connections: connectionCounts(process.env.BENCH_CONNECTIONS || '32,64'),
  /** A scenario with more failed requests than this fails the run. */
  tolerated: setting('BENCH_TOLERATED_FAILURES', 5),
  keepDatabases: process.env.BENCH_KEEP_DATABASES === '1',
  cpuProfile: process.env.BENCH_CPU_PROF === '1',
  oidcStores: oidcStores(process.env.BENCH_OIDC_STORES ?? 'memory,postgres'),
  webhookEvents: setting('BENCH_WEBHOOK_EVENTS', 20_000),
  webhookEventsPglite: setting('BENCH_WEBHOOK_EVENTS_PGLITE', 5_000),
  webhookStores: webhookStores(process.env.BENCH_WEBHOOK_STORES ?? 'postgres,pglite'),
  processes: processCounts(process.env.BENCH_PROCESSES || '1,2'),
  scaleWallets: setting('BENCH_SCALE_WALLETS', 1_000_000),
  scaleTransfers: setting('BENCH_SCALE_TRANSFERS', 10_000_000),
}
/**
 * Refresh chains (one grant each): every row can lose one chain per connection to the warm-up's
 * stop and one to the measured run's, and the last row still needs a chain per connection with
 * some left waiting.
 */
settings.oauthGrants = setting(
  'BENCH_OAUTH_GRANTS',
  2 * settings.connections.reduce((a, b) => a + b, 0) + Math.max(...settings.connections) + 16,
)
const PROTUS_DB = 'protus_bench'
const PGBENCH_DB = 'pgbench_protus'
const OAUTH_DB = 'protus_bench_oauth'
const OIDC_DB = 'oidc_provider_bench'
const WEBHOOKS_DB = 'protus_bench_webhooks'
const SCALE_DB = 'protus_bench_scale'
/** Extra `protus worker` processes beside the server's own worker, per webhook row. */
const EXTRA_WORKERS = [0, 2]
/** Connections that create the events. */
const WEBHOOK_CREATORS = 32
/** A row whose events have not all arrived by then fails the run. */
const WEBHOOK_DEADLINE_MS = 180_000
/** Access tokens introspected in turn (each a grant of its own). */
const INTROSPECTED = 8
const PER_ACCOUNT = 10_000_000
const HOT_ACCOUNT = 1_000_000_000_000
/**
 * Plans that PL/pgSQL caches on a connection are made from what the tables hold at the time: made
 * on an empty ledger_pending they scan it in full, ever longer as it grows: the first batches of
 * holds and captures on a fresh database ran about three times slower than the same batches run
 * again. A priming run, then ANALYZE, gives every row tables with content and statistics, as in
 * production.
 */
const PRIMING_SECONDS = 3

const step = (text) => console.log(`\n▸ ${text}`)

function build() {
  step('building apps/api')
  const result = spawnSync('npm', ['run', 'build', '-w', 'apps/api'], { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) throw new Error('the build failed')
}

function gitDescription() {
  const run = (args) => spawnSync('git', args, { cwd: root, encoding: 'utf8' }).stdout.trim()
  const dirty = run(['status', '--porcelain', '--untracked-files=no', '--', 'apps/api']) !== ''
  const head = run(['rev-parse', '--short', 'HEAD'])
  if (!head) return 'unknown (not a git checkout)'
  return `${head}${dirty ? ' + uncommitted changes in apps/api' : ''}`
}

/**
 * The money rows: charges (many wallets, one hot wallet) with each server process count; holds
 * and captures with one process; and last, charges on many wallets with the in-server webhook
 * worker on and then off, the partner's webhook URL set (the "off" rows leave a backlog that no
 * later row may deliver). Every other row runs with the worker on and no URL, as a server does by
 * default for a partner that set none.
 */
function scenarioList() {
  const many = `${settings.accounts.toLocaleString('en-US')} wallets`
  const list = []
  const add = (kind, hot, connections, { processes = 1, webhooks } = {}) => {
    const what = kind === 'charge' ? 'charges/s' : 'hold+capture pairs/s'
    const parts = [what, hot ? 'one hot wallet' : many]
    if (processes > 1) parts.push(`${processes} processes`)
    if (webhooks) parts.push(`webhook worker ${webhooks}`)
    list.push({
      kind,
      hot,
      connections,
      processes,
      webhooks,
      label: parts.join(', '),
      name: [
        kind,
        hot ? 'hot' : 'many',
        connections,
        processes > 1 ? `p${processes}` : '',
        webhooks ? `hooks-${webhooks}` : '',
      ]
        .filter(Boolean)
        .join('-'),
    })
  }
  for (const hot of [false, true]) {
    for (const processes of settings.processes) {
      for (const connections of settings.connections) add('charge', hot, connections, { processes })
    }
  }
  for (const hot of [false, true]) {
    for (const connections of settings.connections) add('pair', hot, connections)
  }
  for (const webhooks of ['on', 'off']) {
    for (const connections of settings.connections) add('charge', false, connections, { webhooks })
  }
  return list
}

/**
 * A fresh process from `start(common)` for `fn`; stopped (SIGTERM) afterwards whatever happens.
 * `common` carries its log file, its event-loop delay file and the node flags (--cpu-prof).
 */
async function withProcess(name, start, fn) {
  const loopDelayFile = join(resultsDir, `loop-delay-${name}.json`)
  rmSync(loopDelayFile, { force: true })
  const server = await start({
    loopDelayFile,
    logFile: join(resultsDir, `server-${name}.log`),
    nodeArgs: settings.cpuProfile
      ? ['--cpu-prof', `--cpu-prof-dir=${join(resultsDir, 'profiles')}`, `--cpu-prof-name=${name}.cpuprofile`]
      : [],
  })
  let result
  try {
    result = await fn(server)
  } finally {
    const exit = await server.stop()
    if (exit.code !== 0) console.warn(`  the server exited with ${JSON.stringify(exit)}`)
  }
  const loopDelay = existsSync(loopDelayFile) ? JSON.parse(readFileSync(loopDelayFile, 'utf8')) : undefined
  return { result, loopDelay }
}

/** A fresh `protus start` for `fn`, with `env` added to its environment. */
function withServer(context, name, fn, env = {}) {
  return withProcess(
    name,
    async (common) =>
      startServer({
        ...common,
        root,
        databaseUrl: context.url,
        port: await freePort(),
        secretKey: context.secretKey,
        env,
      }),
    fn,
  )
}

/**
 * Waits until a server started with PROTUS_PROCESSES=n has its n processes under the primary
 * (node:cluster forks them after the primary starts); false when they do not come, as with a build
 * that does not know the setting and serves from one process.
 */
async function awaitProcesses(server, processes) {
  if (processes <= 1) return true
  const deadline = Date.now() + 20_000
  while (Date.now() < deadline) {
    if (processTree(server.pid).length >= processes + 1) return true
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  return false
}

/**
 * The samplers of a measured row: CPU of every process of the server (its primary and workers),
 * of PostgreSQL and of this process (the load generator), and the connections' states.
 */
function rowSampler(server, databaseUrlToWatch) {
  return () => {
    server.resetLoopDelay()
    const cpu = startSampler({
      groups: { server: () => processTree(server.pid), postgres: postgresPids, client: () => [process.pid] },
    })
    const waits = databaseUrlToWatch ? startWaitSampler(databaseUrlToWatch) : undefined
    return { stop: async () => ({ ...cpu.stop(), waits: (await waits?.stop()) ?? [] }) }
  }
}

/** Sets (or clears, with null) the partner's webhook URL over HTTP. */
async function setWebhookUrl(url, auth, webhookUrl) {
  const res = await fetch(`${url}/v1/company`, {
    method: 'PATCH',
    headers: { authorization: auth, 'content-type': 'application/json' },
    body: JSON.stringify({ webhook_url: webhookUrl }),
  })
  if (!res.ok) throw new Error(`PATCH /v1/company answered ${res.status}: ${await res.text()}`)
}

/**
 * One money row on a fresh server: the load, CPU from /proc, event-loop delay and the RSS of each
 * server process. Answers `{ skipped }` when the server did not start the processes asked for.
 */
async function moneyRow(context, scenario, { partner, accounts, receiver, env = {} }) {
  const serverEnv = {
    PROTUS_PROCESSES: String(scenario.processes ?? 1),
    PROTUS_WEBHOOK_WORKER: scenario.webhooks === 'off' ? '0' : '1',
    ...(scenario.webhooks ? { PROTUS_WEBHOOK_ALLOW_PRIVATE: '1' } : {}),
    ...env,
  }
  const { result, loopDelay } = await withServer(
    context,
    scenario.name,
    async (server) => {
      if (!(await awaitProcesses(server, scenario.processes ?? 1))) {
        return {
          skipped: `the server did not start ${scenario.processes} processes (PROTUS_PROCESSES=${scenario.processes}): this build serves from one`,
        }
      }
      const rssAtStart = treeBytes(server.pid, 'VmRSS')
      const deliveredBefore = receiver?.count ?? 0
      const run = await runScenario({
        url: server.url,
        auth: partner.auth,
        kind: scenario.kind,
        accounts,
        connections: scenario.connections,
        duration: settings.duration,
        warmup: settings.warmup,
        sample: rowSampler(server, context.url),
      })
      if (!server.alive) throw new Error(`the server died; see bench/results/server-${scenario.name}.log`)
      const rssPeak = treeBytes(server.pid, 'VmHWM')
      return {
        ...run,
        rssAtStart: rssAtStart.largest,
        rssPeak: rssPeak.largest,
        rssPeakTotal: rssPeak.total,
        serverProcesses: rssPeak.processes,
        delivered: receiver ? receiver.count - deliveredBefore : undefined,
      }
    },
    serverEnv,
  )
  return { ...result, loopDelay }
}

/** Every PROTUS scenario, each on a server process of its own, on a freshly seeded database. */
async function benchProtus() {
  const context = {
    url: databaseUrl(settings.adminUrl, PROTUS_DB),
    secretKey: randomBytes(32).toString('hex'),
  }
  recreateDatabase(settings.adminUrl, PROTUS_DB)
  trackFunctions(settings.adminUrl, PROTUS_DB)
  try {
    step(`seeding a partner and ${settings.accounts} + 1 managed accounts over HTTP (database ${PROTUS_DB})`)
    const { result: partner } = await withServer(context, 'seed', (server) =>
      seedPartner(server.url, settings.accounts),
    )
    step('funding the wallets (in-process ledger) and counting round trips per request')
    const trips = await fundAndCountTrips({
      root,
      databaseUrl: context.url,
      secretKey: context.secretKey,
      partner,
      perAccount: PER_ACCOUNT,
      hotAmount: HOT_ACCOUNT,
    })
    step('priming: holds and captures for a few seconds, so that no table is empty when measured')
    await withServer(context, 'prime', (server) =>
      runScenario({
        url: server.url,
        auth: partner.auth,
        kind: 'pair',
        accounts: partner.accounts,
        connections: 16,
        duration: PRIMING_SECONDS,
        warmup: 0,
        sample: () => ({ stop: async () => ({}) }),
      }),
    )
    psql(context.url, 'VACUUM ANALYZE')
    psql(context.url, 'CHECKPOINT')

    const runs = []
    const skipped = []
    const receiver = await startWebhookReceiver()
    try {
      for (const scenario of scenarioList()) {
        step(`${scenario.label}, ${scenario.connections} connections`)
        if (scenario.webhooks === 'on' && !partner.webhookUrl) {
          // The rows before ran with no URL; from here on the partner's events go to the receiver.
          await withServer(
            context,
            'webhook-url',
            (server) => setWebhookUrl(server.url, partner.auth, receiver.url),
            { PROTUS_WEBHOOK_ALLOW_PRIVATE: '1' },
          )
          partner.webhookUrl = receiver.url
        }
        const before = readFunctionStats(context.url)
        const run = await moneyRow(context, scenario, {
          partner,
          accounts: scenario.hot ? [partner.hot] : partner.accounts,
          receiver: scenario.webhooks ? receiver : undefined,
        })
        if (run.skipped) {
          console.log(`  skipped: ${run.skipped}`)
          skipped.push({ ...scenario, reason: run.skipped })
          continue
        }
        // The server's connections report their function statistics as they close.
        await new Promise((resolve) => setTimeout(resolve, 500))
        const functions = diffFunctionStats(before, readFunctionStats(context.url))
        console.log(
          `  ${Math.round(run.perSecond)}/s, p50 ${run.p50.toFixed(1)} ms, p99 ${run.p99.toFixed(1)} ms, ` +
            `non-2xx ${run.non2xx}, errors ${run.errors}, timeouts ${run.timeouts}, ` +
            `server CPU ${Math.round(run.usage.cpu.server)}%, postgres CPU ${Math.round(run.usage.cpu.postgres)}%` +
            (run.delivered !== undefined ? `, webhooks delivered ${run.delivered}` : ''),
        )
        runs.push({
          ...run,
          ...scenario,
          functions,
          yardstick: scenario.hot ? 'hot-row' : 'simple-update',
        })
      }
    } finally {
      await receiver.close()
    }
    return { runs, skipped, trips, poolSize: process.env.PROTUS_DB_POOL_SIZE || '20 (default)' }
  } finally {
    if (!settings.keepDatabases) dropDatabase(settings.adminUrl, PROTUS_DB)
  }
}

async function benchPgbench() {
  const url = databaseUrl(settings.adminUrl, PGBENCH_DB)
  recreateDatabase(settings.adminUrl, PGBENCH_DB)
  step(`pgbench -i -s 10 on database ${PGBENCH_DB}`)
  const setup = preparePgbench(url)
  try {
    const runs = []
    for (const workload of ['simple-update', 'hot-row']) {
      for (const clients of settings.connections) {
        step(`pgbench ${workload}, ${clients} clients`)
        const run = await runPgbench({
          url,
          setup,
          workload,
          clients,
          duration: settings.duration,
          warmup: settings.warmup,
          sample: (pid) => startSampler({ groups: { postgres: postgresPids, pgbench: () => [pid] } }),
        })
        console.log(
          `  ${Math.round(run.tps)} tps, p50 ${run.p50.toFixed(2)} ms, p99 ${run.p99.toFixed(2)} ms`,
        )
        runs.push({ ...run, workload, clients })
      }
    }
    return runs
  } finally {
    cleanupPgbench(setup)
    if (!settings.keepDatabases) dropDatabase(settings.adminUrl, PGBENCH_DB)
  }
}

const OAUTH_KINDS = {
  introspect: {
    label: 'introspections/s',
    protusPath: '/oauth/introspect',
    oidcPath: '/token/introspection',
  },
  refresh: { label: 'token refreshes/s', protusPath: '/oauth/token', oidcPath: '/token' },
}

/** One OAuth row on a running server: the load, CPU from /proc, and the server's RSS. */
async function measureOauth(server, { kind, path, auth, tokens, pool, connections, database }) {
  const rssAtStart = statusBytes(server.pid, 'VmRSS')
  const chainsAtStart = pool?.live
  const lostBefore = pool && { ...pool.state }
  const result = await runOauthScenario({
    url: server.url,
    path,
    auth,
    kind,
    tokens,
    pool,
    connections,
    duration: settings.duration,
    warmup: settings.warmup,
    sample: () => {
      server.resetLoopDelay()
      const cpu = startSampler({
        groups: { server: () => [server.pid], postgres: postgresPids, client: () => [process.pid] },
      })
      const waits = database ? startWaitSampler(database) : undefined
      return { stop: async () => ({ ...cpu.stop(), waits: (await waits?.stop()) ?? [] }) }
    },
  })
  if (!server.alive) throw new Error('the server died during the row; see its log in bench/results/')
  const chains = pool && {
    atStart: chainsAtStart,
    inFlightAtStop: pool.state.inFlightAtStop - lostBefore.inFlightAtStop,
    refused: pool.state.refused - lostBefore.refused,
    exhausted: pool.state.exhausted - lostBefore.exhausted,
  }
  return { ...result, chains, rssAtStart, rssPeak: statusBytes(server.pid, 'VmHWM') }
}

/**
 * Sign in with PROTUS under load: introspection and refresh on PROTUS (PostgreSQL), and on
 * oidc-provider set up the same way (bench/oidc-provider.mjs), row by row in turn, each row on a
 * fresh server process.
 */
async function benchOauth() {
  const context = {
    url: databaseUrl(settings.adminUrl, OAUTH_DB),
    secretKey: randomBytes(32).toString('hex'),
  }
  const oidcUrl = databaseUrl(settings.adminUrl, OIDC_DB)
  const poolSize = Number(process.env.PROTUS_DB_POOL_SIZE || 20)
  recreateDatabase(settings.adminUrl, OAUTH_DB)
  if (settings.oidcStores.includes('postgres')) recreateDatabase(settings.adminUrl, OIDC_DB)
  try {
    step(
      `PROTUS: a partner and ${settings.oauthGrants} people with a grant each, over HTTP ` +
        `(authorize with the session cookie → consent → code → POST /oauth/token; database ${OAUTH_DB})`,
    )
    const seedStarted = performance.now()
    const { result: seeded } = await withServer(context, 'oauth-seed', (server) =>
      seedGrants(server.url, settings.oauthGrants + 1),
    )
    const seedSeconds = (performance.now() - seedStarted) / 1000
    psql(context.url, 'VACUUM ANALYZE')
    step('counting the round trips of one introspection and one refresh (in-process)')
    const spare = seeded.tokens.pop()
    const trips = await countOauthTrips({
      root,
      databaseUrl: context.url,
      secretKey: context.secretKey,
      auth: seeded.auth,
      accessToken: spare.access_token,
      refreshToken: spare.refresh_token,
    })
    const protusTokens = seeded.tokens.slice(0, INTROSPECTED).map((t) => t.access_token)
    const protusPool = chainPool(seeded.tokens.map((t) => t.refresh_token))

    const rows = []
    const report = (row) => {
      console.log(
        `  ${Math.round(row.perSecond)}/s, p50 ${row.p50.toFixed(2)} ms, p99 ${row.p99.toFixed(2)} ms, ` +
          `failures ${oauthFailuresOf(row)}, server CPU ${Math.round(row.usage.cpu.server)}%, ` +
          `postgres CPU ${Math.round(row.usage.cpu.postgres)}%, other processes ${Math.round(row.usage.others)}%`,
      )
      rows.push(row)
    }
    for (const [kind, { label, protusPath, oidcPath }] of Object.entries(OAUTH_KINDS)) {
      for (const connections of settings.connections) {
        step(`PROTUS ${label}, ${connections} connections`)
        const protus = await withServer(context, `oauth-${kind}-protus-${connections}`, (server) =>
          measureOauth(server, {
            kind,
            path: protusPath,
            auth: seeded.auth,
            tokens: protusTokens,
            pool: kind === 'refresh' ? protusPool : undefined,
            connections,
            database: context.url,
          }),
        )
        report({ target: 'protus', kind, label, connections, ...protus.result, loopDelay: protus.loopDelay })

        for (const store of settings.oidcStores) {
          step(`oidc-provider (${store}) ${label}, ${connections} connections`)
          const grants = kind === 'introspect' ? INTROSPECTED : settings.oauthGrants
          const name = `oauth-${kind}-oidc-${store}-${connections}`
          const oidc = await withProcess(
            name,
            async (common) =>
              startOidcProvider({
                ...common,
                root,
                store,
                databaseUrl: store === 'postgres' ? oidcUrl : undefined,
                poolSize,
                port: await freePort(),
                grants,
              }),
            (server) =>
              measureOauth(server, {
                kind,
                path: oidcPath,
                auth: basic(server.client.id, server.client.secret),
                tokens: server.tokens.map((t) => t.access_token),
                pool: kind === 'refresh' ? chainPool(server.tokens.map((t) => t.refresh_token)) : undefined,
                connections,
                database: store === 'postgres' ? oidcUrl : undefined,
              }),
          )
          report({
            target: `oidc-${store}`,
            kind,
            label,
            connections,
            ...oidc.result,
            loopDelay: oidc.loopDelay,
          })
        }
      }
    }
    return { rows, seedSeconds, poolSize, trips }
  } finally {
    if (!settings.keepDatabases) {
      dropDatabase(settings.adminUrl, OAUTH_DB)
      if (settings.oidcStores.includes('postgres')) dropDatabase(settings.adminUrl, OIDC_DB)
    }
  }
}

/**
 * One webhook row. `live`: the server (its worker on) and `extra` workers run while the events are
 * made, so each is sent as soon as a worker claims it. `backlog`: the events are made on a server
 * whose worker is off; then the server with its worker, and the extra workers, start together and
 * send them all.
 */
async function webhookRow(context, { store, mode, extra, count, receiver }) {
  const name = `webhooks-${store}-${mode}-${1 + extra}`
  const env = {
    ...context.env,
    PROTUS_WEBHOOK_ALLOW_PRIVATE: '1',
    // One company makes every event: its limits per company would be measured, not the workers.
    PROTUS_WEBHOOK_PER_COMPANY: '1000',
    PROTUS_WEBHOOK_MANUAL_PER_MINUTE: '100000',
  }
  const processes = []
  /** The measured processes by role: counted from the moment they start. */
  const measured = { server: [], workers: [] }
  const startOne = async (label, worker, workerEnv) => {
    const common = {
      root,
      databaseUrl: context.url,
      secretKey: context.secretKey,
      logFile: join(resultsDir, `server-${name}-${label}.log`),
      env: workerEnv,
    }
    const started = worker
      ? await startWorker(common)
      : await startServer({ ...common, port: await freePort() })
    processes.push(started)
    if (label !== 'create') measured[worker ? 'workers' : 'server'].push(started.pid)
    return started
  }
  receiver.reset()
  try {
    let creation
    if (mode === 'backlog') {
      const creator = await startOne('create', false, { ...env, PROTUS_WEBHOOK_WORKER: '0' })
      const { auth } = await settledCompany(creator.url, 'hooks', { webhook_url: receiver.url })
      creation = await createPings({ url: creator.url, auth, count, connections: WEBHOOK_CREATORS })
      await creator.stop()
    }
    const sampler = startSampler({
      groups: {
        server: () => measured.server,
        workers: () => measured.workers,
        postgres: postgresPids,
        client: () => [process.pid],
      },
    })
    const started = await Promise.all([
      startOne('server', false, env),
      ...Array.from({ length: extra }, (_, i) => startOne(`worker-${i + 1}`, true, env)),
    ])
    const [server] = started
    if (mode === 'live') {
      const { auth } = await settledCompany(server.url, 'hooks', { webhook_url: receiver.url })
      creation = await createPings({ url: server.url, auth, count, connections: WEBHOOK_CREATORS })
    }
    await awaitArrivals(receiver, creation.accepted, WEBHOOK_DEADLINE_MS)
    // Late copies of an event would show here.
    await new Promise((resolve) => setTimeout(resolve, 500))
    const usage = sampler.stop()
    if (started.some((p) => !p.alive))
      throw new Error(`a process died; see bench/results/server-${name}-*.log`)
    const row = { store, mode, workers: 1 + extra, creation, ...receiver.summary(), usage }
    console.log(
      `  made ${creation.accepted} at ${Math.round(creation.perSecond)}/s; delivered ${row.delivered} ` +
        `at ${Math.round(row.perSecond)}/s, p50 ${Math.round(row.p50)} ms, p99 ${Math.round(row.p99)} ms, ` +
        `duplicates ${row.duplicates}, other processes ${Math.round(usage.others)}%`,
    )
    return row
  } finally {
    for (const p of processes) await p.stop()
  }
}

/**
 * Webhook delivery: ping events made over HTTP, sent to a receiver in this process, with the
 * server's worker alone and with extra `protus worker` processes; on PostgreSQL and on PGlite
 * (one process only: PGlite is embedded).
 */
async function benchWebhooks() {
  const receiver = await startWebhookReceiver()
  const rows = []
  try {
    for (const store of settings.webhookStores) {
      const pglite = store === 'pglite'
      const dataDir = pglite ? mkdtempSync(join(tmpdir(), 'protus-bench-webhooks-')) : undefined
      const context = {
        url: pglite ? '' : databaseUrl(settings.adminUrl, WEBHOOKS_DB),
        secretKey: randomBytes(32).toString('hex'),
        env: pglite ? { PROTUS_DATA_DIR: dataDir } : {},
      }
      if (!pglite) recreateDatabase(settings.adminUrl, WEBHOOKS_DB)
      try {
        const count = pglite ? settings.webhookEventsPglite : settings.webhookEvents
        for (const extra of pglite ? [0] : EXTRA_WORKERS) {
          for (const mode of ['live', 'backlog']) {
            step(`webhooks on ${store}, ${mode}: ${count} events, the server's worker + ${extra} more`)
            rows.push(await webhookRow(context, { store, mode, extra, count, receiver }))
          }
        }
      } finally {
        if (pglite) rmSync(dataDir, { recursive: true, force: true })
        else if (!settings.keepDatabases) dropDatabase(settings.adminUrl, WEBHOOKS_DB)
      }
    }
  } finally {
    await receiver.close()
  }
  return rows
}

/** One of a list, at random. */
const pickOne = (list) => list[Math.floor(Math.random() * list.length)]

/**
 * The scale section: a partner and BENCH_ACCOUNTS managed accounts over HTTP and funded, charges on
 * them measured (the 1,000-wallet figure of this section); then SQL copies of those rows fill the
 * database to BENCH_SCALE_WALLETS wallets and BENCH_SCALE_TRANSFERS more transfers, and the same
 * charges run on random wallets among all of them; then one account's charges and the partner's
 * account list are read at random, and `protus ledger verify` is timed.
 */
async function benchScale() {
  const context = {
    url: databaseUrl(settings.adminUrl, SCALE_DB),
    secretKey: randomBytes(32).toString('hex'),
  }
  recreateDatabase(settings.adminUrl, SCALE_DB)
  const started = performance.now()
  try {
    step(`scale: a partner and ${settings.accounts} + 1 managed accounts over HTTP (database ${SCALE_DB})`)
    const { result: partner } = await withServer(context, 'scale-seed', (server) =>
      seedPartner(server.url, settings.accounts),
    )
    // Funds the wallets and makes one charge of each kind: the rows the fill copies.
    await fundAndCountTrips({
      root,
      databaseUrl: context.url,
      secretKey: context.secretKey,
      partner,
      perAccount: PER_ACCOUNT,
      hotAmount: HOT_ACCOUNT,
    })
    psql(context.url, 'VACUUM ANALYZE')
    const rows = []
    const charges = async (phase, tag, accounts) => {
      for (const connections of settings.connections) {
        const label = 'charges/s'
        step(`scale: ${label}, ${phase}, ${connections} connections`)
        const run = await moneyRow(
          context,
          {
            kind: 'charge',
            hot: false,
            connections,
            processes: 1,
            name: `scale-charge-${tag}-${connections}`,
          },
          { partner, accounts },
        )
        console.log(
          `  ${Math.round(run.perSecond)}/s, p50 ${run.p50.toFixed(1)} ms, p99 ${run.p99.toFixed(1)} ms`,
        )
        rows.push({ kind: 'charge', phase, label, connections, ...run })
      }
    }
    await charges(
      `${settings.accounts.toLocaleString('en-US')} wallets, before the fill`,
      'before',
      partner.accounts,
    )
    const before = scaleCounts(context.url)

    step(
      `scale: filling to ${settings.scaleWallets.toLocaleString('en-US')} more wallets and ` +
        `${settings.scaleTransfers.toLocaleString('en-US')} more transfers (SQL, one transaction)`,
    )
    const fill = fillScale({
      url: context.url,
      companyId: partner.companyId,
      wallets: settings.scaleWallets,
      transfers: settings.scaleTransfers,
      // After every row the API wrote, before any it writes next: ids keep sorting by time.
      fromMs: Date.now(),
      toMs: Date.now(),
    })
    const after = scaleCounts(context.url)
    console.log(
      `  ${Math.round(fill.fillSeconds)} s to fill, ${Math.round(fill.analyzeSeconds)} s to VACUUM ANALYZE; ` +
        `${after.wallets} wallets, ${after.transfers} transfers, ${Math.round(after.bytes / 2 ** 20)} MiB`,
    )
    const accounts = accountIdsOf(context.url, partner.companyId).filter((id) => id !== partner.hot)
    await charges(`random wallets among ${accounts.length.toLocaleString('en-US')}`, 'after', accounts)

    const reads = {
      statement: {
        label: "one account's charges, newest first (GET /v1/charges?account=…)",
        pathOf: () => `/v1/charges?account=${pickOne(accounts)}&limit=20`,
      },
      list: {
        label: "the partner's accounts, a page after a random one (GET /v1/accounts?starting_after=…)",
        pathOf: () => `/v1/accounts?starting_after=${pickOne(accounts)}&limit=20`,
      },
    }
    for (const [kind, { label, pathOf }] of Object.entries(reads)) {
      for (const connections of settings.connections) {
        step(`scale: ${label}, ${connections} connections`)
        const { result: run, loopDelay } = await withServer(
          context,
          `scale-${kind}-${connections}`,
          async (server) => {
            const result = await runReads({
              url: server.url,
              auth: partner.auth,
              pathOf,
              connections,
              duration: settings.duration,
              warmup: settings.warmup,
              sample: rowSampler(server, context.url),
            })
            return { ...result, rssPeak: treeBytes(server.pid, 'VmHWM').largest }
          },
        )
        console.log(
          `  ${Math.round(run.perSecond)}/s, p50 ${run.p50.toFixed(1)} ms, p99 ${run.p99.toFixed(1)} ms`,
        )
        rows.push({ kind, phase: 'after the fill', label, connections, ...run, loopDelay })
      }
    }
    const plans = explainReads(context.url, {
      companyId: partner.companyId,
      account: pickOne(accounts),
      after: pickOne(accounts),
    })
    step('scale: protus ledger verify')
    const verify = timeLedgerVerify({ root, url: context.url, secretKey: context.secretKey })
    console.log(`  ${verify.seconds.toFixed(1)} s: ${verify.output.split('\n')[0]}`)
    return {
      rows,
      before,
      after,
      fill,
      verify,
      plans,
      wallets: settings.scaleWallets,
      transfers: settings.scaleTransfers,
      seconds: (performance.now() - started) / 1000,
    }
  } finally {
    if (!settings.keepDatabases) dropDatabase(settings.adminUrl, SCALE_DB)
  }
}

async function main() {
  const started = Date.now()
  mkdirSync(resultsDir, { recursive: true })
  step(`checking PostgreSQL at ${redact(settings.adminUrl)}`)
  const postgres = checkPostgres(settings.adminUrl)
  build()
  const billing = !settings.only || settings.only === 'billing'
  const oauth = !settings.only || settings.only === 'oauth'
  const webhooks = !settings.only || settings.only === 'webhooks'
  const scale = !settings.only || settings.only === 'scale'
  const protus = billing ? await benchProtus() : undefined
  const pgbench = billing ? await benchPgbench() : undefined
  const oauthRuns = oauth ? await benchOauth() : undefined
  const webhookRows = webhooks ? await benchWebhooks() : undefined
  const scaleRun = scale ? await benchScale() : undefined

  const machine = [
    `commit ${gitDescription()}; Node ${process.version}; autocannon and the servers on 127.0.0.1`,
    `machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB; client, server and PostgreSQL share it`,
    `PostgreSQL ${postgres.version} at ${redact(settings.adminUrl)} (${postgres.settings})`,
  ]
  const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z')
  const failures = []
  let report = ''
  if (billing) {
    const billingFailures = protus.runs
      .filter((r) => failuresOf(r) > settings.tolerated)
      .map(
        (r) =>
          `${r.label}, ${r.connections} connections: ${failuresOf(r)} failed requests (non-2xx, errors, timeouts)`,
      )
    for (const p of pgbench.filter((run) => run.failed > 0)) {
      billingFailures.push(`pgbench ${p.workload}, ${p.clients} clients: ${p.failed} failed transactions`)
    }
    failures.push(...billingFailures)
    report = renderReport({
      meta: {
        date,
        duration: settings.duration,
        warmup: settings.warmup,
        cores: cpus().length,
        lines: [
          ...machine,
          `PROTUS: \`protus start\` with PROTUS_PROCESSES=${settings.processes.join(' and ')} (charge rows; other rows 1), database ${PROTUS_DB}, pool ${protus.poolSize} per process; ${settings.accounts.toLocaleString('en-US')} managed accounts + 1 hot account, amount 1 per operation`,
          `whole run: ${Math.round((Date.now() - started) / 1000)} s`,
        ],
      },
      protus: protus.runs,
      skipped: protus.skipped,
      pgbench,
      trips: protus.trips,
      failures: billingFailures,
    })
  }
  // A section run on its own replaces its part of latest.md and keeps the others.
  const sections = []
  if (oauth) {
    const oauthFailures = oauthRuns.rows
      .filter((r) => oauthFailuresOf(r) > settings.tolerated)
      .map(
        (r) =>
          `OAuth ${r.target} ${r.label}, ${r.connections} connections: ${oauthFailuresOf(r)} failed requests`,
      )
    failures.push(...oauthFailures)
    sections.push({
      heading: OAUTH_HEADING,
      text: renderOauthSection({
        meta: {
          date,
          duration: settings.duration,
          warmup: settings.warmup,
          cores: cpus().length,
          lines: billing ? [] : machine,
          grants: settings.oauthGrants,
          introspected: INTROSPECTED,
          oidcVersion: JSON.parse(readFileSync(join(root, 'node_modules/oidc-provider/package.json'), 'utf8'))
            .version,
          seedSeconds: oauthRuns.seedSeconds,
          poolSize: oauthRuns.poolSize,
          wholeRun: Math.round((Date.now() - started) / 1000),
        },
        rows: oauthRuns.rows,
        trips: oauthRuns.trips,
        failures: oauthFailures,
      }),
    })
  }
  if (webhooks) {
    const webhookFailures = webhookRows
      .map((r) => ({ r, n: webhookFailuresOf(r) }))
      .filter(({ r, n }) => n > settings.tolerated || r.duplicates > 0)
      .map(
        ({ r, n }) =>
          `webhooks ${r.store} ${r.mode} with ${r.workers} worker(s): ${n} failed creations, ${r.duplicates} events delivered twice`,
      )
    failures.push(...webhookFailures)
    sections.push({
      heading: WEBHOOK_HEADING,
      text: renderWebhookSection({
        meta: {
          date,
          cores: cpus().length,
          lines: billing || oauth ? [] : machine,
          creators: WEBHOOK_CREATORS,
          wholeRun: Math.round((Date.now() - started) / 1000),
        },
        rows: webhookRows,
        failures: webhookFailures,
      }),
    })
  }
  if (scale) {
    const scaleFailures = scaleRun.rows
      .filter((r) => failuresOf(r) > settings.tolerated)
      .map(
        (r) => `scale ${r.label}, ${r.phase}, ${r.connections} connections: ${failuresOf(r)} failed requests`,
      )
    if (!scaleRun.verify.ok)
      scaleFailures.push(`scale: protus ledger verify failed: ${scaleRun.verify.output}`)
    failures.push(...scaleFailures)
    sections.push({
      heading: SCALE_HEADING,
      text: renderScaleSection({
        meta: {
          date,
          duration: settings.duration,
          warmup: settings.warmup,
          cores: cpus().length,
          lines: billing || oauth || webhooks ? [] : machine,
        },
        run: scaleRun,
        failures: scaleFailures,
      }),
    })
  }
  const goals = renderGoalSection({
    connections: settings.connections,
    billing: billing ? { runs: protus.runs, skipped: protus.skipped, pgbench } : undefined,
    oauth: oauth ? oauthRuns.rows : undefined,
    scale: scale ? scaleRun : undefined,
    only: settings.only,
    date,
  })
  const file = join(resultsDir, 'latest.md')
  if (billing) {
    report = [report, ...sections.map((x) => x.text)].join('\n')
  } else {
    report = existsSync(file) ? readFileSync(file, 'utf8') : ''
    for (const { heading, text } of sections) report = withSection(report, heading, text)
  }
  report = withSection(report, GOAL_HEADING, goals)
  console.log(`\n${billing ? report : [goals, ...sections.map((x) => x.text)].join('\n')}`)
  writeFileSync(join(resultsDir, 'latest.md'), report)
  console.log('\nwritten to bench/results/latest.md')
  if (failures.length > 0) {
    console.error(`\nBENCH FAILED:\n  ${failures.join('\n  ')}`)
    process.exit(1)
  }
}

main().catch((error) => {
  console.error(`\nbench failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`)
  process.exit(1)
})
