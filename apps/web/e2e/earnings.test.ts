import { randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { type APIRequestContext, type Locator, type Page, request } from 'playwright-core'
import { afterEach, describe, expect, it } from 'vitest'
import { horizontalOverflow, PHONE } from './layout.ts'
import {
  browserSuite,
  byTestId,
  checkPrerequisites,
  fillIn,
  pathOf,
  readable,
  registerCompany,
} from './support.ts'

const runnable = checkPrerequisites()

/** The rows of an RFC 4180 file (quoted fields may hold commas, quotes and line breaks), BOM skipped. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  const body = text.replace(/^\uFEFF/, '')
  for (let i = 0; i < body.length; i++) {
    const char = body[i]
    if (quoted) {
      if (char === '"' && body[i + 1] === '"') field += body[++i]
      else if (char === '"') quoted = false
      else field += char
    } else if (char === '"') quoted = true
    else if (char === ',') {
      row.push(field)
      field = ''
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && body[i + 1] === '\n') i++
      rows.push([...row, field])
      row = []
      field = ''
    } else field += char
  }
  if (field !== '' || row.length) rows.push([...row, field])
  return rows
}

/** A CSV file's rows as objects keyed by its header row. */
function records(text: string): Record<string, string>[] {
  const [header = [], ...rows] = parseCsv(text)
  return rows.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i] ?? ''])))
}

describe.skipIf(!runnable)('what a company earned and paid out, in the browser', () => {
  const suite = browserSuite()
  let partner: APIRequestContext | undefined

  afterEach(async () => {
    await partner?.dispose()
    partner = undefined
  })

  const text = async (scope: Page | Locator, id: string) =>
    readable(await byTestId(scope, id).first().textContent())
  const query = () => Object.fromEntries(new URL(suite.page.url()).searchParams)

  /** The partner's server: Basic credentials, a fresh Idempotency-Key on every POST. */
  async function partnerApi(clientId: string, clientSecret: string) {
    partner = await request.newContext({
      baseURL: suite.server.baseUrl,
      extraHTTPHeaders: {
        authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      },
    })
    const api = partner
    return async <T>(url: string, data: object): Promise<T> => {
      const response = await api.post(url, { data, headers: { 'idempotency-key': randomUUID() } })
      expect(response.status(), `${url}: ${await response.text()}`).toBe(201)
      return (await response.json()) as T
    }
  }

  it('refunds part of a charge, sees it in Operations and in the balance, asks for a payout and exports the charges', async () => {
    const { page } = suite
    const { clientId, clientSecret } = await registerCompany(page)
    const post = await partnerApi(clientId, clientSecret)
    const service = await post<{ id: string }>('/v1/services', { name: 'Client', price: 15000 })
    const account = await post<{ id: string }>('/v1/accounts', { external_id: 'user-7', username: 'ann' })
    const topUp = await post<{ checkout_url: string }>(`/v1/accounts/${account.id}/topups`, {
      amount: 100000,
    })
    await page.goto(topUp.checkout_url)
    await page.getByRole('button', { name: 'Pay' }).click()
    await page.getByRole('heading', { name: 'Payment received' }).waitFor()
    const charge = await post<{ id: string }>('/v1/charges', { account: account.id, service: service.id })
    await post('/v1/charges', { account: account.id, amount: 4000, description: 'Priority line' })

    // The dashboard opens on the overview: both charges earned, nothing paid out yet.
    await page.goto('/company')
    await expect.poll(() => pathOf(page)).toBe('/company/overview')
    await expect.poll(() => text(page, 'balance-available')).toBe('₽190.00')
    expect(await text(page, 'balance-pending-payouts')).toBe('₽0.00')
    await expect.poll(() => text(page, 'overview-month-net')).toBe('₽190.00')
    await expect
      .poll(() => byTestId(page, 'latest-charges').locator('[data-testid="charge-row"]').count())
      .toBe(2)
    await byTestId(page, 'revenue-chart').waitFor()

    // The service's Operations button lists that service's charges alone.
    await page.goto('/company/services')
    await page.getByRole('link', { name: 'Operations of Client' }).click()
    await expect.poll(() => pathOf(page)).toBe('/company/operations')
    expect(query()).toEqual({ service: service.id })
    const chargeRow = page.locator(`[data-testid="charge-row"][data-charge-id="${charge.id}"]`)
    await chargeRow.waitFor()
    await expect.poll(() => byTestId(page, 'charge-row').count()).toBe(1)

    // A partial refund, confirmed in its dialog.
    await byTestId(chargeRow, 'charge-refund').click()
    const dialog = page.getByRole('dialog')
    await dialog.getByRole('radio', { name: 'Part of it' }).check()
    await fillIn(dialog, 'Amount to refund', '50')
    await dialog.getByRole('button', { name: 'Refund ₽50.00' }).click()
    await expect.poll(() => text(page, 'notice-text')).toBe('₽50.00 refunded')
    await expect.poll(() => text(chargeRow, 'charge-refunded')).toBe('₽50.00')
    expect(await text(chargeRow, 'charge-status')).toBe('Partly refunded')

    await page.getByRole('tab', { name: 'Refunds' }).click()
    await expect.poll(query).toEqual({ tab: 'refunds', service: service.id })
    await expect.poll(() => text(page, 'refund-amount')).toBe('₽50.00')
    expect(await text(page, 'refund-charge')).toBe(charge.id)

    await page.getByRole('tab', { name: 'Balance transactions' }).click()
    const refundMovement = page.locator('[data-testid="balance-transaction-row"][data-type="refund"]')
    await expect.poll(() => text(refundMovement, 'balance-transaction-amount')).toBe('-₽50.00')

    await byTestId(page, 'nav-overview').click()
    await expect.poll(() => text(page, 'balance-available')).toBe('₽140.00')
    await expect.poll(() => text(page, 'overview-month-net')).toBe('₽140.00')

    // A payout of part of the balance, asked for from the overview, waits for the operator.
    await page.getByRole('link', { name: 'Request payout' }).click()
    await expect.poll(() => pathOf(page)).toBe('/company/payouts')
    await fillIn(dialog, 'Amount', '100')
    await dialog.getByRole('button', { name: 'Request payout' }).click()
    const payoutRow = byTestId(page, 'payout-row')
    await expect.poll(() => text(payoutRow, 'payout-status')).toBe('Pending')
    expect(await text(payoutRow, 'payout-amount')).toBe('₽100.00')
    await expect.poll(() => text(page, 'balance-available')).toBe('₽40.00')
    expect(await text(page, 'balance-pending-payouts')).toBe('₽100.00')
    await expect
      .poll(() =>
        text(
          page.locator('[data-testid="balance-transaction-row"][data-type="payout"]'),
          'balance-transaction-amount',
        ),
      )
      .toBe('-₽100.00')

    // Refunding the rest would take the balance below zero: the dialog says why it cannot.
    suite.allowConsoleErrors(/status of 402 .* at \S+\/v1\/charges\/ch_\w+\/refunds$/)
    await page.goto(`/company/operations?service=${service.id}`)
    await byTestId(chargeRow, 'charge-refund').click()
    await dialog.getByRole('button', { name: 'Refund ₽100.00' }).click()
    await expect.poll(() => text(dialog, 'form-error')).toMatch(/available balance is too small/)
    await dialog.getByRole('button', { name: 'Cancel' }).click()

    // The export is the list on screen: this service's one charge.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      byTestId(page, 'operations-export').click(),
    ])
    const rows = records(await readFile(await download.path(), 'utf8'))
    expect(rows.map((row) => row.id)).toEqual([charge.id])
    expect(rows[0]).toMatchObject({
      account: account.id,
      service: service.id,
      amount: '150.00',
      amount_refunded: '50.00',
      currency: 'RUB',
    })

    // On a phone every page of the earnings fits the width.
    await page.setViewportSize(PHONE)
    for (const [path, ready] of [
      ['/company/overview', 'latest-charges'],
      ['/company/operations?tab=balance', 'balance-transactions-table'],
      ['/company/payouts', 'payouts-table'],
    ] as const) {
      await page.goto(path)
      await byTestId(page, ready).waitFor()
      expect(await horizontalOverflow(page), path).toBe(0)
    }
  }, 60_000)
})
