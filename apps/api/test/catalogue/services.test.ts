import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../support/app.js'
import { count, expectProblem, registerCompany, registerCustomer, signIn } from '../support/http.js'

let app: FastifyInstance
beforeAll(async () => {
  app = await buildTestApp()
})
afterAll(() => app.close())

const create = (authorization: string, payload: unknown) =>
  app.inject({ method: 'POST', url: '/v1/services', headers: { authorization }, payload: payload as object })

describe('POST /v1/services', () => {
  it('publishes a service in RUB by default, active', async () => {
    const { auth } = await registerCompany(app)
    const res = await create(auth, { name: 'Client', price: 15000 })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json()).toEqual({
      id: expect.stringMatching(/^svc_/),
      name: 'Client',
      price: 15000,
      currency: 'RUB',
      recurring: null,
      active: true,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    })
  })

  it('honours an Idempotency-Key: a retry answers the service created first and creates no other', async () => {
    const { auth } = await registerCompany(app)
    const post = (payload: object, key: string) =>
      app.inject({
        method: 'POST',
        url: '/v1/services',
        headers: { authorization: auth, 'idempotency-key': key },
        payload,
      })
    const first = await post({ name: 'Client', price: 15000 }, 'svc-key-1')
    const retry = await post({ name: 'Client', price: 15000 }, 'svc-key-1')
    expect(first.statusCode, first.body).toBe(201)
    expect(retry.statusCode).toBe(201)
    expect(retry.headers['idempotent-replayed']).toBe('true')
    expect(retry.json()).toEqual(first.json())
    expectProblem(await post({ name: 'Campaign', price: 100 }, 'svc-key-1'), 422, 'idempotency_key_reused')
    const list = await app.inject({ method: 'GET', url: '/v1/services', headers: { authorization: auth } })
    expect(list.json().data).toHaveLength(1)
    // A refusal is saved too: the same bad request with the same key gets the same answer.
    const bad = await post({ name: 'Euro plan', price: 100, currency: 'XXY' }, 'svc-key-2')
    expectProblem(bad, 400, 'validation_failed')
    expect((await post({ name: 'Euro plan', price: 100, currency: 'XXY' }, 'svc-key-2')).json()).toEqual(
      bad.json(),
    )
  })

  it('publishes a recurring service in another currency', async () => {
    const { auth } = await registerCompany(app)
    const res = await create(auth, {
      name: 'Monthly plan',
      price: 999,
      currency: 'USD',
      recurring: { interval: 'month', count: 1 },
    })
    expect(res.json()).toMatchObject({ currency: 'USD', recurring: { interval: 'month', count: 1 } })
  })

  it('accepts the largest price, 10^12 minor units', async () => {
    const { auth } = await registerCompany(app)
    expect((await create(auth, { name: 'Big', price: 1_000_000_000_000 })).json().price).toBe(
      1_000_000_000_000,
    )
  })

  it.each([
    ['a zero price', { name: 'A', price: 0 }, '/price'],
    ['a negative price', { name: 'A', price: -5 }, '/price'],
    ['a fractional price', { name: 'A', price: 1.5 }, '/price'],
    ['a price above 10^12', { name: 'A', price: 1_000_000_000_001 }, '/price'],
    ['a price as a string', { name: 'A', price: '100' }, '/price'],
    ['an unknown currency', { name: 'A', price: 1, currency: 'ABC' }, '/currency'],
    ['a lower-case currency', { name: 'A', price: 1, currency: 'rub' }, '/currency'],
    ['an unknown interval', { name: 'A', price: 1, recurring: { interval: 'hour', count: 1 } }, '/recurring'],
    ['a count of 366', { name: 'A', price: 1, recurring: { interval: 'day', count: 366 } }, '/recurring'],
    ['an empty name', { name: '', price: 1 }, '/name'],
    ['an unknown field', { name: 'A', price: 1, owner: 'me' }, '/owner'],
  ])('rejects %s with 400 validation_failed and publishes nothing', async (_label, payload, field) => {
    const { auth } = await registerCompany(app)
    const before = await count(app, 'catalogue_services')
    const problem = expectProblem(await create(auth, payload), 400, 'validation_failed')
    expect(problem.errors?.some((e) => e.field.startsWith(field))).toBe(true)
    expect(await count(app, 'catalogue_services')).toBe(before)
  })

  it('works from the company dashboard with the CSRF token, and not for a person', async () => {
    const { email, password } = await registerCompany(app)
    const session = await signIn(app, 'company', email, password)
    const res = await app.inject({
      method: 'POST',
      url: '/v1/services',
      headers: session.headers,
      payload: { name: 'Dash', price: 100 },
    })
    expect(res.statusCode).toBe(201)
    const person = await registerCustomer(app)
    const personSession = await signIn(app, 'customer', person.email, person.password)
    expectProblem(
      await app.inject({
        method: 'POST',
        url: '/v1/services',
        headers: personSession.headers,
        payload: { name: 'X', price: 1 },
      }),
      403,
      'forbidden',
    )
  })
})

describe('reading and changing services', () => {
  it('lists only the caller’s services, newest first, with cursor pagination', async () => {
    const { auth } = await registerCompany(app)
    const other = await registerCompany(app)
    await create(other.auth, { name: 'Not mine', price: 1 })
    const ids: string[] = []
    for (let i = 0; i < 5; i++) ids.push((await create(auth, { name: `S${i}`, price: 100 + i })).json().id)
    const first = await app.inject({
      method: 'GET',
      url: '/v1/services?limit=2',
      headers: { authorization: auth },
    })
    expect(first.json()).toMatchObject({ has_more: true })
    expect(first.json().data.map((s: { id: string }) => s.id)).toEqual([ids[4], ids[3]])
    const second = await app.inject({
      method: 'GET',
      url: `/v1/services?limit=2&starting_after=${ids[3]}`,
      headers: { authorization: auth },
    })
    expect(second.json().data.map((s: { id: string }) => s.id)).toEqual([ids[2], ids[1]])
    const last = await app.inject({
      method: 'GET',
      url: `/v1/services?limit=2&starting_after=${ids[1]}`,
      headers: { authorization: auth },
    })
    expect(last.json()).toEqual({ data: [expect.objectContaining({ id: ids[0] })], has_more: false })
  })

  it('rejects a bad limit with 400', async () => {
    const { auth } = await registerCompany(app)
    expectProblem(
      await app.inject({ method: 'GET', url: '/v1/services?limit=0', headers: { authorization: auth } }),
      400,
      'validation_failed',
    )
    expectProblem(
      await app.inject({ method: 'GET', url: '/v1/services?limit=abc', headers: { authorization: auth } }),
      400,
      'validation_failed',
    )
    expectProblem(
      await app.inject({
        method: 'GET',
        url: '/v1/services?starting_after=nope',
        headers: { authorization: auth },
      }),
      400,
      'validation_failed',
    )
  })

  it('reprices, renames, archives and restores a service; archived ones can be filtered', async () => {
    const { auth } = await registerCompany(app)
    const id = (await create(auth, { name: 'Campaign', price: 500 })).json().id
    const patch = (payload: object) =>
      app.inject({ method: 'PATCH', url: `/v1/services/${id}`, headers: { authorization: auth }, payload })
    expect((await patch({ name: 'Campaign SMS', price: 700 })).json()).toMatchObject({
      name: 'Campaign SMS',
      price: 700,
      active: true,
    })
    expect((await patch({ active: false })).json()).toMatchObject({ active: false, price: 700 })
    const active = await app.inject({
      method: 'GET',
      url: '/v1/services?active=true',
      headers: { authorization: auth },
    })
    expect(active.json().data).toEqual([])
    const archived = await app.inject({
      method: 'GET',
      url: '/v1/services?active=false',
      headers: { authorization: auth },
    })
    expect(archived.json().data).toHaveLength(1)
    expect((await patch({ active: true })).json().active).toBe(true)
    const got = await app.inject({
      method: 'GET',
      url: `/v1/services/${id}`,
      headers: { authorization: auth },
    })
    expect(got.json()).toMatchObject({ id, name: 'Campaign SMS', price: 700, active: true })
  })

  it('rejects an empty or invalid patch and changes nothing', async () => {
    const { auth } = await registerCompany(app)
    const id = (await create(auth, { name: 'Keep', price: 500 })).json().id
    for (const payload of [{}, { price: 0 }, { currency: 'USD' }, { active: 'no' }]) {
      const res = await app.inject({
        method: 'PATCH',
        url: `/v1/services/${id}`,
        headers: { authorization: auth },
        payload,
      })
      expectProblem(res, 400, 'validation_failed')
    }
    const got = await app.inject({
      method: 'GET',
      url: `/v1/services/${id}`,
      headers: { authorization: auth },
    })
    expect(got.json()).toMatchObject({ name: 'Keep', price: 500, active: true })
  })

  it('answers 404 for another partner’s service, for reads and changes alike', async () => {
    const owner = await registerCompany(app)
    const stranger = await registerCompany(app)
    const id = (await create(owner.auth, { name: 'Private', price: 500 })).json().id
    expectProblem(
      await app.inject({
        method: 'GET',
        url: `/v1/services/${id}`,
        headers: { authorization: stranger.auth },
      }),
      404,
      'not_found',
    )
    expectProblem(
      await app.inject({
        method: 'PATCH',
        url: `/v1/services/${id}`,
        headers: { authorization: stranger.auth },
        payload: { active: false },
      }),
      404,
      'not_found',
    )
    expectProblem(
      await app.inject({
        method: 'GET',
        url: '/v1/services/svc_missing',
        headers: { authorization: owner.auth },
      }),
      404,
      'not_found',
    )
    const got = await app.inject({
      method: 'GET',
      url: `/v1/services/${id}`,
      headers: { authorization: owner.auth },
    })
    expect(got.json().active).toBe(true)
  })
})
