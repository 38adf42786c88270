import { type Browser, type BrowserContext, type Page, request } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  byTestId,
  checkPrerequisites,
  fill,
  launchBrowser,
  openPage,
  readable,
  registerCompany,
  startServer,
  type TestServer,
  unique,
} from './support.ts'

const runnable = checkPrerequisites()

describe.skipIf(!runnable)('a partner company in the browser', () => {
  let server: TestServer
  let browser: Browser
  let context: BrowserContext
  let page: Page

  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startServer(), launchBrowser()])
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  beforeEach(async () => {
    const opened = await openPage(browser, server.baseUrl)
    ;({ context, page } = opened)
    return async () => {
      await context.close()
      expect(opened.pageErrors.map(String)).toEqual([])
    }
  })

  const serviceRow = (name: string) =>
    byTestId(page, 'service-row').filter({ has: page.getByText(name, { exact: true }) })

  it('registers, sees its secrets once, creates a service that persists, and archives it', async () => {
    const name = unique('Acme')
    const email = `${name.toLowerCase()}@example.com`
    const password = 'correct horse battery'

    await page.goto('/')
    await byTestId(page, 'cta-company').click()
    await expect.poll(() => new URL(page.url()).pathname).toBe('/register')
    await fill(page, 'register-email', email)
    await fill(page, 'register-company-name', name)
    await fill(page, 'register-password', password)
    await byTestId(page, 'register-submit').click()

    const secrets = byTestId(page, 'secrets-once')
    await secrets.waitFor()
    await expect.poll(() => byTestId(page, 'secrets-warning').textContent()).toMatch(/not shown again/)
    const clientId = readable(await byTestId(page, 'created-client-id').textContent())
    const clientSecret = readable(await byTestId(page, 'created-client-secret').textContent())
    const webhookSecret = readable(await byTestId(page, 'created-webhook-secret').textContent())
    expect(clientId).not.toBe('')
    expect(clientSecret.length).toBeGreaterThan(16)
    expect(webhookSecret).toMatch(/^whsec_/)
    await expect(byTestId(page, 'created-client-secret-copy').isVisible()).resolves.toBe(true)

    await byTestId(page, 'secrets-continue').click()
    await expect.poll(() => new URL(page.url()).pathname).toBe('/company/services')
    await byTestId(page, 'services-empty').waitFor()

    await byTestId(page, 'service-create').click()
    await fill(page, 'service-name-input', 'Client')
    await fill(page, 'service-price-input', '150.00')
    await expect
      .poll(async () => readable(await byTestId(page, 'service-preview').textContent()))
      .toContain('₽150.00')
    await byTestId(page, 'service-save').click()

    const row = serviceRow('Client')
    await row.waitFor()
    await expect
      .poll(async () => readable(await byTestId(row, 'service-price').textContent()))
      .toBe('₽150.00')
    expect(readable(await byTestId(row, 'service-status').textContent())).toBe('Active')
    expect(readable(await byTestId(row, 'service-billing-label').textContent())).toBe('One-off')

    await page.reload()
    await serviceRow('Client').waitFor()
    expect(readable(await byTestId(serviceRow('Client'), 'service-price').textContent())).toBe('₽150.00')

    await byTestId(serviceRow('Client'), 'service-edit').click()
    await fill(page, 'service-price-input', '175,50')
    await byTestId(page, 'service-save').click()
    await expect
      .poll(async () => readable(await byTestId(serviceRow('Client'), 'service-price').textContent()))
      .toBe('₽175.50')

    await byTestId(serviceRow('Client'), 'service-archive').click()
    await expect
      .poll(async () => readable(await byTestId(serviceRow('Client'), 'service-status').textContent()))
      .toBe('Archived')
    await page.reload()
    await serviceRow('Client').waitFor()
    expect(readable(await byTestId(serviceRow('Client'), 'service-status').textContent())).toBe('Archived')
    expect(readable(await byTestId(serviceRow('Client'), 'service-price').textContent())).toBe('₽175.50')

    // The credentials page knows the same client and only a hint of the secret.
    await byTestId(page, 'nav-credentials').click()
    await expect.poll(async () => readable(await byTestId(page, 'client-id').textContent())).toBe(clientId)
    const hint = readable(await byTestId(page, 'client-secret-hint').first().textContent())
    expect(hint).toContain(clientSecret.slice(-4))
    expect(hint).not.toContain(clientSecret)
  }, 60_000)

  it('sends a visitor of a company page to sign in and back to that page', async () => {
    const name = unique('Globex')
    const email = `${name.toLowerCase()}@example.com`
    const password = 'correct horse battery'
    const created = await page.request.post('/v1/companies', { data: { email, name, password } })
    expect(created.status()).toBe(201)

    await page.goto('/company/credentials')
    await expect.poll(() => new URL(page.url()).pathname).toBe('/sign-in')
    expect(new URL(page.url()).searchParams.get('redirect')).toBe('/company/credentials')
    await expect(byTestId(page, 'kind-company').getAttribute('class')).resolves.toContain('v-btn--active')

    await fill(page, 'sign-in-email', email)
    await fill(page, 'sign-in-password', password)
    await byTestId(page, 'sign-in-submit').click()
    await expect.poll(() => new URL(page.url()).pathname).toBe('/company/credentials')
    await byTestId(page, 'client-id').waitFor()
  }, 60_000)

  it('rotates the client secret, shows the new one once, and keeps redirect URIs', async () => {
    const name = unique('Initech')
    const email = `${name.toLowerCase()}@example.com`
    const password = 'correct horse battery'
    const created = await page.request.post('/v1/companies', { data: { email, name, password } })
    const { client_id: clientId, client_secret: oldSecret } = (await created.json()) as {
      client_id: string
      client_secret: string
    }
    const session = await page.request.post('/v1/sessions', { data: { email, password, kind: 'company' } })
    expect(session.status()).toBe(201)

    await page.goto('/company/credentials')
    await expect.poll(() => byTestId(page, 'client-secret-hint').count()).toBe(1)
    await byTestId(page, 'client-secret-rotate').click()
    await byTestId(page, 'client-secret-rotate-dialog-confirm').click()
    const newSecret = readable(await byTestId(page, 'client-secret-new-value').textContent())
    expect(newSecret).not.toBe('')
    expect(newSecret).not.toBe(oldSecret)
    await byTestId(page, 'client-secret-new-done').click()
    await byTestId(page, 'client-secret-new').waitFor({ state: 'detached' })
    await expect.poll(() => byTestId(page, 'client-secret-hint').count()).toBe(2)
    const hints = (await byTestId(page, 'client-secret-hint').allTextContents()).map(readable)
    expect(hints.some((hint) => hint.includes(newSecret.slice(-4)) && hint.includes('Current'))).toBe(true)
    expect(hints.some((hint) => hint.includes(oldSecret.slice(-4)) && hint.includes('Works until'))).toBe(
      true,
    )
    expect(await page.getByText(newSecret).count()).toBe(0)

    // The secret the page showed is the one the API now accepts.
    const partner = await request.newContext({ baseURL: server.baseUrl })
    const listed = await partner.get('/v1/services', {
      headers: { authorization: `Basic ${Buffer.from(`${clientId}:${newSecret}`).toString('base64')}` },
    })
    expect(listed.status()).toBe(200)
    await partner.dispose()

    await fill(page, 'redirect-uri-input', 'http://partner.example/callback')
    await byTestId(page, 'redirect-uri-add').click()
    await expect
      .poll(async () =>
        readable(await byTestId(page, 'redirect-uri-input').locator('.v-messages').textContent()),
      )
      .toContain('https://')
    await fill(page, 'redirect-uri-input', 'http://localhost:3000/callback')
    await byTestId(page, 'redirect-uri-add').click()
    await expect.poll(() => byTestId(page, 'redirect-uri').count()).toBe(1)
    await byTestId(page, 'redirect-uris-save').click()
    await expect
      .poll(async () => readable(await byTestId(page, 'notice-text').textContent()))
      .toBe('Redirect URIs saved')

    await page.reload()
    await expect
      .poll(async () => (await byTestId(page, 'redirect-uri').allTextContents()).map(readable))
      .toEqual(['http://localhost:3000/callback'])
  }, 60_000)

  it('rotates the client secret and ends the old one at once, after a warning', async () => {
    const { clientId, clientSecret: oldSecret } = await registerCompany(page)
    const basic = (secret: string) => `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`
    const partner = await request.newContext({ baseURL: server.baseUrl })
    const listServices = (secret: string) =>
      partner.get('/v1/services', { headers: { authorization: basic(secret) } }).then((r) => r.status())
    expect(await listServices(oldSecret)).toBe(200)

    await page.goto('/company/credentials')
    await page.getByRole('button', { name: 'Rotate client secret' }).click()
    const dialog = page.getByRole('dialog')
    // The safe choice comes first: the old secret keeps working for a day.
    expect(await dialog.getByRole('radio', { name: /For 24 hours/ }).isChecked()).toBe(true)
    expect(await dialog.getByRole('alert').count()).toBe(0)
    await dialog.getByRole('radio', { name: /End it now/ }).check()
    expect(readable(await dialog.getByRole('alert').textContent())).toBe(
      'Servers that still use the current client secret stop working at once: PROTUS refuses their calls.',
    )
    await dialog.getByRole('button', { name: 'Rotate and end the current secret' }).click()

    await byTestId(page, 'client-secret-new').waitFor()
    expect(readable(await byTestId(page, 'client-secret-new-note').textContent())).toBe(
      'Save it now: it is not shown again. The previous secret no longer works.',
    )
    const newSecret = readable(await byTestId(page, 'client-secret-new-value').textContent())
    await byTestId(page, 'client-secret-new-done').click()

    expect(await listServices(newSecret)).toBe(200)
    await expect.poll(() => listServices(oldSecret)).toBe(401)
    await partner.dispose()
  }, 60_000)
})
