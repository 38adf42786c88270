import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance, FastifySchema } from 'fastify'
import fp from 'fastify-plugin'
import { oauthSchemas } from '../modules/oauth/oauth.schemas.js'
import { webhookEventSchemas, webhooksDocument } from '../modules/webhooks/webhooks.schemas.js'
import { SECURE_SESSION_COOKIE, SESSION_COOKIE } from './auth.js'
import { PlatformStatus } from './health.schemas.js'
import { appPolicy, policyHeader } from './security-headers.js'

/**
 * Named objects no module's list in app.ts registers: the person's consent and grants, the
 * platform status, and the `data` of webhook events. Registered here, before the routes, so the
 * routes can answer them by reference and the document names them.
 */
const documentedSchemas = [...oauthSchemas, PlatformStatus, ...webhookEventSchemas]

/**
 * What the document says of a route beyond its schema: a response given as a named schema itself
 * (rather than `Type.Ref`) is still its component; a free-form query string (a record: the
 * authorization endpoint takes RFC 6749's parameters and checks them itself) has no parameters to
 * list, where OpenAPI would otherwise get the record's own keywords.
 */
function documentable(
  { schema, url }: { schema: FastifySchema; url: string },
  isComponent: (id: string) => boolean,
) {
  const { querystring, response, ...rest } = schema as FastifySchema & { response?: Record<string, unknown> }
  const freeForm = (querystring as { patternProperties?: unknown } | undefined)?.patternProperties
  const responses = Object.entries(response ?? {}).map(([status, answer]) => {
    const id = (answer as { $id?: unknown }).$id
    return [status, typeof id === 'string' && isComponent(id) ? { $ref: id } : answer]
  })
  return {
    schema: {
      ...rest,
      ...(querystring && !freeForm ? { querystring } : {}),
      ...(response ? { response: Object.fromEntries(responses) } : {}),
    },
    url,
  }
}

/**
 * OpenAPI 3.1 generated from the route schemas, with the webhooks PROTUS sends: JSON at
 * /docs/json, browsable at /docs. `npm run generate` turns it into the SDK's and web app's types.
 */
export const openapiPlugin = fp(async (app: FastifyInstance, opts: { version: string }) => {
  for (const schema of documentedSchemas) app.addSchema(schema)
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'PROTUS API',
        version: opts.version,
        description:
          'Wallet and billing for internet services. Errors are RFC 9457 problem+json with a stable `code`; see docs/problems.md.',
      },
      webhooks: webhooksDocument(),
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
            name: SECURE_SESSION_COOKIE,
            description:
              `Dashboard session, set by POST /v1/sessions; state changes also need the X-CSRF-Token header. ` +
              `Over https (as the server sees it after proxy trust) the cookie is ${SECURE_SESSION_COOKIE} (Secure, Path=/); ` +
              `over plain http, as in a local run, it is ${SESSION_COOKIE}. Each is accepted only over its own protocol.`,
          },
        },
      },
    },
    transform: (route: { schema: FastifySchema; url: string }) =>
      documentable(route, (id) => id in app.getSchemas()),
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => (json.$id as string) ?? `def-${i}`,
    },
  })
  // Swagger UI's page loads only its own scripts and, like the web app, writes a style element at
  // run time: the web app's policy fits it (its own default would let it be framed).
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: policyHeader(appPolicy) })
})
