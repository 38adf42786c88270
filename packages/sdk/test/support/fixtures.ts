import { randomBytes } from 'node:crypto'
import { Webhook } from 'standardwebhooks'
import type { ProtusError, ProtusOAuthError } from '../../src/errors.js'
import type { Introspection } from '../../src/oauth.js'
import type { Scope } from '../../src/types.js'

export const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64')}`

/** An event body and the headers the reference Standard Webhooks library signs it with, now. */
export function signedEvent(secret: string, type: string, data: object) {
  const body = JSON.stringify({ type, timestamp: new Date().toISOString(), data })
  const headers = (id: string) => ({
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
    'webhook-signature': new Webhook(secret).sign(id, new Date(), body),
  })
  return { body, headers }
}

/** A fake introspection that knows one live token. */
export function introspectionOf(token: string, sub: string, scopes: Scope[], refreshToken?: string) {
  return {
    async introspect(presented: string): Promise<Introspection> {
      if (presented !== token && presented !== refreshToken) return { active: false }
      return {
        active: true,
        scope: scopes.join(' '),
        scopes,
        client_id: 'cl_1',
        sub,
        exp: 4_000_000_000,
        iat: 1,
        iss: 'https://protus.test',
        token_type: presented === token ? 'Bearer' : 'refresh_token',
      }
    },
  }
}

/** Awaits a call that must be refused with an error of the given class, and answers the error. */
export function refusal<E extends ProtusError | ProtusOAuthError>(
  promise: Promise<unknown>,
  type: abstract new (...args: never[]) => E,
): Promise<E> {
  return promise.then(
    () => {
      throw new Error('expected a refusal')
    },
    (error: unknown) => {
      if (!(error instanceof type)) throw error
      return error
    },
  )
}
