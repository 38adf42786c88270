import type { Scope } from '@protus/sdk'
import { requireScope } from '@protus/sdk/fastify'
import { explainRefusal } from './refusals.js'
import type { Store } from './store.js'

/**
 * The SDK's scope guard for a paid route: a user who did not allow `scopes` gets the page that
 * explains it (with a button that asks PROTUS for just the missing scopes) before anything is
 * sent to PROTUS. PROTUS checks the grant again on every billing call; this is the friendly answer.
 */
export function paidRoute(store: Store, whatFor: string, ...scopes: Scope[]) {
  return requireScope(...scopes, {
    onDenied: async (request, reply, problem) => {
      if (problem.status === 401) {
        if (request.user?.revoked) return explainRefusal(request, reply, store, { kind: 'revoked' }, whatFor)
        return reply.redirect('/')
      }
      const missing = (problem.missing_scopes as Scope[] | undefined) ?? scopes
      return explainRefusal(request, reply, store, { kind: 'missing_scope', missing }, whatFor)
    },
  })
}
