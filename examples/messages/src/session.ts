import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Viewer } from './html.js'
import { newId, type Session, type Store, type User } from './store.js'

const COOKIE = 'messages_session'

declare module 'fastify' {
  interface FastifyRequest {
    session: Session
    user: User | null
  }
}

const sameText = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b))

/**
 * Sessions of Messages: a random id in an HttpOnly cookie, the rest in the store. Every form
 * POST carries the session's CSRF token.
 */
export function registerSessions(app: FastifyInstance, store: Store) {
  app.decorateRequest('session', null as unknown as Session)
  app.decorateRequest('user', null)

  app.addHook('onRequest', async (request, reply) => {
    const id = request.cookies[COOKIE]
    let session = id ? store.data.sessions.find((s) => s.id === id) : undefined
    if (!session) {
      session = {
        id: randomBytes(24).toString('base64url'),
        userId: null,
        csrf: newId('csrf'),
        createdAt: now(),
      }
      store.data.sessions.push(session)
      reply.setCookie(COOKIE, session.id, { path: '/', httpOnly: true, sameSite: 'lax' })
    }
    request.session = session
    request.user = store.data.users.find((u) => u.id === session.userId) ?? null
  })

  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST') return
    const sent = (request.body as { csrf?: unknown } | undefined)?.csrf
    if (typeof sent !== 'string' || !sameText(sent, request.session.csrf)) {
      return reply
        .status(403)
        .type('text/plain')
        .send('This form has expired: go back, reload and try again.')
    }
  })
}

export const now = () => new Date().toISOString()

export function signIn(request: FastifyRequest, user: User) {
  request.session.userId = user.id
  request.session.csrf = newId('csrf')
  request.user = user
}

export const viewerOf = (request: FastifyRequest): Viewer | null =>
  request.user ? { name: request.user.name, kind: request.user.kind, csrf: request.session.csrf } : null

/** A preHandler for pages that need a signed-in user. */
export async function signedIn(request: FastifyRequest, reply: FastifyReply) {
  if (!request.user) return reply.redirect('/')
}

/** The signed-in user of a route behind `signedIn`. */
export function userOf(request: FastifyRequest): User {
  if (!request.user) throw new Error('the route needs the signedIn preHandler')
  return request.user
}
