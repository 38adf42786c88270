/**
 * OAuth endpoints answer in RFC 6749 form, not problem+json: one line per error family.
 * Each entry: HTTP status when answered directly (the token, introspection and revocation
 * endpoints), and the description used when none is given.
 */
export const oauthErrors = {
  invalid_request: { status: 400, description: 'The request is missing a parameter or is malformed' },
  invalid_client: { status: 401, description: 'Client authentication failed' },
  invalid_grant: {
    status: 400,
    description: 'The code or refresh token is invalid, expired, revoked or was issued to another client',
  },
  unauthorized_client: { status: 400, description: 'The client may not use this grant type' },
  unsupported_grant_type: {
    status: 400,
    description: 'Only authorization_code and refresh_token are supported',
  },
  unsupported_response_type: { status: 400, description: 'Only response_type=code is supported' },
  invalid_scope: { status: 400, description: 'The scope is unknown or larger than granted' },
  access_denied: { status: 403, description: 'The person denied the request' },
  invalid_token: { status: 401, description: 'The access token is invalid, expired or revoked' },
  insufficient_scope: { status: 403, description: 'The access token lacks the scope this needs' },
  server_error: { status: 500, description: 'The authorization server failed' },
} as const

export type OauthErrorCode = keyof typeof oauthErrors

export class OauthError extends Error {
  constructor(
    readonly error: OauthErrorCode,
    readonly description: string = oauthErrors[error].description,
    /** For the authorization endpoint: where to send the browser with this error. */
    readonly redirect?: string,
  ) {
    super(description)
    this.name = 'OauthError'
  }

  get status(): number {
    return oauthErrors[this.error].status
  }

  toJSON() {
    return { error: this.error, error_description: this.description }
  }
}

/**
 * What RFC 6749 answers for an error: the routes' own as they are; a request the framework or the
 * request checks refused (unreadable or too large, another content type, the schema, text that
 * cannot be stored) is the client's invalid_request; anything else is the server's fault.
 */
export function oauthErrorOf(error: unknown): OauthError {
  if (error instanceof OauthError) return error
  const { statusCode: status = 500, validation, message } = error as Partial<Record<string, unknown>>
  if (status === 415) {
    return new OauthError('invalid_request', 'send the parameters as application/x-www-form-urlencoded')
  }
  if (validation || (typeof status === 'number' && status >= 400 && status < 500)) {
    return new OauthError('invalid_request', String(message))
  }
  return new OauthError('server_error')
}

/**
 * An authorization request whose client or redirect URI cannot be trusted: it is answered with
 * an error page and never redirected (RFC 9700 §4.1).
 */
export class AuthorizePageError extends Error {
  constructor(
    readonly reason: AuthorizePageReason,
    message: string,
  ) {
    super(message)
    this.name = 'AuthorizePageError'
  }
}

/** Why an authorization request gets the error page, which says so in the visitor's language. */
export type AuthorizePageReason = 'no_client_id' | 'unknown_client' | 'redirect_uri_mismatch' | 'malformed'
