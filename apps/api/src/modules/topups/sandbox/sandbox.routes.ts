import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { problemResponses } from '../../../lib/schemas.js'
import { type PageLanguage, pageLanguage } from '../page-texts.js'
import { pageHeaders, resultPage } from '../result.page.js'
import { returnLinkOf } from '../return-link.js'
import { CheckoutForm, CheckoutParams, CheckoutQuery } from '../topups.schemas.js'
import type { TopupsService } from '../topups.service.js'
import { checkoutPage, failurePage, missingPage } from './checkout.page.js'
import { createSandboxCheckout } from './sandbox.checkout.js'
import {
  SANDBOX,
  SANDBOX_EVENTS_PATH,
  SANDBOX_SIGNATURE_HEADER,
  type SandboxProvider,
} from './sandbox.provider.js'

interface Options {
  topups: TopupsService
  sandbox: SandboxProvider
}

/** The payer's language: the web app's, passed as `?lang=`, else the browser's. */
const languageOf = (request: {
  query: { lang?: string }
  headers: { 'accept-language'?: string }
}): PageLanguage => pageLanguage(request.query.lang, request.headers['accept-language'])

/** The sandbox gateway's checkout page; the only routes that read HTML form posts. */
const checkoutRoutes: FastifyPluginAsyncTypebox<Options> = async (app, { topups, sandbox }) => {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)))
  })
  const checkout = createSandboxCheckout({
    topups,
    provider: sandbox,
    deliver: async (event) => {
      const res = await app.inject({
        method: 'POST',
        url: SANDBOX_EVENTS_PATH,
        headers: { 'content-type': 'application/json', [SANDBOX_SIGNATURE_HEADER]: event.signature },
        payload: event.body,
      })
      if (res.statusCode !== 200)
        app.log.error({ status: res.statusCode, body: res.body }, 'sandbox callback refused')
      return res.statusCode === 200
    },
  })

  app.get(
    '/sandbox/checkout/:paymentId',
    { schema: { hide: true, params: CheckoutParams, querystring: CheckoutQuery } },
    async (request, reply) => {
      reply.headers(pageHeaders)
      const language = languageOf(request)
      const topup = await checkout.find(request.params.paymentId)
      if (!topup) return reply.status(404).send(missingPage(language))
      if (topup.status !== 'pending')
        return reply.send(resultPage(topup, returnLinkOf(topup), language, true))
      return reply.send(checkoutPage(topup, language, await topups.partnerOf(topup)))
    },
  )

  app.post(
    '/sandbox/checkout/:paymentId',
    { schema: { hide: true, params: CheckoutParams, querystring: CheckoutQuery, body: CheckoutForm } },
    async (request, reply) => {
      reply.headers(pageHeaders)
      const language = languageOf(request)
      const done = await checkout.submit(request.params.paymentId, request.body.outcome)
      if (!done) return reply.status(404).send(missingPage(language))
      if (!done.accepted) return reply.status(502).send(failurePage(language))
      return reply.send(resultPage(done.topup, returnLinkOf(done.topup), language, true))
    },
  )
}

/** PROTUS's callback for the sandbox gateway: a signed event completes a top-up once. */
const callbackRoutes: FastifyPluginAsyncTypebox<Options> = async (app, { topups, sandbox }) => {
  // The signature covers the exact bytes sent, so this route reads its body unparsed.
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body))

  app.post(
    SANDBOX_EVENTS_PATH,
    {
      schema: {
        tags: ['Top-ups'],
        summary: 'Payment outcome from the sandbox provider (signed)',
        description:
          'Body {payment_id, outcome: "succeeded" | "failed"}; header x-sandbox-signature is the hex HMAC-SHA256 ' +
          'of the raw body under the sandbox key. Completes the top-up once; a repeat answers 200 and changes nothing.',
        response: {
          200: Type.Object(
            {
              received: Type.Literal(true),
              topup: Type.String(),
              status: Type.String(),
              changed: Type.Boolean({ description: 'false when the top-up was already completed' }),
            },
            { additionalProperties: false },
          ),
          ...problemResponses(400, 401, 404, 415),
        },
      },
    },
    async (request) => {
      const signature = request.headers[SANDBOX_SIGNATURE_HEADER]
      const event = sandbox.verify(
        typeof request.body === 'string' ? request.body : '',
        typeof signature === 'string' ? signature : undefined,
      )
      const { topup, changed } = await topups.complete(SANDBOX, event.payment_id, event.outcome)
      return { received: true as const, topup: topup.id, status: topup.status, changed }
    },
  )
}

export const sandboxRoutes: FastifyPluginAsyncTypebox<Options> = async (app, options) => {
  await app.register(checkoutRoutes, options)
  await app.register(callbackRoutes, options)
}
