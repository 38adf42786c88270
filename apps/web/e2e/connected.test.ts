import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { horizontalOverflow, PHONE } from './layout.ts'
import {
  authorizeUrl,
  partnerFixtures,
  registerPartner,
  registerPerson,
  signIn,
  topUp,
} from './partner-setup.ts'
import { browserSuite, byTestId, checkPrerequisites, pathOf, readable } from './support.ts'

const runnable = checkPrerequisites()

describe.skipIf(!runnable)('Connected services after the last partner is disconnected', () => {
  const suite = browserSuite()
  const fixtures = partnerFixtures(suite)

  it('keeps the partner under Disconnected with what it spent, and says no partner can use the wallet now', async () => {
    const { page } = suite
    const partner = await registerPartner(fixtures.api, fixtures.site.redirectUri)
    const person = await registerPerson(fixtures.api)

    await page.goto(authorizeUrl(partner.clientId, fixtures.site.redirectUri, 'check charge').url)
    await expect.poll(() => pathOf(page)).toBe('/sign-in')
    await signIn(page, person.email)
    await expect.poll(() => pathOf(page)).toMatch(/^\/consent\/areq_/)
    const callback = fixtures.site.nextCallback()
    await page.getByRole('button', { name: 'Allow' }).click()
    await callback
    await page.waitForURL((url) => url.href.startsWith(fixtures.site.redirectUri))

    // The partner takes ₽25.00 from the wallet.
    await topUp(page, '100')
    await page.goto('/wallet/connected')
    const card = page.locator(`[data-testid="connected-service"][data-client-id="${partner.clientId}"]`)
    const account = readable(await byTestId(card, 'connected-account-id').textContent())
    const charged = await fixtures.api.post('/v1/charges', {
      headers: { authorization: partner.auth, 'idempotency-key': randomBytes(8).toString('hex') },
      data: { account, amount: 2500 },
    })
    expect(charged.status(), await charged.text()).toBe(201)
    await page.reload()
    await expect
      .poll(async () => readable(await byTestId(card, 'connected-spent').textContent()))
      .toBe('₽25.00')
    expect(await byTestId(page, 'former-partners').count()).toBe(0)

    await card.getByRole('button', { name: 'Revoke access' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke access' }).click()
    await card.waitFor({ state: 'detached' })

    const former = page.locator(`[data-testid="former-partner"][data-client-id="${partner.clientId}"]`)
    const formerText = async (id: string) => readable(await byTestId(former, id).textContent())
    const today = new Intl.DateTimeFormat('en', { month: 'short', day: 'numeric' }).format(new Date())
    /** What the page says now: the same right after revoking and after a reload, from the server. */
    const expectDisconnected = async () => {
      await expect
        .poll(async () => readable(await byTestId(page, 'connected-none-now').textContent()))
        .toContain('No partner can use your wallet now.')
      expect(await byTestId(page, 'connected-empty').count()).toBe(0)
      expect(await page.getByRole('heading', { name: 'Disconnected' }).count()).toBe(1)
      expect(await formerText('former-name')).toBe(partner.name)
      expect(await formerText('former-spent')).toBe('₽25.00')
      expect(await formerText('former-revoked')).toContain(today)
    }
    await expectDisconnected()
    await page.reload()
    await expectDisconnected()

    // In Russian, on a phone.
    await page.setViewportSize(PHONE)
    await byTestId(page, 'language-ru').click()
    await expect
      .poll(async () => readable(await byTestId(page, 'connected-none-now').textContent()))
      .toContain('Сейчас ни один партнёр не может пользоваться вашим кошельком.')
    expect(await page.getByRole('heading', { name: 'Отключены' }).count()).toBe(1)
    expect(await formerText('former-spent')).toBe('25,00 ₽')
    expect(await horizontalOverflow(page)).toBe(0)
  }, 90_000)
})
