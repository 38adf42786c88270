import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { horizontalOverflow, PHONE } from './layout.ts'
import { authorizeUrl, partnerFixtures, registerPartner } from './partner-setup.ts'
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
  const fixtures = partnerFixtures(suite)
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

  it('opens the checkout in Russian from the Russian app, with the suggested amounts as buttons', async () => {
    const { page } = suite
    await openWallet(page)
    await page.getByRole('button', { name: 'Русский' }).click()
    await page.getByRole('heading', { name: 'Кошелёк', level: 1 }).waitFor()
    await page.getByRole('button', { name: 'Пополнить' }).click()

    const suggestions = page.getByRole('group', { name: 'Быстрый выбор суммы' }).getByRole('button')
    await expect.poll(() => suggestions.count()).toBe(3)
    expect((await suggestions.allTextContents()).map(readable)).toEqual([
      '500,00 ₽',
      '1 000,00 ₽',
      '5 000,00 ₽',
    ])
    expect(
      await suggestions.evaluateAll((buttons) =>
        buttons.map((b) => `${b.tagName} ${b.getAttribute('type')}`),
      ),
    ).toEqual(['BUTTON button', 'BUTTON button', 'BUTTON button'])
    // A person on the keyboard reaches a suggestion and takes it with Enter.
    await suggestions.nth(1).focus()
    await page.keyboard.press('Enter')
    expect(await page.getByLabel('Сумма', { exact: true }).inputValue()).toBe('1000.00')
    expect(path()).toBe('/wallet')

    await page.getByRole('button', { name: 'Перейти к оплате' }).click()
    await expect.poll(path).toMatch(/^\/sandbox\/checkout\//)
    expect(new URL(page.url()).searchParams.get('lang')).toBe('ru')
    await page.getByRole('heading', { name: 'Пополнение кошелька PROTUS' }).waitFor()
    expect(await page.getAttribute('html', 'lang')).toBe('ru')
    expect(await page.title()).toBe('Оплата · PROTUS')
    expect(readable(await page.locator('.amount').textContent())).toBe('1 000,00 ₽')
    expect(readable(await page.locator('main').textContent())).not.toMatch(/Top up|Pay|Decline|RUB/)
    // Styled by its sheet: the app's primary colour on the main button, the card on the page's grey.
    const pay = page.getByRole('button', { name: 'Оплатить' })
    expect(await pay.evaluate((b) => getComputedStyle(b).backgroundColor)).toBe('rgb(39, 67, 198)')
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(
      'rgb(245, 246, 250)',
    )
    await page.getByRole('button', { name: 'Отклонить' }).waitFor()

    // On a phone the page fits the screen, its buttons in reach.
    await page.setViewportSize(PHONE)
    expect(await horizontalOverflow(page)).toBe(0)
    await pay.click()
    await page.getByRole('heading', { name: 'Платёж получен' }).waitFor()
    expect(readable(await page.locator('.amount').textContent())).toBe('1 000,00 ₽')
    await page.getByRole('link', { name: 'Вернуться в кошелёк' }).click()
    await expect.poll(path).toBe('/wallet')
    await expect.poll(() => text('top-up-result')).toBe('Пополнение на 1 000,00 ₽ зачислено.')
  }, 60_000)

  it('shows a partial capture as a charge out of the reservation and the rest released on its own row', async () => {
    const { page } = suite
    const partner = await registerPartner(fixtures.api, fixtures.site.redirectUri)
    await openWallet(page)
    await startTopUp('10')
    await page.getByRole('button', { name: 'Pay' }).click()
    await page.getByRole('heading', { name: 'Payment received' }).waitFor()

    // The person lets the partner reserve and charge; the partner's server then bills them.
    const authorize = authorizeUrl(partner.clientId, fixtures.site.redirectUri, 'check hold charge')
    await page.goto(authorize.url)
    const callback = fixtures.site.nextCallback()
    await page.getByRole('button', { name: 'Allow' }).click()
    const code = (await callback).get('code') ?? ''
    // The browser lands on the partner's page before this test sends it anywhere else.
    await page.waitForURL((url) => url.href.startsWith(fixtures.site.redirectUri))
    const token = await fixtures.api.post('/oauth/token', {
      headers: { authorization: partner.auth },
      form: {
        grant_type: 'authorization_code',
        code,
        redirect_uri: fixtures.site.redirectUri,
        code_verifier: authorize.verifier,
      },
    })
    expect(token.status(), await token.text()).toBe(200)
    const introspected = await fixtures.api.post('/oauth/introspect', {
      headers: { authorization: partner.auth },
      form: { token: ((await token.json()) as { access_token: string }).access_token },
    })
    const account = ((await introspected.json()) as { sub: string }).sub
    const bill = async (url: string, data: object) => {
      const res = await fixtures.api.post(url, {
        headers: { authorization: partner.auth, 'idempotency-key': randomBytes(8).toString('hex') },
        data,
      })
      expect(res.status(), await res.text()).toBeLessThan(300)
      return (await res.json()) as { id: string }
    }
    const hold = await bill('/v1/holds', { account, amount: 450, description: 'Campaign' })
    await bill(`/v1/holds/${hold.id}/capture`, { amount: 300 })

    await page.goto('/wallet')
    const rows = byTestId(page, 'entry-row')
    await expect.poll(() => rows.count()).toBe(4)
    const statement = async () =>
      Promise.all(
        (await rows.all()).map(async (row) => [
          await row.getAttribute('data-entry-kind'),
          readable(await byTestId(row, 'entry-kind').textContent()),
          readable(await byTestId(row, 'entry-amount').textContent()),
          readable(await byTestId(row, 'entry-balance-after').textContent()),
        ]),
      )
    expect(await statement()).toEqual([
      ['release', 'Reservation released', '+₽1.50', '₽7.00'],
      ['capture', 'Reserved funds charged', '-₽3.00 from the reservation', '₽5.50'],
      ['hold', 'Funds reserved', '-₽4.50', '₽5.50'],
      ['top_up', 'Top-up', '+₽10.00', '₽10.00'],
    ])
    expect(await text('wallet-available')).toBe('₽7.00')

    await page.getByRole('button', { name: 'Русский' }).click()
    await expect.poll(statement).toEqual([
      ['release', 'Отмена резерва', '+1,50 ₽', '7,00 ₽'],
      ['capture', 'Списание резерва', '-3,00 ₽ из резерва', '5,50 ₽'],
      ['hold', 'Резервирование', '-4,50 ₽', '5,50 ₽'],
      ['top_up', 'Пополнение', '+10,00 ₽', '10,00 ₽'],
    ])
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
