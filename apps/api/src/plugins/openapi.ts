import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

/** OpenAPI 3.1 generated from the route schemas: JSON at /docs/json, browsable at /docs. */
export const openapiPlugin = fp(async (app: FastifyInstance, opts: { version: string }) => {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'PROTUS API',
        version: opts.version,
        description:
          'Wallet and billing for internet services. Errors are RFC 9457 problem+json with a stable `code`; see docs/problems.md.',
      },
      components: {
        securitySchemes: {
          basicAuth: {
            type: 'http',
            scheme: 'basic',
            description: 'client_id and client_secret of a partner',
          },
          sessionCookie: {
            type: 'apiKey',
            in: 'cookie',
            name: 'protus_session',
            description: 'Dashboard session; state changes also need the X-CSRF-Token header',
          },
        },
      },
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => (json.$id as string) ?? `def-${i}`,
    },
  })
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true })
})
