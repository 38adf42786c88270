import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { Page, problemResponses } from '../../lib/schemas.js'
import { principalOf } from '../../plugins/auth.js'
import { EntriesQuery } from './wallet.schemas.js'
import type { WalletService } from './wallet.service.js'

const tags = ['Wallet']
const config = { auth: 'customer' as const }
const security = [{ sessionCookie: [] }]

/** The signed-in person's wallet, statement and accounts at partners. */
export const walletRoutes: FastifyPluginAsyncTypebox<{ wallet: WalletService }> = async (app, { wallet }) => {
  app.get(
    '/v1/me/wallet',
    {
      config,
      schema: {
        tags,
        security,
        summary: 'Available, held and posted funds',
        response: { 200: Type.Ref('Wallet'), ...problemResponses(401, 403) },
      },
    },
    async (request) => wallet.balance(principalOf(request).id),
  )

  app.get(
    '/v1/me/entries',
    {
      config,
      schema: {
        tags,
        security,
        summary: 'Statement: every movement on the wallet, newest first',
        querystring: EntriesQuery,
        response: { 200: Page(Type.Ref('Entry')), ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { limit = 20, starting_after } = request.query
      return wallet.entries(principalOf(request).id, { limit, startingAfter: starting_after })
    },
  )

  app.get(
    '/v1/me/accounts',
    {
      config,
      schema: {
        tags,
        security,
        summary: "The person's accounts at partners, with what each spent and holds",
        response: {
          200: Type.Object({ data: Type.Array(Type.Ref('PartnerAccount')) }, { additionalProperties: false }),
          ...problemResponses(401, 403),
        },
      },
    },
    async (request) => wallet.accounts(principalOf(request).id),
  )
}
