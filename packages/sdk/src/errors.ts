import { problemCodes as catalogue, type components } from './generated/wire.js'

/**
 * Every problem `code` a PROTUS server answers with (RFC 9457 problem+json), generated from the
 * server's catalogue so the SDK never imports server code; `docs/problems.md` describes each.
 *
 * @example
 * ```ts
 * if (problemCodes.includes(body.code)) console.log('a PROTUS problem', body.code)
 * ```
 */
export const problemCodes: typeof catalogue = catalogue

/**
 * A problem code of the PROTUS API.
 *
 * @example
 * ```ts
 * const messages: Partial<Record<ProblemCode, string>> = { insufficient_funds: 'Top up your wallet first' }
 * ```
 */
export type ProblemCode = (typeof problemCodes)[number]

/**
 * What went wrong, as a code a partner can `switch` on: a problem code of the API, or one of the
 * SDK's own — `connection_failed` (no answer after every retry) and `unexpected_response` (an
 * answer that is not PROTUS JSON, such as a proxy's HTML page).
 *
 * @example
 * ```ts
 * const retryLater = (code: ProtusErrorCode) => code === 'connection_failed' || code === 'service_unavailable'
 * ```
 */
export type ProtusErrorCode = ProblemCode | 'connection_failed' | 'unexpected_response'

/** One field the server refused, as a JSON Pointer (`/amount`) and a message. */
export type FieldError = NonNullable<Problem['errors']>[number]

/** The RFC 9457 body as PROTUS sends it; some codes add members (`scope`, `hold_status`, `refundable`). */
export type Problem = components['schemas']['Problem']

/**
 * A refusal or failure of a PROTUS API call.
 *
 * @example
 * ```ts
 * try {
 *   await protus.charges.create({ account, service: 'svc_…' })
 * } catch (error) {
 *   if (!(error instanceof ProtusError)) throw error
 *   switch (error.code) {
 *     case 'insufficient_funds': return askForTopUp()
 *     case 'insufficient_scope': return askForConsent(error.problem?.scope)
 *     default: throw error
 *   }
 * }
 * ```
 */
export class ProtusError extends Error {
  override readonly name = 'ProtusError'
  /** HTTP status, or 0 when no answer came. */
  readonly status: number
  readonly code: ProtusErrorCode
  readonly detail: string | undefined
  /** The server's request id (also in its logs), when there was an answer. */
  readonly requestId: string | undefined
  /** Field errors of `validation_failed`. */
  readonly errors: FieldError[]
  /** The whole problem body, with code-specific members such as `scope` or `refundable`. */
  readonly problem: Problem | undefined

  constructor(init: {
    status: number
    code: ProtusErrorCode
    detail?: string
    requestId?: string
    errors?: FieldError[]
    problem?: Problem
    cause?: unknown
  }) {
    super(
      `${init.code}${init.detail ? `: ${init.detail}` : ''}${init.status ? ` (HTTP ${init.status})` : ''}`,
      init.cause === undefined ? undefined : { cause: init.cause },
    )
    this.status = init.status
    this.code = init.code
    this.detail = init.detail
    this.requestId = init.requestId
    this.errors = init.errors ?? []
    this.problem = init.problem
  }
}

/**
 * True when `error` is a {@link ProtusError}, optionally with one of the given codes; narrows it.
 *
 * @example
 * ```ts
 * if (isProtusError(error, 'insufficient_funds')) showTopUpLink()
 * ```
 */
export function isProtusError<C extends ProtusErrorCode>(
  error: unknown,
  ...codes: C[]
): error is ProtusError & { code: C } {
  return (
    error instanceof ProtusError && (codes.length === 0 || (codes as ProtusErrorCode[]).includes(error.code))
  )
}

/** Turns an HTTP answer that is not a success into a ProtusError. */
export function problemError(status: number, body: unknown, requestId: string | undefined): ProtusError {
  if (isProblem(body)) {
    return new ProtusError({
      status,
      code: body.code,
      detail: body.detail,
      requestId: body.request_id ?? requestId,
      errors: body.errors,
      problem: body,
    })
  }
  // Answers that are not ours (a proxy's 502 page) still get a code a partner can act on.
  const code: ProtusErrorCode =
    status === 502 || status === 503 || status === 504
      ? 'service_unavailable'
      : status >= 500
        ? 'internal_error'
        : 'unexpected_response'
  return new ProtusError({ status, code, detail: `HTTP ${status} without a problem body`, requestId })
}

function isProblem(body: unknown): body is Problem {
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as { code?: unknown }).code === 'string' &&
    typeof (body as { status?: unknown }).status === 'number'
  )
}

/**
 * OAuth codes: RFC 6749 errors from the authorization server (`invalid_grant`, `access_denied`,
 * …) and the SDK's own callback checks.
 */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'access_denied'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'server_error'
  | 'temporarily_unavailable'
  /** The callback's `state` is not the one this sign-in started with. */
  | 'state_mismatch'
  /** The callback's `iss` is missing or names another authorization server (RFC 9207). */
  | 'issuer_mismatch'
  /** The callback has neither `code` nor `error`. */
  | 'missing_code'
  | 'connection_failed'
  | 'unexpected_response'

/**
 * A failed step of Sign in with PROTUS or a token call.
 *
 * @example
 * ```ts
 * try {
 *   await protus.oauth.handleCallback({ url: req.url, state, codeVerifier, redirectUri })
 * } catch (error) {
 *   if (error instanceof ProtusOAuthError && error.error === 'access_denied') return showSignInPage()
 *   throw error
 * }
 * ```
 */
export class ProtusOAuthError extends Error {
  override readonly name = 'ProtusOAuthError'
  readonly error: OAuthErrorCode
  readonly description: string | undefined
  /** HTTP status of the answer, 0 when the error came back through the browser or no answer came. */
  readonly status: number

  constructor(error: OAuthErrorCode, description?: string, status = 0, cause?: unknown) {
    super(description ? `${error}: ${description}` : error, cause === undefined ? undefined : { cause })
    this.error = error
    this.description = description
    this.status = status
  }
}
