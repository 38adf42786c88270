import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../support/app.js'
import { connectedPerson } from '../support/grants.js'

// A person's account at a partner shows their username and email only while the grant includes
// `profile` and `email`; each consent sets or clears them.

let app: FastifyInstance
beforeAll(async () => {
  app = await buildTestApp()
})
afterAll(async () => {
  await app.close()
})

describe("a person's account shows what they share", () => {
  it('follows the profile and email scopes of every consent', async () => {
    const c = await connectedPerson(app, { scopes: ['check'], balance: 0 })
    const account = async () => {
      const res = await c.get(`/v1/accounts/${c.accountId}`)
      expect(res.statusCode, res.body).toBe(200)
      return res.json() as { kind: string; username: string | null; email: string | null }
    }
    expect(await account()).toMatchObject({ kind: 'protus', username: null, email: null })

    await c.allow({ scopes: ['check', 'profile'], request: ['check', 'profile', 'email'] })
    expect(await account()).toMatchObject({ username: c.person.username, email: null })

    await c.allow({ scopes: ['check', 'profile', 'email'] })
    expect(await account()).toMatchObject({ username: c.person.username, email: c.person.email })
    const listed = (await c.get('/v1/accounts')).json() as { data: { id: string; email: string | null }[] }
    expect(listed.data.find((a) => a.id === c.accountId)?.email).toBe(c.person.email)

    // Revoked, then connected again sharing neither: the partner no longer sees them.
    expect((await c.revoke()).statusCode).toBe(204)
    await c.allow({ scopes: ['check'], request: ['check', 'profile', 'email'] })
    expect(await account()).toMatchObject({ username: null, email: null })
  })
})
