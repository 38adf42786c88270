import { randomUUID } from 'node:crypto'
import type { APIRequestContext, Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { expectWithinWidth, horizontalOverflow, PHONE } from './layout.ts'
import {
  authorizeUrl,
  type Partner,
  partnerFixtures,
  registerPartner,
  registerPerson,
  signIn,
  topUp,
} from './partner-setup.ts'
import { browserSuite, byTestId, checkPrerequisites, pathOf, readable, registerCompany } from './support.ts'

const runnable = checkPrerequisites()

interface Subscription {
  id: string
  account: string
  status: 'active' | 'past_due' | 'canceled'
  cancel_at_period_end: boolean
  current_period_end: string
  next_charge_at: string | null
  latest_charge: string | null
  created_at: string
}

const DAY = 86_400
const text = async (scope: Page | Locator, id: string) =>
  readable(await byTestId(scope, id).first().textContent())

/** A date as the page shows it: the day alone, in the browser's language and time zone. */
const shownDate = (page: Page, iso: string, locale = 'en-US') =>
  page
    .evaluate(
      ([at, language]) => new Intl.DateTimeFormat(language, { dateStyle: 'medium' }).format(new Date(at)),
      [iso, locale] as const,
    )
    .then(readable)

/** The partner's server: Basic credentials, a fresh Idempotency-Key on every POST. */
function partnerCalls(api: APIRequestContext, auth: string) {
  const call = async <T>(method: 'get' | 'post', url: string, data?: object, status = 200): Promise<T> => {
    const response = await api[method](url, {
      headers: { authorization: auth, ...(method === 'post' ? { 'idempotency-key': randomUUID() } : {}) },
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

/** A monthly service of the partner's at ₽500.00 and a subscription of `account` to it. */
async function subscribe(calls: ReturnType<typeof partnerCalls>, account: string, name = 'Pro plan') {
  const service = await calls.post<{ id: string }>('/v1/services', {
    name,
    price: 50_000,
    recurring: { interval: 'month', count: 1 },
  })
  const subscription = await calls.post<Subscription>('/v1/subscriptions', { account, service: service.id })
  return { service, subscription }
}

describe.skipIf(!runnable)('subscriptions in the browser', () => {
  const suite = browserSuite({ PROTUS_TEST_CLOCK: 'true' })
  const fixtures = partnerFixtures(suite)

  /** A person who allowed a new partner to charge them, on the partner's site again; money in the wallet. */
  async function connectedPerson(
    amount: string,
  ): Promise<{ partner: Partner; account: string; email: string }> {
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
    await topUp(page, amount)
    await page.goto('/wallet/connected')
    const card = partnerCard(partner)
    const account = readable(await byTestId(card, 'connected-account-id').textContent())
    return { partner, account, email: person.email }
  }

  const partnerCard = (partner: Partner) =>
    suite.page.locator(`[data-testid="connected-service"][data-client-id="${partner.clientId}"]`)
  const subscriptionIn = (scope: Page | Locator, id: string) =>
    scope.locator(`[data-testid="subscription"][data-subscription-id="${id}"]`)

  it('shows a person the subscription a partner started, with its price and next charge, and cancels it at the period’s end', async () => {
    const { page } = suite
    const { partner, account } = await connectedPerson('1000')
    const calls = partnerCalls(fixtures.api, partner.auth)
    const { subscription } = await subscribe(calls, account)
    expect(subscription.status).toBe('active')
    expect(subscription.next_charge_at).not.toBeNull()

    await page.reload()
    const row = subscriptionIn(partnerCard(partner), subscription.id)
    await row.waitFor()
    expect(await text(row, 'subscription-service')).toBe('Pro plan')
    expect(await text(row, 'subscription-price')).toBe('₽500.00 every month')
    expect(await text(row, 'subscription-status')).toBe('Active')
    expect(await text(row, 'subscription-when')).toBe(
      `Next charge: ${await shownDate(page, subscription.next_charge_at ?? '')}`,
    )
    expect(await byTestId(row, 'subscription-pay').count()).toBe(0)

    await row.getByRole('button', { name: 'Cancel' }).click()
    const dialog = page.getByRole('dialog')
    expect(readable(await dialog.textContent())).toContain(
      `It stays yours until ${await shownDate(page, subscription.current_period_end)}`,
    )
    await dialog.getByRole('button', { name: 'Cancel subscription' }).click()
    await dialog.waitFor({ state: 'hidden' })
    const ends = `Ends on ${await shownDate(page, subscription.current_period_end)}`
    await expect.poll(() => text(row, 'subscription-status')).toBe(ends)
    expect(await row.getByRole('button', { name: 'Cancel' }).count()).toBe(0)

    const saved = await calls.get<Subscription>(`/v1/subscriptions/${subscription.id}`)
    expect([saved.status, saved.cancel_at_period_end]).toEqual(['active', true])
    expect(saved.next_charge_at).toBeNull()

    // The same after a reload, from the server; the first period's charge is marked on the statement.
    await page.reload()
    await expect.poll(() => text(row, 'subscription-status')).toBe(ends)
    await page.goto('/wallet')
    const marked = page.locator('[data-testid="entry-row"]', { has: byTestId(page, 'entry-subscription') })
    await expect.poll(() => marked.count()).toBe(1)
    expect(await text(marked, 'entry-amount')).toBe('-₽500.00')
    expect(await text(marked, 'entry-subscription')).toBe('Subscription')

    // In Russian, on a phone.
    await page.goto('/wallet/connected')
    await page.setViewportSize(PHONE)
    await byTestId(page, 'language-ru').click()
    await expect.poll(() => text(row, 'subscription-price')).toBe('500,00 ₽ каждый месяц')
    expect(await text(row, 'subscription-status')).toBe(
      `Закончится ${await shownDate(page, subscription.current_period_end, 'ru-RU')}`,
    )
    await expectWithinWidth(page, byTestId(row, 'subscription-status'))
    expect(await horizontalOverflow(page)).toBe(0)
  }, 120_000)

  it('lets a person pay a past-due subscription with Pay now once the wallet has money again', async () => {
    const { page } = suite
    // The first period takes everything in the wallet; the next one finds it empty.
    const { partner, account, email } = await connectedPerson('500')
    const calls = partnerCalls(fixtures.api, partner.auth)
    const { subscription } = await subscribe(calls, account, 'Team plan')
    const { now } = await calls.post<{ now: string }>('/v1/sandbox/clock', { advance_seconds: 32 * DAY }, 200)
    expect(Date.parse(now)).toBeGreaterThan(Date.parse(subscription.current_period_end))
    await expect
      .poll(async () => (await calls.get<Subscription>(`/v1/subscriptions/${subscription.id}`)).status)
      .toBe('past_due')

    // A month later on the server's clock the person's session may have expired: they sign in again.
    await page.goto('/wallet/connected')
    await page.waitForLoadState('networkidle')
    if (pathOf(page) === '/sign-in') await signIn(page, email)
    await expect.poll(() => pathOf(page)).toBe('/wallet/connected')
    const row = subscriptionIn(partnerCard(partner), subscription.id)
    await row.waitFor()
    expect(await text(row, 'subscription-status')).toBe('Past due')
    expect(await text(row, 'subscription-problem-text')).toBe(
      'The last payment did not go through: There is not enough money in the wallet for this payment.',
    )
    expect(await text(row, 'subscription-problem-hint')).toBe('Top up your wallet, then press Pay now again.')

    // Still no money: the refusal shows beside the subscription, which stays due.
    suite.allowConsoleErrors(/status of 402 .* at \S+\/v1\/me\/subscriptions\/sub_\w+\/pay$/)
    await row.getByRole('button', { name: 'Pay now' }).click()
    await expect
      .poll(() => text(row, 'subscription-problem-text'))
      .toBe('There is not enough money in the wallet for this payment.')
    expect(await text(row, 'subscription-status')).toBe('Past due')
    await row.getByRole('link', { name: 'Top up' }).click()
    await expect.poll(() => pathOf(page)).toBe('/wallet')

    await topUp(page, '500')
    await page.goto('/wallet/connected')
    await row.getByRole('button', { name: 'Pay now' }).click()
    await expect.poll(() => text(row, 'subscription-status')).toBe('Active')
    expect(await byTestId(row, 'subscription-problem').count()).toBe(0)
    expect(await byTestId(row, 'subscription-pay').count()).toBe(0)
    expect(await text(partnerCard(partner), 'connected-spent')).toBe('₽1,000.00')

    const paid = await calls.get<Subscription>(`/v1/subscriptions/${subscription.id}`)
    expect(paid.status).toBe('active')
    expect(paid.latest_charge).not.toBe(subscription.latest_charge)
    expect(Date.parse(paid.current_period_end)).toBeGreaterThan(Date.parse(subscription.current_period_end))

    // Both periods' charges are marked on the statement; the refused tries took nothing.
    await page.goto('/wallet')
    const marked = page.locator('[data-testid="entry-row"]', { has: byTestId(page, 'entry-subscription') })
    await expect.poll(() => marked.count()).toBe(2)
    expect((await byTestId(marked, 'entry-amount').allTextContents()).map(readable)).toEqual([
      '-₽500.00',
      '-₽500.00',
    ])
  }, 120_000)

  it('shows a company its subscriptions, filtered, on the account page and by service, in Russian on a phone', async () => {
    const { page } = suite
    const { clientId, clientSecret } = await registerCompany(page)
    const auth = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`
    const calls = partnerCalls(fixtures.api, auth)
    // A direct user of the company's, who pays a top-up link on the sandbox checkout page.
    const direct = await calls.post<{ id: string }>('/v1/accounts', {
      external_id: 'user-7',
      username: 'vera',
    })
    const link = await calls.post<{ checkout_url: string }>(`/v1/accounts/${direct.id}/topups`, {
      amount: 100_000,
    })
    await page.goto(link.checkout_url)
    await page.getByRole('button', { name: 'Pay' }).click()
    await page.getByRole('heading', { name: 'Payment received' }).waitFor()
    const { service, subscription } = await subscribe(calls, direct.id, 'Priority line')

    await page.goto('/company/services')
    await page.getByRole('link', { name: 'Subscriptions', exact: true }).click()
    await expect.poll(() => pathOf(page)).toBe('/company/subscriptions')
    const row = page.locator(`[data-testid="subscription-row"][data-subscription-id="${subscription.id}"]`)
    await row.waitFor()
    expect(await text(row, 'subscription-account')).toBe(direct.id)
    await expect.poll(() => text(row, 'service')).toBe('Priority line')
    expect(await text(row, 'subscription-price')).toBe('₽500.00 every month')
    expect(await text(row, 'subscription-status')).toBe('Active')
    expect(await text(row, 'subscription-next-charge')).toBe(
      await shownDate(page, subscription.next_charge_at ?? ''),
    )
    expect(await text(row, 'subscription-latest-charge')).toBe(`Latest charge: ${subscription.latest_charge}`)

    // Filtered by status: none canceled; the active one again.
    const choose = async (filter: string, option: string) => {
      await byTestId(page, `subscription-filter-${filter}`).click()
      await page.getByRole('option', { name: option, exact: true }).click()
    }
    await choose('status', 'Canceled')
    await expect.poll(() => text(page, 'subscriptions-empty-filtered')).toContain('No subscriptions match')
    expect(new URL(page.url()).searchParams.get('status')).toBe('canceled')
    await choose('status', 'Active')
    await row.waitFor()
    await choose('service', 'Priority line')
    await row.waitFor()
    expect(new URL(page.url()).searchParams.get('service')).toBe(service.id)

    // The drill-down: the account's charges, the subscription's first among them.
    await byTestId(row, 'subscription-charges').click()
    await expect.poll(() => pathOf(page)).toBe(`/company/accounts/${direct.id}`)
    await page.locator(`[data-testid="charge-row"][data-charge-id="${subscription.latest_charge}"]`).waitFor()

    // The account's own subscriptions.
    await page.getByRole('tab', { name: 'Subscriptions' }).click()
    const onAccount = page.locator(
      `[data-testid="subscription-row"][data-subscription-id="${subscription.id}"]`,
    )
    await onAccount.waitFor()
    expect(await text(onAccount, 'subscription-price')).toBe('₽500.00 every month')

    // The services page counts the service's active subscriptions; the edit dialog says what a new price changes.
    await page.goto('/company/services')
    const serviceRow = page.locator(`[data-testid="service-row"][data-service-id="${service.id}"]`)
    await expect.poll(() => text(serviceRow, 'service-subscriptions')).toBe('1')
    await byTestId(serviceRow, 'service-edit').click()
    expect(await text(page, 'service-price-for-new')).toBe(
      'A new price applies only to new subscriptions: running subscriptions keep the price they started with.',
    )
    await page.keyboard.press('Escape')

    // In Russian, on a phone: the list and the account's tab, nothing wider than the screen.
    await page.setViewportSize(PHONE)
    await byTestId(page, 'language-ru').click()
    await page.goto('/company/subscriptions')
    await row.waitFor()
    expect(await text(row, 'subscription-price')).toBe('500,00 ₽ каждый месяц')
    expect(await text(row, 'subscription-status')).toBe('Активна')
    await expectWithinWidth(page, byTestId(row, 'subscription-charges'))
    expect(await horizontalOverflow(page)).toBe(0)

    await page.goto(`/company/accounts/${direct.id}?tab=subscriptions`)
    await onAccount.waitFor()
    expect(await text(onAccount, 'subscription-status')).toBe('Активна')
    await expectWithinWidth(page, byTestId(onAccount, 'subscription-status'))
    await expectWithinWidth(page, page.getByRole('tab', { name: 'Подписки' }))
    expect(await horizontalOverflow(page)).toBe(0)
  }, 120_000)
})
