import type { DomainError } from './domain-error.js'

/**
 * Every problem code PROTUS answers with, its HTTP status and title. `docs/problems.md`
 * documents each one; a test keeps the two in step.
 */
export const problemCatalogue = {
  validation_failed: { status: 400, title: 'The request does not match the schema' },
  malformed_json: { status: 400, title: 'The body is not valid JSON' },
  idempotency_key_required: {
    status: 400,
    title: 'An Idempotency-Key header (1 to 255 characters) is required',
  },
  webhook_url_not_public: {
    status: 400,
    title: 'Webhooks are sent only to public addresses',
  },
  webhook_signature_invalid: {
    status: 400,
    title: 'The payment provider webhook signature does not verify the body',
  },
  link_invalid: { status: 400, title: 'The link is not one PROTUS mailed' },
  unauthenticated: { status: 401, title: 'Authentication is required' },
  invalid_credentials: { status: 401, title: 'Wrong email or password' },
  sign_in_challenge_invalid: {
    status: 401,
    title: 'The sign-in code step expired or was used: sign in again',
  },
  insufficient_funds: { status: 402, title: 'The wallet does not have enough available funds' },
  partner_balance_insufficient: {
    status: 402,
    title: 'The partner’s available balance does not cover this',
  },
  spending_limit_exceeded: {
    status: 402,
    title: 'The person’s monthly spending limit for this partner does not allow this',
  },
  invalid_client_credentials: { status: 401, title: 'Wrong client id or client secret' },
  invalid_signature: { status: 401, title: 'The payment provider signature does not match the body' },
  csrf_token_invalid: { status: 403, title: 'Missing or wrong X-CSRF-Token header' },
  forbidden: { status: 403, title: 'This principal may not do that' },
  insufficient_scope: { status: 403, title: 'The account did not grant the scope this needs' },
  grant_revoked: { status: 403, title: 'The person revoked this partner’s access' },
  dashboard_only: { status: 403, title: 'Only the company’s signed-in dashboard may do this' },
  two_factor_required: { status: 403, title: 'This needs a two-factor code' },
  current_password_invalid: { status: 403, title: 'The current password is not right' },
  not_found: { status: 404, title: 'No such resource' },
  email_taken: { status: 409, title: 'That email is already registered' },
  username_taken: { status: 409, title: 'That username is already taken' },
  two_factor_already_enabled: { status: 409, title: 'Two-factor sign-in is already on' },
  two_factor_not_enrolled: { status: 409, title: 'No two-factor enrolment to confirm' },
  two_factor_not_enabled: { status: 409, title: 'Two-factor sign-in is off' },
  account_kind_ambiguous: {
    status: 409,
    title: 'This email and password open both a person’s and a company’s account; say which',
  },
  email_already_verified: { status: 409, title: 'The email is verified already' },
  hold_not_pending: { status: 409, title: 'The hold is no longer pending' },
  payout_not_pending: { status: 409, title: 'The payout is paid or failed already' },
  subscription_canceled: { status: 409, title: 'The subscription is canceled already' },
  subscription_not_past_due: { status: 409, title: 'The subscription is not past due' },
  idempotency_request_in_progress: {
    status: 409,
    title: 'A request with this Idempotency-Key is in progress',
  },
  webhook_endpoint_unavailable: {
    status: 409,
    title: 'The webhook endpoint is not set or is disabled',
  },
  link_expired: { status: 410, title: 'The link has expired' },
  link_used: { status: 410, title: 'The link was used already' },
  payload_too_large: { status: 413, title: 'The body is larger than 1 MiB' },
  unsupported_media_type: { status: 415, title: 'Unsupported content type' },
  idempotency_key_reused: { status: 422, title: 'This Idempotency-Key was used for a different request' },
  capture_exceeds_hold: { status: 422, title: 'The capture is larger than the hold' },
  refund_exceeds_charge: { status: 422, title: 'The refund is larger than what is left of the charge' },
  two_factor_code_invalid: { status: 422, title: 'The two-factor code is wrong, too old or already used' },
  currency_mismatch: { status: 422, title: "The amount's currency is not the wallet's currency" },
  service_inactive: { status: 422, title: 'The service is archived' },
  service_not_recurring: { status: 422, title: 'The service is not a recurring service' },
  payment_provider_refused: { status: 422, title: 'The payment provider refused to open this payment' },
  too_many_attempts: { status: 429, title: 'Too many attempts, try again later' },
  rate_limited: { status: 429, title: 'Too many requests of this kind, try again later' },
  internal_error: { status: 500, title: 'Internal server error' },
  payment_provider_unavailable: { status: 502, title: 'The payment provider did not answer' },
  service_unavailable: { status: 503, title: 'Service unavailable' },
  busy: { status: 503, title: 'The server is busy, try again shortly' },
  topups_unavailable: { status: 503, title: 'Top-ups are not available on this PROTUS' },
} as const satisfies Record<string, { status: number; title: string }>

export type ProblemCode = keyof typeof problemCatalogue

export const problemTypeBase = 'https://protus.dev/problems/'

/** The problem+json body for a code: what the error handler sends and what idempotent refusals save. */
export function problemBody(
  code: ProblemCode,
  requestId: string,
  detail?: string,
  extra: Record<string, unknown> = {},
) {
  const { status, title } = problemCatalogue[code]
  return { type: problemTypeBase + code, title, status, code, detail, request_id: requestId, ...extra }
}

/** A refusal as a response, live or saved under an idempotency key: its status and whole problem body. */
export function refusalResponse(error: DomainError, requestId: string) {
  return {
    status: problemCatalogue[error.code].status,
    body: problemBody(error.code, requestId, error.message, error.fields),
  }
}
