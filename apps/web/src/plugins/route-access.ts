import type { AccountKind, Me } from '../api/types.ts'

export interface AccessTarget {
  fullPath: string
  query: Record<string, unknown>
  meta: {
    /** Only this kind of account may open the page. */
    requires?: AccountKind
    /** Pages for signing in or up, pointless once signed in as the wanted kind. */
    guestOnly?: boolean
  }
}

export interface Redirect {
  path: string
  query?: Record<string, string>
}

export type AccessDecision = true | Redirect

export function homePathFor(kind: AccountKind): string {
  return kind === 'company' ? '/company/services' : '/wallet'
}

/** A redirect target from a query string, if it stays inside the app (no open redirects). */
export function safeRedirect(value: unknown): string | null {
  if (typeof value !== 'string' || !value.startsWith('/')) return null
  if (value.startsWith('//') || value.startsWith('/\\')) return null
  return value
}

export function signInRedirect(kind: AccountKind, target: string): Redirect {
  return { path: '/sign-in', query: { kind, redirect: target } }
}

/** Decides whether `me` may open `to`, or where to send them instead. */
export function decideAccess(to: AccessTarget, me: Me | null): AccessDecision {
  const { requires, guestOnly } = to.meta
  if (requires && me?.kind !== requires) return signInRedirect(requires, to.fullPath)
  if (guestOnly && me) {
    // Someone signed in as a person may still sign in as a company, and the other way round.
    const wanted = to.query.kind
    if (wanted !== undefined && wanted !== me.kind) return true
    return { path: safeRedirect(to.query.redirect) ?? homePathFor(me.kind) }
  }
  return true
}
