import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { paidRoute } from '../guard.js'
import { csrfField, html, money, page } from '../html.js'
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
  app.get<{ Querystring: { added?: string } }>(
    '/clients',
    { preHandler: signedIn },
    async (request, reply) => {
      const user = userOf(request)
      const clients = store.data.clients.filter((c) => c.userId === user.id)
      const added = clients.find((c) => c.id === request.query.added)
      const service = await protus.service('Client')
      const rows = clients.map(
        (c) =>
          html`<tr data-testid="client-row"><td>${c.name}</td><td>${c.phone}</td><td class="muted">${c.charge}</td></tr>`,
      )
      return reply.type('text/html').send(
        page(
          'Clients',
          viewerOf(request),
          html`${added ? html`<p class="card ok" data-testid="client-added">${added.name} was added and ${money(service.price, service.currency)} was charged.</p>` : ''}
<form class="card" method="post" action="/clients">
  <h2>Add a client</h2>
  <p class="muted">Each client costs <span data-testid="client-price">${money(service.price, service.currency)}</span>, paid from your PROTUS balance.</p>
  ${csrfField(request.session.csrf)}<input type="hidden" name="attempt" value="${randomUUID()}">
  <label>Name <input name="name" required maxlength="100" data-testid="client-name"></label>
  <label>Phone <input name="phone" required maxlength="20" placeholder="+7 900 000-00-00" data-testid="client-phone"></label>
  <button data-testid="add-client">Add for ${money(service.price, service.currency)}</button>
</form>
<table data-testid="clients"><tr><th>Name</th><th>Phone</th><th>PROTUS charge</th></tr>${rows}</table>
${clients.length === 0 ? html`<p class="muted" data-testid="no-clients">No clients yet.</p>` : ''}`,
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
