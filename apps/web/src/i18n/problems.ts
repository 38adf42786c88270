import { ApiError } from '../api/http.ts'
import type { MessageKey } from './use-i18n.ts'

/** A message key with its parameters, translated where it is shown. */
export interface Message {
  key: MessageKey
  params?: Record<string, string | number>
}

/** Problem codes with a message of their own under `problems.` in every language. */
export const KNOWN_PROBLEMS = [
  'validation_failed',
  'malformed_json',
  'unsupported_media_type',
  'payload_too_large',
  'unauthenticated',
  'invalid_credentials',
  'csrf_token_invalid',
  'forbidden',
  'not_found',
  'email_taken',
  'email_already_verified',
  'link_invalid',
  'link_expired',
  'link_used',
  'username_taken',
  'account_kind_ambiguous',
  'too_many_attempts',
  'rate_limited',
  'busy',
  'internal_error',
  'network_error',
  'unexpected_response',
  'webhook_endpoint_unavailable',
  'webhook_url_not_public',
  'spending_limit_exceeded',
  'insufficient_funds',
  'insufficient_scope',
  'grant_revoked',
  'service_inactive',
  'subscription_not_past_due',
  'subscription_canceled',
  'dashboard_only',
  'current_password_invalid',
  'sign_in_challenge_invalid',
  'two_factor_code_invalid',
  'two_factor_required',
  'two_factor_already_enabled',
  'two_factor_not_enrolled',
  'two_factor_not_enabled',
  'topups_unavailable',
  'payment_provider_refused',
  'payment_provider_unavailable',
  'partner_balance_insufficient',
  'refund_exceeds_charge',
] as const

/** Problems that are about one form field, shown next to it instead of above the form. */
export const FIELD_PROBLEMS: Record<string, string> = {
  email_taken: 'email',
  username_taken: 'username',
  webhook_url_not_public: 'webhook_url',
  current_password_invalid: 'current_password',
}

type KnownProblem = (typeof KNOWN_PROBLEMS)[number]
const isKnown = (code: string): code is KnownProblem => (KNOWN_PROBLEMS as readonly string[]).includes(code)

/** What to tell a person about a failed request, in their language. */
export function problemMessage(error: unknown): Message {
  if (!(error instanceof ApiError)) return { key: 'problems.unknown' }
  // Refusals that pass with time say how long, when the server said so in Retry-After.
  const waits = {
    too_many_attempts: 'too_many_attempts',
    rate_limited: 'rate_limited',
    busy: 'busy',
  } as const
  if (error.code in waits) {
    const code = waits[error.code as keyof typeof waits]
    return error.retryAfter === undefined
      ? { key: `problems.${code}_later` }
      : { key: `problems.${code}`, params: { seconds: error.retryAfter } }
  }
  return codeMessage(error.code, error.detail ?? error.title)
}

/**
 * A refusal named by its code alone, as a subscription keeps its last failed payment: the app's
 * own words for a code it knows, else the server's `detail`.
 */
export function codeMessage(code: string, detail?: string): Message {
  if (isKnown(code)) return { key: `problems.${code}` }
  // A code this version of the app does not know yet: the server's own words beat a vague message.
  return detail ? { key: 'problems.other', params: { detail } } : { key: 'problems.unknown' }
}
