import type { FastifyRequest } from 'fastify'
import type { KeptForm } from './store.js'

/** The paid forms whose values survive a trip to PROTUS for a missing permission, by page. */
const FIELDS: Record<string, readonly string[]> = {
  '/clients': ['name', 'phone'],
  '/campaigns': ['name', 'message', 'recipients'],
  '/plans/subscribe': [],
}

/** The page of a form that posts to a path of its own. */
const PAGES: Record<string, string> = { '/plans/subscribe': '/plans' }

/**
 * Keeps what the user typed into a paid form PROTUS's permission was missing for, so that after
 * granting it they come back to the form as they left it. Answers the form's page, or undefined
 * when the request is not one of those forms.
 */
export function keepForm(request: FastifyRequest): string | undefined {
  const path = request.url.split('?')[0] ?? ''
  const fields = FIELDS[path]
  const user = request.user
  if (request.method !== 'POST' || !fields || !user) return undefined
  const body = (request.body ?? {}) as Record<string, unknown>
  const values = Object.fromEntries(
    fields.flatMap((field) => (typeof body[field] === 'string' ? [[field, body[field] as string]] : [])),
  )
  const page = PAGES[path] ?? path
  request.session.keptForm = { userId: user.id, path: page, values }
  return page
}

/** The values kept for the form of `path`, handed out once. */
export function takeKeptForm(request: FastifyRequest, path: string): KeptForm['values'] | undefined {
  const kept = request.session.keptForm
  if (!kept || kept.path !== path || kept.userId !== request.user?.id) return undefined
  delete request.session.keptForm
  return kept.values
}

/** Where a Sign in with PROTUS that granted a missing permission leads back to. */
export function keptFormPage(request: FastifyRequest): string | undefined {
  const kept = request.session.keptForm
  return kept && kept.userId === request.user?.id ? `${kept.path}?restored=1` : undefined
}
