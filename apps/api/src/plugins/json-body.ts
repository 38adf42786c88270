import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

/**
 * The API reads JSON only: any other content type is 415. JSON bodies with prototype-poisoning protection (Fastify's own parser), where an empty body
 * counts as no body: a POST that takes no input may be sent with `content-type: application/json`.
 */
export const jsonBodyParser = fp(async (app: FastifyInstance) => {
  const parse = app.getDefaultJsonParser('error', 'error')
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string
    if (text.trim() === '') return done(null, undefined)
    parse(request, text, done)
  })
  // A POST with no body at all validates as an empty object: optional-body endpoints accept it,
  // the others name their missing fields.
  app.addHook('preValidation', async (request) => {
    if (request.body === undefined && ['POST', 'PUT', 'PATCH'].includes(request.method)) request.body = {}
  })
})
