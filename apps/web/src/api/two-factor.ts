import type { components, paths } from '@protus/sdk'
import { http } from './http.ts'
import type { Me } from './types.ts'

type Schemas = components['schemas']
type Created<Path extends keyof paths> = paths[Path] extends {
  post: { responses: { 201: { content: { 'application/json': infer Body } } } }
}
  ? Body
  : never

/** POST /v1/sessions answers this instead of a session when the account has two-factor on. */
export type SignInChallenge = Schemas['SignInChallenge']
export type TwoFactorStatus = Schemas['TwoFactorStatus']
export type TwoFactorEnrolment = Created<'/v1/me/two-factor'>

/** A code from the authenticator app, or one of the recovery codes. */
export type TwoFactorProof = { code: string } | { recovery_code: string }

export const isChallenge = (answer: object): answer is SignInChallenge => 'two_factor_required' in answer

export function fetchTwoFactor(): Promise<TwoFactorStatus> {
  return http.get('/v1/me/two-factor')
}

export function startEnrolment(): Promise<TwoFactorEnrolment> {
  return http.post('/v1/me/two-factor')
}

/** Turns two-factor on; answers the recovery codes, which are never shown again. */
export async function confirmEnrolment(code: string): Promise<string[]> {
  return (await http.post<{ recovery_codes: string[] }>('/v1/me/two-factor/confirm', { code })).recovery_codes
}

export async function disableTwoFactor(proof: TwoFactorProof): Promise<void> {
  await http.post<void>('/v1/me/two-factor/disable', proof)
}

export function setRotationRule(required: boolean, proof: TwoFactorProof): Promise<TwoFactorStatus> {
  return http.put('/v1/company/two-factor-policy', { required_for_secret_rotation: required, ...proof })
}

/** The code step of a sign-in: the challenge from the password step and a code sign the browser in. */
export async function answerChallenge(challengeId: string, proof: TwoFactorProof): Promise<Me> {
  const me = await http.post<Me>('/v1/sessions/two-factor', { challenge_id: challengeId, ...proof })
  http.setCsrfToken(me.csrf_token)
  return me
}
