/**
 * Every problem code PROTUS answers with, its HTTP status and title. `docs/problems.md`
 * documents each one; a test keeps the two in step.
 */
export const problemCatalogue = {
  validation_failed: { status: 400, title: 'The request does not match the schema' },
  malformed_json: { status: 400, title: 'The body is not valid JSON' },
  unauthenticated: { status: 401, title: 'Authentication is required' },
  invalid_credentials: { status: 401, title: 'Wrong email or password' },
  invalid_client_credentials: { status: 401, title: 'Wrong client id or client secret' },
  csrf_token_invalid: { status: 403, title: 'Missing or wrong X-CSRF-Token header' },
  forbidden: { status: 403, title: 'This principal may not do that' },
  not_found: { status: 404, title: 'No such resource' },
  email_taken: { status: 409, title: 'That email is already registered' },
  username_taken: { status: 409, title: 'That username is already taken' },
  payload_too_large: { status: 413, title: 'The body is larger than 1 MiB' },
  unsupported_media_type: { status: 415, title: 'Unsupported content type' },
  too_many_attempts: { status: 429, title: 'Too many attempts, try again later' },
  internal_error: { status: 500, title: 'Internal server error' },
  service_unavailable: { status: 503, title: 'Service unavailable' },
} as const satisfies Record<string, { status: number; title: string }>

export type ProblemCode = keyof typeof problemCatalogue

export const problemTypeBase = 'https://protus.dev/problems/'
