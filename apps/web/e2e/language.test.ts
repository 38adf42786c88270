import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  byTestId,
  checkPrerequisites,
  launchBrowser,
  openPage,
  readable,
  startServer,
  type TestServer,
} from './support.ts'

const runnable = checkPrerequisites()

describe.skipIf(!runnable)('the interface language', () => {
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

  const title = async () => readable(await byTestId(page, 'page-title').textContent())
  const submit = async () => readable(await byTestId(page, 'sign-in-submit').textContent())
  const emailLabel = async () =>
    readable(await byTestId(page, 'sign-in-email').locator('label').first().textContent())

  it('switches to Russian and stays Russian after a reload', async () => {
    await page.goto('/sign-in')
    await expect.poll(title).toBe('Sign in to PROTUS')
    expect(await page.getAttribute('html', 'lang')).toBe('en')

    await byTestId(page, 'language-ru').click()
    await expect.poll(title).toBe('Вход в PROTUS')
    expect(await submit()).toBe('Войти')
    expect(await emailLabel()).toBe('Электронная почта')
    expect(await page.getAttribute('html', 'lang')).toBe('ru')
    await expect.poll(() => page.title()).toBe('Вход · PROTUS')

    await page.reload()
    await expect.poll(title).toBe('Вход в PROTUS')
    expect(await submit()).toBe('Войти')
    expect(await page.getAttribute('html', 'lang')).toBe('ru')

    await byTestId(page, 'language-en').click()
    await expect.poll(title).toBe('Sign in to PROTUS')
  }, 60_000)
})
