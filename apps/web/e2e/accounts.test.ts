import { randomUUID } from 'node:crypto'
import { type APIRequestContext, type Page, request } from 'playwright-core'
import { afterEach, describe, expect, it } from 'vitest'
import { browserSuite, byTestId, checkPrerequisites, pathOf, readable, registerCompany } from './support.ts'

const runnable = checkPrerequisites()

describe.skipIf(!runnable)('a partner company’s accounts in the browser', () => {
  const suite = browserSuite()
  let partner: APIRequestContext | undefined

  afterEach(async () => {
    await partner?.dispose()
    partner = undefined
  })

  const path = () => pathOf(suite.page)
  const text = async (scope: Page | ReturnType<typeof byTestId>, id: string) =>
    readable(await byTestId(scope, id).first().textContent())

  /** The partner's server: Basic credentials, a fresh Idempotency-Key on every POST. */
  async function partnerApi(clientId: string, clientSecret: string) {
    partner = await request.newContext({
      baseURL: suite.server.baseUrl,
      extraHTTPHeaders: {
        authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      },
    })
    const api = partner
    return async <T>(url: string, data: object, status = 201): Promise<T> => {
      const response = await api.post(url, { data, headers: { 'idempotency-key': randomUUID() } })
      expect(response.status(), `${url}: ${await response.text()}`).toBe(status)
      return (await response.json()) as T
    }
  }

  it('sees a direct user’s spending, holds and refunds after the partner’s server billed them', async () => {
    const { page } = suite
    const { clientId, clientSecret } = await registerCompany(page)
    const post = await partnerApi(clientId, clientSecret)

    const service = await post<{ id: string }>('/v1/services', { name: 'Client', price: 15000 })
    const account = await post<{ id: string }>('/v1/accounts', {
      external_id: 'user-42',
      email: 'ann@example.com',
      username: 'ann',
    })

    // The direct user pays the top-up link on the sandbox checkout page.
    const topUp = await post<{ checkout_url: string }>(`/v1/accounts/${account.id}/topups`, {
      amount: 100000,
    })
    await page.goto(topUp.checkout_url)
    await page.getByRole('button', { name: 'Pay' }).click()
    await page.getByRole('heading', { name: 'Payment received' }).waitFor()

    const charge = await post<{ id: string; created_at: string }>('/v1/charges', {
      account: account.id,
      service: service.id,
    })
    await post('/v1/holds', { account: account.id, amount: 30000, description: 'Spring campaign' })
    await post(`/v1/charges/${charge.id}/refunds`, { amount: 5000 })

    await page.goto('/company/services')
    await page.getByRole('link', { name: 'Accounts', exact: true }).click()
    await expect.poll(path).toBe('/company/accounts')
    const accountRow = page.locator(`[data-testid="account-row"][data-account-id="${account.id}"]`)
    await accountRow.waitFor()
    expect(await text(accountRow, 'account-user')).toBe('ann')
    expect(await text(accountRow, 'account-external-id')).toBe('External ID user-42')
    expect(await text(accountRow, 'account-kind')).toBe('Direct user')
    // Spent is what the charges took, less what was refunded.
    expect(await text(accountRow, 'account-spent')).toBe('₽100.00')
    expect(await text(accountRow, 'account-held')).toBe('₽300.00')
    expect(await text(accountRow, 'account-refunded')).toBe('₽50.00')
    expect((await byTestId(accountRow, 'scope').allTextContents()).map(readable)).toEqual([
      'Check',
      'Hold',
      'Charge',
    ])

    await accountRow.click()
    await expect.poll(path).toBe(`/company/accounts/${account.id}`)
    await expect.poll(() => text(page, 'account-spent')).toBe('₽100.00')
    expect(await text(page, 'account-held')).toBe('₽300.00')
    expect(await text(page, 'account-email')).toBe('ann@example.com')

    const chargeRow = page.locator(`[data-testid="charge-row"][data-charge-id="${charge.id}"]`)
    await chargeRow.waitFor()
    expect(await text(chargeRow, 'charge-amount')).toBe('₽150.00')
    await expect.poll(() => text(chargeRow, 'service')).toBe('Client')
    expect(await text(chargeRow, 'charge-refunded')).toBe('₽50.00')
    expect(await text(chargeRow, 'charge-status')).toBe('Partly refunded')
    const shownDate = await page.evaluate(
      (iso) =>
        new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)),
      charge.created_at,
    )
    expect(await text(chargeRow, 'charge-created')).toBe(readable(shownDate))

    await page.getByRole('tab', { name: 'Holds' }).click()
    const holdRow = byTestId(page, 'hold-row')
    await expect.poll(() => holdRow.count()).toBe(1)
    expect(await text(holdRow, 'hold-amount')).toBe('₽300.00')
    expect(await text(holdRow, 'hold-status')).toBe('Pending')
    expect(await text(holdRow, 'description')).toBe('Spring campaign')

    await page.getByRole('tab', { name: 'Refunds' }).click()
    const refundRow = byTestId(page, 'refund-row')
    await expect.poll(() => refundRow.count()).toBe(1)
    expect(await text(refundRow, 'refund-amount')).toBe('₽50.00')
    expect(await text(refundRow, 'refund-charge')).toBe(charge.id)

    // The open tab survives a reload.
    await page.reload()
    await expect.poll(() => text(byTestId(page, 'refund-row'), 'refund-amount')).toBe('₽50.00')
  }, 60_000)

  it('shows a new company that it has no accounts yet', async () => {
    const { page } = suite
    await registerCompany(page)
    await page.getByRole('link', { name: 'Accounts', exact: true }).click()
    await expect.poll(() => text(page, 'accounts-empty')).toContain('No accounts yet.')
  }, 60_000)
})
