import type { BrowserContext } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { expectWithinWidth, horizontalOverflow, PHONE } from './layout.ts'
import { browserSuite, byTestId, checkPrerequisites, fillIn, pathOf, readable, unique } from './support.ts'

const runnable = checkPrerequisites()

const PASSWORD = 'correct horse battery'
const NEW_PASSWORD = 'a brand new passphrase'
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1'

describe.skipIf(!runnable)('the devices signed in to an account, and its password, in the browser', () => {
  const suite = browserSuite()

  /** Another device: a browser profile of its own, signed in through the API. */
  async function signInElsewhere(kind: 'customer' | 'company', email: string): Promise<BrowserContext> {
    const phone = await suite.browser.newContext({ baseURL: suite.server.baseUrl, userAgent: IPHONE })
    const res = await phone.request.post('/v1/sessions', { data: { kind, email, password: PASSWORD } })
    expect(res.status()).toBe(201)
    return phone
  }
  const signedIn = async (device: BrowserContext) => (await device.request.get('/v1/me')).status() === 200

  it('shows where a person is signed in, signs one device out, and changes the password', async () => {
    const { page } = suite
    const name = unique('sam')
    const email = `${name}@example.com`
    const created = await page.request.post('/v1/customers', {
      data: { email, username: name, password: PASSWORD },
    })
    expect(created.status()).toBe(201)
    const phone = await signInElsewhere('customer', email)

    await page.goto('/sign-in')
    await fillIn(page, 'Email', email)
    await fillIn(page, 'Password', PASSWORD)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await expect.poll(() => pathOf(page)).toBe('/wallet')
    await byTestId(page, 'nav-account').click()
    await page.getByRole('heading', { name: 'Where you are signed in' }).waitFor()

    // Both devices, this one marked; the phone named from its user agent.
    const rows = byTestId(page, 'session-row')
    await expect.poll(() => rows.count()).toBe(2)
    const current = rows.filter({ has: byTestId(page, 'session-current') })
    expect(await current.count()).toBe(1)
    const phoneRow = rows.filter({ hasText: 'Safari on iOS' })
    expect(await phoneRow.count()).toBe(1)
    expect(readable(await phoneRow.textContent())).toContain('127.0.0.1')
    expect(await byTestId(current, 'session-sign-out').count()).toBe(0)

    // Sign the phone out: it is gone from the list and its session no longer works.
    await byTestId(phoneRow, 'session-sign-out').click()
    await page.getByText('That device is signed out.').waitFor()
    await expect.poll(() => rows.count()).toBe(1)
    expect(await signedIn(phone)).toBe(false)
    await phone.close()

    // A wrong current password is refused next to its field, and changes nothing.
    suite.allowConsoleErrors(/status of 403 .* at .*\/v1\/me\/password$/)
    const phoneAgain = await signInElsewhere('customer', email)
    await page.reload()
    await expect.poll(() => rows.count()).toBe(2)
    const form = byTestId(page, 'change-password')
    await fillIn(form, 'Current password', 'not my password')
    await fillIn(form, 'New password', NEW_PASSWORD)
    await fillIn(form, 'New password again', NEW_PASSWORD)
    await byTestId(page, 'password-save').click()
    await form.getByText('That is not your current password.').waitFor()
    expect(await signedIn(phoneAgain)).toBe(true)

    // The right one changes it: the phone is signed out, this browser stays signed in.
    await fillIn(form, 'Current password', PASSWORD)
    await byTestId(page, 'password-save').click()
    await page.getByText('Your password is changed. Other devices signed out: 1.').waitFor()
    await expect.poll(() => rows.count()).toBe(1)
    expect(await signedIn(phoneAgain)).toBe(false)
    await phoneAgain.close()
    expect((await page.request.get('/v1/me')).status()).toBe(200)

    // The notice arrives in the mailbox, and only the new password opens the account.
    await expect
      .poll(async () => {
        const mail = await page.request.get(`/v1/sandbox/mail?to=${encodeURIComponent(email)}`)
        return ((await mail.json()) as { data: { subject: string }[] }).data.map((m) => m.subject)
      })
      .toContain('Your PROTUS password was changed')
    const attempt = (password: string) =>
      page.request.post('/v1/sessions', {
        data: { kind: 'customer', email, password },
        failOnStatusCode: false,
      })
    expect((await attempt(PASSWORD)).status()).toBe(401)
    expect((await attempt(NEW_PASSWORD)).status()).toBe(201)
  }, 90_000)

  it('gives a company the same account page, which fits a 390 px phone', async () => {
    const { page } = suite
    const name = unique('Initech')
    const email = `${name.toLowerCase()}@example.com`
    const created = await page.request.post('/v1/companies', { data: { email, name, password: PASSWORD } })
    expect(created.status()).toBe(201)
    const phone = await signInElsewhere('company', email)
    const tablet = await signInElsewhere('company', email)

    await page.setViewportSize(PHONE)
    await page.goto('/sign-in')
    await fillIn(page, 'Email', email)
    await fillIn(page, 'Password', PASSWORD)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await expect.poll(() => pathOf(page)).toBe('/company/services')
    await byTestId(page, 'account-menu').click()
    await byTestId(page, 'menu-account').click()
    await expect.poll(() => pathOf(page)).toBe('/company/account')
    expect(readable(await byTestId(page, 'account-name').textContent())).toBe(name)
    const rows = byTestId(page, 'session-row')
    await expect.poll(() => rows.count()).toBe(3)

    expect(await horizontalOverflow(page)).toBe(0)
    await expectWithinWidth(page, byTestId(rows.nth(1), 'session-sign-out'))
    await expectWithinWidth(page, byTestId(page, 'sessions-sign-out-others'))
    await expectWithinWidth(page, byTestId(page, 'password-save'))

    // Everywhere else: both other devices at once, after a confirmation.
    await byTestId(page, 'sessions-sign-out-others').click()
    await byTestId(page, 'sessions-confirm-confirm').click()
    await page.getByText('Signed out of other devices: 2.').waitFor()
    await expect.poll(() => rows.count()).toBe(1)
    expect([await signedIn(phone), await signedIn(tablet)]).toEqual([false, false])
    await Promise.all([phone.close(), tablet.close()])
    expect(await horizontalOverflow(page)).toBe(0)
  }, 90_000)
})
