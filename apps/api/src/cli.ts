#!/usr/bin/env node
import cluster from 'node:cluster'
import pino from 'pino'
import { type Config, ConfigError, loadConfig } from './config.js'
import type { Database } from './db/database.js'
import { migrate } from './db/migrations.js'
import { ensureMode, ModeMismatchError } from './db/mode.js'
import { openDatabase } from './db/open.js'
import { type Clock, systemClock } from './lib/clock.js'
import { runCluster } from './lib/cluster.js'
import { DomainError } from './lib/domain-error.js'
import { idPattern } from './lib/ids.js'
import { resolveSecretKey } from './lib/secret-key.js'
import { allMigrations } from './migrations.js'
import { openTestClock } from './modules/test-clock/test-clock.service.js'
import { SHUTDOWN_GRACE_MS, startServer } from './server.js'
import { createServices, type Services } from './services.js'

const usage = `Usage: protus <command>

Commands:
  start [--processes <n | auto>]
            run the API server and web app (PORT, HOST, DATABASE_URL, … from the environment);
            with --processes (or PROTUS_PROCESSES) n server processes share the port, one per
            core with auto (PostgreSQL only); one of them does the background work; SIGTERM or
            SIGINT drains them all
  worker    send webhooks and email, renew subscriptions, expire holds and prune what is kept only
            for a while, without serving HTTP (beside servers started with PROTUS_WEBHOOK_WORKER=0
            and PROTUS_MAIL_WORKER=0, or as extra workers); stops on SIGTERM or SIGINT
  migrate   apply database migrations and exit
  credit <acct_… | cus_…> <amount>
            top up a person's or a managed account's wallet by <amount> minor units (1 to 10^12)
  ledger verify
            check the ledger's invariants; exit 1 with a report of every violation
  webhooks retry [--since <ISO date>] [--company <co_…>]
            send failed and skipped webhook deliveries again (default: those of the last 3 days)
  payouts list [--status pending|paid|failed]
            the partners' payouts, newest first (default: the pending ones)
  payouts pay <po_…> --reference <text>
            record that a pending payout was paid out (the bank transfer's reference)
  payouts fail <po_…> --reason <text>
            record that a pending payout failed: its amount returns to the partner's balance
  mail test <address> [--locale en|ru] [--note <text>]
            send a test message to <address> now, with whatever else is due (SMTP, or the sandbox
            mailbox); exit 1 when it did not go out, with the server's answer
  help      show this text`

const MAX_AMOUNT = 1_000_000_000_000n

/** The configured database, refused when it was created in the other mode. */
async function openInMode(config: Config) {
  const db = await openDatabase(config)
  try {
    await ensureMode(db, config.mode)
  } catch (error) {
    await db.close()
    throw error
  }
  return db
}

/** Real time, or the sandbox clock where the server's processes left it (PROTUS_TEST_CLOCK). */
async function clockOf(config: Config, db: Database): Promise<Clock> {
  return config.testClock ? openTestClock(db) : systemClock
}

/** Runs an operator command against the configured database with every module's service. */
async function withServices(fn: (services: Services) => Promise<number>): Promise<number> {
  const config = loadConfig()
  const db = await openInMode(config)
  try {
    const log = pino({ level: config.logLevel }, pino.destination(2))
    const secretKey = await resolveSecretKey(config, log)
    return await fn(createServices({ config, db, clock: await clockOf(config, db), secretKey, log }))
  } finally {
    await db.close()
  }
}

/** `protus credit`: the same path as a completed top-up, recorded as the operator's. */
async function credit(owner: string | undefined, amountText: string | undefined): Promise<number> {
  const isOwner = (id: string) =>
    new RegExp(idPattern('cus')).test(id) || new RegExp(idPattern('acct')).test(id)
  const amount = amountText && /^[1-9][0-9]{0,12}$/.test(amountText) ? BigInt(amountText) : 0n
  if (!owner || !isOwner(owner) || amount < 1n || amount > MAX_AMOUNT) {
    console.error(`usage: protus credit <acct_… | cus_…> <amount in minor units, 1 to 10^12>\n\n${usage}`)
    return 2
  }
  return withServices(async ({ topups }) => {
    try {
      const { topup, available, held } = await topups.creditByOperator(owner, amount)
      console.log(`credited ${topup.amount} ${topup.currency} to ${owner} (top-up ${topup.id})`)
      console.log(`balance: available ${available}, held ${held} ${topup.currency}`)
      return 0
    } catch (error) {
      if (!(error instanceof DomainError)) throw error
      console.error(`cannot credit ${owner}: ${error.message}`)
      return 1
    }
  })
}

async function verifyLedger(): Promise<number> {
  return withServices(async ({ ledger }) => {
    const problems = await ledger.verify()
    const { accounts, transfers } = await ledger.counts()
    if (problems.length === 0) {
      console.log(`ledger OK: ${accounts} accounts, ${transfers} transfers`)
      return 0
    }
    console.log(
      `ledger BROKEN: ${problems.length} violation(s) in ${accounts} accounts, ${transfers} transfers`,
    )
    for (const problem of problems) console.log(`  - ${problem}`)
    return 1
  })
}

/** `--processes <n>` or `--processes=<n>`; null when the arguments are not understood. */
function processesOption(args: string[]): string | undefined | null {
  const [first, second, ...rest] = args
  if (first === undefined) return undefined
  if (rest.length > 0) return null
  if (first === '--processes' && second !== undefined && !second.startsWith('-')) return second
  if (first.startsWith('--processes=') && second === undefined) return first.slice('--processes='.length)
  return null
}

/**
 * `protus start`: one server process, or with several a primary that migrates the database once
 * and forks them (each forked process comes back here and serves).
 */
async function start(args: string[]): Promise<number> {
  const processes = processesOption(args)
  if (processes === null) {
    console.error(`usage: protus start [--processes <n | auto>]\n\n${usage}`)
    return 2
  }
  const config = loadConfig(
    processes === undefined ? process.env : { ...process.env, PROTUS_PROCESSES: processes },
  )
  if (cluster.isWorker || config.processes === 1) {
    await startServer(config)
    return -1 // keep running until a signal
  }
  const log = pino({ level: config.logLevel }).child({ role: 'primary' })
  const db = await openDatabase(config)
  try {
    if (config.migrateOnStart) {
      const applied = await migrate(db, allMigrations)
      if (applied.length > 0) log.info({ applied }, 'migrations applied')
    }
    await ensureMode(db, config.mode)
  } finally {
    await db.close()
  }
  return runCluster({
    processes: config.processes,
    log,
    graceMs: SHUTDOWN_GRACE_MS + 5_000,
    urlOf: (port) => `http://${config.host}:${port}`,
  })
}

/** `protus worker`: the background work of a server, without HTTP, until a signal. */
async function runWorker(): Promise<number> {
  const config = loadConfig()
  const db = await openInMode(config)
  const log = pino({ level: config.logLevel })
  const secretKey = await resolveSecretKey(config, log)
  const services = createServices({ config, db, clock: await clockOf(config, db), secretKey, log })
  const { webhookWorker, mailWorker, holdSweeper, renewals, retention, testClock } = services
  // Runs on the sandbox clock the servers move, hearing each move.
  const stopWatchingClock = await testClock?.watch((error) =>
    log.error({ err: error }, 'reading the sandbox clock failed'),
  )
  webhookWorker.start()
  mailWorker.start()
  holdSweeper.start(config.sweepIntervalSeconds, (error) => log.error({ err: error }, 'hold sweep failed'))
  renewals.start(config.sweepIntervalSeconds, (error) =>
    log.error({ err: error }, 'subscription renewals failed'),
  )
  retention.start(config.sweepIntervalSeconds)
  log.info({ database: config.databaseUrl ? 'postgresql' : 'pglite' }, 'PROTUS worker is running')
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', resolve)
    process.once('SIGINT', resolve)
  })
  log.info({ signal }, 'worker stopping')
  await Promise.all([
    webhookWorker.stop(),
    mailWorker.stop(),
    holdSweeper.stop(),
    renewals.stop(),
    retention.stop(),
    stopWatchingClock?.(),
  ])
  await db.close()
  return 0
}

/** `protus mail test`: one test message, sent by this process at once, to check the mail settings. */
async function mailTest(args: string[]): Promise<number> {
  const [to, ...rest] = args
  const option = (name: string) => {
    const at = rest.indexOf(name)
    return at >= 0 ? (rest[at + 1] ?? '') : undefined
  }
  const locale = option('--locale') ?? 'en'
  const known = rest.every(
    (arg, i) => ['--locale', '--note'].includes(arg) || ['--locale', '--note'].includes(rest[i - 1] ?? ''),
  )
  if (!to || to.startsWith('--') || !(locale === 'en' || locale === 'ru') || !known) {
    console.error(`usage: protus mail test <address> [--locale en|ru] [--note <text>]\n\n${usage}`)
    return 2
  }
  return withServices(async ({ mail, mailWorker }) => {
    let id: string
    try {
      id = await mail.sendTestMessage(to, locale, option('--note') ?? '')
    } catch (error) {
      console.error(`cannot send to ${JSON.stringify(to)}: ${(error as Error).message}`)
      return 2
    }
    await mailWorker.drain()
    await mailWorker.stop()
    const sent = await mail.status(id)
    if (sent?.status === 'sent') {
      console.log(`sent ${id} to ${to} ${sent.transport === 'smtp' ? 'over SMTP' : 'to the sandbox mailbox'}`)
      return 0
    }
    const next = sent?.next_attempt_at
      ? `; the workers try again at ${sent.next_attempt_at.toISOString()}`
      : ''
    console.error(`${id} to ${to} was not sent: ${sent?.last_error ?? 'unknown'}${next}`)
    return 1
  })
}

/** `protus webhooks retry`: failed and skipped deliveries become due again. */
async function retryWebhooks(args: string[]): Promise<number> {
  const option = (name: string) => {
    const at = args.indexOf(name)
    return at >= 0 ? (args[at + 1] ?? '') : undefined
  }
  const sinceText = option('--since')
  const since = sinceText === undefined ? new Date(Date.now() - 3 * 86_400_000) : new Date(sinceText)
  const company = option('--company')
  const known = args.every(
    (arg, i) =>
      ['--since', '--company'].includes(arg) || ['--since', '--company'].includes(args[i - 1] ?? ''),
  )
  if (
    Number.isNaN(since.getTime()) ||
    (company !== undefined && !new RegExp(idPattern('co')).test(company)) ||
    !known
  ) {
    console.error(`usage: protus webhooks retry [--since <ISO date>] [--company <co_…>]\n\n${usage}`)
    return 2
  }
  return withServices(async ({ webhooks }) => {
    const count = await webhooks.retryFinished(since, company)
    console.log(`${count} deliveries since ${since.toISOString()} will be sent again by the running workers`)
    return 0
  })
}

/** `protus payouts list|pay|fail`: the operator settles the payouts partners requested. */
async function payouts(args: string[]): Promise<number> {
  const [action, id] = args
  const option = (name: string) => {
    const at = args.indexOf(name)
    return at >= 0 ? args[at + 1] : undefined
  }
  if (action === 'list') {
    const status = option('--status') ?? 'pending'
    if (!['pending', 'paid', 'failed'].includes(status) || (args.length > 1 && args[1] !== '--status')) {
      console.error(`usage: protus payouts list [--status pending|paid|failed]\n\n${usage}`)
      return 2
    }
    return withServices(async (services) => {
      const rows = await services.payouts.allPayouts(status as 'pending' | 'paid' | 'failed', 1000)
      for (const p of rows) {
        const settled = p.reference ?? p.failure_reason ?? ''
        console.log(
          [
            p.id,
            p.company_id,
            `${p.amount} ${p.currency}`,
            p.status,
            p.created_at.toISOString(),
            settled,
          ].join('\t'),
        )
      }
      console.log(`${rows.length} ${status} payout${rows.length === 1 ? '' : 's'}`)
      return 0
    })
  }
  const flag = action === 'pay' ? '--reference' : action === 'fail' ? '--reason' : undefined
  const text = flag ? option(flag)?.trim() : undefined
  if (
    !flag ||
    !id ||
    !new RegExp(idPattern('po')).test(id) ||
    !text ||
    text.length > 500 ||
    args.length !== 4
  ) {
    console.error(
      `usage: protus payouts pay <po_…> --reference <text> | protus payouts fail <po_…> --reason <text>\n\n${usage}`,
    )
    return 2
  }
  return withServices(async (services) => {
    try {
      const p =
        action === 'pay' ? await services.payouts.pay(id, text) : await services.payouts.fail(id, text)
      console.log(`${p.id}: ${p.status} (${p.amount} ${p.currency} of ${p.company_id})`)
      return 0
    } catch (error) {
      if (!(error instanceof DomainError)) throw error
      console.error(error.message)
      return 1
    }
  })
}

async function main(argv: string[]): Promise<number> {
  const [command = 'help'] = argv
  switch (command) {
    case 'start':
      return start(argv.slice(1))
    case 'migrate': {
      const config = loadConfig()
      const db = await openDatabase(config)
      try {
        const applied = await migrate(db, allMigrations)
        await ensureMode(db, config.mode)
        console.log(applied.length > 0 ? `applied: ${applied.join(', ')}` : 'database is up to date')
      } finally {
        await db.close()
      }
      return 0
    }
    case 'worker':
      return runWorker()
    case 'credit':
      return credit(argv[1], argv[2])
    case 'mail': {
      if (argv[1] === 'test') return mailTest(argv.slice(2))
      console.error(`unknown mail command "${argv[1] ?? ''}"\n\n${usage}`)
      return 2
    }
    case 'webhooks': {
      if (argv[1] === 'retry') return retryWebhooks(argv.slice(2))
      console.error(`unknown webhooks command "${argv[1] ?? ''}"\n\n${usage}`)
      return 2
    }
    case 'payouts':
      return payouts(argv.slice(1))
    case 'ledger': {
      if (argv[1] === 'verify') return verifyLedger()
      console.error(`unknown ledger command "${argv[1] ?? ''}"\n\n${usage}`)
      return 2
    }
    case 'help':
    case '--help':
    case '-h':
      console.log(usage)
      return 0
    default:
      console.error(`unknown command "${command}"\n\n${usage}`)
      return 2
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code)
  },
  (error: unknown) => {
    const told = error instanceof ConfigError || error instanceof ModeMismatchError
    console.error(told ? `protus: ${error.message}` : error)
    process.exit(1)
  },
)
