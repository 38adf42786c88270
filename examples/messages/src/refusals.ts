import type { Scope } from '@protus/sdk'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { html, money, page } from './html.js'
import type { Refusal } from './protus.js'
import { viewerOf } from './session.js'
import type { Store } from './store.js'

const SCOPE_NAMES: Record<string, string> = {
  check: 'see your balance',
  hold: 'reserve money for a campaign',
  charge: 'take payment for clients and campaigns',
}

/** What Messages shows when PROTUS (or its own scope check) refuses a paid action; nothing was saved. */
export async function explainRefusal(
  request: FastifyRequest,
  reply: FastifyReply,
  store: Store,
  refusal: Refusal,
  whatFor: string,
) {
  const viewer = viewerOf(request)
  if (refusal.kind === 'insufficient_funds') {
    const topUp =
      request.user?.kind === 'direct'
        ? html`<a class="button" href="/account" data-testid="top-up-link">Top up your balance</a>`
        : html`Top up your wallet at PROTUS, then try again.`
    return reply
      .status(402)
      .type('text/html')
      .send(
        page(
          'Not enough money',
          viewer,
          html`<div class="card problem" data-testid="refusal" data-reason="insufficient_funds">
<p>There is not enough money on your PROTUS balance for ${whatFor}. Nothing was charged and nothing was saved.</p>
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
  return missingScope(request, reply, refusal, whatFor)
}

/** The page of a missing scope, with a button that asks PROTUS for just that scope. */
async function missingScope(
  request: FastifyRequest,
  reply: FastifyReply,
  { missing, reconsentUrl: fromGuard }: { missing: Scope[]; reconsentUrl?: string },
  whatFor: string,
) {
  // The SDK's re-consent URL (a route of ours that starts Sign in with PROTUS), asking for the
  // scopes granted already together with the missing ones, so the new token keeps them all.
  const granted = request.user?.scopes ?? []
  const reconsentUrl =
    fromGuard ??
    (await request.protus?.reconsentUrl([...new Set([...granted, ...missing])])) ??
    '/auth/protus'
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
<p>You can allow it now: PROTUS will ask you, and you can change your mind any time under
Connected services in your PROTUS wallet.</p>
<p><a class="button" href="${reconsentUrl}" data-testid="grant-scope">Allow ${missing.join(' and ')} in PROTUS</a></p></div>`,
      ),
    )
}
