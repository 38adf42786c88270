import cookie from '@fastify/cookie'
import rateLimit from '@fastify/rate-limit'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyInstance } from 'fastify'
import type { Config } from './config.js'
import type { Database } from './db/database.js'
import { migrate } from './db/migrations.js'
import { ensureMode } from './db/mode.js'
import { openDatabase } from './db/open.js'
import { type Clock, systemClock } from './lib/clock.js'
import { Problem } from './lib/schemas.js'
import { resolveSecretKey } from './lib/secret-key.js'
import { allMigrations } from './migrations.js'
import { balanceRoutes } from './modules/billing/balance.routes.js'
import { accountRoutes } from './modules/billing/billing.routes.js'
import { billingSchemas } from './modules/billing/billing.schemas.js'
import { paymentRoutes } from './modules/billing/payments.routes.js'
import { catalogueRoutes } from './modules/catalogue/catalogue.routes.js'
import { Service } from './modules/catalogue/catalogue.schemas.js'
import { companyRoutes, companySchemas } from './modules/identity/company.routes.js'
import { emailTokenRoutes } from './modules/identity/email-tokens.routes.js'
import { identityRoutes, identitySchemas } from './modules/identity/identity.routes.js'
import { passwordMetrics } from './modules/identity/passwords.metrics.js'
import { sessionsRoutes, sessionsSchemas } from './modules/identity/sessions.routes.js'
import { twoFactorRoutes, twoFactorSchemas } from './modules/identity/two-factor.routes.js'
import { addressLimits } from './modules/limits/rate-limits.js'
import { mailMetrics } from './modules/mail/mail.metrics.js'
import { mailRoutes } from './modules/mail/mail.routes.js'
import { mailSchemas } from './modules/mail/mail.schemas.js'
import { notificationsRoutes } from './modules/notifications/notifications.routes.js'
import { notificationsSchemas } from './modules/notifications/notifications.schemas.js'
import { grantRoutes } from './modules/oauth/grants.routes.js'
import { oauthRoutes } from './modules/oauth/oauth.routes.js'
import { retentionMetrics } from './modules/retention/retention.metrics.js'
import { subscriptionRoutes } from './modules/subscriptions/subscriptions.routes.js'
import { subscriptionsSchemas } from './modules/subscriptions/subscriptions.schemas.js'
import { testClockRoutes } from './modules/test-clock/test-clock.routes.js'
import { testClockSchemas } from './modules/test-clock/test-clock.schemas.js'
import { openTestClock } from './modules/test-clock/test-clock.service.js'
import { providerRoutes } from './modules/topups/providers.routes.js'
import { sandboxRoutes } from './modules/topups/sandbox/sandbox.routes.js'
import { topupRoutes } from './modules/topups/topups.routes.js'
import { topupsSchemas } from './modules/topups/topups.schemas.js'
import { walletRoutes } from './modules/wallet/wallet.routes.js'
import { walletSchemas } from './modules/wallet/wallet.schemas.js'
import { webhookMetrics } from './modules/webhooks/webhooks.metrics.js'
import { webhookRoutes } from './modules/webhooks/webhooks.routes.js'
import { webhooksSchemas } from './modules/webhooks/webhooks.schemas.js'
import { authPlugin } from './plugins/auth.js'
import { healthRoutes } from './plugins/health.js'
import { jsonBodyParser } from './plugins/json-body.js'
import { metricsRoutes } from './plugins/metrics.js'
import { openapiPlugin } from './plugins/openapi.js'
import { frameworkErrorProblem, problemPlugin } from './plugins/problem/problem.plugin.js'
import { genRequestId, requestLogger } from './plugins/request-id.js'
import { securityHeaders } from './plugins/security-headers.js'
import { createValidatorCompiler, storableStrings } from './plugins/validation.js'
import { webPlugin } from './plugins/web.js'
import { createServices, type Services } from './services.js'
import { version } from './version.js'

export interface AppDeps {
  clock?: Clock
  /** An already open database (tests share one); otherwise one is opened from the config. */
  db?: Database
  /** Opens the database when `db` is not given, in place of `openDatabase` (tests use templates). */
  openDatabase?: (config: Config) => Promise<Database>
}

declare module 'fastify' {
  interface FastifyInstance {
    db: Database
    services: Services
  }
}

/** Fastify's form of the proxy setting: a hop count trusts that many hops nearest the server. */
function trustProxyOption(
  trust: Config['trustProxy'],
): false | string[] | ((address: string, hop: number) => boolean) {
  if (trust === false) return false
  if (typeof trust === 'number') return (_address, hop) => hop < trust
  return [...trust]
}

/** Builds the whole PROTUS server without listening; `server.ts` and tests call it. */
export async function buildApp(config: Config, deps: AppDeps = {}): Promise<FastifyInstance> {
  const validation = createValidatorCompiler()
  const app = Fastify({
    logger: { level: config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie'] },
    genReqId: genRequestId,
    requestIdHeader: false,
    childLoggerFactory: requestLogger,
    trustProxy: trustProxyOption(config.trustProxy),
    bodyLimit: 1024 * 1024,
    routerOptions: { ignoreTrailingSlash: false },
    frameworkErrors: frameworkErrorProblem,
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.setValidatorCompiler(validation.compiler)
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })

  const db = deps.db ?? (await (deps.openDatabase ?? openDatabase)(config))
  app.decorate('db', db)
  if (!deps.db) app.addHook('onClose', () => db.close())
  if (config.migrateOnStart) await migrate(db, allMigrations)
  await ensureMode(db, config.mode)
  const secretKey = await resolveSecretKey(config, app.log)
  // The sandbox clock starts where any process last moved it, before anything reads the time.
  const clock = config.testClock
    ? await openTestClock(db, deps.clock ?? systemClock)
    : (deps.clock ?? systemClock)

  for (const schema of [
    Problem,
    ...identitySchemas,
    ...sessionsSchemas,
    ...twoFactorSchemas,
    ...companySchemas,
    Service,
    ...billingSchemas,
    ...subscriptionsSchemas,
    ...topupsSchemas,
    ...walletSchemas,
    ...webhooksSchemas,
    ...testClockSchemas,
    ...mailSchemas,
    ...notificationsSchemas,
  ]) {
    app.addSchema(schema)
    validation.addSchema(schema)
  }

  await app.register(problemPlugin)
  await app.register(securityHeaders)
  await app.register(jsonBodyParser)
  await app.register(cookie)
  // Before authentication, which reads headers and cookies on the way in.
  await app.register(storableStrings)
  await app.register(openapiPlugin, { version })

  const services = createServices({ config, db, clock, secretKey, log: app.log })
  app.decorate('services', services)
  const {
    identity,
    companies,
    catalogue,
    idempotency,
    accounts,
    holds,
    charges,
    refunds,
    holdSweeper,
    authorize,
    tokens,
    grants,
  } = services
  const { topups, providers, wallet, webhooks, webhookWorker, retention } = services

  await app.register(authPlugin, { identity })
  // Before the routes, which declare their limits (counted in the database, across processes).
  await app.register(rateLimit, services.rateLimits.pluginOptions)
  const limits = addressLimits(config.limits)
  await app.register(healthRoutes, {
    db,
    mode: config.mode,
    topupsAvailable: config.stripe !== undefined || config.mode === 'sandbox',
  })
  await app.register(identityRoutes, {
    identity,
    companies,
    limits,
    emailVerified: (account) => services.emailLinks.isVerified(account),
  })
  await app.register(emailTokenRoutes, { links: services.emailLinks, passwordReset: services.passwordReset })
  await app.register(sessionsRoutes, { sessions: services.sessions })
  await app.register(twoFactorRoutes, { twoFactor: services.twoFactor })
  await app.register(companyRoutes, { companies })
  await app.register(catalogueRoutes, { catalogue, idempotency })
  await app.register(accountRoutes, { accounts, idempotency })
  await app.register(paymentRoutes, { holds, charges, refunds })
  await app.register(balanceRoutes, { payouts: services.payouts, idempotency })
  await app.register(subscriptionRoutes, {
    subscriptions: services.subscriptions,
    personSubscriptions: services.personSubscriptions,
    idempotency,
  })
  await app.register(topupRoutes, { topups, idempotency, limits })
  const { sandbox } = providers
  if (sandbox) await app.register(sandboxRoutes, { topups, sandbox })
  await app.register(providerRoutes, {
    topups,
    providers: [...providers.byName.values()],
    publicUrl: config.publicUrl,
  })
  await app.register(walletRoutes, { wallet })
  await app.register(notificationsRoutes, { notifications: services.notifications })
  await app.register(oauthRoutes, { identity, authorize, tokens, issuer: config.issuer })
  await app.register(grantRoutes, { authorize, grants })
  await app.register(webhookRoutes, { webhooks, idempotency })
  const { testClock } = services
  if (testClock) await app.register(testClockRoutes, { testClock })
  if (config.mode === 'sandbox') await app.register(mailRoutes, { mail: services.mail })
  await app.register(metricsRoutes, {
    sources: [
      webhookMetrics(webhooks, webhookWorker),
      mailMetrics(services.mail, services.mailWorker),
      retentionMetrics(retention),
      passwordMetrics(services.passwords),
    ],
  })
  await app.register(webPlugin, { webDir: config.webDir })

  // Remembered client secrets are forgotten when any process rotates them (LISTEN/NOTIFY).
  let stopWatchingRotations: (() => Promise<void>) | undefined
  app.addHook('onReady', async () => {
    stopWatchingRotations = await identity.watchSecretRotations()
  })
  app.addHook('onClose', async () => stopWatchingRotations?.())
  // Remembered tokens are forgotten when any process revokes them (LISTEN/NOTIFY).
  let stopWatchingRevocations: (() => Promise<void>) | undefined
  app.addHook('onReady', async () => {
    stopWatchingRevocations = await tokens.watchRevocations()
  })
  app.addHook('onClose', async () => stopWatchingRevocations?.())
  // The sandbox clock follows the moves other processes make.
  let stopWatchingClock: (() => Promise<void>) | undefined
  app.addHook('onReady', async () => {
    stopWatchingClock = await testClock?.watch((error) =>
      app.log.error({ err: error }, 'reading the sandbox clock failed'),
    )
  })
  app.addHook('onClose', async () => stopWatchingClock?.())
  app.addHook('onReady', async () => {
    holdSweeper.start(config.sweepIntervalSeconds, (error) =>
      app.log.error({ err: error }, 'hold sweep failed'),
    )
  })
  app.addHook('onClose', () => holdSweeper.stop())
  app.addHook('onReady', async () => {
    services.renewals.start(config.sweepIntervalSeconds, (error) =>
      app.log.error({ err: error }, 'subscription renewals failed'),
    )
  })
  app.addHook('onClose', () => services.renewals.stop())
  app.addHook('onReady', async () => retention.start(config.sweepIntervalSeconds))
  app.addHook('onClose', () => retention.stop())
  if (config.webhooks.workerInServer) {
    app.addHook('onReady', async () => webhookWorker.start())
  }
  app.addHook('onClose', () => webhookWorker.stop())
  if (config.mail.workerInServer) {
    app.addHook('onReady', async () => services.mailWorker.start())
  }
  app.addHook('onClose', () => services.mailWorker.stop())

  return app
}
