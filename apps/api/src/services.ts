import type { Config } from './config.js'
import type { Database, Queryable } from './db/database.js'
import { type Clock, isOffsetClock } from './lib/clock.js'
import type { DueWork } from './lib/due-work.js'
import { createAccountsService } from './modules/billing/accounts.service.js'
import { createBillingBatch } from './modules/billing/billing.batch.js'
import { createBillingRepository } from './modules/billing/billing.repository.js'
import { createChargesService } from './modules/billing/charges.service.js'
import { createHoldSweeper } from './modules/billing/hold-sweeper.js'
import { createHoldsService } from './modules/billing/holds.service.js'
import { createPaymentPlans } from './modules/billing/payment-plans.js'
import { createPayoutsRepository } from './modules/billing/payouts.repository.js'
import { createPayoutsService } from './modules/billing/payouts.service.js'
import { createRefundsService } from './modules/billing/refunds.service.js'
import { createCatalogueRepository } from './modules/catalogue/catalogue.repository.js'
import { createCatalogueService, DEFAULT_CURRENCY } from './modules/catalogue/catalogue.service.js'
import { createIdempotencyRepository } from './modules/idempotency/idempotency.repository.js'
import { createIdempotencyService } from './modules/idempotency/idempotency.service.js'
import { createCompanySecrets } from './modules/identity/company-secrets.js'
import { createCompanySettingsService } from './modules/identity/company-settings.service.js'
import { createEmailTokens } from './modules/identity/email-tokens.js'
import { createEmailTokensRepository } from './modules/identity/email-tokens.repository.js'
import { createIdentityRepository, type SecretRotation } from './modules/identity/identity.repository.js'
import { createIdentityService } from './modules/identity/identity.service.js'
import { createPasswordReset } from './modules/identity/password-reset.js'
import { createPasswords } from './modules/identity/passwords.js'
import { createSessionsRepository } from './modules/identity/sessions.repository.js'
import { createSessionsService } from './modules/identity/sessions.service.js'
import { createSignInThrottle } from './modules/identity/sign-in-throttle.js'
import { createSignInThrottleRepository } from './modules/identity/sign-in-throttle.repository.js'
import { createTwoFactorRepository } from './modules/identity/two-factor.repository.js'
import { createTwoFactorService } from './modules/identity/two-factor.service.js'
import { createLedgerRepository } from './modules/ledger/ledger.repository.js'
import { createLedgerService } from './modules/ledger/ledger.service.js'
import { createLimitsRepository } from './modules/limits/limits.repository.js'
import { createRateLimits } from './modules/limits/rate-limits.js'
import { createMailRepository } from './modules/mail/mail.repository.js'
import { createMailService } from './modules/mail/mail.service.js'
import { createSmtpTransport, mailboxTransport } from './modules/mail/mail-transport.js'
import { createMailWorker } from './modules/mail/mail-worker.js'
import { createNotificationsRepository } from './modules/notifications/notifications.repository.js'
import { createNotificationsService } from './modules/notifications/notifications.service.js'
import { createAuthorizeService } from './modules/oauth/authorize.service.js'
import { createGrantsService } from './modules/oauth/grants.service.js'
import { createOauthRepository } from './modules/oauth/oauth.repository.js'
import { createOauthRetention } from './modules/oauth/oauth.retention.js'
import { createTokensService } from './modules/oauth/tokens.service.js'
import { createRetentionSweeper } from './modules/retention/retention-sweeper.js'
import { createRenewals } from './modules/subscriptions/renewals.js'
import { createPersonSubscriptions } from './modules/subscriptions/subscriptions.person.js'
import { createSubscriptionsRepository } from './modules/subscriptions/subscriptions.repository.js'
import { createSubscriptionsService } from './modules/subscriptions/subscriptions.service.js'
import { createTestClockService } from './modules/test-clock/test-clock.service.js'
import { createPaymentProviders } from './modules/topups/payment-providers.js'
import { createTopupsRepository } from './modules/topups/topups.repository.js'
import { createTopupsService } from './modules/topups/topups.service.js'
import { createWalletService } from './modules/wallet/wallet.service.js'
import { createDeliveryWorker } from './modules/webhooks/delivery-worker.js'
import { createWebhookEvents } from './modules/webhooks/webhook-events.js'
import { createWebhookSender } from './modules/webhooks/webhook-sender.js'
import { createWebhooksRepository } from './modules/webhooks/webhooks.repository.js'
import { createWebhooksService } from './modules/webhooks/webhooks.service.js'

/** Where background work reports what it did and what failed. */
export interface ErrorLog {
  info(obj: object, msg: string): void
  error(obj: object, msg: string): void
}

/** The composition root: every module's service, wired to its dependencies. */
export function createServices(deps: {
  config: Config
  db: Database
  clock: Clock
  secretKey: Buffer
  log: ErrorLog
}) {
  const { config, db, clock, secretKey, log } = deps

  const webhooksRepo = createWebhooksRepository()
  // The outbox comes first: every module that changes money or access reports through it.
  const events = createWebhookEvents({ repo: webhooksRepo, clock })
  const onWebhookUrlSet: ((companyId: string) => Promise<void>)[] = []
  // The mail outbox: modules enqueue messages in their transactions; the worker sends them.
  const mailRepo = createMailRepository()
  const mail = createMailService({ db, repo: mailRepo, clock })
  const mailWorker = createMailWorker({
    db,
    repo: mailRepo,
    clock,
    // Without SMTP (sandbox only: live mode refuses to start without it) mail goes to the mailbox.
    transport: config.mail.smtpUrl
      ? createSmtpTransport(config.mail.smtpUrl, config.mail.from)
      : mailboxTransport,
    options: { schedule: config.mail.retrySchedule, concurrency: 8, pollMs: 1000 },
    onError: (error, messageId) => log.error({ err: error, messageId }, 'mail not sent'),
  })
  mail.onEnqueued(() => mailWorker.wake())
  // Receipts, new-partner emails and low-balance alerts, in the transaction of the events that tell them.
  const notifications = createNotificationsService({
    db,
    repo: createNotificationsRepository(),
    mail,
    clock,
    publicUrl: config.publicUrl,
    onError: (error, template) => log.error({ err: error, template }, 'notification email not written'),
  })
  events.onEmitInTransaction((tx, emitted) => notifications.onEvents(tx, emitted))

  const ledger = createLedgerService({
    db,
    repo: createLedgerRepository(),
    clock,
    revenueStripes: config.revenueStripes,
  })
  const identityRepo = createIdentityRepository()
  const secrets = createCompanySecrets({ repo: identityRepo, key: secretKey })
  const passwords = createPasswords({ concurrency: config.limits.passwordConcurrency })
  const throttleRepo = createSignInThrottleRepository()
  const throttle = createSignInThrottle({ db, repo: throttleRepo, clock })
  const twoFactor = createTwoFactorService({
    db,
    repo: createTwoFactorRepository(),
    identityRepo,
    throttleRepo,
    clock,
    key: secretKey,
  })
  // Mailed links: email verification, change of email and password reset.
  const emailTokensRepo = createEmailTokensRepository()
  const emailLinks = createEmailTokens({
    db,
    repo: emailTokensRepo,
    mail,
    rateLimits: { hit: (key, windowMs) => rateLimits.hit(key, windowMs) },
    passwords,
    clock,
    publicUrl: config.publicUrl,
  })
  const passwordReset = createPasswordReset({
    db,
    repo: emailTokensRepo,
    links: emailLinks,
    mail,
    passwords,
    clock,
  })
  const identity = createIdentityService({
    db,
    repo: identityRepo,
    clock,
    secrets,
    throttle,
    passwords,
    sessionTtlSeconds: config.sessionTtlSeconds,
    secondFactor: twoFactor,
    // Every person gets a wallet in the registration transaction.
    onCustomerRegistered: [
      async (tx, customer) => {
        await ledger.openWallet(tx, customer.id, DEFAULT_CURRENCY)
      },
    ],
    // People and companies are sent a link to verify their email.
    onAccountRegistered: [(tx, account) => emailLinks.registered(tx, account)],
  })
  // This process forgets ended secrets before answering; the others hear it from the database.
  const onSecretsRotated: ((rotation: SecretRotation) => void)[] = [
    (rotation) => identity.secretsRotated(rotation),
  ]
  const companies = createCompanySettingsService({
    db,
    repo: identityRepo,
    secrets,
    clock,
    secretOverlapSeconds: config.secretOverlapSeconds,
    allowPrivateWebhooks: config.webhooks.allowPrivate,
    onWebhookUrlSet,
    onSecretsRotated,
    guardSecretRotation: (companyId, proof) => twoFactor.guardSecretRotation(companyId, proof, proof.ip),
  })
  const catalogue = createCatalogueService({ db, repo: createCatalogueRepository(), clock })
  const rateLimits = createRateLimits({ db, repo: createLimitsRepository(), clock })
  const sessions = createSessionsService({
    db,
    repo: createSessionsRepository(),
    clock,
    passwords,
    mail,
    hit: rateLimits.hit,
  })
  const idempotency = createIdempotencyService({
    db,
    repo: createIdempotencyRepository(),
    clock,
    keyHours: config.retention.idempotencyKeyHours,
  })

  const billingRepo = createBillingRepository()
  // Subscriptions end in the transaction that takes the charge right away (wired below).
  const onChargeWithdrawn: ((tx: Queryable, accountId: string) => Promise<void>)[] = []
  const accounts = createAccountsService({ db, repo: billingRepo, ledger, events, clock, onChargeWithdrawn })
  const batch = createBillingBatch({
    db,
    repo: billingRepo,
    idempotency,
    events,
    clock,
    // PGlite has one connection: batches there run one after another whatever the lanes.
    lanes: config.databaseUrl ? config.billingLanes : 1,
  })
  const plans = createPaymentPlans({ catalogue, ledger, batch })
  const holds = createHoldsService({ db, repo: billingRepo, plans, clock })
  const charges = createChargesService({ db, repo: billingRepo, plans })
  const refunds = createRefundsService({
    db,
    repo: billingRepo,
    plans,
    allowNegativeBalance: config.allowNegativePartnerBalance,
  })
  const payouts = createPayoutsService({ db, repo: createPayoutsRepository(), ledger, events, clock })
  const holdSweeper = createHoldSweeper({ db, repo: billingRepo, ledger, events, clock })

  const subscriptionsRepo = createSubscriptionsRepository()
  const subscriptionDeps = { db, repo: subscriptionsRepo, accounts, catalogue, ledger, batch, events, clock }
  const subscriptions = createSubscriptionsService(subscriptionDeps)
  onChargeWithdrawn.push((tx, accountId) => subscriptions.endForAccount(tx, accountId))
  const renewals = createRenewals({
    ...subscriptionDeps,
    retryDays: config.subscriptions.retryDays,
    onError: (error, subscriptionId) =>
      log.error({ err: error, subscriptionId }, 'subscription renewal failed'),
  })

  const providers = createPaymentProviders({ config, secretKey })
  const topups = createTopupsService({
    db,
    repo: createTopupsRepository(),
    ledger,
    accounts,
    providers,
    events,
    partnerOrigins: async (companyId) =>
      (await companies.getCompany(companyId)).redirect_uris.map((uri) => new URL(uri).origin),
    partnerName: async (companyId) => (await companies.names([companyId])).get(companyId),
    clock,
    log,
  })
  const wallet = createWalletService({ ledger, accounts, companies, catalogue, clock })
  const personSubscriptions = createPersonSubscriptions({
    db,
    repo: subscriptionsRepo,
    accounts,
    companies,
    catalogue,
    subscriptions,
    renewals,
  })

  const oauthRepo = createOauthRepository()
  const authorize = createAuthorizeService({
    db,
    repo: oauthRepo,
    companies,
    accounts,
    person: async (customerId) => {
      const { username, email } = await identity.getCustomer(customerId)
      return { username, email }
    },
    clock,
    issuer: config.issuer,
  })
  const tokens = createTokensService({
    db,
    repo: oauthRepo,
    identity,
    accounts,
    clock,
    issuer: config.issuer,
    accessTokenTtlSeconds: config.accessTokenTtlSeconds,
    refreshTokenTtlSeconds: config.refreshTokenTtlSeconds,
  })
  const grants = createGrantsService({ db, repo: oauthRepo, companies, accounts, tokens })

  const webhookWorker = createDeliveryWorker({
    db,
    repo: webhooksRepo,
    clock,
    sender: createWebhookSender({
      timeoutMs: config.webhooks.timeoutSeconds * 1000,
      allowPrivate: config.webhooks.allowPrivate,
    }),
    targets: (ids) => companies.webhookTargets(ids),
    options: {
      schedule: config.webhooks.retrySchedule,
      timeoutMs: config.webhooks.timeoutSeconds * 1000,
      concurrency: config.webhooks.concurrency,
      perCompany: config.webhooks.perCompany,
      pollMs: config.webhooks.pollMs,
    },
    onError: (error) => log.error({ err: error }, 'webhook delivery failed'),
  })
  events.onEmitted(() => webhookWorker.wake())
  const webhooks = createWebhooksService({
    db,
    repo: webhooksRepo,
    events,
    clock,
    webhookUrl: (id) => companies.webhookUrl(id),
    onRequeued: () => webhookWorker.wake(),
    manualPerMinute: config.webhooks.manualPerMinute,
  })
  onWebhookUrlSet.push((id) => webhooks.enable(id))
  // A rotated webhook secret signs nothing more from this process, even within the worker's cache.
  onSecretsRotated.push((rotation) => webhookWorker.forget(rotation.company_id))

  // What each module keeps only for a while; each task deletes from its own module's tables.
  const oauthRetention = createOauthRetention({ db, repo: oauthRepo })
  const retention = createRetentionSweeper({
    clock,
    log,
    tasks: [
      { name: 'idempotency_keys', prune: idempotency.prune },
      { name: 'identity_sessions', prune: identity.pruneSessions },
      { name: 'identity_sign_in_challenges', prune: twoFactor.pruneChallenges },
      { name: 'identity_email_tokens', prune: emailLinks.prune },
      { name: 'identity_sign_in_attempts', prune: throttle.pruneAttempts },
      { name: 'identity_known_addresses', prune: throttle.pruneKnownAddresses },
      { name: 'limits_windows', prune: rateLimits.prune },
      { name: 'mail_messages', prune: (now, limit) => mail.prune(now, limit, config.mail.keepDays) },
      { name: 'oauth_requests', prune: oauthRetention.pruneRequests },
      { name: 'oauth_codes', prune: oauthRetention.pruneCodes },
      { name: 'oauth_tokens', prune: oauthRetention.pruneTokens },
      {
        name: 'webhook_attempts',
        prune: (now, limit) =>
          webhooks.pruneAttempts(
            new Date(now.getTime() - config.retention.webhookAttemptDays * 86_400_000),
            limit,
          ),
      },
    ],
  })

  // What the sandbox clock runs, in this order at each due moment it stops at. Webhook deliveries
  // come last: they send what the others reported at the same moment.
  const dueWork: DueWork[] = [
    { name: 'hold_expiry', nextDueAt: holdSweeper.nextDueAt, runDue: () => holdSweeper.runOnce() },
    renewals,
    { name: 'mail', nextDueAt: mailWorker.nextDueAt, runDue: mailWorker.drain },
    { name: 'webhook_deliveries', nextDueAt: webhookWorker.nextDueAt, runDue: webhookWorker.drain },
  ]
  // Only with PROTUS_TEST_CLOCK=true, whose clock runs at an offset kept in the database.
  const testClock =
    config.testClock && isOffsetClock(clock) ? createTestClockService({ db, clock, dueWork }) : undefined

  return {
    ledger,
    identity,
    emailLinks,
    passwordReset,
    sessions,
    twoFactor,
    passwords,
    throttle,
    rateLimits,
    companies,
    catalogue,
    idempotency,
    accounts,
    holds,
    charges,
    refunds,
    payouts,
    holdSweeper,
    providers,
    topups,
    wallet,
    authorize,
    tokens,
    grants,
    events,
    webhooks,
    webhookWorker,
    mail,
    mailWorker,
    notifications,
    retention,
    subscriptions,
    personSubscriptions,
    renewals,
    dueWork,
    testClock,
  }
}

export type Services = ReturnType<typeof createServices>
