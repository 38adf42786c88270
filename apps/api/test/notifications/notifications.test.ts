import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSmtpReceiver } from '../mail/smtp-receiver.js'
import {
  type ManualClock,
  recurringService,
  renewAt,
  subscribe,
  subscriptionsApp,
} from '../subscriptions/helpers.js'
import { connectedPerson } from '../support/grants.js'
import { expectProblem, registerCustomer, signIn } from '../support/http.js'
import { expectLedgerSound, fund, newKey, partnerWithAccount } from '../support/money.js'
import { authorizeUrl, consent, partnerClient, pkce, REDIRECT_URI } from '../support/oauth.js'

type Connected = Awaited<ReturnType<typeof connectedPerson>>
interface Mail {
  id: string
  to: string
  subject: string
  text: string
  html: string
}

let app: FastifyInstance
let clock: ManualClock

beforeAll(async () => {
  ;({ app, clock } = await subscriptionsApp('2030-01-31T10:00:00.000Z', { PROTUS_MAIL_WORKER: '0' }))
})
afterAll(async () => {
  await app.close()
})

/** What the sandbox mailbox holds for the address, oldest first, once the worker has sent what is due. */
async function inbox(to: string, subject?: RegExp): Promise<Mail[]> {
  await app.services.mailWorker.drain()
  const res = await app.inject({
    method: 'GET',
    url: `/v1/sandbox/mail?to=${encodeURIComponent(to)}&limit=100`,
  })
  expect(res.statusCode, res.body).toBe(200)
  const all = (res.json() as { data: Mail[] }).data.reverse()
  return subject ? all.filter((m) => subject.test(m.subject)) : all
}

const receipts = (c: Connected) => inbox(c.person.email, /^(Receipt|Чек)/)
const alerts = (c: Connected) => inbox(c.person.email, /below|меньше/)
const partnerMail = (c: Connected) => inbox(c.person.email, /now connected|подключён/)

async function settings(c: Connected, patch?: object) {
  const res = patch
    ? await app.inject({
        method: 'PATCH',
        url: '/v1/me/notifications',
        headers: c.person.session.headers,
        payload: patch,
      })
    : await app.inject({ method: 'GET', url: '/v1/me/notifications', headers: c.person.session.headers })
  expect(res.statusCode, res.body).toBe(200)
  return res.json()
}

/** The person signs in to another partner with PROTUS and allows it to charge. */
async function consentTo(
  c: { person: { session: { headers: Record<string, string> } } },
  partner: Awaited<ReturnType<typeof partnerClient>>,
) {
  const url = authorizeUrl({
    response_type: 'code',
    client_id: partner.clientId,
    redirect_uri: REDIRECT_URI,
    scope: 'check charge',
    state: newKey(),
    code_challenge: pkce().challenge,
    code_challenge_method: 'S256',
  })
  const back = await consent(app, c.person.session.headers, url, { allow: true, scopes: ['check', 'charge'] })
  expect(back.searchParams.get('code')).toBeTruthy()
}

async function charge(c: Connected, body: object) {
  const res = await c.post('/v1/charges', { account: c.accountId, ...body })
  expect(res.statusCode, res.body).toBe(201)
  return res.json() as { id: string; amount: number }
}

async function available(c: Connected) {
  const res = await app.inject({ method: 'GET', url: '/v1/me/wallet', headers: c.person.session.headers })
  return (res.json() as { available: number }).available
}

/** "₽1,234.50" for 123450 minor units, as the English emails write it. */
const rub = (minor: number) =>
  `₽${Math.floor(minor / 100).toLocaleString('en')}.${String(minor % 100).padStart(2, '0')}`

describe('notifications', () => {
  it('sends "new partner connected" at the first consent only, and answers the default settings', async () => {
    const c = await connectedPerson(app, { balance: 1000 })
    const [mail, ...more] = await partnerMail(c)
    expect(more).toEqual([])
    expect(mail?.subject).toBe(`${c.partner.name} is now connected to your PROTUS wallet`)
    expect(mail?.text).toContain('/wallet/connected')
    // Consenting again to the same partner is not a new partner.
    await c.allow({ scopes: ['check', 'charge'] })
    expect(await partnerMail(c)).toHaveLength(1)
    expect(await settings(c)).toEqual({
      receipts: true,
      new_partner: true,
      low_balance_threshold: null,
      locale: 'en',
    })
  })

  it('sends no "new partner" email while the person has it switched off', async () => {
    const c = await connectedPerson(app, { balance: 0 })
    expect(await partnerMail(c)).toHaveLength(1)
    await settings(c, { new_partner: false })
    await consentTo(c, await partnerClient(app))
    expect(await partnerMail(c)).toHaveLength(1)
    await settings(c, { new_partner: true })
    const third = await partnerClient(app)
    await consentTo(c, third)
    const got = await partnerMail(c)
    expect(got).toHaveLength(2)
    expect(got[1]?.subject).toBe(`${third.name} is now connected to your PROTUS wallet`)
  })

  it('writes in the language the account was opened in until the person chooses one', async () => {
    const person = await registerCustomer(app, { locale: 'ru' })
    const session = await signIn(app, 'customer', person.email, person.password)
    const c = { person: { ...person, session } }
    const partner = await partnerClient(app)
    await consentTo(c, partner)
    const res = await app.inject({ method: 'GET', url: '/v1/me/notifications', headers: session.headers })
    expect(res.json()).toMatchObject({ locale: 'ru' })
    const [mail] = await inbox(person.email, /подключён|now connected/)
    expect(mail?.subject).toBe(`${partner.name} подключён к вашему кошельку PROTUS`)
  })

  it('sends a receipt per charge with the partner, service, amount, balance after and statement link', async () => {
    const c = await connectedPerson(app, { balance: 100_000 })
    const service = await recurringService(c, 1500, null)
    const name = (await (await c.get(`/v1/services/${service.id}`)).json()) as { name: string }
    const first = await charge(c, { service: service.id, quantity: 2 })
    const second = await charge(c, { amount: 700, description: 'tea' })
    const [a, b, ...more] = await receipts(c)
    expect(more).toEqual([])
    expect(a?.subject).toBe(`Receipt: ${rub(3000)} to ${c.partner.name}`)
    expect(a?.text).toContain(`${c.partner.name} charged ${rub(3000)} to your PROTUS wallet.`)
    expect(a?.text).toContain(`Service: ${name.name}`)
    expect(a?.text).toContain(`Available in your wallet now: ${rub(97_000)}`)
    expect(a?.text).toContain(`/wallet?entry=${first.id}`)
    expect(a?.html).toContain(`href="http://localhost`)
    expect(b?.text).toContain(`Available in your wallet now: ${rub(96_300)}`)
    expect(b?.text).not.toContain('Service:')
    expect(b?.text).toContain(`/wallet?entry=${second.id}`)

    // A captured hold is a charge too; its balance is the statement's, before the rest came back.
    const hold = await c.post('/v1/holds', { account: c.accountId, amount: 5000 })
    expect(hold.statusCode, hold.body).toBe(201)
    const captured = await c.post(`/v1/holds/${(hold.json() as { id: string }).id}/capture`, { amount: 2000 })
    expect(captured.statusCode, captured.body).toBe(200)
    const last = (await receipts(c)).at(-1)
    expect(last?.subject).toBe(`Receipt: ${rub(2000)} to ${c.partner.name}`)
    expect(last?.text).toContain(`Available in your wallet now: ${rub(91_300)}`)
    expect(await available(c)).toBe(94_300)
    await expectLedgerSound(app)
  })

  it('writes receipts in Russian when the person chose it, and none once receipts are off', async () => {
    const c = await connectedPerson(app, { balance: 10_000 })
    await settings(c, { locale: 'ru' })
    await charge(c, { amount: 1234 })
    const [ru] = await receipts(c)
    expect(ru?.subject).toMatch(/^Чек: 12,34\s₽/)
    expect(ru?.text).toMatch(/Доступно в кошельке сейчас: 87,66\s₽/)

    // A charge the wallet cannot cover rolls back, and its receipt with it.
    const refused = await c.post('/v1/charges', { account: c.accountId, amount: 1_000_000 })
    expect(refused.statusCode, refused.body).toBe(402)
    expect(await receipts(c)).toHaveLength(1)
    expect(await settings(c, { receipts: false })).toMatchObject({ receipts: false, locale: 'ru' })
    await charge(c, { amount: 100 })
    await charge(c, { amount: 100 })
    expect(await receipts(c)).toHaveLength(1)
    await settings(c, { receipts: true })
    await charge(c, { amount: 100 })
    expect(await receipts(c)).toHaveLength(2)
    await expectLedgerSound(app)
  })

  it('gives every charge of one batch its own balance after', async () => {
    const c = await connectedPerson(app, { balance: 10_000 })
    await Promise.all(Array.from({ length: 12 }, () => charge(c, { amount: 100 })))
    const got = await receipts(c)
    expect(got).toHaveLength(12)
    const balances = got.map((m) => /Available in your wallet now: (.*)/.exec(m.text)?.[1]).sort()
    expect(balances).toEqual(Array.from({ length: 12 }, (_, i) => rub(10_000 - 100 * (i + 1))).sort())
    await expectLedgerSound(app)
  })

  it('alerts once per crossing of the low-balance threshold, and again after the funds were back above', async () => {
    const c = await connectedPerson(app, { balance: 100_000 })
    await settings(c, { low_balance_threshold: 50_000, receipts: false })
    await charge(c, { amount: 40_000 }) // 60_000: above
    expect(await alerts(c)).toHaveLength(0)
    await charge(c, { amount: 15_000 }) // 45_000: crossed
    await charge(c, { amount: 1_000 }) // 44_000: still below, no new alert
    const hold = await c.post('/v1/holds', { account: c.accountId, amount: 1_000 }) // 43_000 available
    expect(hold.statusCode, hold.body).toBe(201)
    let got = await alerts(c)
    expect(got).toHaveLength(1)
    expect(got[0]?.subject).toBe(`Your PROTUS wallet is below ${rub(50_000)}`)
    expect(got[0]?.text).toContain(`Available in your wallet now: ${rub(45_000)}`)

    await fund(app, c.person.customer.id, 30_000) // 73_000: back above, re-armed
    await charge(c, { amount: 10_000 }) // 63_000
    expect(await alerts(c)).toHaveLength(1)
    await charge(c, { amount: 20_000 }) // 43_000: crossed again
    got = await alerts(c)
    expect(got).toHaveLength(2)
    expect(got[1]?.text).toContain(`Available in your wallet now: ${rub(43_000)}`)

    // A new threshold re-arms at once; switching alerts off stops them.
    await settings(c, { low_balance_threshold: 60_000 })
    await charge(c, { amount: 1_000 })
    expect(await alerts(c)).toHaveLength(3)
    await settings(c, { low_balance_threshold: null })
    await fund(app, c.person.customer.id, 50_000)
    await charge(c, { amount: 60_000 })
    expect(await alerts(c)).toHaveLength(3)
    expect(await available(c)).toBe(32_000)
    await expectLedgerSound(app)
  })

  it('sends a receipt for the first period and every renewal of a subscription', async () => {
    const c = await connectedPerson(app, { balance: 10_000 })
    const service = await recurringService(c, 2500)
    const res = await subscribe(c, { account: c.accountId, service: service.id })
    expect(res.statusCode, res.body).toBe(201)
    await renewAt(app, clock, '2030-03-01T10:00:00.000Z')
    await renewAt(app, clock, '2030-04-01T10:00:00.000Z')
    const got = await receipts(c)
    expect(got.map((m) => /Available in your wallet now: (.*)/.exec(m.text)?.[1])).toEqual([
      rub(7500),
      rub(5000),
      rub(2500),
    ])
    for (const mail of got) {
      expect(mail.text).toContain(
        `${c.partner.name} charged ${rub(2500)} to your PROTUS wallet for your subscription.`,
      )
    }
    // The next renewal is refused (no money): no receipt.
    await renewAt(app, clock, '2030-05-01T10:00:00.000Z')
    await renewAt(app, clock, '2030-06-01T10:00:00.000Z')
    expect(await receipts(c)).toHaveLength(4)
    await renewAt(app, clock, '2030-07-02T10:00:00.000Z')
    expect(await receipts(c)).toHaveLength(4)
    await expectLedgerSound(app)
  })

  it('lets the charge succeed when its receipt cannot be written, and still sends the others', async () => {
    const broken = await connectedPerson(app, { balance: 10_000 })
    const fine = await connectedPerson(app, { balance: 10_000, partner: broken.partner })
    // An address the mail module refuses (a defect: addresses are checked where people enter them).
    await app.db.query("UPDATE identity_customers SET email = 'no address' WHERE id = $1", [
      broken.person.customer.id,
    ])
    const [a, b] = await Promise.all([
      broken.post('/v1/charges', { account: broken.accountId, amount: 100 }),
      fine.post('/v1/charges', { account: fine.accountId, amount: 100 }),
    ])
    expect([a?.statusCode, b?.statusCode]).toEqual([201, 201])
    expect(await receipts(fine)).toHaveLength(1)
    expect(await available(broken)).toBe(9_900)
    await expectLedgerSound(app)
  })

  it('sends nothing for managed accounts, which have no person', async () => {
    const before = await app.db.query<{ n: bigint }>('SELECT count(*) AS n FROM mail_messages')
    const partner = await partnerWithAccount(app, 10_000)
    const res = await partner.post('/v1/charges', { account: partner.account.id, amount: 500 }, newKey())
    expect(res.statusCode, res.body).toBe(201)
    const after = await app.db.query<{ n: bigint }>('SELECT count(*) AS n FROM mail_messages')
    // Only the partner's own registration email, if any, was enqueued.
    const partnerOnly = await app.db.query<{ n: bigint }>(
      'SELECT count(*) AS n FROM mail_messages WHERE to_address = $1',
      [partner.email],
    )
    expect(Number(after[0]?.n) - Number(before[0]?.n)).toBe(Number(partnerOnly[0]?.n))
    await expectLedgerSound(app)
  })

  it('refuses bad settings with a problem', async () => {
    const c = await connectedPerson(app, { balance: 0 })
    const patch = (payload: object) =>
      app.inject({ method: 'PATCH', url: '/v1/me/notifications', headers: c.person.session.headers, payload })
    expectProblem(await patch({ low_balance_threshold: 0 }), 400, 'validation_failed')
    expectProblem(await patch({ low_balance_threshold: 1.5 }), 400, 'validation_failed')
    expectProblem(await patch({ locale: 'de' }), 400, 'validation_failed')
    expectProblem(await patch({ receipts: 'yes' }), 400, 'validation_failed')
    expectProblem(await patch({ other: true }), 400, 'validation_failed')
    const anonymous = await app.inject({ method: 'GET', url: '/v1/me/notifications' })
    expect(anonymous.statusCode).toBe(401)
  })
})

describe('receipts over SMTP', () => {
  it('reach a real SMTP server', async () => {
    const smtp = await startSmtpReceiver()
    const { app: live } = await subscriptionsApp('2030-01-31T10:00:00.000Z', {
      PROTUS_SMTP_URL: smtp.url,
      PROTUS_MAIL_WORKER: '0',
    })
    try {
      const c = await connectedPerson(live, { balance: 5000 })
      const res = await c.post('/v1/charges', { account: c.accountId, amount: 1200 })
      expect(res.statusCode, res.body).toBe(201)
      await live.services.mailWorker.drain()
      const got = smtp.received.filter((m) => m.subject.startsWith('Receipt'))
      expect(got).toHaveLength(1)
      expect(got[0]?.envelopeTo).toEqual([c.person.email])
      expect(got[0]?.text).toContain(`Available in your wallet now: ${rub(3800)}`)
      await expectLedgerSound(live)
    } finally {
      await live.close()
      await smtp.stop()
    }
  })
})
