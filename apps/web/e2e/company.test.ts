import { request } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import {
  browserSuite,
  byTestId,
  checkPrerequisites,
  fillIn,
  pathOf,
  readable,
  registerCompany,
  unique,
} from './support.ts'

const runnable = checkPrerequisites()

describe.skipIf(!runnable)('a partner company in the browser', () => {
  const suite = browserSuite()

  const path = () => pathOf(suite.page)
  const serviceRow = (name: string) =>
    byTestId(suite.page, 'service-row').filter({ has: suite.page.getByText(name, { exact: true }) })

  it('registers, sees its secrets once, creates a service that persists, and archives it', async () => {
    const { page } = suite
    const name = unique('Acme')
    const email = `${name.toLowerCase()}@example.com`
    const password = 'correct horse battery'

    await page.goto('/')
    await page.getByRole('link', { name: 'Become a partner' }).click()
    await expect.poll(() => path()).toBe('/register')
    await fillIn(page, 'Email', email)
    await fillIn(page, 'Company name', name)
    await fillIn(page, 'Password', password)
    await page.getByRole('button', { name: 'Create account' }).click()

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

    await page.getByRole('button', { name: 'I have saved them, continue' }).click()
    await expect.poll(() => path()).toBe('/company/services')
    await byTestId(page, 'services-empty').waitFor()

    await page.getByRole('button', { name: 'New service' }).first().click()
    const dialog = page.getByRole('dialog')
    await fillIn(dialog, 'Name', 'Client')
    await fillIn(dialog, 'Price', '150.00')
    await expect
      .poll(async () => readable(await byTestId(page, 'service-preview').textContent()))
      .toContain('₽150.00')
    await dialog.getByRole('button', { name: 'Create' }).click()

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

    await serviceRow('Client').getByRole('button', { name: 'Edit' }).click()
    await fillIn(dialog, 'Price', '175,50')
    await dialog.getByRole('button', { name: 'Save' }).click()
    await expect
      .poll(async () => readable(await byTestId(serviceRow('Client'), 'service-price').textContent()))
      .toBe('₽175.50')

    await serviceRow('Client').getByRole('button', { name: 'Archive' }).click()
    await expect
      .poll(async () => readable(await byTestId(serviceRow('Client'), 'service-status').textContent()))
      .toBe('Archived')
    await page.reload()
    await serviceRow('Client').waitFor()
    expect(readable(await byTestId(serviceRow('Client'), 'service-status').textContent())).toBe('Archived')
    expect(readable(await byTestId(serviceRow('Client'), 'service-price').textContent())).toBe('₽175.50')

    // The credentials page knows the same client and only a hint of the secret.
    await page.getByRole('link', { name: 'Credentials', exact: true }).click()
    await expect.poll(async () => readable(await byTestId(page, 'client-id').textContent())).toBe(clientId)
    const hint = readable(await byTestId(page, 'client-secret-hint').first().textContent())
    expect(hint).toContain(clientSecret.slice(-4))
    expect(hint).not.toContain(clientSecret)
  }, 60_000)

  it('sends a visitor of a company page to sign in and back to that page', async () => {
    const { page } = suite
    const name = unique('Globex')
    const email = `${name.toLowerCase()}@example.com`
    const password = 'correct horse battery'
    const created = await page.request.post('/v1/companies', { data: { email, name, password } })
    expect(created.status()).toBe(201)

    await page.goto('/company/credentials')
    await expect.poll(() => path()).toBe('/sign-in')
    expect(new URL(page.url()).searchParams.get('redirect')).toBe('/company/credentials')
    // Only email and password: the server finds that they are a company's.
    expect(await page.getByRole('button', { name: 'Company', exact: true }).count()).toBe(0)

    await fillIn(page, 'Email', email)
    await fillIn(page, 'Password', password)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await expect.poll(() => path()).toBe('/company/credentials')
    await byTestId(page, 'client-id').waitFor()
  }, 60_000)

  it('rotates the client secret, shows the new one once, and keeps redirect URIs', async () => {
    const { page } = suite
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
    await page.getByRole('button', { name: 'Rotate client secret' }).click()
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
    const partner = await request.newContext({ baseURL: suite.server.baseUrl })
    const listed = await partner.get('/v1/services', {
      headers: { authorization: `Basic ${Buffer.from(`${clientId}:${newSecret}`).toString('base64')}` },
    })
    expect(listed.status()).toBe(200)
    await partner.dispose()

    const newUri = 'New redirect URI'
    await fillIn(page, newUri, 'http://partner.example/callback')
    await page.getByRole('button', { name: 'Add', exact: true }).click()
    await expect
      .poll(async () =>
        readable(await byTestId(page, 'redirect-uri-input').locator('.v-messages').textContent()),
      )
      .toContain('https://')
    await fillIn(page, newUri, 'http://localhost:3000/callback')
    await page.getByRole('button', { name: 'Add', exact: true }).click()
    await expect.poll(() => byTestId(page, 'redirect-uri').count()).toBe(1)
    await page.getByRole('button', { name: 'Save redirect URIs' }).click()
    await expect
      .poll(async () => readable(await byTestId(page, 'notice-text').textContent()))
      .toBe('Redirect URIs saved')

    await page.reload()
    await expect
      .poll(async () => (await byTestId(page, 'redirect-uri').allTextContents()).map(readable))
      .toEqual(['http://localhost:3000/callback'])
  }, 60_000)

  it('rotates the client secret and ends the old one at once, after a warning', async () => {
    const { page } = suite
    const { clientId, clientSecret: oldSecret } = await registerCompany(page)
    const basic = (secret: string) => `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`
    const partner = await request.newContext({ baseURL: suite.server.baseUrl })
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
