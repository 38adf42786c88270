import type { OAuthScope, RequestedScope } from '../api/types.ts'
import { knownScopes } from '../composables/scopes.ts'

/** Which of the requested scopes the person leaves switched on, by scope. */
export type ConsentChoices = Partial<Record<OAuthScope, boolean>>

/**
 * The requested scopes the consent page shows, in the usual order. A scope this app cannot name
 * is left out: the person could not know what they allowed, so it is never sent back as allowed.
 */
export function shownScopes(requested: readonly RequestedScope[]): RequestedScope[] {
  const byScope = new Map(requested.map((item) => [item.scope, item]))
  return knownScopes([...byScope.keys()]).flatMap((scope) => byScope.get(scope) ?? [])
}

/** Every requested scope starts switched on: the partner asked for what it needs. */
export function initialChoices(requested: readonly RequestedScope[]): ConsentChoices {
  return Object.fromEntries(shownScopes(requested).map(({ scope }) => [scope, true]))
}

/** The scopes to allow: those shown and still switched on. */
export function chosenScopes(requested: readonly RequestedScope[], choices: ConsentChoices): OAuthScope[] {
  return shownScopes(requested)
    .map(({ scope }) => scope)
    .filter((scope) => choices[scope] === true)
}
