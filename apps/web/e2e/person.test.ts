import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  byTestId,
  checkPrerequisites,
  fill,
  launchBrowser,
  openPage,
  readable,
  startServer,
  type TestServer,
  unique,
} from './support.ts'

const runnable = checkPrerequisites()

describe.skipIf(!runnable)('a person in the browser', () => {
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

  const path = () => new URL(page.url()).pathname

  async function signOut(): Promise<void> {
    await byTestId(page, 'account-menu').click()
    await byTestId(page, 'sign-out').click()
    await expect.poll(path).toBe('/sign-in')
    await byTestId(page, 'nav-sign-in').waitFor()
  }

  it('registers, is signed in, signs out, signs in again and signs out', async () => {
    const username = unique('pat')
    const email = `${username}@example.com`
    const password = 'correct horse battery'

    await page.goto('/register')
    await fill(page, 'register-email', email)
    await fill(page, 'register-username', username)
    await fill(page, 'register-password', password)
    await byTestId(page, 'register-submit').click()

    await expect.poll(path).toBe('/wallet')
    await byTestId(page, 'nav-account').click()
    await expect.poll(path).toBe('/account')
    await expect
      .poll(async () => readable(await byTestId(page, 'account-username').textContent()))
      .toBe(username)
    expect(readable(await byTestId(page, 'account-email').textContent())).toBe(email)

    await signOut()
    await page.goto('/account')
    await expect.poll(path).toBe('/sign-in')

    await fill(page, 'sign-in-email', email)
    await fill(page, 'sign-in-password', 'not the password')
    await byTestId(page, 'sign-in-submit').click()
    await expect
      .poll(async () => readable(await byTestId(page, 'form-error').textContent()))
      .toBe('Wrong email or password.')

    await fill(page, 'sign-in-password', password)
    await byTestId(page, 'sign-in-submit').click()
    await expect.poll(path).toBe('/account')
    await expect
      .poll(async () => readable(await byTestId(page, 'account-username').textContent()))
      .toBe(username)

    await signOut()
    await page.reload()
    await page.goto('/account')
    await expect.poll(path).toBe('/sign-in')
  }, 60_000)

  it('shows next to the field that an email is already registered', async () => {
    const username = unique('sam')
    const email = `${username}@example.com`
    const taken = await page.request.post('/v1/customers', {
      data: { email, username, password: 'correct horse battery' },
    })
    expect(taken.status()).toBe(201)

    await page.goto('/register')
    await fill(page, 'register-email', email)
    await fill(page, 'register-username', unique('other'))
    await fill(page, 'register-password', 'correct horse battery')
    await byTestId(page, 'register-submit').click()

    await expect
      .poll(async () => readable(await byTestId(page, 'register-email').locator('.v-messages').textContent()))
      .toBe('An account with this email already exists.')
    expect(path()).toBe('/register')
  }, 60_000)
})
