import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { problemResponses } from '../../lib/schemas.js'
import { principalOf } from '../../plugins/auth.js'
import { NotificationSettingsPatch } from './notifications.schemas.js'
import type { NotificationsService } from './notifications.service.js'

const tags = ['Wallet']
const config = { auth: 'customer' as const }
const security = [{ sessionCookie: [] }]

/** The signed-in person's email settings: receipts, new partners, low-balance alerts. */
export const notificationsRoutes: FastifyPluginAsyncTypebox<{ notifications: NotificationsService }> = async (
  app,
  { notifications },
) => {
  app.get(
    '/v1/me/notifications',
    {
      config,
      schema: {
        tags,
        security,
        summary: 'What PROTUS emails the person about their money',
        response: { 200: Type.Ref('NotificationSettings'), ...problemResponses(401, 403) },
      },
    },
    async (request) => notifications.get(principalOf(request).id),
  )

  app.patch(
    '/v1/me/notifications',
    {
      config,
      schema: {
        tags,
        security,
        summary: 'Switch receipts, new-partner emails or low-balance alerts; set the threshold and language',
        description: 'A new threshold (or null) re-arms the alert: the next movement below it alerts.',
        body: NotificationSettingsPatch,
        response: { 200: Type.Ref('NotificationSettings'), ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => notifications.update(principalOf(request).id, request.body),
  )
}
