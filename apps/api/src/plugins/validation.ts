import { Ajv, type Options } from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifySchema, FastifySchemaCompiler } from 'fastify'

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
