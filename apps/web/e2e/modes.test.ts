import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import {
  browserSuite,
  byTestId,
  checkPrerequisites,
  fillIn,
  openWallet,
  readable,
  registerCompany,
} from './support.ts'

const runnable = checkPrerequisites()

const banner = (page: Page) => page.getByRole('note', { name: 'Sandbox: no real money' })

describe.skipIf(!runnable)('a PROTUS in sandbox mode, in the browser', () => {
  const suite = browserSuite({ PROTUS_MODE: 'sandbox' })

  it('says on every page, signed in or not, that the money is not real', async () => {
    const { page } = suite
    await page.goto('/')
    await banner(page).waitFor()
    expect(await banner(page).textContent()).toContain('Top-ups and payments here are for testing only.')

    await page.goto('/sign-in')
    await page.getByRole('heading', { name: 'Sign in to PROTUS' }).waitFor()
    expect(await banner(page).isVisible()).toBe(true)

    await openWallet(page)
    expect(await banner(page).isVisible()).toBe(true)
    // It sits at the very top, above the app bar.
    expect((await banner(page).boundingBox())?.y).toBe(0)
    await page.getByRole('button', { name: 'Top up' }).waitFor()

    await page.getByRole('button', { name: 'Русский' }).click()
    await page.getByRole('note', { name: 'Песочница: деньги ненастоящие' }).waitFor()
  }, 60_000)
})

describe.skipIf(!runnable)('a PROTUS in live mode with no payment provider, in the browser', () => {
  const suite = browserSuite({ PROTUS_MODE: 'live' })

  it('shows no sandbox banner, and the wallet says top-ups are not available', async () => {
    const { page } = suite
    await page.goto('/')
    await page.getByRole('link', { name: 'Open a wallet' }).waitFor()
    await openWallet(page)
    await page.getByRole('alert').filter({ hasText: 'Top-ups are not available' }).waitFor()
    expect(await page.getByRole('button', { name: 'Top up' }).count()).toBe(0)
    expect(await banner(page).count()).toBe(0)
    expect(await page.getByText('Sandbox').count()).toBe(0)
  }, 60_000)

  it('refuses a local webhook URL with the reason, without the sandbox’s way to allow it', async () => {
    const { page } = suite
    // Chromium logs the refusal of the URL (400) as a failed load.
    suite.allowConsoleErrors(/status of 400 .* at .*\/v1\/company$/)
    await registerCompany(page)
    await page.getByRole('link', { name: 'Credentials', exact: true }).click()
    await fillIn(page, 'Webhook URL', 'http://127.0.0.1:3000/protus/webhooks')
    await page.getByRole('button', { name: 'Save webhook URL' }).click()
    await byTestId(page, 'webhook-url-not-public').waitFor()
    expect(readable(await byTestId(page, 'webhook-url-not-public').textContent())).toBe(
      'PROTUS sends webhooks only to public addresses, not to localhost or private networks.',
    )
    expect(await byTestId(page, 'webhook-url-allow-private').count()).toBe(0)
  }, 60_000)
})
