import { randomBytes } from 'node:crypto'
import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import {
  authorizeUrl,
  partnerFixtures,
  registerPartner,
  registerPerson,
  signIn,
  topUp,
} from './partner-setup.ts'
import { browserSuite, checkPrerequisites, readable } from './support.ts'

const runnable = checkPrerequisites()

/** The limit's text box, by the name a person reads on it. */
const limitInput = (scope: Page | Locator, name = 'Monthly limit (optional)') =>
  scope.getByRole('textbox', { name, exact: true })

describe.skipIf(!runnable)('a monthly spending limit per partner in the browser', () => {
  const suite = browserSuite()
  const fixtures = partnerFixtures(suite)

  const path = () => new URL(suite.page.url()).pathname

  /** Allows on the consent page and waits until the browser is back at the partner. */
  async function allow(): Promise<void> {
    const { page } = suite
    const callback = fixtures.site.nextCallback()
    await page.getByRole('button', { name: 'Allow' }).click()
    await callback
    await page.waitForURL((url) => url.href.startsWith(fixtures.site.redirectUri))
  }

  it('sets a limit at consent, shows the month’s spending against it, and changes it under Connected services', async () => {
    const { page } = suite
    const partner = await registerPartner(fixtures.api, fixtures.site.redirectUri)
    const person = await registerPerson(fixtures.api)
    const charge = (account: string, amount: number) =>
      fixtures.api.post('/v1/charges', {
        headers: { authorization: partner.auth, 'idempotency-key': randomBytes(8).toString('hex') },
        data: { account, amount },
      })

    await page.goto(authorizeUrl(partner.clientId, fixtures.site.redirectUri, 'check charge').url)
    await expect.poll(path).toBe('/sign-in')
    await signIn(page, person.email)
    await expect.poll(path).toMatch(/^\/consent\/areq_/)

    // Something that is not an amount is refused on the page, before anything is sent.
    const limitField = limitInput(page)
    await limitField.fill('lots')
    await page.getByRole('button', { name: 'Allow' }).click()
    await page
      .getByText('Enter an amount above zero, such as 500 or 500.50, or leave it empty for no limit')
      .waitFor()
    expect(path()).toMatch(/^\/consent\//)

    await limitField.fill('500')
    await allow()

    await topUp(page, '1000')
    await page.goto('/wallet/connected')
    const card = page.locator('[data-testid="connected-service"]').filter({ hasText: partner.name })
    const account = readable(await card.getByTestId('connected-account-id').textContent())
    expect(account).toMatch(/^acct_/)
    const usage = () => card.getByTestId('connected-limit-usage').textContent().then(readable)
    expect(await usage()).toBe('₽0.00 of ₽500.00 this month')

    // The partner takes ₽120.00; more than the rest of the month's limit is refused.
    expect((await charge(account, 12_000)).status()).toBe(201)
    const refused = await charge(account, 40_000)
    expect([refused.status(), (await refused.json()).code]).toEqual([402, 'spending_limit_exceeded'])

    await page.reload()
    await expect.poll(usage).toBe('₽120.00 of ₽500.00 this month')
    const progress = card.getByRole('progressbar', { name: 'Part of the monthly limit spent' })
    expect(await progress.getAttribute('aria-valuenow')).toBe('24')
    expect(readable(await card.getByTestId('connected-limit-resets').textContent())).toMatch(
      /^₽380\.00 left, holds included · resets \w{3} 1$/,
    )

    // The person raises the limit.
    await card.getByRole('button', { name: 'Change limit' }).click()
    const dialog = page.getByRole('dialog')
    const dialogField = limitInput(dialog, 'Monthly limit')
    expect(await dialogField.inputValue()).toBe('500.00')
    await dialogField.fill('750.50')
    await dialog.getByRole('button', { name: 'Save limit' }).click()
    await dialog.waitFor({ state: 'hidden' })
    await expect.poll(usage).toBe('₽120.00 of ₽750.50 this month')
    await page.getByText(`Monthly limit for ${partner.name} set to ₽750.50`).waitFor()
    expect((await charge(account, 40_000)).status()).toBe(201)

    await page.reload()
    await expect.poll(usage).toBe('₽520.00 of ₽750.50 this month')

    // And removes it.
    await card.getByRole('button', { name: 'Change limit' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Remove limit' }).click()
    await expect.poll(usage).toBe('No limit')
    expect(readable(await card.textContent())).toContain('₽520.00 this month')
    await page.reload()
    await expect.poll(usage).toBe('No limit')
    expect(await card.getByRole('button', { name: 'Set limit' }).count()).toBe(1)
  }, 90_000)

  it('asks no limit of a partner that may not take money, sets one under Connected services, and shows it when asked again', async () => {
    const { page } = suite
    const partner = await registerPartner(fixtures.api, fixtures.site.redirectUri)
    const person = await registerPerson(fixtures.api)

    await page.goto(authorizeUrl(partner.clientId, fixtures.site.redirectUri, 'check').url)
    await signIn(page, person.email)
    await expect.poll(path).toMatch(/^\/consent\/areq_/)
    // A partner that may not take money is not asked for a limit.
    await page.getByRole('button', { name: 'Allow' }).waitFor()
    expect(await limitInput(page).count()).toBe(0)
    await allow()

    await page.goto('/wallet/connected')
    const card = page.locator('[data-testid="connected-service"]').filter({ hasText: partner.name })
    await card.getByRole('button', { name: 'Set limit' }).click()
    await limitInput(page.getByRole('dialog'), 'Monthly limit').fill('300')
    await page.getByRole('dialog').getByRole('button', { name: 'Save limit' }).click()
    await expect
      .poll(() => card.getByTestId('connected-limit-usage').textContent().then(readable))
      .toBe('₽0.00 of ₽300.00 this month')

    // Asked for more, the partner comes back: the page shows the limit that is set.
    await page.goto(authorizeUrl(partner.clientId, fixtures.site.redirectUri, 'check hold').url)
    await expect.poll(path).toMatch(/^\/consent\/areq_/)
    await expect.poll(() => limitInput(page).inputValue()).toBe('300.00')
    await allow()
  }, 60_000)
})
