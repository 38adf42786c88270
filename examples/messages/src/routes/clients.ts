import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { paidRoute } from '../guard.js'
import { csrfField, html, list, money, page } from '../html.js'
import { takeKeptForm } from '../kept-form.js'
import { accountOf, type Protus, refusalOf } from '../protus.js'
import { explainRefusal } from '../refusals.js'
import { now, signedIn, userOf, viewerOf } from '../session.js'
import { newId, type Store } from '../store.js'

interface ClientForm {
  name?: string
  phone?: string
  /** One per rendered form: a resubmitted form replays its charge instead of paying twice. */
  attempt?: string
}

/** "Add a client": the paid service "Client", charged before the client is saved. */
export function clientRoutes(app: FastifyInstance, { store, protus }: { store: Store; protus: Protus }) {
  app.get<{ Querystring: { added?: string; restored?: string } }>(
    '/clients',
    { preHandler: signedIn },
    async (request, reply) => {
      const user = userOf(request)
      const clients = store.data.clients.filter((c) => c.userId === user.id)
      const added = clients.find((c) => c.id === request.query.added)
      const kept = request.query.restored ? takeKeptForm(request, '/clients') : undefined
      if (kept) await store.save()
      const service = await protus.service('Client')
      const price = money(service.price, service.currency)
      const rows = clients.map((c) => ({ testid: 'client-row', cells: [c.name, c.phone, c.charge] }))
      return reply.type('text/html').send(
        page(
          'Clients',
          viewerOf(request),
          html`${added ? html`<p class="card ok" data-testid="client-added">${added.name} was added and ${price} was charged.</p>` : ''}
${kept ? html`<p class="card ok" data-testid="form-restored">Your client is filled in as you left it: check it and add it.</p>` : ''}
<form class="card" method="post" action="/clients">
  <h2>Add a client</h2>
  <p class="muted">Each client costs <span data-testid="client-price">${price}</span>, paid from ${user.kind === 'direct' ? 'your Messages balance' : 'your PROTUS wallet'}.</p>
  ${csrfField(request.session.csrf)}<input type="hidden" name="attempt" value="${randomUUID()}">
  <label>Name <input name="name" required maxlength="100" value="${kept?.name ?? ''}" data-testid="client-name"></label>
  <label>Phone <input name="phone" required maxlength="20" placeholder="+7 900 000-00-00" value="${kept?.phone ?? ''}" data-testid="client-phone"></label>
  <button data-testid="add-client">Add for ${price}</button>
</form>
${list(
  'clients',
  ['Name', 'Phone', 'PROTUS charge'],
  rows,
  html`<p class="card empty" data-testid="no-clients">No clients yet. Add your first one above: each costs ${price}.</p>`,
)}`,
        ),
      )
    },
  )

  app.post<{ Body: ClientForm }>(
    '/clients',
    { preHandler: [signedIn, paidRoute(store, 'a new client', 'charge')] },
    async (request, reply) => {
      const user = userOf(request)
      const name = request.body.name?.trim() ?? ''
      const phone = request.body.phone?.trim() ?? ''
      const attempt = request.body.attempt ?? randomUUID()
      if (!name || !/^\+?[0-9 ()-]{5,20}$/.test(phone)) {
        return reply
          .status(400)
          .type('text/html')
          .send(
            page(
              'Clients',
              viewerOf(request),
              html`<p class="card problem">Give the client a name and a phone number. <a href="/clients">Back</a></p>`,
            ),
          )
      }
      // Pay first: the client is saved only once PROTUS has taken the money.
      let chargeId: string
      try {
        const service = await protus.service('Client')
        const charge = await protus.client.charges.create(
          {
            account: await accountOf(protus, store, user),
            service: service.id,
            description: `Client ${name}`,
            metadata: { phone },
          },
          { idempotencyKey: `client-${user.id}-${attempt}` },
        )
        chargeId = charge.id
      } catch (error) {
        return explainRefusal(request, reply, store, refusalOf(error), 'a new client')
      }
      let client = store.data.clients.find((c) => c.charge === chargeId)
      if (!client) {
        client = { id: newId('cli'), userId: user.id, name, phone, charge: chargeId, createdAt: now() }
        store.data.clients.push(client)
        await store.save()
      }
      return reply.redirect(`/clients?added=${client.id}`, 303)
    },
  )
}
