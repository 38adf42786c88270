import { randomUUID } from 'node:crypto'
import { type APIRequestContext, type Page, request } from 'playwright-core'
import { afterEach, describe, expect, it } from 'vitest'
import { DESKTOP, expectWithinWidth, horizontalOverflow, PHONE } from './layout.ts'
import { browserSuite, byTestId, checkPrerequisites, readable, registerCompany } from './support.ts'

const runnable = checkPrerequisites()

type Locale = 'en' | 'ru'
const VIEWPORTS = [PHONE, DESKTOP]
const LOCALES: Locale[] = ['en', 'ru']
const LONG_NAME = 'Рассылка SMS-сообщений по всей базе клиентов с отчётом о доставке'

/** What a person sees of a list: the page does not scroll sideways, and on a phone the headings give way to cards. */
async function expectListFits(page: Page, testid: string): Promise<void> {
  const list = byTestId(page, testid)
  await list.locator('tbody tr').first().waitFor()
  expect(await horizontalOverflow(page), `${testid} at ${page.viewportSize()?.width}px`).toBe(0)
  const phone = (page.viewportSize()?.width ?? 0) < 600
  expect(await list.locator('thead').isVisible()).toBe(!phone)
}

describe.skipIf(!runnable)('every list of records on a phone and on a desktop', () => {
  const suite = browserSuite()
  let partner: APIRequestContext | undefined

  afterEach(async () => {
    await partner?.dispose()
    partner = undefined
  })

  async function useLocale(page: Page, locale: Locale): Promise<void> {
    await page.evaluate((value) => localStorage.setItem('protus.locale', value), locale)
  }

  it('shows services, accounts, charges, holds, refunds and secrets without sideways scrolling, the service actions in reach, in both languages', async () => {
    const { page } = suite
    const { clientId, clientSecret } = await registerCompany(page)
    partner = await request.newContext({
      baseURL: suite.server.baseUrl,
      extraHTTPHeaders: {
        authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      },
    })
    const api = partner
    const post = async <T>(url: string, data: object): Promise<T> => {
      const response = await api.post(url, { data, headers: { 'idempotency-key': randomUUID() } })
      expect(response.status(), `${url}: ${await response.text()}`).toBe(201)
      return (await response.json()) as T
    }
    const service = await post<{ id: string }>('/v1/services', {
      name: LONG_NAME,
      price: 123_456_789,
      recurring: { interval: 'month', count: 3 },
    })
    await post('/v1/services', { name: 'Client', price: 15000 })
    const account = await post<{ id: string }>('/v1/accounts', {
      external_id: 'user-with-a-rather-long-external-identifier-42',
      email: 'anastasia.konstantinopolskaya@example.com',
      username: 'anastasia.konstantinopolskaya',
    })
    const topUp = await post<{ checkout_url: string }>(`/v1/accounts/${account.id}/topups`, {
      amount: 100000,
    })
    await page.goto(topUp.checkout_url)
    await page.getByRole('button', { name: 'Pay' }).click()
    await page.getByRole('heading', { name: 'Payment received' }).waitFor()
    const charge = await post<{ id: string }>('/v1/charges', { account: account.id, amount: 15000 })
    await post('/v1/holds', { account: account.id, amount: 30000, description: 'Spring campaign' })
    await post(`/v1/charges/${charge.id}/refunds`, { amount: 5000 })

    const serviceRow = page.locator(`[data-testid="service-row"][data-service-id="${service.id}"]`)
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport)
      for (const locale of LOCALES) {
        await useLocale(page, locale)
        await page.goto('/company/services')
        await expectListFits(page, 'services-table')
        await expectWithinWidth(page, byTestId(serviceRow, 'service-status'))
        await expectWithinWidth(page, byTestId(serviceRow, 'service-edit'))
        await expectWithinWidth(page, byTestId(serviceRow, 'service-archive'))
        expect(await byTestId(serviceRow, 'service-price').getAttribute('data-label')).toBe(
          locale === 'en' ? 'Price' : 'Цена',
        )

        await page.goto('/company/accounts')
        await expectListFits(page, 'accounts-table')
        await page.goto(`/company/accounts/${account.id}`)
        for (const [tab, list] of [
          [0, 'charges-table'],
          [1, 'holds-table'],
          [2, 'refunds-table'],
        ] as const) {
          await page.getByRole('tab').nth(tab).click()
          await expectListFits(page, list)
        }

        await page.goto('/company/credentials')
        await byTestId(page, 'client-secret-hint').first().waitFor()
        expect(await horizontalOverflow(page)).toBe(0)
      }
    }

    // On a phone, in Russian, the buttons of a row work where they are.
    await page.setViewportSize(PHONE)
    await page.goto('/company/services')
    await byTestId(serviceRow, 'service-edit').click()
    const dialog = page.getByRole('dialog')
    await expect.poll(() => dialog.getByRole('textbox').first().inputValue()).toBe(LONG_NAME)
    await dialog.getByRole('button', { name: 'Отмена' }).click()
    await dialog.waitFor({ state: 'hidden' })
    await byTestId(serviceRow, 'service-archive').click()
    await expect
      .poll(async () => readable(await byTestId(serviceRow, 'service-status').textContent()))
      .toBe('В архиве')
    await expectWithinWidth(page, byTestId(serviceRow, 'service-restore'))
    expect(await horizontalOverflow(page)).toBe(0)
  }, 120_000)
})
