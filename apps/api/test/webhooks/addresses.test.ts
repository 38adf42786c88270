import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../support/app.js'
import { expectProblem, registerCompany } from '../support/http.js'

let app: FastifyInstance
beforeAll(async () => {
  app = await buildTestApp()
})
afterAll(async () => {
  await app.close()
})

const setWebhookUrl = (auth: string, url: string) =>
  app.inject({
    method: 'PATCH',
    url: '/v1/company',
    headers: { authorization: auth },
    payload: { webhook_url: url },
  })

describe('webhook URLs without PROTUS_WEBHOOK_ALLOW_PRIVATE', () => {
  it.each([
    'http://127.0.0.1:8088/hooks',
    'http://localhost:8088/hooks',
    'https://localhost/hooks',
    'https://10.1.2.3/hooks',
    'https://192.168.0.10/hooks',
    'https://169.254.169.254/latest/meta-data',
    'https://[::1]/hooks',
    'https://[fd00::1]/hooks',
  ])('refuses %s with 400 webhook_url_not_public and keeps the URL it had', async (url) => {
    const partner = await registerCompany(app)
    expect((await setWebhookUrl(partner.auth, 'https://hooks.partner.example/protus')).statusCode).toBe(200)
    const res = await setWebhookUrl(partner.auth, url)
    const problem = expectProblem(res, 400, 'webhook_url_not_public')
    expect(problem.errors).toEqual([
      { field: '/webhook_url', message: expect.stringMatching(/public address/) },
    ])
    const company = await app.inject({
      method: 'GET',
      url: '/v1/company',
      headers: { authorization: partner.auth },
    })
    expect(company.json().webhook_url).toBe('https://hooks.partner.example/protus')
  })

  it('lists a private webhook URL among the other invalid fields as validation_failed', async () => {
    const partner = await registerCompany(app)
    const res = await app.inject({
      method: 'PATCH',
      url: '/v1/company',
      headers: { authorization: partner.auth },
      payload: { webhook_url: 'http://localhost:8088/hooks', redirect_uris: ['ftp://partner.example/cb'] },
    })
    const problem = expectProblem(res, 400, 'validation_failed')
    expect(problem.errors?.map((error) => error.field).sort()).toEqual(['/redirect_uris/0', '/webhook_url'])
  })

  it('refuses a malformed webhook URL as validation_failed, not as a private one', async () => {
    const partner = await registerCompany(app)
    const problem = expectProblem(
      await setWebhookUrl(partner.auth, 'http://10.0.0.1/hooks'),
      400,
      'validation_failed',
    )
    expect(problem.errors).toEqual([{ field: '/webhook_url', message: expect.stringMatching(/https/) }])
  })
})
