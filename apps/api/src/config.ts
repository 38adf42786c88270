import { isIP } from 'node:net'
import { availableParallelism } from 'node:os'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DEFAULT_RETRY_SCHEDULE } from './modules/webhooks/retry-schedule.js'

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'

/**
 * `sandbox`: no real money (the sandbox payment provider, `/sandbox/*`, a banner on every page);
 * `live`: real money only (a real payment provider or no top-ups at all).
 */
export type Mode = 'sandbox' | 'live'

export interface Config {
  readonly mode: Mode
  readonly host: string
  readonly port: number
  /** PostgreSQL connection string; unset means embedded PGlite. */
  readonly databaseUrl: string | undefined
  readonly databasePoolSize: number
  /** Stripes of each partner's revenue account. Default: half the pool, from 1 to 64. */
  readonly revenueStripes: number
  /**
   * Billing batches one process runs at once on PostgreSQL, an operation going to the lane of its
   * wallet's stripe. Default 1: measured with one lane per stripe, batches of one process waited on
   * each other's locks and charges on many wallets ran at half the rate of one lane.
   */
  readonly billingLanes: number
  /**
   * Whether a refund may take a partner's available balance (revenue not yet paid out) below
   * zero; by default it is refused with 402 partner_balance_insufficient.
   */
  readonly allowNegativePartnerBalance: boolean
  /** Where PGlite keeps its files and a generated secret key lives. */
  readonly dataDir: string
  /** PGlite without files (`PROTUS_DATA_DIR=:memory:`), for tests and throwaway runs. */
  readonly inMemoryDatabase: boolean
  /**
   * 32-byte key for secrets encrypted at rest. Required in live mode and on PostgreSQL (every
   * replica must read what another sealed); generated into the data dir only for embedded sandbox runs.
   */
  readonly secretKey: Buffer | undefined
  readonly secretOverlapSeconds: number
  readonly sessionTtlSeconds: number
  readonly logLevel: LogLevel
  /**
   * Which reverse proxies' `X-Forwarded-*` headers are believed (Fastify's forms): how many hops
   * in front of the server, or their addresses and CIDR ranges. `false` believes none.
   */
  readonly trustProxy: false | number | readonly string[]
  readonly limits: LimitsConfig
  readonly retention: RetentionConfig
  readonly migrateOnStart: boolean
  /** How often expired holds are swept and old idempotency keys dropped; 0 turns it off. */
  readonly sweepIntervalSeconds: number
  /** The built web app; served at `/` when the folder exists. */
  readonly webDir: string
  /** Where people reach this server (no trailing slash); absolute links such as checkout pages start with it. */
  readonly publicUrl: string
  /** The authorization server's issuer identifier (RFC 8414), `iss` in responses. */
  readonly issuer: string
  readonly accessTokenTtlSeconds: number
  readonly refreshTokenTtlSeconds: number
  readonly webhooks: WebhookConfig
  readonly mail: MailConfig
  readonly subscriptions: SubscriptionsConfig
  /** Stripe Checkout for top-ups; unset means the sandbox provider (sandbox) or no top-ups (live). */
  readonly stripe: StripeConfig | undefined
  /**
   * The sandbox clock (sandbox mode only): every process runs at real time plus an offset the
   * database keeps, which `POST /v1/sandbox/clock` moves forward.
   */
  readonly testClock: boolean
  /**
   * Server processes `protus start` runs on one port (`node:cluster`); one of them does the
   * background work. Above 1 needs PostgreSQL: PGlite lives inside one process.
   */
  readonly processes: number
}

export interface StripeConfig {
  readonly secretKey: string
  /** The endpoint secret (`whsec_…`) that signs Stripe's events to `/v1/providers/stripe/webhook`. */
  readonly webhookSecret: string
  /** Another API base URL (a local fake of Stripe in tests), e.g. `http://127.0.0.1:12111`. */
  readonly apiBase: string | undefined
}

/** What one caller may ask of the server, so that nobody can slow everybody. */
export interface LimitsConfig {
  /** Password hashes and checks (argon2) computed at once; more wait briefly, then get 503 `busy`. */
  readonly passwordConcurrency: number
  /** Registrations (people and companies) per client address per hour. */
  readonly registrationsPerHour: number
  /** Top-ups created per client address per minute. */
  readonly topupsPerMinute: number
}

/** How long the worker's retention sweep keeps rows that are only history. */
export interface RetentionConfig {
  /** Idempotency keys are replayed for this long, then dropped. */
  readonly idempotencyKeyHours: number
  /** Webhook delivery attempts older than this are dropped; each delivery keeps its last attempt. */
  readonly webhookAttemptDays: number
}

export interface SubscriptionsConfig {
  /**
   * Days after a subscription's first refused renewal at which it is tried again (increasing);
   * when the last retry is refused too, the subscription is canceled.
   */
  readonly retryDays: readonly number[]
}

export interface MailConfig {
  /** SMTP server URL (`smtp://user:pass@host:587`, `smtps://…`); unset means the sandbox mailbox (sandbox mode only). */
  readonly smtpUrl: string | undefined
  /** The From header of every message. */
  readonly from: string
  /** Run the mail worker inside the server (off when separate `protus worker` processes send). */
  readonly workerInServer: boolean
  /** Seconds to wait after each failed attempt, before jitter; after the last one a message has failed. */
  readonly retrySchedule: readonly number[]
  /** Sent and failed messages are deleted this many days after they were sent or failed. */
  readonly keepDays: number
}

export interface WebhookConfig {
  /** Run the delivery worker inside the server (off when separate `protus worker` processes send). */
  readonly workerInServer: boolean
  /** Accept and send to loopback, private and link-local addresses (development, tests, the demo). */
  readonly allowPrivate: boolean
  /** How long a partner has to answer. */
  readonly timeoutSeconds: number
  /** Seconds to wait after each failed attempt, before jitter. */
  readonly retrySchedule: readonly number[]
  /** Deliveries in flight at once per worker. */
  readonly concurrency: number
  /** Deliveries in flight at once to one company, so that a slow endpoint delays only its owner. */
  readonly perCompany: number
  /** Test events and manual retries one company may ask for per minute. */
  readonly manualPerMinute: number
  /** How often an idle worker looks for due deliveries. */
  readonly pollMs: number
}

type Env = Readonly<Record<string, string | undefined>>

const defaultWebDir = resolve(fileURLToPath(import.meta.url), '../../../web/dist')
const logLevels: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`)
    this.name = 'ConfigError'
  }
}

/** Reads and validates the environment once; every problem is reported together. */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = []
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name]
    if (raw === undefined || raw === '') return fallback
    const value = Number(raw)
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`)
      return fallback
    }
    return value
  }
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = env[name]
    if (raw === undefined || raw === '') return fallback
    if (['1', 'true', 'yes'].includes(raw)) return true
    if (['0', 'false', 'no'].includes(raw)) return false
    problems.push(`${name} must be true or false, got "${raw}"`)
    return fallback
  }

  const databaseUrl = env.DATABASE_URL || undefined
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must start with postgres:// or postgresql://')
  }
  const dataDirRaw = env.PROTUS_DATA_DIR || './data'
  const logLevel = (env.LOG_LEVEL || 'info') as LogLevel
  if (!logLevels.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${logLevels.join(', ')}`)

  const mode = parseMode(env.PROTUS_MODE, databaseUrl, problems)
  const secretKey = parseSecretKey(env.PROTUS_SECRET_KEY, problems)
  if (!env.PROTUS_SECRET_KEY && (mode === 'live' || databaseUrl)) {
    problems.push(
      `PROTUS_SECRET_KEY is required ${mode === 'live' ? 'in live mode' : 'with DATABASE_URL'} (32 bytes as 64 hex digits or base64, the same on every process); generate one with: openssl rand -hex 32`,
    )
  }
  const port = int('PORT', 8080, 0, 65535)
  const poolSize = int('PROTUS_DB_POOL_SIZE', 20, 1, 1000)
  const config: Config = {
    mode,
    host: env.HOST || 'localhost',
    port,
    databaseUrl,
    databasePoolSize: poolSize,
    revenueStripes: int('PROTUS_REVENUE_STRIPES', Math.min(64, Math.max(1, Math.floor(poolSize / 2))), 1, 64),
    billingLanes: int('PROTUS_BILLING_LANES', 1, 1, 64),
    allowNegativePartnerBalance: bool('PROTUS_ALLOW_NEGATIVE_PARTNER_BALANCE', false),
    dataDir: dataDirRaw === ':memory:' ? ':memory:' : resolve(dataDirRaw),
    inMemoryDatabase: dataDirRaw === ':memory:',
    secretKey,
    secretOverlapSeconds: int('PROTUS_SECRET_OVERLAP_SECONDS', 86_400, 0, 30 * 86_400),
    sessionTtlSeconds: int('PROTUS_SESSION_TTL_SECONDS', 14 * 86_400, 60, 365 * 86_400),
    logLevel,
    trustProxy: parseTrustProxy(env.PROTUS_TRUST_PROXY, problems),
    limits: Object.freeze({
      passwordConcurrency: int('PROTUS_PASSWORD_CONCURRENCY', 4, 1, 64),
      registrationsPerHour: int('PROTUS_REGISTRATIONS_PER_HOUR', 20, 1, 1_000_000),
      topupsPerMinute: int('PROTUS_TOPUPS_PER_MINUTE', 30, 1, 1_000_000),
    }),
    retention: Object.freeze({
      idempotencyKeyHours: int('PROTUS_IDEMPOTENCY_KEY_HOURS', 24, 24, 90 * 24),
      webhookAttemptDays: int('PROTUS_WEBHOOK_ATTEMPT_DAYS', 30, 1, 3650),
    }),
    migrateOnStart: bool('PROTUS_MIGRATE_ON_START', true),
    sweepIntervalSeconds: int('PROTUS_SWEEP_INTERVAL_SECONDS', 30, 0, 86_400),
    webDir: env.PROTUS_WEB_DIR ? resolve(env.PROTUS_WEB_DIR) : defaultWebDir,
    publicUrl: parsePublicUrl(env.PROTUS_PUBLIC_URL || `http://localhost:${port}`, problems),
    issuer: parseIssuer(env.PROTUS_ISSUER || env.PROTUS_PUBLIC_URL || `http://localhost:${port}`, problems),
    accessTokenTtlSeconds: int('PROTUS_ACCESS_TOKEN_TTL_SECONDS', 600, 30, 600),
    refreshTokenTtlSeconds: int('PROTUS_REFRESH_TOKEN_TTL_SECONDS', 30 * 86_400, 3600, 365 * 86_400),
    webhooks: Object.freeze({
      workerInServer: bool('PROTUS_WEBHOOK_WORKER', true),
      allowPrivate: bool('PROTUS_WEBHOOK_ALLOW_PRIVATE', false),
      timeoutSeconds: int('PROTUS_WEBHOOK_TIMEOUT_SECONDS', 15, 1, 60),
      retrySchedule: parseSchedule(env.PROTUS_WEBHOOK_RETRY_SCHEDULE, problems),
      concurrency: int('PROTUS_WEBHOOK_CONCURRENCY', 128, 1, 1000),
      pollMs: int('PROTUS_WEBHOOK_POLL_MS', 1000, 10, 60_000),
      perCompany: int('PROTUS_WEBHOOK_PER_COMPANY', 8, 1, 1000),
      manualPerMinute: int('PROTUS_WEBHOOK_MANUAL_PER_MINUTE', 30, 1, 100_000),
    }),
    subscriptions: Object.freeze({
      retryDays: parseRetryDays(env.PROTUS_SUBSCRIPTION_RETRY_DAYS, problems),
    }),
    mail: parseMail(env, mode, problems, int, bool),
    stripe: parseStripe(env, mode, problems),
    testClock: bool('PROTUS_TEST_CLOCK', false),
    processes: parseProcesses(env.PROTUS_PROCESSES, databaseUrl, problems),
  }
  if (config.testClock && mode === 'live') {
    problems.push('PROTUS_TEST_CLOCK is for sandbox mode only: a live server keeps real time')
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return Object.freeze(config)
}

/** A count from 1 to 256, or `auto` for one per core; several need PostgreSQL. */
function parseProcesses(
  raw: string | undefined,
  databaseUrl: string | undefined,
  problems: string[],
): number {
  const value = raw?.trim() ?? ''
  if (value === '') return 1
  const processes = value === 'auto' ? availableParallelism() : Number(value)
  if (!Number.isInteger(processes) || processes < 1 || processes > 256) {
    problems.push(`PROTUS_PROCESSES (--processes) must be auto or an integer from 1 to 256, got "${value}"`)
    return 1
  }
  if (!databaseUrl && (value === 'auto' || processes > 1)) {
    problems.push(
      `PROTUS_PROCESSES (--processes) ${value} needs DATABASE_URL: the embedded PGlite database lives inside one process, so without PostgreSQL run 1`,
    )
    return 1
  }
  return processes
}

const proxyKeywords = ['loopback', 'linklocal', 'uniquelocal']

/**
 * A hop count or a comma-separated list of proxy addresses, CIDR ranges and Fastify's keywords.
 * `true` would believe any client's `X-Forwarded-For`, so it is refused with what to write instead.
 */
function parseTrustProxy(raw: string | undefined, problems: string[]): false | number | readonly string[] {
  const value = raw?.trim() ?? ''
  if (value === '' || value === 'false' || value === '0') return false
  if (value === 'true') {
    problems.push(
      "PROTUS_TRUST_PROXY=true would believe any client's X-Forwarded-For; write how many proxies stand in front (e.g. 1) or their addresses (e.g. 10.0.0.0/8,loopback)",
    )
    return false
  }
  if (/^[0-9]+$/.test(value)) {
    const hops = Number(value)
    if (hops <= 10) return hops
  }
  const entries = value.split(',').map((entry) => entry.trim())
  const valid = (entry: string) => {
    if (proxyKeywords.includes(entry)) return true
    const [address = '', prefix, ...rest] = entry.split('/')
    const family = isIP(address)
    if (family === 0 || rest.length > 0) return false
    if (prefix === undefined) return true
    const bits = Number(prefix)
    return /^[0-9]{1,3}$/.test(prefix) && bits <= (family === 4 ? 32 : 128)
  }
  const wrong = entries.filter((entry) => !valid(entry))
  if (wrong.length > 0) {
    problems.push(
      `PROTUS_TRUST_PROXY must be a hop count from 1 to 10 or comma-separated addresses, CIDR ranges, loopback, linklocal or uniquelocal; not understood: "${wrong.join('", "')}"`,
    )
    return false
  }
  return Object.freeze(entries)
}

/** Sandbox by default on the embedded database, live with DATABASE_URL: a forgotten setting is safe. */
function parseMode(raw: string | undefined, databaseUrl: string | undefined, problems: string[]): Mode {
  if (raw === undefined || raw === '') return databaseUrl ? 'live' : 'sandbox'
  if (raw === 'sandbox' || raw === 'live') return raw
  problems.push(`PROTUS_MODE must be sandbox or live, got "${raw}"`)
  return 'live'
}

function parseStripe(env: Env, mode: Mode, problems: string[]): StripeConfig | undefined {
  const secretKey = env.PROTUS_STRIPE_SECRET_KEY || undefined
  const webhookSecret = env.PROTUS_STRIPE_WEBHOOK_SECRET || undefined
  const apiBase = env.PROTUS_STRIPE_API_BASE || undefined
  if (!secretKey && !webhookSecret) {
    if (apiBase) problems.push('PROTUS_STRIPE_API_BASE needs PROTUS_STRIPE_SECRET_KEY')
    return undefined
  }
  if (!secretKey || !webhookSecret) {
    problems.push('PROTUS_STRIPE_SECRET_KEY and PROTUS_STRIPE_WEBHOOK_SECRET go together')
    return undefined
  }
  if (apiBase && !(URL.canParse(apiBase) && ['http:', 'https:'].includes(new URL(apiBase).protocol))) {
    problems.push(`PROTUS_STRIPE_API_BASE must be an http(s) URL, got "${apiBase}"`)
  }
  // Test-mode payments are not money: a live server taking them would mint it, and a sandbox
  // must never take real money. Another API base (a local fake) has no live or test mode.
  const keyMode = /^(sk|rk)_(live|test)_/.exec(secretKey)?.[2]
  if (!apiBase && keyMode === 'test' && mode === 'live') {
    problems.push('PROTUS_STRIPE_SECRET_KEY is a Stripe test key: live mode takes live keys only')
  }
  if (!apiBase && keyMode === 'live' && mode === 'sandbox') {
    problems.push('PROTUS_STRIPE_SECRET_KEY is a Stripe live key: sandbox mode takes test keys only')
  }
  return Object.freeze({ secretKey, webhookSecret, apiBase })
}

/** RFC 8414: an https (or http, for local runs) URL with no query or fragment, no trailing slash. */
function parseIssuer(raw: string, problems: string[]): string {
  const url = URL.canParse(raw) ? new URL(raw) : undefined
  if (!url || !['http:', 'https:'].includes(url.protocol) || url.search || url.hash) {
    problems.push(`PROTUS_ISSUER must be an http(s) URL without query or fragment, got "${raw}"`)
    return raw
  }
  return raw.replace(/\/+$/, '')
}

function parsePublicUrl(raw: string, problems: string[]): string {
  const url = URL.canParse(raw) ? new URL(raw) : undefined
  if (!url || !['http:', 'https:'].includes(url.protocol) || url.search || url.hash) {
    problems.push(`PROTUS_PUBLIC_URL must be an http(s) URL without query or fragment, got "${raw}"`)
    return raw
  }
  return url.href.replace(/\/+$/, '')
}

/** Comma-separated seconds, each 1 to 7 days, at most 30 of them. */
function parseSchedule(
  raw: string | undefined,
  problems: string[],
  name = 'PROTUS_WEBHOOK_RETRY_SCHEDULE',
  fallback = DEFAULT_RETRY_SCHEDULE,
): readonly number[] {
  if (!raw) return fallback
  const parts = raw.split(',').map((part) => Number(part.trim()))
  if (parts.length > 30 || parts.some((n) => !Number.isInteger(n) || n < 1 || n > 7 * 86_400)) {
    problems.push(`${name} must be up to 30 comma-separated seconds from 1 to 604800, got "${raw}"`)
    return fallback
  }
  return Object.freeze(parts)
}

const DEFAULT_SUBSCRIPTION_RETRY_DAYS = Object.freeze([1, 3, 5])

/** Comma-separated whole days after the first refusal, increasing, each 1 to 60, at most 10. */
function parseRetryDays(raw: string | undefined, problems: string[]): readonly number[] {
  if (raw === undefined || raw.trim() === '') return DEFAULT_SUBSCRIPTION_RETRY_DAYS
  const days = raw.split(',').map((part) => Number(part.trim()))
  const valid =
    days.length <= 10 &&
    days.every((d, i) => Number.isInteger(d) && d >= 1 && d <= 60 && (i === 0 || d > (days[i - 1] ?? 0)))
  if (!valid) {
    problems.push(
      `PROTUS_SUBSCRIPTION_RETRY_DAYS must be up to 10 increasing comma-separated days from 1 to 60 (e.g. 1,3,5), got "${raw}"`,
    )
    return DEFAULT_SUBSCRIPTION_RETRY_DAYS
  }
  return Object.freeze(days)
}

/**
 * Seconds between attempts to send a message: soon at first (a server restarting, a greylisting
 * receiver), then less often, nine attempts over about 16 hours.
 */
export const DEFAULT_MAIL_RETRY_SCHEDULE: readonly number[] = Object.freeze([
  30, 120, 600, 1_800, 3_600, 7_200, 14_400, 28_800,
])

/** SMTP in either mode when a URL is set; without one the sandbox mailbox, which live mode does not have. */
function parseMail(
  env: Env,
  mode: Mode,
  problems: string[],
  int: (name: string, fallback: number, min: number, max: number) => number,
  bool: (name: string, fallback: boolean) => boolean,
): MailConfig {
  const smtpUrl = env.PROTUS_SMTP_URL || undefined
  if (smtpUrl && !(URL.canParse(smtpUrl) && ['smtp:', 'smtps:'].includes(new URL(smtpUrl).protocol))) {
    problems.push(
      'PROTUS_SMTP_URL must be an smtp:// or smtps:// URL, e.g. smtps://user:password@mail.example.com:465',
    )
  }
  if (!smtpUrl && mode === 'live') {
    problems.push(
      'PROTUS_SMTP_URL is required in live mode (e.g. smtps://user:password@mail.example.com:465): people verify their email and reset passwords by mail',
    )
  }
  const from = env.PROTUS_MAIL_FROM || 'PROTUS <no-reply@localhost>'
  if (
    from.length > 254 ||
    /[\r\n]/.test(from) ||
    !/^([^<>@]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/.test(from.trim())
  ) {
    problems.push(`PROTUS_MAIL_FROM must be an address or "Name <address>", got "${from}"`)
  }
  return Object.freeze({
    smtpUrl,
    from: from.trim(),
    workerInServer: bool('PROTUS_MAIL_WORKER', true),
    retrySchedule: parseSchedule(
      env.PROTUS_MAIL_RETRY_SCHEDULE,
      problems,
      'PROTUS_MAIL_RETRY_SCHEDULE',
      DEFAULT_MAIL_RETRY_SCHEDULE,
    ),
    keepDays: int('PROTUS_MAIL_KEEP_DAYS', 7, 1, 3650),
  })
}

function parseSecretKey(raw: string | undefined, problems: string[]): Buffer | undefined {
  if (!raw) return undefined
  const key = /^[0-9a-f]{64}$/i.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64')
  if (key.length !== 32) {
    problems.push('PROTUS_SECRET_KEY must be 32 bytes, as 64 hex digits or base64')
    return undefined
  }
  return key
}
