// `npm run bench`: PROTUS over HTTP beside pgbench, on one PostgreSQL, in one run. Not a test;
// never in CI. See bench/README.md for what it measures and how to read the table.
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { join, resolve } from 'node:path'
import { diffFunctionStats, readFunctionStats, trackFunctions } from './lib/function-stats.mjs'
import { runScenario } from './lib/http-load.mjs'
import { cleanupPgbench, preparePgbench, runPgbench } from './lib/pgbench.mjs'
import { checkPostgres, databaseUrl, dropDatabase, psql, recreateDatabase, redact } from './lib/postgres.mjs'
import { postgresPids, startSampler, statusBytes } from './lib/proc.mjs'
import { failuresOf, renderReport } from './lib/report.mjs'
import { fundAndCountTrips, seedPartner } from './lib/seed.mjs'
import { freePort, startServer } from './lib/server.mjs'
import { startWaitSampler } from './lib/wait-sampler.mjs'

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

const settings = {
  adminUrl: process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test',
  duration: setting('BENCH_DURATION', 10),
  warmup: setting('BENCH_WARMUP', 2),
  accounts: setting('BENCH_ACCOUNTS', 1000),
  connections: connectionCounts(process.env.BENCH_CONNECTIONS || '32,64'),
  /** A scenario with more failed requests than this fails the run. */
  tolerated: setting('BENCH_TOLERATED_FAILURES', 5),
  keepDatabases: process.env.BENCH_KEEP_DATABASES === '1',
  cpuProfile: process.env.BENCH_CPU_PROF === '1',
}
const PROTUS_DB = 'protus_bench'
const PGBENCH_DB = 'pgbench_protus'
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

function scenarioList() {
  const list = []
  for (const kind of ['charge', 'pair']) {
    for (const hot of [false, true]) {
      for (const connections of settings.connections) {
        const what = kind === 'charge' ? 'charges/s' : 'hold+capture pairs/s'
        const where = hot ? 'one hot wallet' : `${settings.accounts.toLocaleString('en-US')} wallets`
        list.push({
          kind,
          hot,
          connections,
          label: `${what}, ${where}`,
          name: `${kind}-${hot ? 'hot' : 'many'}-${connections}`,
        })
      }
    }
  }
  return list
}

/** A fresh `protus start` for `fn`; stopped (SIGTERM) afterwards whatever happens. */
async function withServer(context, name, fn) {
  const loopDelayFile = join(resultsDir, `loop-delay-${name}.json`)
  rmSync(loopDelayFile, { force: true })
  const server = await startServer({
    loopDelayFile,
    root,
    databaseUrl: context.url,
    port: await freePort(),
    secretKey: context.secretKey,
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
    for (const scenario of scenarioList()) {
      step(`${scenario.label}, ${scenario.connections} connections`)
      const before = readFunctionStats(context.url)
      const { result: run, loopDelay } = await withServer(context, scenario.name, async (server) => {
        const rssAtStart = statusBytes(server.pid, 'VmRSS')
        const result = await runScenario({
          url: server.url,
          auth: partner.auth,
          kind: scenario.kind,
          accounts: scenario.hot ? [partner.hot] : partner.accounts,
          connections: scenario.connections,
          duration: settings.duration,
          warmup: settings.warmup,
          sample: () => {
            server.resetLoopDelay()
            const cpu = startSampler({
              groups: { server: () => [server.pid], postgres: postgresPids, client: () => [process.pid] },
            })
            const waits = startWaitSampler(context.url)
            return { stop: async () => ({ ...cpu.stop(), waits: await waits.stop() }) }
          },
        })
        if (!server.alive) throw new Error(`the server died; see bench/results/server-${scenario.name}.log`)
        return { ...result, rssAtStart, rssPeak: statusBytes(server.pid, 'VmHWM') }
      })
      // The server's connections report their function statistics as they close.
      await new Promise((resolve) => setTimeout(resolve, 500))
      const functions = diffFunctionStats(before, readFunctionStats(context.url))
      console.log(
        `  ${Math.round(run.perSecond)}/s, p50 ${run.p50.toFixed(1)} ms, p99 ${run.p99.toFixed(1)} ms, ` +
          `non-2xx ${run.non2xx}, errors ${run.errors}, timeouts ${run.timeouts}, ` +
          `server CPU ${Math.round(run.usage.cpu.server)}%, postgres CPU ${Math.round(run.usage.cpu.postgres)}%`,
      )
      runs.push({
        ...run,
        ...scenario,
        functions,
        loopDelay,
        yardstick: scenario.hot ? 'hot-row' : 'simple-update',
      })
    }
    return { runs, trips, poolSize: process.env.PROTUS_DB_POOL_SIZE || '20 (default)' }
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

async function main() {
  const started = Date.now()
  mkdirSync(resultsDir, { recursive: true })
  step(`checking PostgreSQL at ${redact(settings.adminUrl)}`)
  const postgres = checkPostgres(settings.adminUrl)
  build()
  const protus = await benchProtus()
  const pgbench = await benchPgbench()

  const failures = protus.runs
    .filter((r) => failuresOf(r) > settings.tolerated)
    .map(
      (r) =>
        `${r.label}, ${r.connections} connections: ${failuresOf(r)} failed requests (non-2xx, errors, timeouts)`,
    )
  for (const p of pgbench.filter((run) => run.failed > 0)) {
    failures.push(`pgbench ${p.workload}, ${p.clients} clients: ${p.failed} failed transactions`)
  }
  const report = renderReport({
    meta: {
      date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      duration: settings.duration,
      warmup: settings.warmup,
      cores: cpus().length,
      lines: [
        `commit ${gitDescription()}; Node ${process.version}; autocannon and PROTUS on 127.0.0.1`,
        `machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB; client, server and PostgreSQL share it`,
        `PostgreSQL ${postgres.version} at ${redact(settings.adminUrl)} (${postgres.settings})`,
        `PROTUS: one \`protus start\` process, database ${PROTUS_DB}, pool ${protus.poolSize}; ${settings.accounts.toLocaleString('en-US')} managed accounts + 1 hot account, amount 1 per operation`,
        `whole run: ${Math.round((Date.now() - started) / 1000)} s`,
      ],
    },
    protus: protus.runs,
    pgbench,
    trips: protus.trips,
    failures,
  })
  writeFileSync(join(resultsDir, 'latest.md'), report)
  console.log(`\n${report}\nwritten to bench/results/latest.md`)
  if (failures.length > 0) {
    console.error(`\nBENCH FAILED:\n  ${failures.join('\n  ')}`)
    process.exit(1)
  }
}

main().catch((error) => {
  console.error(`\nbench failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`)
  process.exit(1)
})
