import { randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createProtusClient, type ProtusClient, type Subscription } from '@protus/sdk'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { byTestId, fill, launchBrowser, openPage, readable } from '../../../apps/web/e2e/support.ts'
import { oneMonthAfter } from '../src/plans.ts'
import {
  checkPrerequisites,
  type DemoData,
  freshDemoData,
  minorUnits,
  type RunningDemo,
  startDemo,
} from './demo.ts'

const runnable = checkPrerequisites()
const PERSON = { email: 'anna@example.com', password: 'anna-demo-password' }
const PRO = 29_900
/** Webhooks arrive within moments of their change, in the background. */
const webhooks = { timeout: 15_000, interval: 250 }

/** A date as the Plans page shows it (UTC, as PROTUS computes periods). */
const utc = (iso: string | null) =>
  iso
    ? `${new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(iso))} UTC`
    : '—'

describe.skipIf(!runnable)(
  'npm run demo: the Pro plan of Messages renews when the sandbox clock moves',
  () => {
    let tmp: string
    let data: DemoData
    let demo: RunningDemo
    let browser: Browser
    let context: BrowserContext
    let page: Page
    /** Messages' own view at PROTUS, with the credentials `npm run demo` kept. */
    let partner: ProtusClient
    /** Pages of refused forms the test asked for: the browser logs their 402/403 once each. */
    let refusalPages: string[] = []

    beforeAll(async () => {
      tmp = await mkdtemp(join(tmpdir(), 'protus-pro-'))
      data = await freshDemoData(tmp)
      ;[demo, browser] = await Promise.all([startDemo(data), launchBrowser()])
      const saved = JSON.parse(await readFile(join(tmp, 'messages-credentials.json'), 'utf8'))
      partner = createProtusClient({
        baseUrl: demo.protusUrl,
        clientId: saved.client_id,
        clientSecret: saved.client_secret,
      })
    }, 120_000)

    afterAll(async () => {
      await demo?.stop()
      await browser?.close()
      await data?.drop()
      if (tmp) await rm(tmp, { recursive: true, force: true })
    })

    beforeEach(async () => {
      const opened = await openPage(browser, demo.messagesUrl)
      ;({ context, page } = opened)
      refusalPages = []
      return async () => {
        await context.close()
        expect(opened.pageErrors.map(String)).toEqual([])
        const unexpected = [...opened.consoleErrors]
        for (const url of refusalPages) {
          const at = unexpected.findIndex(
            (error) => /status of 40[0-3]\b/.test(error) && error.endsWith(` at ${url}`),
          )
          if (at >= 0) unexpected.splice(at, 1)
        }
        expect(unexpected).toEqual([])
      }
    })

    const text = async (id: string) => readable(await byTestId(page, id).first().textContent())
    const at = (base: string) => (url: URL) => url.href.startsWith(base)

    /** "Sign in with PROTUS" at Messages, allowing every scope but `refuse`. */
    async function signInWithProtus(refuse: string[] = []) {
      await page.goto('/')
      await byTestId(page, 'sign-in-with-protus').click()
      await page.waitForURL(at(`${demo.protusUrl}/sign-in`))
      await fill(page, 'sign-in-email', PERSON.email)
      await fill(page, 'sign-in-password', PERSON.password)
      await byTestId(page, 'sign-in-submit').click()
      await page.waitForURL(at(`${demo.protusUrl}/consent/`))
      for (const scope of refuse) await byTestId(page, `scope-${scope}`).locator('input').click()
      await byTestId(page, 'consent-allow').click()
      await page.waitForURL(at(`${demo.messagesUrl}/clients`))
    }

    /** Presses a button of the Plans page that posts a form, and waits for the page it leads to. */
    async function press(id: string, landing: string): Promise<number | undefined> {
      const [answer] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST'),
        byTestId(page, id).click(),
      ])
      await page.waitForLoadState()
      if (answer.status() >= 400) refusalPages.push(answer.url())
      else await page.waitForURL((url) => url.href.includes(landing))
      return answer.status()
    }

    /** The payments of the Plans page, newest first: [period, amount]. */
    async function planPayments(): Promise<string[][]> {
      return byTestId(page, 'plan-payment-row').evaluateAll((rows) =>
        rows.map((row) =>
          [...row.querySelectorAll('td')]
            .slice(0, 2)
            .map((td) => (td.textContent ?? '').replace(/\s+/g, ' ')),
        ),
      )
    }

    async function eventTypes(account: string): Promise<string[]> {
      await page.goto('/events')
      const rows = page.locator(`[data-testid="event-row"][data-account="${account}"]`)
      return (
        await rows.evaluateAll((all) => all.map((row) => row.getAttribute('data-type') ?? ''))
      ).reverse()
    }

    /**
     * The PROTUS web statement of the person, newest first. Sessions age with the sandbox clock:
     * a month on, the PROTUS session has ended, so the person signs in again.
     */
    async function statement() {
      await page.goto(`${demo.protusUrl}/wallet`)
      const entries = byTestId(page, 'entry-row').first()
      const signIn = byTestId(page, 'sign-in-email')
      await entries.or(signIn).waitFor()
      if (await signIn.isVisible()) {
        await fill(page, 'sign-in-email', PERSON.email)
        await fill(page, 'sign-in-password', PERSON.password)
        await byTestId(page, 'sign-in-submit').click()
        await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'))
        await page.goto(`${demo.protusUrl}/wallet`)
      }
      await entries.waitFor()
      const rows = await byTestId(page, 'entry-row').all()
      return Promise.all(
        rows.map(async (row) => ({
          kind: await row.getAttribute('data-entry-kind'),
          service: readable(await byTestId(row, 'entry-service').textContent()),
          amount: readable(await byTestId(row, 'entry-amount').textContent()),
        })),
      )
    }

    const period = (s: Subscription) => `${utc(s.current_period_start)} – ${utc(s.current_period_end)}`

    it('a PROTUS person subscribes to Pro, the clock moves a month and the second month is charged, then a canceled plan is not', async () => {
      // Anna does not allow charge at first: the plan is refused with the page that asks for it.
      await signInWithProtus(['charge'])
      await page.goto('/account')
      const account = await text('protus-account')
      expect(minorUnits(await text('balance-available'))).toBe(100_000)

      await page.goto('/plans')
      expect(await text('pro-price')).toBe('₽299.00')
      expect(await text('no-plan-payments')).toContain('No payments for Pro yet.')
      expect(await byTestId(page, 'sandbox-clock').count()).toBe(1)
      expect(await press('subscribe-pro', 'subscribed=1')).toBe(403)
      const refusal = byTestId(page, 'refusal')
      expect(await refusal.getAttribute('data-reason')).toBe('insufficient_scope')
      expect(await refusal.getAttribute('data-missing')).toBe('charge')
      expect((await partner.subscriptions.list({ account })).data).toEqual([])
      await byTestId(page, 'grant-scope').click()
      await page.waitForURL(at(`${demo.protusUrl}/consent/`))
      await byTestId(page, 'consent-allow').click()
      await page.waitForURL(at(`${demo.messagesUrl}/plans?restored=1`))
      expect(await text('form-restored')).toBe(
        'Messages may now take payment from your PROTUS wallet: subscribe to Pro below.',
      )
      expect(await press('subscribe-pro', 'subscribed=1')).toBe(303)
      expect(await text('plan-notice')).toBe(
        'You subscribed to Pro: ₽299.00 was charged for the first month.',
      )

      // What PROTUS says about it, and the page agrees.
      const [started] = (await partner.subscriptions.list({ account })).data
      if (!started) throw new Error('PROTUS has no subscription of the account')
      expect(started).toMatchObject({ status: 'active', amount: PRO, interval: 'month', interval_count: 1 })
      expect(await byTestId(page, 'plan-status').getAttribute('data-status')).toBe('active')
      expect(await text('plan-amount')).toBe('₽299.00')
      expect(await text('plan-period')).toBe(period(started))
      expect(await text('plan-next-charge')).toBe(utc(started.current_period_end))
      expect(await planPayments()).toEqual([[period(started), '-₽299.00']])

      // The sandbox clock moves a month: PROTUS charges the second month before it answers.
      const before = (await partner.sandbox.clock()).now
      expect(await press('move-clock', 'moved=')).toBe(303)
      const now = new URL(page.url()).searchParams.get('moved') as string
      expect(await text('plan-notice')).toBe(`The sandbox clock moved a month ahead, to ${utc(now)}.`)
      // A month of the calendar (UTC), give or take the moments the page took.
      const ahead = Date.parse(now) - oneMonthAfter(new Date(before)).getTime()
      expect(ahead).toBeGreaterThanOrEqual(0)
      expect(ahead).toBeLessThan(60_000)
      const renewed = await partner.subscriptions.retrieve(started.id)
      expect(renewed).toMatchObject({
        status: 'active',
        current_period_start: started.current_period_end,
        amount: PRO,
      })
      expect(renewed.latest_charge).not.toBe(started.latest_charge)
      expect(Date.parse(renewed.current_period_end)).toBeGreaterThan(Date.parse(now))
      expect(await text('plan-period')).toBe(period(renewed))
      expect(await text('plan-next-charge')).toBe(utc(renewed.current_period_end))
      expect(await planPayments()).toEqual([
        [period(renewed), '-₽299.00'],
        [period(started), '-₽299.00'],
      ])

      // The ledger agrees: two charges of the plan, at PROTUS, in Messages and in Anna's statement.
      const charges = (await partner.charges.list({ account })).data
      expect(charges.map((c) => [c.id, c.amount]).sort()).toEqual(
        [
          [started.latest_charge, PRO],
          [renewed.latest_charge, PRO],
        ].sort(),
      )
      await page.goto('/account')
      expect(minorUnits(await text('balance-available'))).toBe(100_000 - 2 * PRO)
      const entries = await statement()
      expect(entries.map((e) => [e.kind, e.service, e.amount])).toEqual([
        ['charge', 'Pro', '-₽299.00'],
        ['charge', 'Pro', '-₽299.00'],
        ['top_up', '—', '+₽1,000.00'],
      ])
      expect(await text('wallet-available')).toBe('₽402.00')
      await expect
        .poll(async () => (await eventTypes(account)).filter((t) => t.startsWith('subscription.')), webhooks)
        .toEqual(['subscription.created', 'subscription.renewed'])

      // Canceled at the end of the paid period: the next month passes without a charge.
      await page.goto('/plans')
      expect(await press('cancel-plan', 'canceled=1')).toBe(303)
      expect(await text('plan-ends')).toBe(`Ends on ${utc(renewed.current_period_end)}: not charged again.`)
      expect(await byTestId(page, 'cancel-plan').count()).toBe(0)
      expect(await press('move-clock', 'moved=')).toBe(303)
      expect(await byTestId(page, 'plan-status').getAttribute('data-status')).toBe('canceled')
      expect(await text('plan-ended')).toContain('you canceled it here')
      expect(await planPayments()).toHaveLength(2)
      expect(await partner.subscriptions.retrieve(started.id)).toMatchObject({
        status: 'canceled',
        cancel_reason: 'canceled_by_partner',
        latest_charge: renewed.latest_charge,
      })
      await page.goto('/account')
      expect(minorUnits(await text('balance-available'))).toBe(100_000 - 2 * PRO)
      await expect
        .poll(async () => (await eventTypes(account)).filter((t) => t.startsWith('subscription.')), webhooks)
        .toEqual([
          'subscription.created',
          'subscription.renewed',
          'subscription.updated',
          'subscription.canceled',
        ])
      // And the plan can be taken again.
      await page.goto('/plans')
      expect(await byTestId(page, 'subscribe-pro').count()).toBe(1)
    }, 120_000)

    it('a direct user with an empty Messages balance is refused the plan; with money for one month, the next is past due, then canceled at once', async () => {
      await page.goto('/register')
      await byTestId(page, 'register-email').fill(`pro-${randomBytes(4).toString('hex')}@example.com`)
      await byTestId(page, 'register-name').fill('Dina')
      await byTestId(page, 'register-password').fill('dina-password')
      await byTestId(page, 'register').click()
      await page.waitForURL(at(`${demo.messagesUrl}/clients`))
      await page.goto('/account')
      const account = await text('protus-account')

      await page.goto('/plans')
      expect(await press('subscribe-pro', 'subscribed=1')).toBe(402)
      expect(await byTestId(page, 'refusal').getAttribute('data-reason')).toBe('insufficient_funds')
      expect(await text('refusal')).toContain(
        'There is not enough money on your Messages balance for the Pro plan.',
      )
      expect((await partner.subscriptions.list({ account })).data).toEqual([])
      await page.goto('/plans')
      expect(await byTestId(page, 'plan').count()).toBe(0)
      expect(await byTestId(page, 'subscribe-pro').count()).toBe(1)

      // ₽500.00 through the sandbox checkout pays one month of Pro, not two.
      await page.goto('/account')
      await byTestId(page, 'top-up-amount').selectOption('50000')
      await byTestId(page, 'top-up').click()
      await page.waitForURL(at(`${demo.protusUrl}/sandbox/checkout/`))
      await page.getByRole('button', { name: 'Pay' }).click()
      await page.getByRole('heading', { name: 'Payment received' }).waitFor()
      await page.goto(`${demo.messagesUrl}/plans`)
      expect(await press('subscribe-pro', 'subscribed=1')).toBe(303)
      expect(await press('move-clock', 'moved=')).toBe(303)
      const [sub] = (await partner.subscriptions.list({ account })).data
      expect(sub).toMatchObject({ status: 'past_due', last_payment_error: { code: 'insufficient_funds' } })
      expect(await byTestId(page, 'plan-status').getAttribute('data-status')).toBe('past_due')
      expect(await text('plan-past-due')).toContain(
        `PROTUS could not take ₽299.00 for the next month (insufficient_funds). It tries again on ${utc(sub?.next_retry_at ?? null)}`,
      )
      expect(await planPayments()).toHaveLength(1)
      await expect
        .poll(async () => (await eventTypes(account)).filter((t) => t.startsWith('subscription.')), webhooks)
        .toEqual(['subscription.created', 'subscription.payment_failed'])

      // A past-due plan ends at once when canceled.
      await page.goto('/plans')
      expect(await press('cancel-plan', 'canceled=1')).toBe(303)
      expect(await byTestId(page, 'plan-status').getAttribute('data-status')).toBe('canceled')
      expect(await text('plan-ended')).toContain('you canceled it here')
      await page.goto('/account')
      expect(minorUnits(await text('balance-available'))).toBe(50_000 - PRO)
    }, 90_000)
  },
)
