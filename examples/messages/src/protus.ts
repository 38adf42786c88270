import { createProtusClient, isProtusError, type ProtusClient, type Scope, type Service } from '@protus/sdk'
import type { Config } from './config.js'
import type { Store, User } from './store.js'

/** What Messages asks for at "Sign in with PROTUS". */
export const SIGN_IN_SCOPES: Scope[] = ['check', 'hold', 'charge', 'profile', 'email']

/** Managed accounts of direct users allow everything. */
export const MANAGED_SCOPES: Scope[] = ['check', 'hold', 'charge']

/** The PROTUS client of Messages, and the services of its catalogue found by name. */
export function createProtus(config: Config['protus']) {
  const client = createProtusClient(config)
  const services = new Map<string, Service>()

  /** "Client", "Campaign" and the monthly "Pro", as `npm run demo` created them in the catalogue. */
  async function service(name: 'Client' | 'Campaign' | 'Pro'): Promise<Service> {
    const known = services.get(name)
    if (known) return known
    const { data } = await client.services.list({ active: true, limit: 100 })
    const found = data.find((s) => s.name === name)
    if (!found) throw new Error(`the PROTUS catalogue of Messages has no active service "${name}"`)
    services.set(name, found)
    return found
  }

  return { client, service }
}

export type Protus = ReturnType<typeof createProtus>

/**
 * The PROTUS account to bill for a user. A direct user's managed account is opened at their
 * first sign-in; should PROTUS have been unreachable then, it is opened now.
 */
export async function accountOf(protus: Protus, store: Store, user: User): Promise<string> {
  if (user.protusAccount) return user.protusAccount
  const account = await protus.client.ensureAccount({
    externalId: user.id,
    email: user.email ?? undefined,
    username: user.name,
  })
  user.protusAccount = account.id
  await store.save()
  return account.id
}

/** Why PROTUS refused to move money, in the terms of the pages that explain it. */
export type Refusal =
  | { kind: 'insufficient_funds' }
  | { kind: 'spending_limit'; limit: number; remaining: number }
  | { kind: 'missing_scope'; missing: Scope[] }
  | { kind: 'revoked' }

/** Turns a billing error into a refusal to explain, or rethrows what is not one. */
export function refusalOf(error: unknown): Refusal {
  if (isProtusError(error, 'insufficient_funds')) return { kind: 'insufficient_funds' }
  if (isProtusError(error, 'spending_limit_exceeded')) {
    const limit = error.problem?.limit
    const remaining = error.problem?.remaining
    return {
      kind: 'spending_limit',
      limit: typeof limit === 'number' ? limit : 0,
      remaining: typeof remaining === 'number' ? remaining : 0,
    }
  }
  if (isProtusError(error, 'grant_revoked')) return { kind: 'revoked' }
  if (isProtusError(error, 'insufficient_scope')) {
    const scope = typeof error.problem?.scope === 'string' ? error.problem.scope : 'charge'
    return { kind: 'missing_scope', missing: scope.split(' ') as Scope[] }
  }
  throw error
}

export type { ProtusClient }
