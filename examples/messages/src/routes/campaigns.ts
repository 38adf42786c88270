import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { paidRoute } from '../guard.js'
import { csrfField, html, list, money, page } from '../html.js'
import { takeKeptForm } from '../kept-form.js'
import { accountOf, type Protus, refusalOf } from '../protus.js'
import { explainRefusal } from '../refusals.js'
import { now, signedIn, userOf, viewerOf } from '../session.js'
import { type Campaign, newId, type Store } from '../store.js'

interface CampaignForm {
  name?: string
  message?: string
  /** One recipient a line: `Name, +7 900 000-00-00`. */
  recipients?: string
  attempt?: string
}

interface Recipient {
  name: string
  phone: string | null
}

const parseRecipients = (text: string): Recipient[] =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line) => {
      const [name = '', phone = ''] = line.split(',').map((part) => part.trim())
      return { name, phone: /^\+?[0-9 ()-]{5,20}$/.test(phone) ? phone : null }
    })

/** The SMS gateway, simulated: a recipient without a valid phone number cannot be reached. */
const send = (recipients: Recipient[], _message: string) => recipients.filter((r) => r.phone !== null).length

const summary = (c: Campaign) =>
  `${c.name}: sent to ${c.sent} of ${c.recipients} recipients; ${money(c.held, c.currency)} held, ` +
  `${money(c.captured, c.currency)} charged, ${money(c.held - c.captured, c.currency)} released`

/**
 * "Launch a campaign": hold the price of every recipient, send, then capture what was sent; the
 * capture releases the rest of the hold.
 */
export function campaignRoutes(app: FastifyInstance, { store, protus }: { store: Store; protus: Protus }) {
  app.get<{ Querystring: { launched?: string; restored?: string } }>(
    '/campaigns',
    { preHandler: signedIn },
    async (request, reply) => {
      const user = userOf(request)
      const campaigns = store.data.campaigns.filter((c) => c.userId === user.id)
      const launched = campaigns.find((c) => c.id === request.query.launched)
      const kept = request.query.restored ? takeKeptForm(request, '/campaigns') : undefined
      if (kept) await store.save()
      const service = await protus.service('Campaign')
      const price = money(service.price, service.currency)
      const rows = [...campaigns].reverse().map((c) => ({
        testid: 'campaign-row',
        cells: [
          c.name,
          `${c.sent} of ${c.recipients}`,
          money(c.held, c.currency),
          money(c.captured, c.currency),
          money(c.held - c.captured, c.currency),
        ],
        amounts: [2, 3, 4],
      }))
      return reply.type('text/html').send(
        page(
          'Campaigns',
          viewerOf(request),
          html`${launched ? html`<p class="card ok" data-testid="campaign-launched">${summary(launched)}.</p>` : ''}
${kept ? html`<p class="card ok" data-testid="form-restored">Your campaign is filled in as you left it: check it and launch it.</p>` : ''}
<form class="card" method="post" action="/campaigns">
  <h2>Launch a campaign</h2>
  <p class="muted">${price} per recipient. The whole campaign is held on ${user.kind === 'direct' ? 'your Messages balance' : 'your PROTUS wallet'} first;
  you pay only for the messages that were sent.</p>
  ${csrfField(request.session.csrf)}<input type="hidden" name="attempt" value="${randomUUID()}">
  <label>Name <input name="name" required maxlength="100" value="${kept?.name ?? ''}" data-testid="campaign-name"></label>
  <label>Message <textarea name="message" required maxlength="480" rows="2" data-testid="campaign-message">${kept?.message ?? ''}</textarea></label>
  <label>Recipients, one a line: <code>Name, phone</code>
  <textarea name="recipients" required rows="5" data-testid="campaign-recipients">${kept?.recipients ?? ''}</textarea></label>
  <button data-testid="launch-campaign">Launch</button>
</form>
${list(
  'campaigns',
  ['Campaign', 'Sent', 'Held', 'Charged', 'Released'],
  rows,
  html`<p class="card empty" data-testid="no-campaigns">No campaigns yet. Launch one above: you pay ${price} for each message sent.</p>`,
)}`,
        ),
      )
    },
  )

  app.post<{ Body: CampaignForm }>(
    '/campaigns',
    { preHandler: [signedIn, paidRoute(store, 'a campaign', 'hold', 'charge')] },
    async (request, reply) => {
      const user = userOf(request)
      const name = request.body.name?.trim() ?? ''
      const recipients = parseRecipients(request.body.recipients ?? '')
      const attempt = request.body.attempt ?? randomUUID()
      if (!name || recipients.length === 0 || recipients.length > 1000) {
        return reply
          .status(400)
          .type('text/html')
          .send(
            page(
              'Campaigns',
              viewerOf(request),
              html`<p class="card problem">Give the campaign a name and 1 to 1000 recipients. <a href="/campaigns">Back</a></p>`,
            ),
          )
      }
      let campaign: Campaign
      try {
        const service = await protus.service('Campaign')
        const hold = await protus.client.holds.create(
          {
            account: await accountOf(protus, store, user),
            service: service.id,
            quantity: recipients.length,
            description: `Campaign ${name}`,
            // Should we never get to capture it, the money comes back in an hour.
            expires_in: 3600,
          },
          { idempotencyKey: `campaign-${user.id}-${attempt}` },
        )
        const again = store.data.campaigns.find((c) => c.hold === hold.id)
        if (again) return reply.redirect(`/campaigns?launched=${again.id}`, 303)
        const sent = send(recipients, request.body.message ?? '')
        const captured =
          sent > 0
            ? await protus.client.holds.capture(
                hold.id,
                { amount: service.price * sent },
                { idempotencyKey: `campaign-${user.id}-${attempt}-capture` },
              )
            : await protus.client.holds.release(hold.id, {
                idempotencyKey: `campaign-${user.id}-${attempt}-release`,
              })
        campaign = {
          id: newId('cmp'),
          userId: user.id,
          name,
          recipients: recipients.length,
          sent,
          failed: recipients.length - sent,
          hold: hold.id,
          held: hold.amount,
          captured: captured.captured_amount,
          currency: hold.currency,
          createdAt: now(),
        }
      } catch (error) {
        return explainRefusal(request, reply, store, refusalOf(error), 'a campaign')
      }
      store.data.campaigns.push(campaign)
      await store.save()
      return reply.redirect(`/campaigns?launched=${campaign.id}`, 303)
    },
  )
}
