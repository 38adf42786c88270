import type { Scope } from '@protus/sdk'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { html, money, page } from './html.js'
import { keepForm } from './kept-form.js'
import type { Refusal } from './protus.js'
import { viewerOf } from './session.js'
import type { Store } from './store.js'

const SCOPE_NAMES: Record<string, string> = {
  check: 'see your balance',
  hold: 'reserve money for a campaign',
  charge: 'take payment for clients, campaigns and plans',
}

/**
 * What Messages shows when PROTUS (or its own scope check) refuses a paid action; nothing was
 * saved. The page answers with the refusal's HTTP status; `data-reason` names it.
 */
export async function explainRefusal(
  request: FastifyRequest,
  reply: FastifyReply,
  store: Store,
  refusal: Refusal,
  whatFor: string,
) {
  const viewer = viewerOf(request)
  if (refusal.kind === 'insufficient_funds') {
    const direct = request.user?.kind === 'direct'
    const topUp = direct
      ? html`<a class="button" href="/account" data-testid="top-up-link">Add money to your Messages balance</a>`
      : html`Top up your wallet at PROTUS, then try again.`
    return reply
      .status(402)
      .type('text/html')
      .send(
        page(
          'Not enough money',
          viewer,
          html`<div class="card problem" data-testid="refusal" data-reason="insufficient_funds">
<p>There is not enough money on ${direct ? 'your Messages balance' : 'your PROTUS wallet'} for ${whatFor}. Nothing was charged and nothing was saved.</p>
<p>${topUp}</p></div>`,
        ),
      )
  }
  if (refusal.kind === 'spending_limit') {
    return reply
      .status(402)
      .type('text/html')
      .send(
        page(
          'Over your monthly limit for Messages',
          viewer,
          html`<div class="card problem" data-testid="refusal" data-reason="spending_limit_exceeded">
<p>You allowed Messages to take at most ${money(refusal.limit, 'RUB')} a month from your PROTUS wallet,
and ${money(refusal.remaining, 'RUB')} of it is left this month: not enough for ${whatFor}.
Nothing was charged and nothing was saved.</p>
<p>You can raise or remove the limit under Connected services in your PROTUS wallet, or wait for next month.</p></div>`,
        ),
      )
  }
  if (refusal.kind === 'revoked') {
    if (request.user) {
      request.user.revoked = true
      await store.save()
    }
    return reply
      .status(403)
      .type('text/html')
      .send(
        page(
          'Messages is disconnected from your PROTUS account',
          viewer,
          html`<div class="card problem" data-testid="refusal" data-reason="grant_revoked">
<p>You revoked the access of Messages in PROTUS (Connected services), so Messages can no longer
charge your wallet. Nothing was charged and nothing was saved.</p>
<p>To go on using paid features, sign in with PROTUS again and allow access.</p>
<p><a class="button" href="/auth/protus" data-testid="sign-in-again">Sign in with PROTUS again</a></p></div>`,
        ),
      )
  }
  return missingScope(request, reply, store, refusal.missing, whatFor)
}

/**
 * The page of a missing scope, with a button that asks PROTUS for just that scope. Messages reads
 * the grant's scopes from PROTUS after the callback (a consent for one more scope keeps the
 * others), so it asks only for what is missing; the consent page shows just that and notes the
 * rest as allowed already. What the user typed is kept and given back after the callback.
 */
async function missingScope(
  request: FastifyRequest,
  reply: FastifyReply,
  store: Store,
  missing: Scope[],
  whatFor: string,
) {
  const formPage = keepForm(request)
  await store.save()
  const ask = new URLSearchParams({ scope: missing.join(' ') })
  if (formPage) ask.set('resume', '1')
  const rights = missing.map((s) => SCOPE_NAMES[s] ?? s).join(' and ')
  return reply
    .status(403)
    .type('text/html')
    .send(
      page(
        'Messages needs your permission',
        viewerOf(request),
        html`<div class="card problem" data-testid="refusal" data-reason="insufficient_scope" data-missing="${missing.join(' ')}">
<p>When you signed in with PROTUS you did not allow Messages to ${rights}
(the <code>${missing.join(' ')}</code> permission), so it cannot take payment for ${whatFor}.
Nothing was charged and nothing was saved.</p>
<p>You can allow it now: PROTUS asks you for just this permission, and you can change your mind
any time under Connected services in your PROTUS wallet.${formPage ? ' Then you are back at your form, filled in as you left it.' : ''}</p>
<p><a class="button" href="/auth/protus?${ask.toString()}" data-testid="grant-scope">Allow ${missing.join(' and ')} in PROTUS</a></p></div>`,
      ),
    )
}
