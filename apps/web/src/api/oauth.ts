import { http } from './http.ts'
import type { ConsentDecision, ConsentRequest, Grant, GrantLimitUpdate } from './types.ts'

export function fetchConsentRequest(id: string): Promise<ConsentRequest> {
  return http.get(`/v1/oauth/requests/${encodeURIComponent(id)}`)
}

/** Answers a consent request; the browser then goes to `redirect_to`, back to the partner. */
export function decideConsentRequest(
  id: string,
  decision: ConsentDecision,
): Promise<{ redirect_to: string }> {
  return http.post(`/v1/oauth/requests/${encodeURIComponent(id)}/decision`, decision)
}

/** The connected partners, then the ones whose access was revoked (with `revoked_at`). */
export function listGrants(): Promise<{ data: Grant[] }> {
  return http.get('/v1/me/grants', { include: 'revoked' })
}

/** Takes the partner's access away at once. */
export async function revokeGrant(clientId: string): Promise<void> {
  await http.delete<void>(`/v1/me/grants/${encodeURIComponent(clientId)}`)
}

/** Sets, changes or (with null) removes the partner's monthly spending limit; answers the grant. */
export function updateGrantLimit(clientId: string, update: GrantLimitUpdate): Promise<Grant> {
  return http.put(`/v1/me/grants/${encodeURIComponent(clientId)}/limit`, update)
}
