import type {
  FastifyInstance,
  FastifyPluginAsync,
  FastifyReply,
  FastifyRequest,
  preHandlerAsyncHookHandler,
} from 'fastify'
import { checkScopes, type ProtusAuthOptions, type ProtusRequestState, resolveState } from './guard.js'
import type { Scope } from './types.js'
import { createWebhookReceiver, type WebhookHandlers, type WebhookReceiverOptions } from './webhooks.js'

export type { ProtusAuthOptions, ProtusRequestState, ProtusUser, SessionUser } from './guard.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `protusAuth()`: `request.protus.user` is the person, or null. */
    protus: ProtusRequestState | null
  }
}

/** Makes a plugin apply to the context it is registered in, as fastify-plugin does. */
function unencapsulated<T extends FastifyPluginAsync>(plugin: T, name: string): T {
  Object.assign(plugin, { [Symbol.for('skip-override')]: true, [Symbol.for('fastify.display-name')]: name })
  return plugin
}

/**
 * A Fastify plugin that resolves the person each request acts for — from a bearer access token
 * (introspected, cached for a few seconds) or from your session — into `request.protus.user`. It
 * applies to the context you register it in and refuses nothing itself; `requireScope()` does.
 *
 * @example
 * ```ts
 * import { protusAuth, requireScope } from '@protus/sdk/fastify'
 *
 * await app.register(protusAuth({ protus, session: (request) => request.session.get('protusUser') }))
 * app.post('/clients', { preHandler: requireScope('charge') }, addClient)
 * ```
 */
export function protusAuth(options: ProtusAuthOptions<FastifyRequest>): FastifyPluginAsync {
  return unencapsulated(async (app: FastifyInstance) => {
    if (!app.hasRequestDecorator('protus')) app.decorateRequest('protus', null)
    app.addHook('onRequest', async (request) => {
      request.protus = await resolveState(options, request, request.headers.authorization)
    })
  }, 'protus-auth')
}

/**
 * A preHandler that lets a request through only for a person who granted every given scope:
 * 401 problem+json `unauthenticated` without one, 403 `insufficient_scope` with `reconsent_url`
 * (a URL asking for just the missing scopes) otherwise. Pass `onDenied` to answer differently.
 *
 * @example
 * ```ts
 * app.post('/campaigns', { preHandler: requireScope('hold', 'charge') }, launchCampaign)
 * ```
 */
export function requireScope(
  ...args: (
    | Scope
    | {
        onDenied: (
          request: FastifyRequest,
          reply: FastifyReply,
          problem: Record<string, unknown> & { status: number },
        ) => unknown
      }
  )[]
): preHandlerAsyncHookHandler {
  const scopes = args.filter((a): a is Scope => typeof a === 'string')
  const custom = args.find((a) => typeof a === 'object')
  return async function requireProtusScope(request, reply) {
    const denial = await checkScopes(request.protus, scopes)
    if (!denial) return
    if (custom) {
      await custom.onDenied(request, reply, denial.body as Record<string, unknown> & { status: number })
      return reply
    }
    return reply.status(denial.status).headers(denial.headers).send(JSON.stringify(denial.body))
  }
}

/**
 * A Fastify plugin serving `POST <path>` (default `/webhooks/protus`) for PROTUS webhooks: it
 * reads the body as raw bytes (its own content-type parser, kept inside the plugin, so the rest
 * of your app still parses JSON), verifies the signature (400 when it fails), skips events
 * already handled, runs your handler for the event's type and answers 200. A handler that
 * throws makes the answer a 500, and PROTUS retries.
 *
 * @example
 * ```ts
 * import { createWebhookHandler } from '@protus/sdk/fastify'
 *
 * await app.register(createWebhookHandler(process.env.PROTUS_WEBHOOK_SECRET!, {
 *   'charge.succeeded': (event) => orders.markPaid(event.data.metadata.order),
 * }, { path: '/webhooks/protus' }))
 * ```
 */
export function createWebhookHandler(
  secret: string | readonly string[],
  handlers: WebhookHandlers,
  options: WebhookReceiverOptions & { path?: string } = {},
): FastifyPluginAsync {
  const receive = createWebhookReceiver(secret, handlers, options)
  return async function protusWebhooks(app) {
    app.removeAllContentTypeParsers()
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body))
    app.post(options.path ?? '/webhooks/protus', async (request, reply) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0)
      const { status, body } = await receive(request.headers, raw)
      return reply.status(status).send(body)
    })
  }
}
