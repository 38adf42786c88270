import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { problemResponses } from '../../lib/schemas.js'
import { principalOf } from '../../plugins/auth.js'
import {
  RecoveryCodes,
  SignInChallenge,
  TwoFactorConfirmBody,
  TwoFactorEnrolment,
  TwoFactorPolicyBody,
  TwoFactorProofBody,
  TwoFactorStatus,
} from './two-factor.schemas.js'
import type { TwoFactorService } from './two-factor.service.js'

const tags = ['Two-factor sign-in']

/** TOTP two-factor sign-in of the signed-in person or company. */
export const twoFactorRoutes: FastifyPluginAsyncTypebox<{ twoFactor: TwoFactorService }> = async (
  app,
  { twoFactor },
) => {
  const session = { auth: 'session' as const }
  const account = (request: Parameters<typeof principalOf>[0]) => {
    const { kind, id } = principalOf(request)
    return { kind, id }
  }

  app.get(
    '/v1/me/two-factor',
    {
      config: session,
      schema: {
        tags,
        summary: 'Whether two-factor sign-in is on',
        response: { 200: Type.Ref('TwoFactorStatus'), ...problemResponses(401) },
      },
    },
    async (request) => twoFactor.status(account(request)),
  )

  app.post(
    '/v1/me/two-factor',
    {
      config: session,
      schema: {
        tags,
        summary: 'Start enrolling an authenticator app',
        description:
          'Answers a new secret as a QR code and as a key to type; two-factor stays off until POST /v1/me/two-factor/confirm with a code from the app. Starting again replaces a pending secret; 409 two_factor_already_enabled while it is on.',
        response: { 201: TwoFactorEnrolment, ...problemResponses(401, 403, 409) },
      },
    },
    async (request, reply) => reply.status(201).send(await twoFactor.enrol(account(request))),
  )

  app.post(
    '/v1/me/two-factor/confirm',
    {
      config: session,
      schema: {
        tags,
        summary: 'Turn two-factor sign-in on with a first code',
        description: 'Answers ten single-use recovery codes, shown only now.',
        body: TwoFactorConfirmBody,
        response: { 200: RecoveryCodes, ...problemResponses(400, 401, 403, 409, 422, 429) },
      },
    },
    async (request) => twoFactor.confirm(account(request), request.body.code, request.ip),
  )

  app.post(
    '/v1/me/two-factor/disable',
    {
      config: session,
      schema: {
        tags,
        summary: 'Turn two-factor sign-in off',
        description:
          'Needs a code or a recovery code. Unused recovery codes end with it, and so does a company’s rule that secret rotation needs a code.',
        body: TwoFactorProofBody,
        response: { 204: Type.Null(), ...problemResponses(400, 401, 403, 409, 422, 429) },
      },
    },
    async (request, reply) => {
      await twoFactor.disable(account(request), request.body, request.ip)
      return reply.status(204).send(null)
    },
  )

  app.put(
    '/v1/company/two-factor-policy',
    {
      config: { auth: 'dashboard' as const },
      schema: {
        tags,
        security: [{ sessionCookie: [] }],
        summary: 'Whether rotating a secret needs a two-factor code',
        description:
          'Needs two-factor sign-in on (409 two_factor_not_enabled) and a code or recovery code, to turn the rule on and off. Under the rule, the rotate endpoints take `two_factor_code` and answer 403 two_factor_required without it.',
        body: TwoFactorPolicyBody,
        response: { 200: Type.Ref('TwoFactorStatus'), ...problemResponses(400, 401, 403, 409, 422, 429) },
      },
    },
    async (request) => {
      const { required_for_secret_rotation: required, ...proof } = request.body
      return twoFactor.setRequiredForSecretRotation(principalOf(request).id, required, proof, request.ip)
    },
  )
}

export const twoFactorSchemas = [SignInChallenge, TwoFactorStatus]
