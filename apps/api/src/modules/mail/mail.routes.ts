import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { Page, problemResponses } from '../../lib/schemas.js'
import { MailboxQuery } from './mail.schemas.js'
import type { MailService } from './mail.service.js'

/**
 * The sandbox mailbox (sandbox mode only, never registered in live mode). It answers without
 * authentication: it is the developer's way to follow a link a sandbox account was sent, and a
 * sandbox holds no real money. Whoever reaches a sandbox server can read its mail (docs/mail.md).
 */
export const mailRoutes: FastifyPluginAsyncTypebox<{ mail: MailService }> = async (app, { mail }) => {
  app.get(
    '/v1/sandbox/mail',
    {
      schema: {
        tags: ['Sandbox'],
        summary: 'Messages in the sandbox mailbox, newest first',
        description:
          'Sandbox mode without `PROTUS_SMTP_URL` delivers email here instead of over SMTP. No authentication: anyone who can reach a sandbox server can read its mailbox.',
        querystring: MailboxQuery,
        response: { 200: Page(Type.Ref('SandboxMail')), ...problemResponses(400) },
      },
    },
    async (request) => {
      const { to, limit = 20, starting_after } = request.query
      return mail.mailbox(to, { limit, startingAfter: starting_after })
    },
  )
}
