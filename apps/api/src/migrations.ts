import type { Migration } from './db/migrations.js'
import { modeMigrations } from './db/mode.js'
import { billingMigrations } from './modules/billing/migrations/001-billing.js'
import { billingGrantMigrations } from './modules/billing/migrations/002-grants.js'
import { billingLimitMigrations } from './modules/billing/migrations/003-limits.js'
import { billingWrittenRowsMigrations } from './modules/billing/migrations/004-written-rows.js'
import { billingStripeMigrations } from './modules/billing/migrations/005-revenue-stripes.js'
import { billingOneStatementMigrations } from './modules/billing/migrations/007-one-statement.js'
import { billingPartialUniqueMigrations } from './modules/billing/migrations/008-partial-unique.js'
import { billingAnswersInBatchMigrations } from './modules/billing/migrations/009-answers-in-batch.js'
import { billingPayoutMigrations } from './modules/billing/migrations/010-payouts.js'
import { catalogueMigrations } from './modules/catalogue/migrations/001-catalogue.js'
import { idempotencyMigrations } from './modules/idempotency/migrations/001-idempotency.js'
import { idempotencyReplayMigrations } from './modules/idempotency/migrations/002-replay-without-lock.js'
import { idempotencySaveInSqlMigrations } from './modules/idempotency/migrations/003-save-in-sql.js'
import { identityMigrations } from './modules/identity/migrations/001-identity.js'
import { identityThrottleMigrations } from './modules/identity/migrations/002-sign-in-throttle.js'
import { identityEmailTokenMigrations } from './modules/identity/migrations/003-email-tokens.js'
import { identitySessionsMigrations } from './modules/identity/migrations/004-sessions.js'
import { identityTwoFactorMigrations } from './modules/identity/migrations/005-two-factor.js'
import { ledgerMigrations } from './modules/ledger/migrations/001-ledger.js'
import { ledgerLookupMigrations } from './modules/ledger/migrations/002-account-lookup.js'
import { ledgerStripeMigrations } from './modules/ledger/migrations/003-revenue-stripes.js'
import { ledgerScaleMigrations } from './modules/ledger/migrations/004-scale-indexes.js'
import { ledgerPartialUniqueMigrations } from './modules/ledger/migrations/005-partial-unique.js'
import { ledgerPayoutAccountMigrations } from './modules/ledger/migrations/006-payout-accounts.js'
import { limitsMigrations } from './modules/limits/migrations/001-limits.js'
import { mailMigrations } from './modules/mail/migrations/001-mail.js'
import { notificationsMigrations } from './modules/notifications/migrations/001-notifications.js'
import { oauthMigrations } from './modules/oauth/migrations/001-oauth.js'
import { oauthExpiryMigrations } from './modules/oauth/migrations/002-expiry.js'
import { oauthFormerGrantsMigrations } from './modules/oauth/migrations/003-former-grants.js'
import { oauthRefreshFunctionMigrations } from './modules/oauth/migrations/004-refresh-function.js'
import { subscriptionsMigrations } from './modules/subscriptions/migrations/001-subscriptions.js'
import { testClockMigrations } from './modules/test-clock/migrations/001-test-clock.js'
import { topupsMigrations } from './modules/topups/migrations/001-topups.js'
import { topupsReturnUrlMigrations } from './modules/topups/migrations/002-return-url.js'
import { webhooksMigrations } from './modules/webhooks/migrations/001-webhooks.js'
import { webhooksFairnessMigrations } from './modules/webhooks/migrations/002-fairness.js'
import { webhooksFewerIndexesMigrations } from './modules/webhooks/migrations/003-fewer-indexes.js'
import { webhooksEmitInSqlMigrations } from './modules/webhooks/migrations/004-emit-in-sql.js'

/** Every module's migrations, in the order modules depend on each other. */
export const allMigrations: readonly Migration[] = [
  ...modeMigrations,
  ...identityMigrations,
  ...identityThrottleMigrations,
  ...identityEmailTokenMigrations,
  ...identitySessionsMigrations,
  ...identityTwoFactorMigrations,
  ...limitsMigrations,
  ...catalogueMigrations,
  ...ledgerMigrations,
  ...ledgerLookupMigrations,
  ...ledgerStripeMigrations,
  ...ledgerScaleMigrations,
  ...ledgerPartialUniqueMigrations,
  ...ledgerPayoutAccountMigrations,
  ...idempotencyMigrations,
  ...idempotencyReplayMigrations,
  ...idempotencySaveInSqlMigrations,
  ...billingMigrations,
  ...billingGrantMigrations,
  ...billingLimitMigrations,
  ...billingWrittenRowsMigrations,
  ...billingStripeMigrations,
  ...billingOneStatementMigrations,
  ...billingPartialUniqueMigrations,
  ...billingAnswersInBatchMigrations,
  ...billingPayoutMigrations,
  ...oauthMigrations,
  ...oauthExpiryMigrations,
  ...oauthFormerGrantsMigrations,
  ...oauthRefreshFunctionMigrations,
  ...subscriptionsMigrations,
  ...topupsMigrations,
  ...topupsReturnUrlMigrations,
  ...webhooksMigrations,
  ...webhooksFairnessMigrations,
  ...webhooksFewerIndexesMigrations,
  ...webhooksEmitInSqlMigrations,
  ...testClockMigrations,
  ...mailMigrations,
  ...notificationsMigrations,
]
