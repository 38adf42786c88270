import { ProtusOAuthError, type Scope } from '@protus/sdk'
import type { FastifyInstance } from 'fastify'
import { html, page } from '../html.js'
import { keptFormPage } from '../kept-form.js'
import { type Protus, SIGN_IN_SCOPES } from '../protus.js'
import { now, signIn, viewerOf } from '../session.js'
import { newId, type Store } from '../store.js'

const KNOWN_SCOPES = new Set<string>(SIGN_IN_SCOPES)

/**
 * Sign in with PROTUS (authorization code + PKCE through the SDK). `/auth/protus?scope=charge` is
 * also where a person grants a missing scope; with `resume=1` the callback leads back to the
 * form that needed it, with what they typed.
 */
export function signInWithProtusRoutes(
  app: FastifyInstance,
  { store, protus, redirectUri }: { store: Store; protus: Protus; redirectUri: string },
) {
  app.get<{ Querystring: { scope?: string; resume?: string } }>('/auth/protus', async (request, reply) => {
    const asked = (request.query.scope ?? '').split(' ').filter((s) => KNOWN_SCOPES.has(s)) as Scope[]
    const { url, state, codeVerifier } = await protus.client.oauth.authorizationUrl({
      redirectUri,
      scope: asked.length > 0 ? asked : SIGN_IN_SCOPES,
    })
    request.session.oauth = { state, codeVerifier, resume: request.query.resume === '1' }
    await store.save()
    return reply.redirect(url)
  })

  app.get('/auth/protus/callback', async (request, reply) => {
    const pending = request.session.oauth
    if (!pending) return reply.redirect('/')
    delete request.session.oauth
    let signedIn: Awaited<ReturnType<typeof protus.client.oauth.handleCallback>>
    try {
      signedIn = await protus.client.oauth.handleCallback({ url: request.url, ...pending, redirectUri })
    } catch (error) {
      if (!(error instanceof ProtusOAuthError)) throw error
      const denied = error.error === 'access_denied'
      return reply
        .status(denied ? 200 : 400)
        .type('text/html')
        .send(
          page(
            denied ? 'You did not allow Messages' : 'Sign in with PROTUS did not work',
            viewerOf(request),
            html`<p class="card problem" data-testid="sign-in-failed">${denied ? 'Nothing was shared with Messages.' : error.message}
<a href="${(pending.resume && keptFormPage(request)) || '/'}">Back to Messages</a></p>`,
          ),
        )
    }
    // The grant's scopes as PROTUS keeps them (a re-consent for one scope keeps the others).
    const account = await protus.client.accounts.get(signedIn.accountId)
    let user = store.data.users.find((u) => u.protusAccount === signedIn.accountId)
    if (!user) {
      user = {
        id: newId('usr'),
        kind: 'protus',
        email: signedIn.user.email ?? null,
        name: signedIn.user.preferred_username ?? signedIn.accountId,
        protusAccount: signedIn.accountId,
        scopes: [],
        createdAt: now(),
      }
      store.data.users.push(user)
    }
    user.scopes = account.scopes
    user.revoked = false
    signIn(request, user)
    await store.save()
    return reply.redirect((pending.resume && keptFormPage(request)) || '/clients')
  })
}
