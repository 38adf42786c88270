/**
 * `@protus/sdk`: the PROTUS partner API client, Sign in with PROTUS and webhook verification.
 * Framework pieces live in `@protus/sdk/express` and `@protus/sdk/fastify`.
 */
export { createProtusClient, type DirectUser, type ProtusClient, type ProtusClientOptions } from './client.js'
export {
  type FieldError,
  isProtusError,
  type OAuthErrorCode,
  type Problem,
  type ProblemCode,
  ProtusError,
  type ProtusErrorCode,
  ProtusOAuthError,
  problemCodes,
} from './errors.js'
export type { components, operations, paths, webhooks } from './generated/wire.js'
export type { ProtusAuthOptions, ProtusRequestState, ProtusUser, SessionUser } from './guard.js'
export type { RequestOptions, RetryOptions } from './http.js'
export {
  type AuthorizationRequest,
  type CallbackInput,
  createPkce,
  createProtusOAuth,
  type Introspection,
  type ProtusOAuth,
  type ProtusOAuthOptions,
  type ServerMetadata,
  type SignIn,
  type TokenSet,
  type UserInfo,
} from './oauth.js'
export type { AutoPagingToArrayOptions, ListPromise } from './pagination.js'
export type * from './types.js'
export {
  createMemorySeenStore,
  createWebhookReceiver,
  type GrantData,
  type HeadersLike,
  type ReleasedHold,
  type SeenStore,
  type SubscriptionPaymentFailure,
  type SubscriptionRenewal,
  type VerifyOptions,
  verifyWebhook,
  type WebhookEvent,
  type WebhookEventMap,
  type WebhookEventType,
  type WebhookHandlers,
  type WebhookOutcome,
  type WebhookReceiverOptions,
  WebhookVerificationError,
  type WebhookVerificationReason,
  webhookEventTypes,
} from './webhooks.js'
