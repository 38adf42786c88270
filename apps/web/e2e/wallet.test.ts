import { describe, expect, it } from 'vitest'
import {
  browserSuite,
  byTestId,
  checkPrerequisites,
  fillIn,
  openWallet,
  pathOf,
  readable,
} from './support.ts'

const runnable = checkPrerequisites()

describe.skipIf(!runnable)('a person’s wallet in the browser', () => {
  const suite = browserSuite()
  const path = () => pathOf(suite.page)
  const text = async (id: string) => readable(await byTestId(suite.page, id).first().textContent())

  /** Opens the top-up dialog, asks for `amount` and lands on the sandbox checkout page. */
  async function startTopUp(amount: string): Promise<void> {
    const { page } = suite
    await page.getByRole('button', { name: 'Top up' }).click()
    await fillIn(page, 'Amount', amount)
    await page.getByRole('button', { name: 'Continue to payment' }).click()
    await expect.poll(path).toMatch(/^\/sandbox\/checkout\//)
    await page.getByRole('heading', { name: 'Top up your PROTUS wallet' }).waitFor()
  }

  it('tops up through the sandbox checkout and sees the money and the statement row', async () => {
    const { page } = suite
    await openWallet(page)
    await expect.poll(() => text('wallet-available')).toBe('₽0.00')
    expect(await text('wallet-held')).toBe('₽0.00')
    expect(await text('wallet-posted')).toBe('₽0.00')
    await byTestId(page, 'statement-empty').waitFor()

    // An amount that could be read two ways is refused before anything is sent.
    await page.getByRole('button', { name: 'Top up' }).click()
    await fillIn(page, 'Amount', '1,500')
    await page.getByRole('button', { name: 'Continue to payment' }).click()
    await expect
      .poll(async () => readable(await byTestId(page, 'top-up-amount').locator('.v-messages').textContent()))
      .toBe('Enter an amount such as 150.00')
    expect(path()).toBe('/wallet')
    await page.keyboard.press('Escape')

    await startTopUp('500.00')
    expect(readable(await page.locator('.amount').textContent())).toContain('500.00')
    await page.getByRole('button', { name: 'Pay' }).click()
    await page.getByRole('heading', { name: 'Payment received' }).waitFor()
    await page.getByRole('link', { name: 'Back to your wallet' }).click()

    await expect.poll(path).toBe('/wallet')
    await expect.poll(() => text('top-up-result')).toBe('Your top-up of ₽500.00 has arrived.')
    await expect.poll(() => text('wallet-available')).toBe('₽500.00')
    expect(await text('wallet-posted')).toBe('₽500.00')
    const rows = byTestId(page, 'entry-row')
    await expect.poll(() => rows.count()).toBe(1)
    expect(await rows.first().getAttribute('data-entry-kind')).toBe('top_up')
    expect(readable(await byTestId(rows.first(), 'entry-kind').textContent())).toBe('Top-up')
    expect(readable(await byTestId(rows.first(), 'entry-amount').textContent())).toBe('+₽500.00')
    expect(readable(await byTestId(rows.first(), 'entry-balance-after').textContent())).toBe('₽500.00')

    // A declined payment says so and leaves the balance as it was.
    await startTopUp('100')
    await page.getByRole('button', { name: 'Decline' }).click()
    await page.getByRole('heading', { name: 'Payment declined' }).waitFor()
    await page.getByRole('link', { name: 'Back to your wallet' }).click()
    await expect.poll(path).toBe('/wallet')
    await expect
      .poll(() => text('top-up-result'))
      .toBe('The payment for your top-up of ₽100.00 did not go through. No money was taken.')
    await expect.poll(() => text('wallet-available')).toBe('₽500.00')
    expect(await byTestId(page, 'entry-row').count()).toBe(1)

    // The message is about that one return; a later visit shows just the wallet.
    await byTestId(page, 'top-up-result').locator('button[aria-label]').last().click()
    await page.reload()
    await expect.poll(() => text('wallet-available')).toBe('₽500.00')
    expect(await byTestId(page, 'top-up-result').count()).toBe(0)
  }, 60_000)

  it('shows a new person that no services are connected, also under the old address', async () => {
    const { page } = suite
    await openWallet(page)
    await page.getByRole('link', { name: 'Connected services', exact: true }).click()
    await expect.poll(path).toBe('/wallet/connected')
    await expect.poll(() => text('connected-empty')).toContain('No connected services yet.')
    expect(await byTestId(page, 'former-partners').count()).toBe(0)

    await page.goto('/wallet/accounts')
    await expect.poll(path).toBe('/wallet/connected')
  }, 60_000)
})
