import { Ajv, type Options } from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifyInstance, FastifySchema, FastifySchemaCompiler } from 'fastify'
import fp from 'fastify-plugin'
import { findUnstorable, type UnstorableString } from '../lib/text.js'

function makeAjv(options: Options): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    removeAdditional: false,
    useDefaults: true,
    strict: false,
    ...options,
  })
  addFormats.default(ajv)
  return ajv
}

/**
 * Bodies are validated strictly (no type coercion, unknown fields rejected); query strings, path
 * parameters and headers arrive as text, so there numbers and booleans are coerced.
 */
export function createValidatorCompiler(): {
  compiler: FastifySchemaCompiler<FastifySchema>
  addSchema: (schema: object) => void
} {
  const strict = makeAjv({ coerceTypes: false })
  const lenient = makeAjv({ coerceTypes: 'array' })
  return {
    addSchema(schema) {
      strict.addSchema(schema)
      lenient.addSchema(schema)
    },
    compiler: ({ schema, httpPart }) => {
      const ajv = httpPart === 'body' ? strict : lenient
      return ajv.compile(schema as object) as ReturnType<FastifySchemaCompiler<FastifySchema>>
    },
  }
}

type RequestPart = 'params' | 'querystring' | 'headers' | 'body'

/** Fastify's form of a schema validation error, so every error handler treats both alike. */
class UnstorableInput extends Error {
  readonly statusCode = 400
  readonly code = 'FST_ERR_VALIDATION'
  readonly validation: { instancePath: string; keyword: string; message: string; params: object }[]

  constructor(
    readonly validationContext: RequestPart,
    found: UnstorableString[],
  ) {
    super(found.map((f) => `${validationContext} ${f.path} ${f.message}`).join('; '))
    this.validation = found.map((f) => ({
      instancePath: f.path === '/' ? '' : f.path,
      keyword: 'storable',
      message: f.message,
      params: {},
    }))
  }
}

function refuseUnstorable(part: RequestPart, value: unknown): void {
  const found = findUnstorable(value)
  if (found.length > 0) throw new UnstorableInput(part, found)
}

/**
 * Every string a request carries — path parameters, query, headers and the parsed body, keys of
 * free-form objects included, whatever a route's schema says — is text PostgreSQL can store: no
 * NUL and no lone surrogate, else 400 validation_failed naming the field. The URL and headers are
 * checked as the request arrives, before authentication reads them; the body once it is parsed.
 * A body kept as raw bytes for a signature (payment providers' webhooks) is checked by its reader
 * after the signature holds.
 */
export const storableStrings = fp(async (app: FastifyInstance) => {
  app.addHook('onRequest', async (request) => {
    refuseUnstorable('params', request.params)
    refuseUnstorable('querystring', request.query)
    refuseUnstorable('headers', request.headers)
  })
  app.addHook('preValidation', async (request) => {
    refuseUnstorable('body', request.body)
  })
})
