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

const isRiskyCharacter = (char: string) => char === '\\' || char <= '\u001f' || char === '\u007f'

// Any origin does: a target is read against it only to see whether it would leave it.
const SAME_ORIGIN = 'https://protus.invalid'

/**
 * A redirect target from a query string, if it stays on this origin (no open redirects): a path
 * starting with one slash, normalised. Browsers drop tabs and line breaks from a URL and read a
 * backslash as a slash, so a target holding any of them is refused rather than guessed at.
 */
export function safeRedirect(value: unknown): string | null {
  if (typeof value !== 'string' || !value.startsWith('/')) return null
  if (value.startsWith('//') || [...value].some(isRiskyCharacter)) return null
  let url: URL
  try {
    url = new URL(value, SAME_ORIGIN)
  } catch {
    return null
  }
  // Dot segments can fold a path into one that starts with two slashes: "/.//evil.example".
  if (url.origin !== SAME_ORIGIN || url.pathname.startsWith('//')) return null
  return `${url.pathname}${url.search}${url.hash}`
}

/**
 * Whether a safe redirect target is a page of the server rather than of the app: the OAuth
 * authorization endpoint sends a person to sign in and expects them back, and only a full page
 * load reaches it.
 */
export function isServerPath(path: string): boolean {
  return path.startsWith('/oauth/')
}

/**
 * Where to go after signing in or registering as `kind`: the page that sent the visitor to sign
 * in, when it is safe and wanted that kind of account, or else the home of that kind.
 */
export function returnPath(query: Record<string, unknown>, kind: AccountKind): string {
  const wanted = safeRedirect(query.redirect)
  return wanted && query.kind === kind ? wanted : homePathFor(kind)
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
