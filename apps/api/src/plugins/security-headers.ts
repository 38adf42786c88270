import helmet from '@fastify/helmet'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

/**
 * The web app's policy, sent with every answer (a JSON answer ignores it; an HTML one obeys it).
 * Scripts come only from PROTUS's own files, never inline. Styles may be inline: Vuetify writes
 * its theme into a `<style>` element at run time, which a fixed hash cannot cover.
 */
export const appPolicy = {
  'default-src': ["'self'"],
  'base-uri': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  'object-src': ["'none'"],
}

/** A policy as the Content-Security-Policy header writes it. */
export const policyHeader = (policy: Record<string, string[]>) =>
  Object.entries(policy)
    .map(([directive, sources]) => `${directive} ${sources.join(' ')}`)
    .join('; ')

/** One year; sent only on answers to https requests, so a plain-http deployment never pins itself. */
const HSTS = 'max-age=31536000'

/**
 * Browser and transport headers on every answer: the CSP, no framing (CSP `frame-ancestors` and
 * X-Frame-Options for older browsers), nosniff, a same-origin referrer, and HSTS when the request
 * came over https as Fastify sees it after proxy trust. Pages with a policy of their own (the
 * server-rendered pages, /docs) replace the CSP header on their answers.
 */
export const securityHeaders = fp(async (app: FastifyInstance) => {
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: appPolicy },
    frameguard: { action: 'deny' },
    // Nothing of PROTUS's URLs reaches partners or the payment provider; PROTUS's own pages keep
    // the full referrer and the Origin header of their own requests.
    referrerPolicy: { policy: 'same-origin' },
    strictTransportSecurity: false,
  })
  app.addHook('onRequest', async (request, reply) => {
    if (request.protocol === 'https') reply.header('strict-transport-security', HSTS)
  })
})
