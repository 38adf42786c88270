import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserSuite, byTestId, checkPrerequisites, fillIn, pathOf, readable, unique } from './support.ts'

const runnable = checkPrerequisites()

describe.skipIf(!runnable)('verifying an email and resetting a forgotten password, in the browser', () => {
  const suite = browserSuite()
  const path = () => pathOf(suite.page)

  /** Opens the sandbox mailbox for `to` until a message with `subject` is there, and follows its link. */
  async function followMailedLink(page: Page, to: string, subject: string): Promise<void> {
    await page.goto(`/sandbox/mail?to=${encodeURIComponent(to)}`)
    const message = byTestId(page, 'mailbox-message').filter({
      has: byTestId(page, 'mailbox-subject').getByText(subject, { exact: true }),
    })
    await expect
      .poll(
        async () => {
          if ((await message.count()) > 0) return true
          await byTestId(page, 'mailbox-refresh').click()
          return false
        },
        { timeout: 15_000, interval: 500 },
      )
      .toBe(true)
    await byTestId(message.first(), 'mailbox-link').click()
  }

  it('registers, verifies from the mailbox, signs out, resets the password from the mailbox and signs in', async () => {
    const { page } = suite
    const username = unique('sam')
    const email = `${username}@example.com`

    await page.goto('/register')
    await fillIn(page, 'Email', email)
    await fillIn(page, 'Username', username)
    await fillIn(page, 'Password', 'first password here')
    await page.getByRole('button', { name: 'Create account' }).click()
    await expect.poll(path, { timeout: 10_000 }).toBe('/wallet')
    await page.goto('/account')
    await expect
      .poll(async () => readable(await byTestId(page, 'email-verified-chip').textContent()))
      .toBe('Not verified')

    await followMailedLink(page, email, 'Confirm your email for PROTUS')
    await expect.poll(path, { timeout: 10_000 }).toBe('/verify-email')
    await expect
      .poll(async () => readable(await byTestId(page, 'verify-done').textContent()))
      .toBe(`Your email ${email} is verified.`)
    await byTestId(page, 'verify-next').click()
    await expect.poll(path, { timeout: 10_000 }).toBe('/wallet')
    await page.getByRole('link', { name: 'Account', exact: true }).click()
    await expect
      .poll(async () => readable(await byTestId(page, 'email-verified-chip').textContent()))
      .toBe('Verified')

    await page.getByRole('button', { name: 'Account menu' }).click()
    await page.getByText('Sign out', { exact: true }).click()
    await expect.poll(path, { timeout: 10_000 }).toBe('/sign-in')

    await page.getByRole('link', { name: 'Forgot password?' }).click()
    await expect.poll(path, { timeout: 10_000 }).toBe('/forgot-password')
    await fillIn(page, 'Email', email)
    await page.getByRole('button', { name: 'Send the link' }).click()
    await byTestId(page, 'forgot-sent').waitFor()

    await followMailedLink(page, email, 'Reset your PROTUS password')
    await expect.poll(path, { timeout: 10_000 }).toBe('/reset-password')
    await fillIn(page, 'New password', 'second password here')
    await page.getByRole('button', { name: 'Set the new password' }).click()
    await byTestId(page, 'reset-done').waitFor()
    // The link works once.
    suite.allowConsoleErrors(/status of 410 .* at \S+\/v1\/password-resets\/complete$/)
    const reused = page.url()
    await byTestId(page, 'reset-sign-in').click()
    await expect.poll(path, { timeout: 10_000 }).toBe('/sign-in')

    await fillIn(page, 'Email', email)
    await fillIn(page, 'Password', 'second password here')
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await expect.poll(path, { timeout: 10_000 }).toBe('/wallet')

    await page.goto(reused)
    await fillIn(page, 'New password', 'third password here')
    await page.getByRole('button', { name: 'Set the new password' }).click()
    await page
      .getByRole('alert')
      .filter({ hasText: 'This link was used already. Ask for a new one if you need it.' })
      .waitFor()
  }, 90_000)
})
