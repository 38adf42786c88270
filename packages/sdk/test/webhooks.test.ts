import Fastify, { type FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createProtusClient, type ProtusClient } from '../src/client.js'
import { ProtusError } from '../src/errors.js'
import { createWebhookHandler } from '../src/fastify.js'
import { verifyWebhook, type WebhookEvent } from '../src/webhooks.js'
import { refusal } from './support/fixtures.js'
import { payCheckout, registerCompany } from './support/people.js'
import { protusServer } from './support/server.js'

const server = protusServer()
let protus: ProtusClient
let webhookSecret: string
let receiver: FastifyInstance
/** Events the SDK's handler ran, and every request as it arrived, verified again by hand. */
const handled: WebhookEvent[] = []
const raw: { headers: Record<string, string | string[] | undefined>; body: Buffer }[] = []
const duplicates: string[] = []
let failNextCharge = false

beforeAll(async () => {
  const credentials = await registerCompany(server.baseUrl)
  webhookSecret = credentials.webhookSecret
  protus = createProtusClient({ baseUrl: server.baseUrl, ...credentials })

  receiver = Fastify()
  receiver.addHook('preHandler', async (request) => {
    raw.push({ headers: request.headers, body: request.body as Buffer })
  })
  const record = (event: WebhookEvent) => void handled.push(event)
  await receiver.register(
    createWebhookHandler(
      webhookSecret,
      {
        'account.created': record,
        'wallet.topped_up': record,
        'hold.created': record,
        'hold.captured': record,
        'charge.refunded': record,
        ping: record,
        'charge.succeeded': (event) => {
          // The partner's database is down once: PROTUS must send the event again.
          if (failNextCharge) {
            failNextCharge = false
            throw new Error('database unavailable')
          }
          record(event)
        },
      },
      { onDuplicate: (event) => void duplicates.push(event.id) },
    ),
  )
  const url = await receiver.listen({ port: 0, host: '127.0.0.1' })
  await protus.company.update({ webhook_url: `${url}/webhooks/protus` })
})
afterAll(async () => {
  await receiver?.close()
})

async function eventually<T>(
  find: () => T | undefined | Promise<T | undefined>,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const found = await find()
    if (found !== undefined) return found
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; got ${handled.map((e) => e.type)}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

const handledOf = <T extends WebhookEvent['type']>(type: T, id: string) =>
  eventually(
    () =>
      handled.find(
        (e): e is Extract<WebhookEvent, { type: T }> =>
          e.type === type && (e.data as { id?: string }).id === id,
      ),
    `${type} ${id}`,
  )

describe('webhooks from a real PROTUS server', () => {
  it('delivers signed events that verifyWebhook accepts, typed as the API objects', async () => {
    const account = await protus.ensureAccount({ externalId: 'hooked' })
    expect((await handledOf('account.created', account.id)).data).toMatchObject({
      kind: 'managed',
      external_id: 'hooked',
    })

    const topup = await protus.accounts.createTopup(account.id, { amount: 5_000 })
    await payCheckout(topup.checkout_url as string)
    const toppedUp = await handledOf('wallet.topped_up', topup.id)
    expect(toppedUp.data).toMatchObject({ account: account.id, amount: 5_000, status: 'succeeded' })

    const hold = await protus.holds.create({ account: account.id, amount: 1_000 })
    const captured = await protus.holds.capture(hold.id, { amount: 600 })
    expect((await handledOf('hold.created', hold.id)).data.amount).toBe(1_000)
    expect((await handledOf('hold.captured', hold.id)).data).toMatchObject({
      status: 'captured',
      captured_amount: 600,
    })
    const captureCharge = await handledOf('charge.succeeded', captured.charge?.id as string)
    expect(captureCharge.data).toMatchObject({ amount: 600, hold: hold.id })

    const refund = await protus.refunds.create(captured.charge?.id as string, { amount: 100 })
    expect((await handledOf('charge.refunded', refund.id)).data).toEqual(refund)
    expect(await protus.accounts.balance(account.id)).toMatchObject({ available: 4_500, held: 0 })

    // Every request that reached the receiver verifies by hand with the partner's secret too.
    for (const request of raw) {
      const event = verifyWebhook(webhookSecret, request.headers, request.body)
      expect(event.id).toMatch(/^evt_/)
    }
  })

  it('gets a failed event again, and reports a manual redelivery as a duplicate', async () => {
    const account = await protus.ensureAccount({ externalId: 'retried' })
    const topup = await protus.accounts.createTopup(account.id, { amount: 1_000 })
    await payCheckout(topup.checkout_url as string)
    failNextCharge = true
    const charge = await protus.charges.create({ account: account.id, amount: 250 })
    const event = await handledOf('charge.succeeded', charge.id)
    expect(event.data).toEqual(charge)

    // The receiver answered before PROTUS logged the attempt, so the log may lag a moment.
    const delivery = await eventually(async () => {
      const deliveries = await protus.webhookDeliveries.list({ type: 'charge.succeeded', limit: 100 })
      return deliveries.data.find((d) => d.event.id === event.id && d.status === 'succeeded')
    }, 'the delivery log')
    expect(delivery.attempts.map((a) => a.http_status)).toEqual([500, 200])

    await protus.webhookDeliveries.retry(delivery.id)
    await eventually(() => (duplicates.includes(event.id) ? true : undefined), 'the duplicate')
    expect(handled.filter((e) => e.id === event.id)).toHaveLength(1)
    const manual = await eventually(async () => {
      const after = await protus.webhookDeliveries.get(delivery.id)
      return after.attempts.find((a) => a.manual)
    }, 'the manual attempt')
    expect(manual).toMatchObject({ succeeded: true, http_status: 200 })
    expect(await protus.accounts.balance(account.id)).toMatchObject({ available: 750 })
  })

  it('sends a test ping, and refuses one when no webhook URL is set', async () => {
    const ping = await protus.company.sendTestWebhook()
    expect(ping).toMatchObject({ object: 'webhook_delivery', event: { type: 'ping' } })
    await eventually(() => handled.find((e) => e.id === ping.event.id), 'the ping')
    expect(await protus.company.webhookEndpoint()).toMatchObject({ status: 'enabled' })

    const other = createProtusClient({ baseUrl: server.baseUrl, ...(await registerCompany(server.baseUrl)) })
    const refused = await refusal(other.company.sendTestWebhook(), ProtusError)
    expect(refused).toMatchObject({ code: 'webhook_endpoint_unavailable', status: 409 })
  })
})
