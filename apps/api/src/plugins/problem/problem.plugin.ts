import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { DomainError, type FieldError } from '../../lib/domain-error.js'
import { type ProblemCode, problemBody, problemCatalogue } from '../../lib/problems.js'

interface ValidationIssue {
  instancePath: string
  message?: string
  keyword: string
  params: Record<string, unknown>
}

/** Turns Ajv's findings into `{ field, message }` with JSON Pointer fields a person can act on. */
export function fieldErrors(issues: readonly ValidationIssue[], context: string | undefined): FieldError[] {
  const seen = new Set<string>()
  const prefix = context && context !== 'body' ? `${context}:` : ''
  const out: FieldError[] = []
  for (const issue of issues) {
    let field = issue.instancePath || ''
    let message = issue.message ?? 'is not valid'
    if (issue.keyword === 'required') field += `/${String(issue.params.missingProperty)}`
    if (issue.keyword === 'additionalProperties') {
      field += `/${String(issue.params.additionalProperty)}`
      message = 'is not a known field'
    }
    const entry = { field: `${prefix}${field || '/'}`, message }
    const key = `${entry.field}\n${entry.message}`
    if (!seen.has(key)) {
      seen.add(key)
      out.push(entry)
    }
  }
  return out
}

const frameworkCodes: Record<string, ProblemCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'malformed_json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_EMPTY_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_TYPE: 'unsupported_media_type',
}

export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  code: ProblemCode,
  detail?: string,
  extra: Record<string, unknown> = {},
) {
  return reply
    .status(problemCatalogue[code].status)
    .type('application/problem+json')
    .send(problemBody(code, request.id, detail, extra))
}

function classify(error: FastifyError): {
  code: ProblemCode
  detail?: string
  extra?: Record<string, unknown>
} {
  if (error instanceof DomainError) return { code: error.code, detail: error.message, extra: error.fields }
  if (error.validation) {
    const errors = fieldErrors(error.validation as ValidationIssue[], error.validationContext)
    return {
      code: 'validation_failed',
      detail: errors.map((e) => `${e.field} ${e.message}`).join('; '),
      extra: { errors },
    }
  }
  const known = error.code ? frameworkCodes[error.code] : undefined
  if (known) return { code: known, detail: error.message }
  if (error instanceof SyntaxError || (error.statusCode === 400 && /JSON/i.test(error.message))) {
    return { code: 'malformed_json', detail: error.message }
  }
  const status = error.statusCode ?? 500
  if (status === 404) return { code: 'not_found' }
  if (status === 413) return { code: 'payload_too_large' }
  if (status === 415) return { code: 'unsupported_media_type' }
  if (status >= 400 && status < 500) return { code: 'validation_failed', detail: error.message }
  return { code: 'internal_error' }
}

/**
 * Fastify's own refusals before any route runs (a path that is not valid percent-encoded UTF-8, a
 * path parameter longer than the router takes), as problem+json like every other refusal.
 */
export function frameworkErrorProblem(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  return sendProblem(request, reply, 'validation_failed', error.message)
}

/** The one error handler: DomainError, validation and framework errors, and the rest, as problem+json. */
export const problemPlugin = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const { code, detail, extra } = classify(error)
    const status = problemCatalogue[code].status
    if (status >= 500) request.log.error({ err: error }, 'request failed')
    else request.log.info({ code, detail }, 'request refused')
    if (error instanceof DomainError && error.extra.headers) reply.headers(error.extra.headers)
    // Details of server faults stay in the log.
    return sendProblem(request, reply, code, status >= 500 ? undefined : detail, extra)
  })
})
