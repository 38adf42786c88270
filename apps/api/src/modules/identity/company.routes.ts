import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { type Static, Type } from 'typebox'
import { partnerSecurity, problemResponses } from '../../lib/schemas.js'
import { principalOf } from '../../plugins/auth.js'
import type { CompanySettingsService } from './company-settings.service.js'
import {
  Company,
  CompanyPatchBody,
  RotatedClientSecret,
  RotatedWebhookSecret,
  RotateSecretBody,
} from './identity.schemas.js'

type RotateSecretBodyType = Static<typeof RotateSecretBody>

const tags = ['Partner settings']
const security = partnerSecurity

/**
 * A partner's own settings, for its dashboard session or its server (Basic client credentials).
 * Secrets rotate from the dashboard only: a leaked client secret must not lock its owner out.
 */
export const companyRoutes: FastifyPluginAsyncTypebox<{ companies: CompanySettingsService }> = async (
  app,
  { companies },
) => {
  const partner = { auth: 'partner' as const }
  const dashboard = { auth: 'dashboard' as const }
  const dashboardSecurity = [{ sessionCookie: [] }]
  const rotationProof = (request: { ip: string; body: RotateSecretBodyType }) => ({
    code: request.body.two_factor_code,
    recovery_code: request.body.two_factor_recovery_code,
    ip: request.ip,
  })

  app.get(
    '/v1/company',
    {
      config: partner,
      schema: {
        tags,
        security,
        summary: 'The partner company',
        response: { 200: Type.Ref('Company'), ...problemResponses(401, 403) },
      },
    },
    async (request) => companies.getCompany(principalOf(request).id),
  )

  app.patch(
    '/v1/company',
    {
      config: partner,
      schema: {
        tags,
        security,
        summary: 'Change name, redirect URIs or webhook URL',
        description:
          'Redirect URIs and the webhook URL are absolute https URLs (http only on loopback hosts). Redirect URIs are later compared byte for byte. A webhook URL on a loopback, private or link-local host is refused with 400 `webhook_url_not_public` unless the server allows private webhooks (PROTUS_WEBHOOK_ALLOW_PRIVATE).',
        body: CompanyPatchBody,
        response: { 200: Type.Ref('Company'), ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => companies.updateCompany(principalOf(request).id, request.body),
  )

  app.post(
    '/v1/company/secrets/client_secret/rotate',
    {
      config: dashboard,
      schema: {
        tags,
        security: dashboardSecurity,
        summary: 'Issue a new client secret',
        description:
          'The previous secrets keep working until previous_expires_at. Only the dashboard session may rotate (403 dashboard_only with Basic credentials). A company that requires two-factor for rotation sends `two_factor_code` too (403 two_factor_required without it).',
        body: RotateSecretBody,
        response: { 200: RotatedClientSecret, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { secret, previousExpiresAt } = await companies.rotateSecret(
        principalOf(request).id,
        'client_secret',
        request.body.previous_expires_in,
        rotationProof(request),
      )
      return { client_secret: secret, previous_expires_at: previousExpiresAt }
    },
  )

  app.post(
    '/v1/company/secrets/webhook_secret/rotate',
    {
      config: dashboard,
      schema: {
        tags,
        security: dashboardSecurity,
        summary: 'Issue a new webhook signing secret',
        description:
          'Until previous_expires_at, webhooks carry signatures under both secrets. Only the dashboard session may rotate (403 dashboard_only with Basic credentials). A company that requires two-factor for rotation sends `two_factor_code` too (403 two_factor_required without it).',
        body: RotateSecretBody,
        response: { 200: RotatedWebhookSecret, ...problemResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { secret, previousExpiresAt } = await companies.rotateSecret(
        principalOf(request).id,
        'webhook_secret',
        request.body.previous_expires_in,
        rotationProof(request),
      )
      return { webhook_secret: secret, previous_expires_at: previousExpiresAt }
    },
  )
}

export const companySchemas = [Company]
