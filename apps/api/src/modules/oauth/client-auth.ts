import type { FastifyRequest } from 'fastify'
import { parseBasic } from '../../plugins/auth.js'
import type { IdentityService } from '../identity/identity.service.js'
import { OauthError } from './oauth.errors.js'
import type { Client } from './tokens.service.js'

/**
 * Client authentication at the token, introspection and revocation endpoints:
 * `client_secret_basic` or `client_secret_post`, exactly one of them.
 */
export async function authenticateClient(
  identity: IdentityService,
  request: FastifyRequest,
  form: Record<string, string | undefined>,
): Promise<Client> {
  const header = request.headers.authorization
  const inBody = form.client_id !== undefined || form.client_secret !== undefined
  if (header && inBody)
    throw new OauthError('invalid_request', 'use one client authentication method, not two')
  const credentials = header
    ? parseBasic(header)
    : form.client_id && form.client_secret
      ? { id: form.client_id, secret: form.client_secret }
      : undefined
  const companyId = credentials && (await identity.authenticateClient(credentials.id, credentials.secret))
  if (!credentials || !companyId) throw new OauthError('invalid_client')
  return { clientId: credentials.id, companyId }
}
