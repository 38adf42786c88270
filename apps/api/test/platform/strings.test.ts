import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../support/app.js'
import { type FakeStripe, startFakeStripe } from '../support/fake-stripe.js'
import { basic, expectProblem, registerCompany } from '../support/http.js'
import { expectLedgerSound, newKey, partnerWithAccount } from '../support/money.js'
import { signedInPerson } from '../support/oauth.js'
import { changedTables, refusalCounters, tableStateReader } from '../support/table-states.js'
import { buildStripeApp, deliver } from '../topups/stripe.js'

/** Text that PostgreSQL cannot store (NUL) or that is not Unicode (lone surrogates). */
const NUL = 'a\u0000b'
const HIGH = 'a\ud800b'
const LOW = '\udc00'

let app: FastifyInstance
let partner: Awaited<ReturnType<typeof partnerWithAccount>>
let readStates: Awaited<ReturnType<typeof tableStateReader>>

beforeAll(async () => {
  // The mail the setup enqueued (verification links) stays as it is: a worker sending it during a
  // check would look like a write.
  app = await buildTestApp({ PROTUS_MAIL_WORKER: '0' })
  partner = await partnerWithAccount(app, 100_000)
  readStates = await tableStateReader(app)
})
afterAll(async () => {
  await expectLedgerSound(app)
  await app.close()
})

/** Asserts a 400 validation_failed naming exactly `field`, and answers its message. */
function expectRefusedField(res: LightMyRequestResponse, field: string) {
  const body = expectProblem(res, 400, 'validation_failed')
  expect(body.errors?.map((e) => e.field)).toEqual([field])
  return body.errors?.[0]?.message
}

/** Runs `send` and asserts that no table but the attempt counters changed. */
async function expectNothingWritten(send: () => Promise<void>) {
  const before = await readStates()
  await send()
  expect(changedTables(before, await readStates(), refusalCounters)).toEqual([])
}

describe('text PostgreSQL cannot store, anywhere in a request', () => {
  it('refuses a NUL or a lone surrogate in a charge’s description or metadata with 400 naming the field', async () => {
    const charge = (extra: object) =>
      partner.post('/v1/charges', { account: partner.account.id, amount: 10, ...extra })
    await expectNothingWritten(async () => {
      expect(expectRefusedField(await charge({ description: NUL }), '/description')).toMatch(/NUL/)
      expect(expectRefusedField(await charge({ description: HIGH }), '/description')).toMatch(/surrogate/)
      expectRefusedField(await charge({ description: `x${LOW}` }), '/description')
      expectRefusedField(await charge({ metadata: { order: NUL } }), '/metadata/order')
      expectRefusedField(await charge({ metadata: { 'a/b~c': HIGH } }), '/metadata/a~1b~0c')
      // A bad key is named by its object, never echoed as a field name.
      expectRefusedField(await charge({ metadata: { [NUL]: 'x' } }), '/metadata')
    })
  })

  it('refuses a NUL in a managed account’s external_id and in a company’s name, creating neither', async () => {
    await expectNothingWritten(async () => {
      expectRefusedField(await partner.post('/v1/accounts', { external_id: NUL }), '/external_id')
      const company = await app.inject({
        method: 'POST',
        url: '/v1/companies',
        payload: { email: 'nul@example.com', name: NUL, password: 'company password' },
      })
      expectRefusedField(company, '/name')
      const person = await app.inject({
        method: 'POST',
        url: '/v1/customers',
        payload: { email: 'nul@example.com', username: 'nul-person', password: `pass${HIGH}word` },
      })
      expectRefusedField(person, '/password')
    })
  })

  it('refuses such text in path parameters, the query and headers such as Idempotency-Key', async () => {
    await expectNothingWritten(async () => {
      expectRefusedField(await partner.get('/v1/accounts/acct_%00'), 'params:/id')
      expectRefusedField(await partner.get('/v1/charges?account=%00'), 'querystring:/account')
      const keyed = await app.inject({
        method: 'POST',
        url: '/v1/charges',
        headers: { authorization: partner.auth, 'idempotency-key': NUL },
        payload: { account: partner.account.id, amount: 10 },
      })
      expectRefusedField(keyed, 'headers:/idempotency-key')
      const surrogateHeader = await app.inject({
        method: 'GET',
        url: '/v1/accounts',
        headers: { authorization: partner.auth, 'x-anything': HIGH },
      })
      expectRefusedField(surrogateHeader, 'headers:/x-anything')
    })
  })

  it('refuses a path that is not percent-encoded UTF-8, or a parameter past the router’s length, as problem+json', async () => {
    for (const path of [
      '/v1/holds/%ED%A0%80',
      '/v1/holds/%FF/capture',
      '/v1/accounts/%zz',
      `/v1/charges/${'x'.repeat(101)}`,
    ]) {
      expectProblem(await partner.get(path), 400, 'validation_failed')
    }
  })

  it('refuses such text in routes without a schema for that part and in free-form OAuth forms', async () => {
    const person = await signedInPerson(app)
    await expectNothingWritten(async () => {
      const revoke = await app.inject({
        method: 'DELETE',
        url: '/v1/me/grants/%00',
        headers: person.session.headers,
      })
      expectRefusedField(revoke, 'params:/client_id')
      const token = await app.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'grant_type=authorization_code&code=x&client_id=%00&client_secret=y',
      })
      expect(token.statusCode, token.body).toBe(400)
      expect(token.json()).toMatchObject({ error: 'invalid_request', error_description: /client_id/ })
    })
  })

  it('answers an authorization request or a sandbox checkout holding a NUL with 400, signed in or not', async () => {
    const person = await signedInPerson(app)
    for (const cookie of [undefined, person.session.cookie]) {
      const headers = cookie ? { cookie } : {}
      const authorize = await app.inject({ method: 'GET', url: '/oauth/authorize?client_id=%00', headers })
      // No client can be trusted with the answer: a page, never a redirect.
      expect(authorize.statusCode).toBe(400)
      expect(authorize.headers['content-type']).toMatch(/^text\/html/)
      expect(authorize.body).toContain('client_id')
      const checkout = await app.inject({ method: 'GET', url: '/sandbox/checkout/%00', headers })
      expect(checkout.statusCode).toBe(400)
      const pay = await app.inject({
        method: 'POST',
        url: '/sandbox/checkout/%00',
        headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'outcome=succeeded',
      })
      expect(pay.statusCode).toBe(400)
    }
  })

  it('takes credentials that carry a NUL as wrong credentials, never as a fault', async () => {
    const company = await registerCompany(app)
    for (const [id, secret] of [
      [`${company.company.client_id}\u0000`, company.company.client_secret],
      [company.company.client_id, '%00'],
      ['%00', 'x'],
    ] as const) {
      const res = await app.inject({
        method: 'GET',
        url: '/v1/accounts',
        headers: { authorization: basic(id, secret) },
      })
      expectProblem(res, 401, 'invalid_client_credentials')
    }
    const cookie = await app.inject({
      method: 'GET',
      url: '/v1/me',
      headers: { cookie: 'protus_session=%00' },
    })
    expectProblem(cookie, 401, 'unauthenticated')
    const bearer = await app.inject({
      method: 'GET',
      url: '/oauth/userinfo',
      headers: { authorization: 'Bearer %00' },
    })
    expect(bearer.statusCode).toBe(401)
  })

  it('refuses a JSON body nested a hundred thousand deep with 400, not by overflowing the stack', async () => {
    const deep = `${'{"a":'.repeat(100_000)}"x${'\\u0000'}"${'}'.repeat(100_000)}`
    const res = await app.inject({
      method: 'POST',
      url: '/v1/charges',
      headers: {
        authorization: partner.auth,
        'idempotency-key': newKey(),
        'content-type': 'application/json',
      },
      payload: deep,
    })
    expect(res.statusCode).toBe(400)
  })

  it('keeps a poisoned charge out of the batch: the good charges sent with it all succeed', async () => {
    const before = await readStates()
    const badKey = newKey()
    const bad = partner.post(
      '/v1/charges',
      { account: partner.account.id, amount: 7, description: NUL },
      badKey,
    )
    const good = Array.from({ length: 30 }, (_, i) =>
      partner.post('/v1/charges', { account: partner.account.id, amount: 1, description: `good ${i}` }),
    )
    const [refused, ...succeeded] = await Promise.all([bad, ...good])
    expectRefusedField(refused as LightMyRequestResponse, '/description')
    expect(succeeded.map((res) => res.statusCode)).toEqual(good.map(() => 201))
    const charges = changedTables(before, await readStates(), refusalCounters).find(
      (t) => t.table === 'billing_charges',
    )
    expect(charges && charges.rowsAfter - charges.rowsBefore).toBe(30)
    // Its key was never saved: the same key with a storable body is a new charge, not a replay.
    const retried = await partner.post('/v1/charges', { account: partner.account.id, amount: 7 }, badKey)
    expect(retried.statusCode, retried.body).toBe(201)
    expect(retried.headers['idempotent-replayed']).toBeUndefined()
    await expectLedgerSound(app)
  })
})

describe('OAuth endpoints given a body they cannot read', () => {
  it('answer invalid_request (400) in RFC 6749 form, not server_error', async () => {
    const bodies = [
      ['application/json', '{'],
      ['application/json', '\u0000'],
      ['application/x-www-form-urlencoded', 'x'.repeat(1024 * 1024 + 1)],
    ]
    for (const url of ['/oauth/token', '/oauth/introspect', '/oauth/revoke']) {
      for (const [type, payload] of bodies) {
        const res = await app.inject({
          method: 'POST',
          url,
          headers: { 'content-type': type as string, authorization: partner.auth },
          payload,
        })
        expect({ url, type, status: res.statusCode, error: res.json().error }).toEqual({
          url,
          type,
          status: 400,
          error: 'invalid_request',
        })
      }
    }
  })
})

describe('a payment provider’s signed event holding a NUL', () => {
  let stripe: FakeStripe
  let stripeApp: FastifyInstance
  beforeAll(async () => {
    stripe = await startFakeStripe()
    stripeApp = await buildStripeApp(stripe)
  })
  afterAll(async () => {
    await stripeApp.close()
    await stripe.stop()
  })

  it('is refused with 400 validation_failed after its signature holds', async () => {
    const event = stripe.event('checkout.session.completed', {
      id: `cs_test_${NUL}`,
      object: 'checkout.session',
      status: 'complete',
      payment_status: 'paid',
    })
    expectProblem(await deliver(stripeApp, event), 400, 'validation_failed')
  })
})
