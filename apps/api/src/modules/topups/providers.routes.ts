import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { problemResponses } from '../../lib/schemas.js'
import { pageLanguage } from './page-texts.js'
import type { PaymentProvider, ProviderWebhook } from './payment-provider.js'
import { topupReturnPath } from './payment-providers.js'
import { pageHeaders, resultPage } from './result.page.js'
import { returnLinkOf } from './return-link.js'
import { TopupParams } from './topups.schemas.js'
import type { TopupsService } from './topups.service.js'

interface Options {
  topups: TopupsService
  providers: readonly PaymentProvider[]
  publicUrl: string
}

const tags = ['Top-ups']

const WebhookReceived = Type.Object(
  {
    received: Type.Literal(true),
    topup: Type.Optional(Type.String({ description: 'The top-up the event settled' })),
    status: Type.Optional(Type.String()),
    changed: Type.Optional(Type.Boolean({ description: 'false when the top-up was already completed' })),
  },
  {
    additionalProperties: false,
    description: 'Only `received` for an event that settles no top-up of this PROTUS',
  },
)

const headerValue = (value: string | string[] | undefined) => (typeof value === 'string' ? value : undefined)

/** The providers' signed callbacks. A signature covers the exact bytes sent, so bodies stay unparsed here. */
const webhookRoutes: FastifyPluginAsyncTypebox<Options> = async (app, { topups, providers }) => {
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body))

  const route = (name: string, webhook: ProviderWebhook) =>
    app.post(
      `/v1/providers/${name}/webhook`,
      {
        schema: {
          tags,
          summary: `Payment events from the ${name} provider (signed)`,
          description: `${webhook.description} A repeated or unknown event answers 200 and changes nothing; a bad signature is 400 webhook_signature_invalid.`,
          response: { 200: WebhookReceived, ...problemResponses(400, 415) },
        },
      },
      async (request) => {
        const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0)
        const event = webhook.read(rawBody, headerValue(request.headers[webhook.signatureHeader]))
        const done = event ? await topups.completeFromProvider(name, event) : undefined
        if (!done) return { received: true as const }
        return {
          received: true as const,
          topup: done.topup.id,
          status: done.topup.status,
          changed: done.changed,
        }
      },
    )
  for (const provider of providers) if (provider.webhook) route(provider.name, provider.webhook)
}

/**
 * Routes payment providers and their payers come back through: each provider's webhook, and the
 * page a provider sends the payer back to, which asks the provider so a lost webhook loses no money.
 */
export const providerRoutes: FastifyPluginAsyncTypebox<Options> = async (app, options) => {
  const { topups, publicUrl } = options
  await app.register(webhookRoutes, options)

  app.get(
    topupReturnPath(':id'),
    {
      schema: {
        tags,
        summary: 'Where the payment page sends the payer back to',
        description:
          "Asks the provider how a pending top-up stands and completes it if it has ended, then redirects (303) to the partner's return_url, " +
          'or to the web wallet for a person (/wallet?topup=…); a managed account without return_url gets a result page.',
        params: TopupParams,
        response: problemResponses(404),
      },
    },
    async (request, reply) => {
      const topup = await topups.returned(request.params.id)
      const link = returnLinkOf(topup, `${publicUrl}/wallet?topup=${topup.id}`)
      if (link) return reply.header('cache-control', 'no-store').redirect(link.href, 303)
      const language = pageLanguage(undefined, request.headers['accept-language'])
      return reply.headers(pageHeaders).send(resultPage(topup, null, language))
    },
  )
}
