import { randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { parse } from 'csv-parse/sync'
import type { APIRequestContext } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { horizontalOverflow, PHONE } from './layout.ts'
import {
  authorizeUrl,
  type Partner,
  partnerFixtures,
  registerPartner,
  registerPerson,
  signIn,
  topUp,
} from './partner-setup.ts'
import { browserSuite, byTestId, checkPrerequisites, fillIn, pathOf, readable } from './support.ts'

const runnable = checkPrerequisites()

const DAY = 86_400

/** The partner's server: Basic credentials, a fresh Idempotency-Key on every POST. */
function partnerCalls(api: APIRequestContext, partner: Partner) {
  const call = async <T>(method: 'get' | 'post', url: string, data?: object, status = 200): Promise<T> => {
    const response = await api[method](url, {
      headers: {
        authorization: partner.auth,
        ...(method === 'post' ? { 'idempotency-key': randomUUID() } : {}),
      },
      data,
    })
    expect(response.status(), `${method} ${url}: ${await response.text()}`).toBe(status)
    return (await response.json()) as T
  }
  return {
    get: <T>(url: string) => call<T>('get', url),
    post: <T>(url: string, data: object, status = 201) => call<T>('post', url, data, status),
  }
}

describe.skipIf(!runnable)('a person’s spending in the browser', () => {
  // The server's clock moves a month on; the session outlives it.
  const suite = browserSuite({ PROTUS_TEST_CLOCK: 'true', PROTUS_SESSION_TTL_SECONDS: String(90 * DAY) })
  const fixtures = partnerFixtures(suite)

  /** Signs in with PROTUS at the partner and allows it to charge; returns the person's account there. */
  async function connect(partner: Partner, email: string): Promise<string> {
    const { page } = suite
    await page.goto(authorizeUrl(partner.clientId, fixtures.site.redirectUri, 'check charge').url)
    await expect.poll(() => pathOf(page)).toMatch(/^\/(sign-in|consent\/)/)
    if (pathOf(page) === '/sign-in') await signIn(page, email)
    await expect.poll(() => pathOf(page)).toMatch(/^\/consent\/areq_/)
    const callback = fixtures.site.nextCallback()
    await page.getByRole('button', { name: 'Allow' }).click()
    await callback
    await page.waitForURL((url) => url.href.startsWith(fixtures.site.redirectUri))
    await page.goto('/wallet/connected')
    const card = page.locator(`[data-testid="connected-service"][data-client-id="${partner.clientId}"]`)
    return readable(await byTestId(card, 'connected-account-id').textContent())
  }

  it('charts a month’s spending by partner, filters the statement and downloads it as CSV', async () => {
    const { page } = suite
    const person = await registerPerson(fixtures.api)
    const alpha = await registerPartner(fixtures.api, fixtures.site.redirectUri)
    const beta = await registerPartner(fixtures.api, fixtures.site.redirectUri)
    const alphaAccount = await connect(alpha, person.email)
    const betaAccount = await connect(beta, person.email)
    await topUp(page, '1000')

    const a = partnerCalls(fixtures.api, alpha)
    const b = partnerCalls(fixtures.api, beta)
    const { id: alphaId } = await a.get<{ id: string }>('/v1/company')
    const { id: betaId } = await b.get<{ id: string }>('/v1/company')
    const monthOf = async () => (await a.get<{ now: string }>('/v1/sandbox/clock')).now.slice(0, 7)
    const first = await monthOf()
    const mailing = await a.post<{ id: string }>('/v1/charges', {
      account: alphaAccount,
      amount: 10_000,
      description: 'Рассылка «Весна», 500 клиентов',
    })
    await b.post('/v1/charges', { account: betaAccount, amount: 5_000, description: 'Hosting, plan "Pro"' })
    await a.post('/v1/sandbox/clock', { advance_seconds: 32 * DAY }, 200)
    const second = await monthOf()
    await a.post('/v1/charges', {
      account: alphaAccount,
      amount: 3_000,
      description: 'рассылка: напоминание',
    })
    await b.post('/v1/charges', { account: betaAccount, amount: 2_000, description: 'Hosting' })
    await a.post(`/v1/charges/${mailing.id}/refunds`, { amount: 1_000 })

    // The chart's table: each partner's month, payments less refunds (the refund in the month it was made).
    await page.goto('/wallet')
    const table = byTestId(page, 'spending-table')
    await byTestId(table, 'spending-row').first().waitFor({ state: 'attached' })
    expect(await byTestId(table, 'spending-row').count()).toBe(12)
    const cell = async (month: string, partner: string) =>
      readable(await table.locator(`[data-month="${month}"] [data-partner="${partner}"]`).textContent())
    const total = async (month: string) =>
      readable(await table.locator(`[data-month="${month}"] [data-testid="spending-total"]`).textContent())
    expect([await cell(first, alphaId), await cell(first, betaId), await total(first)]).toEqual([
      '₽100.00',
      '₽50.00',
      '₽150.00',
    ])
    expect([await cell(second, alphaId), await cell(second, betaId), await total(second)]).toEqual([
      '₽20.00',
      '₽20.00',
      '₽40.00',
    ])
    expect(await byTestId(page, 'spending-bars').locator('canvas').count()).toBe(1)
    // Off-screen beside the chart (for screen readers), on the page when asked for.
    const left = async () => (await table.boundingBox())?.x ?? Number.NaN
    expect(await left()).toBeLessThan(0)
    await page.getByRole('button', { name: 'Show as table' }).click()
    await expect.poll(left).toBeGreaterThanOrEqual(0)
    expect(await byTestId(page, 'spending-bars').count()).toBe(0)

    // The statement of one partner, then of its lines mentioning a mailing; the address keeps both.
    const rows = byTestId(page, 'entry-row')
    await expect.poll(() => rows.count()).toBe(6)
    await byTestId(page, 'filter-partner').click()
    await page.getByRole('option', { name: alpha.name }).click()
    await expect.poll(() => new URL(page.url()).searchParams.get('partner')).toBe(alphaId)
    await expect
      .poll(async () => (await byTestId(page, 'entry-partner').allTextContents()).map(readable))
      .toEqual([alpha.name, alpha.name, alpha.name])
    await fillIn(page, 'Search descriptions', 'РАССЫЛКА')
    await page.keyboard.press('Enter')
    await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('РАССЫЛКА')
    const descriptions = () => byTestId(page, 'entry-description').allTextContents()
    await expect
      .poll(async () => (await descriptions()).map(readable))
      .toEqual(['Рассылка «Весна», 500 клиентов', 'рассылка: напоминание', 'Рассылка «Весна», 500 клиентов'])
    expect(await rows.evaluateAll((all) => all.map((row) => row.getAttribute('data-entry-kind')))).toEqual([
      'refund',
      'charge',
      'charge',
    ])

    // The download has the filtered lines.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export CSV' }).click(),
    ])
    expect(download.suggestedFilename()).toMatch(/^protus-statement-\d{4}-\d{2}-\d{2}\.csv$/)
    const csv = parse(await readFile(await download.path()), { bom: true, columns: true }) as Record<
      string,
      string
    >[]
    expect(csv.map((row) => [row.kind, row.amount, row.currency, row.partner_name, row.description])).toEqual(
      [
        ['refund', '10.00', 'RUB', alpha.name, 'Рассылка «Весна», 500 клиентов'],
        ['charge', '30.00', 'RUB', alpha.name, 'рассылка: напоминание'],
        ['charge', '100.00', 'RUB', alpha.name, 'Рассылка «Весна», 500 клиентов'],
      ],
    )

    // Kept in the address: a reload shows the same lines; on a phone in Russian, nothing runs off the side.
    await page.reload()
    await expect.poll(async () => (await descriptions()).length).toBe(3)
    await page.setViewportSize(PHONE)
    await byTestId(page, 'language-ru').click()
    await page.getByRole('button', { name: 'Показать таблицей' }).waitFor()
    const monthName = new Intl.DateTimeFormat('ru', {
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    }).format(new Date(`${second}-01T00:00:00Z`))
    expect(readable(await table.locator(`[data-month="${second}"] th`).textContent())).toBe(monthName)
    expect(await horizontalOverflow(page)).toBe(0)
    await page.getByRole('link', { name: 'Скачать (CSV)' }).waitFor()
  }, 60_000)
})
