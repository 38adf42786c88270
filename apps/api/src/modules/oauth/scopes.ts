import { createHash } from 'node:crypto'

export const SUPPORTED_SCOPES = ['check', 'hold', 'charge', 'profile', 'email'] as const
export type OauthScope = (typeof SUPPORTED_SCOPES)[number]

/** Parses a space-separated scope parameter; undefined when any scope is unknown. */
export function parseScope(raw: string | undefined): OauthScope[] | undefined {
  if (raw === undefined) return undefined
  const parts = raw.split(' ').filter((s) => s.length > 0)
  if (parts.length === 0 || parts.some((s) => !(SUPPORTED_SCOPES as readonly string[]).includes(s)))
    return undefined
  return SUPPORTED_SCOPES.filter((s) => parts.includes(s))
}

/** Scopes in their canonical order, without duplicates. */
export const canonical = (scopes: Iterable<string>): OauthScope[] => {
  const set = new Set(scopes)
  return SUPPORTED_SCOPES.filter((s) => set.has(s))
}

export const formatScope = (scopes: readonly string[]) => canonical(scopes).join(' ')

const CHALLENGE = /^[A-Za-z0-9_-]{43}$/
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/

export const isChallenge = (value: string) => CHALLENGE.test(value)

/** RFC 7636 S256: BASE64URL(SHA256(verifier)) equals the challenge. */
export function verifierMatches(verifier: string, challenge: string): boolean {
  if (!VERIFIER.test(verifier)) return false
  return createHash('sha256').update(verifier, 'ascii').digest('base64url') === challenge
}
