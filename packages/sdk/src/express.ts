import type { NextFunction, Request, RequestHandler, Response } from 'express'
import {
  checkScopes,
  type Denial,
  type ProtusAuthOptions,
  type ProtusRequestState,
  resolveState,
} from './guard.js'
import type { Scope } from './types.js'
import { createWebhookReceiver, type WebhookHandlers, type WebhookReceiverOptions } from './webhooks.js'

export type { ProtusAuthOptions, ProtusRequestState, ProtusUser, SessionUser } from './guard.js'

declare global {
  namespace Express {
    interface Request {
      /** Set by `protusAuth()`: `req.protus.user` is the person, or null. */
      protus?: ProtusRequestState
    }
  }
}

function deny(res: Response, denial: Denial): void {
  res.status(denial.status).set(denial.headers).send(JSON.stringify(denial.body))
}

/**
 * Express middleware that resolves the person a request acts for — from a bearer access token
 * (introspected, cached for a few seconds) or from your session — into `req.protus.user`. It
 * refuses nothing itself; `requireScope()` does.
 *
 * @example
 * ```ts
 * import { protusAuth, requireScope } from '@protus/sdk/express'
 *
 * app.use(protusAuth({ protus, session: (req) => req.session.protusUser }))
 * app.post('/clients', requireScope('charge'), addClient)
 * ```
 */
export function protusAuth(options: ProtusAuthOptions<Request>): RequestHandler {
  return (req, _res, next) => {
    resolveState(options, req, req.headers.authorization).then((state) => {
      req.protus = state
      next()
    }, next)
  }
}

/**
 * Lets a request through only for a person who granted every given scope: 401 problem+json
 * `unauthenticated` without one, 403 `insufficient_scope` with `reconsent_url` (a URL asking for
 * just the missing scopes) otherwise. Pass `onDenied` to answer differently, such as with a page.
 *
 * @example
 * ```ts
 * app.post('/campaigns', requireScope('hold', 'charge'), launchCampaign)
 * app.post('/clients', requireScope('charge', {
 *   onDenied: (req, res, problem) => res.status(problem.status).render('grant-charges', problem),
 * }), addClient)
 * ```
 */
export function requireScope(
  ...args: (
    | Scope
    | {
        onDenied: (req: Request, res: Response, problem: Record<string, unknown> & { status: number }) => void
      }
  )[]
): RequestHandler {
  const scopes = args.filter((a): a is Scope => typeof a === 'string')
  const custom = args.find((a) => typeof a === 'object')
  return (req: Request, res: Response, next: NextFunction) => {
    checkScopes(req.protus, scopes).then((denial) => {
      if (!denial) return next()
      if (custom)
        return custom.onDenied(req, res, denial.body as Record<string, unknown> & { status: number })
      deny(res, denial)
    }, next)
  }
}

async function readStream(req: Request): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)
  return Buffer.concat(chunks)
}

/** The exact bytes of the body: from `express.raw()`/`express.text()`, or read here when nothing parsed it. */
async function rawBodyOf(req: Request): Promise<Buffer | string> {
  const body: unknown = req.body
  if (Buffer.isBuffer(body) || typeof body === 'string') return body
  if (body === undefined && !req.readableEnded) return readStream(req)
  throw new Error(
    'the webhook route needs the raw body: mount it before express.json(), or give it express.raw({ type: "application/json" })',
  )
}

/**
 * An Express handler for PROTUS webhooks: verifies the signature on the raw body (answering
 * 400 when it fails), skips events already handled (by `webhook-id`), runs your handler for the
 * event's type and answers 200. A handler that throws makes the answer a 500, and PROTUS retries.
 * The route needs the body unparsed: register it before `app.use(express.json())`, or add
 * `express.raw({ type: 'application/json' })` in front of it.
 *
 * @example
 * ```ts
 * import { createWebhookHandler } from '@protus/sdk/express'
 *
 * app.post('/webhooks/protus', express.raw({ type: 'application/json' }), createWebhookHandler(
 *   process.env.PROTUS_WEBHOOK_SECRET!,
 *   { 'charge.succeeded': (event) => orders.markPaid(event.data.metadata.order) },
 * ))
 * ```
 */
export function createWebhookHandler(
  secret: string | readonly string[],
  handlers: WebhookHandlers,
  options: WebhookReceiverOptions = {},
): RequestHandler {
  const receive = createWebhookReceiver(secret, handlers, options)
  return (req, res, next) => {
    rawBodyOf(req)
      .then((raw) => receive(req.headers, raw))
      .then(({ status, body }) => {
        res.status(status).json(body)
      }, next)
  }
}
