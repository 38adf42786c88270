import { randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { byTestId, fill, launchBrowser, openPage, readable } from '../../../apps/web/e2e/support.ts'
import {
  checkPrerequisites,
  type DemoData,
  freshDemoData,
  minorUnits,
  type RunningDemo,
  startDemo,
} from './demo.ts'

// What the functions run in the page use; this suite is type-checked without the DOM library.
declare const document: { documentElement: { scrollWidth: number; clientWidth: number } }
declare function getComputedStyle(element: unknown, pseudo?: string): { display: string; content: string }

const runnable = checkPrerequisites()
const PERSON = { email: 'anna@example.com', password: 'anna-demo-password' }
/** Webhooks arrive within moments of their change, in the background. */
const webhooks = { timeout: 15_000, interval: 250 }

describe.skipIf(!runnable)('npm run demo: PROTUS and its partner Messages in the browser', () => {
  let tmp: string
  let data: DemoData
  let demo: RunningDemo
  let browser: Browser
  let context: BrowserContext
  let page: Page
  /** The direct user the top-up scenario registers, signed in again to look at every page. */
  let direct: { email: string; password: string } | undefined

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'protus-demo-'))
    data = await freshDemoData(tmp)
    ;[demo, browser] = await Promise.all([startDemo(data), launchBrowser()])
  }, 120_000)

  afterAll(async () => {
    await demo?.stop()
    await browser?.close()
    await data?.drop()
    if (tmp) await rm(tmp, { recursive: true, force: true })
  })

  /**
   * Messages answers a refused form with its page and the refusal's HTTP status (402, 403), which
   * the browser logs as a failed load: each such page a test asked for is expected, once.
   */
  let refusalPages: string[] = []

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
  const credentials = async () =>
    JSON.parse(await readFile(join(tmp, 'messages-credentials.json'), 'utf8')) as { client_id: string }

  /** "Sign in with PROTUS" at Messages, signing in at PROTUS and allowing all scopes but `refuse`. */
  async function signInWithProtus(refuse: string[] = []) {
    await page.goto('/')
    await byTestId(page, 'sign-in-with-protus').click()
    await page.waitForURL(at(`${demo.protusUrl}/sign-in`))
    await fill(page, 'sign-in-email', PERSON.email)
    await fill(page, 'sign-in-password', PERSON.password)
    await byTestId(page, 'sign-in-submit').click()
    await page.waitForURL(at(`${demo.protusUrl}/consent/`))
    await expect.poll(() => text('consent-partner')).toBe('Messages')
    for (const scope of refuse) await byTestId(page, `scope-${scope}`).locator('input').click()
    await byTestId(page, 'consent-allow').click()
    await page.waitForURL(at(`${demo.messagesUrl}/clients`))
  }

  /** Submits "Add a client"; answers the HTTP status of the answer: 303 when added, 200 for a refusal page. */
  async function addClient(name: string, phone: string): Promise<number | undefined> {
    await page.goto('/clients')
    await byTestId(page, 'client-name').fill(name)
    await byTestId(page, 'client-phone').fill(phone)
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      byTestId(page, 'add-client').click(),
    ])
    await page.waitForLoadState()
    if (answer.status() >= 400) refusalPages.push(answer.url())
    return answer.status()
  }

  /** The balance as Messages shows it (read from PROTUS with the `check` scope), in minor units. */
  async function partnerBalance(): Promise<number> {
    await page.goto('/account')
    return minorUnits(await text('balance-available'))
  }

  async function clientCount(): Promise<number> {
    await page.goto('/clients')
    return byTestId(page, 'client-row').count()
  }

  /** The webhook events Messages received for an account, oldest first. */
  async function eventTypes(account: string): Promise<string[]> {
    await page.goto('/events')
    const rows = page.locator(`[data-testid="event-row"][data-account="${account}"]`)
    return (await rows.evaluateAll((all) => all.map((row) => row.getAttribute('data-type') ?? ''))).reverse()
  }

  /** The PROTUS web statement of the signed-in person, newest first. */
  async function statement() {
    await page.goto(`${demo.protusUrl}/wallet`)
    await byTestId(page, 'entry-row').first().waitFor()
    const rows = await byTestId(page, 'entry-row').all()
    return Promise.all(
      rows.map(async (row) => ({
        kind: await row.getAttribute('data-entry-kind'),
        partner: readable(await byTestId(row, 'entry-partner').textContent()),
        service: readable(await byTestId(row, 'entry-service').textContent()),
        amount: readable(await byTestId(row, 'entry-amount').textContent()),
      })),
    )
  }

  it('a PROTUS person pays for a client and a campaign, then revokes Messages and the next payment is refused', async () => {
    await signInWithProtus()
    expect(await text('viewer')).toBe('anna (PROTUS)')
    expect(await partnerBalance()).toBe(100_000)
    const account = await text('protus-account')
    expect(account).toMatch(/^acct_/)

    // A client costs the "Client" price, taken before the client is saved.
    expect(await addClient('Ivan Petrov', '+7 900 111-22-33')).toBe(303)
    expect(await text('client-added')).toBe('Ivan Petrov was added and ₽50.00 was charged.')
    expect(await partnerBalance()).toBe(95_000)
    const afterClient = await statement()
    expect(afterClient[0]).toEqual({
      kind: 'charge',
      partner: 'Messages',
      service: 'Client',
      amount: '-₽50.00',
    })
    expect(await text('wallet-available')).toBe('₽950.00')
    await expect.poll(() => eventTypes(account), webhooks).toContain('charge.succeeded')

    // A campaign to 4 recipients holds 4 × ₽1.50; one has no phone, so 3 are sent and charged.
    await page.goto('/campaigns')
    await byTestId(page, 'campaign-name').fill('Spring sale')
    await byTestId(page, 'campaign-message').fill('−20% on everything this week')
    await byTestId(page, 'campaign-recipients').fill(
      'Olga, +7 900 000-00-01\nPavel, +7 900 000-00-02\nNo phone here\nRita, +7 900 000-00-03',
    )
    await byTestId(page, 'launch-campaign').click()
    await page.waitForURL((url) => url.searchParams.has('launched'))
    expect(await text('campaign-launched')).toBe(
      'Spring sale: sent to 3 of 4 recipients; ₽6.00 held, ₽4.50 charged, ₽1.50 released.',
    )
    expect(await partnerBalance()).toBe(95_000 - 450)
    expect(minorUnits(await text('balance-held'))).toBe(0)
    const afterCampaign = await statement()
    expect(afterCampaign.map((e) => [e.kind, e.service, e.amount])).toEqual([
      ['release', 'Campaign', '+₽1.50'],
      ['capture', 'Campaign', '-₽4.50 from the reservation'],
      ['hold', 'Campaign', '-₽6.00'],
      ['charge', 'Client', '-₽50.00'],
      ['top_up', '—', '+₽1,000.00'],
    ])
    expect(await text('wallet-available')).toBe('₽945.50')
    await expect
      .poll(async () =>
        (await eventTypes(account)).filter((t) => t !== 'account.created' && t !== 'grant.created').sort(),
      )
      .toEqual(['charge.succeeded', 'charge.succeeded', 'hold.captured', 'hold.created'])

    // The person revokes Messages in PROTUS; its next paid action is refused and saves nothing.
    const { client_id } = await credentials()
    await page.goto(`${demo.protusUrl}/wallet/connected`)
    await byTestId(page, `revoke-${client_id}`).click()
    await byTestId(page, 'revoke-dialog-confirm').click()
    await byTestId(page, `revoke-${client_id}`).waitFor({ state: 'detached' })
    expect(await addClient('Too Late', '+7 900 999-99-99')).toBe(403)
    expect(await text('page-title')).toBe('Messages is disconnected from your PROTUS account')
    expect(await byTestId(page, 'refusal').getAttribute('data-reason')).toBe('grant_revoked')
    expect(await clientCount()).toBe(1)
    await page.goto(`${demo.protusUrl}/wallet`)
    await expect.poll(() => text('wallet-available')).toBe('₽945.50')
    await expect.poll(() => eventTypes(account), webhooks).toContain('grant.revoked')
  }, 90_000)

  it('runs again on the same data; allowing only check shows why a client cannot be added, the button asks PROTUS for just charge, and the form comes back filled in', async () => {
    const before = await credentials()
    expect(await demo.stop()).toEqual({ code: 0, signal: null })
    await expect(fetch(`${demo.protusUrl}/healthz`)).rejects.toThrow()
    await expect(fetch(`${demo.messagesUrl}/healthz`)).rejects.toThrow()
    demo = await startDemo(data, demo.ports)
    expect((await credentials()).client_id).toBe(before.client_id)
    expect(demo.output()).not.toContain('new secrets were issued')

    await signInWithProtus(['hold', 'charge'])
    // Not funded a second time, and the client of the first run is still there.
    expect(await partnerBalance()).toBe(94_550)
    expect(await clientCount()).toBe(1)

    expect(await addClient('Anna Sidorova', '+7 900 222-33-44')).toBe(403)
    expect(await text('page-title')).toBe('Messages needs your permission')
    const refusal = byTestId(page, 'refusal')
    expect(await refusal.getAttribute('data-reason')).toBe('insufficient_scope')
    expect(await refusal.getAttribute('data-missing')).toBe('charge')
    await byTestId(page, 'grant-scope').click()
    await page.waitForURL(at(`${demo.protusUrl}/consent/`))
    // PROTUS asks about charge alone, and names what was allowed before (it stays).
    const scopesOf = (list: Locator) =>
      list.evaluateAll((all) => all.map((li) => li.getAttribute('data-scope')))
    const asked = byTestId(page, 'consent-scopes').locator('li')
    await expect.poll(() => scopesOf(asked)).toEqual(['charge'])
    expect(await byTestId(page, 'scope-allowed-before').count()).toBe(0)
    const kept = byTestId(page, 'consent-kept')
    expect(await scopesOf(kept.locator('li'))).toEqual(['check', 'profile', 'email'])
    expect(readable(await kept.locator('p').textContent())).toBe(
      'Already allowed to Messages, and stays allowed:',
    )
    expect((await kept.locator('li').allTextContents()).map(readable)).toEqual([
      'See your balance',
      'Your username',
      'Your email',
    ])
    await byTestId(page, 'consent-allow').click()

    // Back at the form, with the client as it was typed.
    await page.waitForURL(at(`${demo.messagesUrl}/clients?restored=1`))
    expect(await text('form-restored')).toBe('Your client is filled in as you left it: check it and add it.')
    expect(await byTestId(page, 'client-name').inputValue()).toBe('Anna Sidorova')
    expect(await byTestId(page, 'client-phone').inputValue()).toBe('+7 900 222-33-44')
    expect(await byTestId(page, 'client-row').count()).toBe(1)
    await Promise.all([
      page.waitForURL((url) => url.searchParams.has('added')),
      byTestId(page, 'add-client').click(),
    ])
    expect(await text('client-added')).toBe('Anna Sidorova was added and ₽50.00 was charged.')
    expect(await partnerBalance()).toBe(94_550 - 5_000)
    // The grant kept check (the balance shows) and now has charge; the form is given back once.
    await page.goto('/clients?restored=1')
    expect(await byTestId(page, 'form-restored').count()).toBe(0)
    expect(await byTestId(page, 'client-name').inputValue()).toBe('')
  }, 120_000)

  it('a direct user registers, gets a PROTUS account, adds money to their Messages balance through the sandbox checkout, sees it in Payments and pays for a client', async () => {
    const email = `direct-${randomBytes(4).toString('hex')}@example.com`
    direct = { email, password: 'boris-password' }
    await page.goto('/register')
    await byTestId(page, 'register-email').fill(email)
    // A long name: the menu must still fit on one line at 1280 px (see the last scenario).
    await byTestId(page, 'register-name').fill('Boris Konstantinopolsky-Rimsky')
    await byTestId(page, 'register-password').fill(direct.password)
    await byTestId(page, 'register').click()
    await page.waitForURL(at(`${demo.messagesUrl}/clients`))
    expect(await text('viewer')).toBe('Boris Konstantinopolsky-Rimsky (direct)')
    expect(await partnerBalance()).toBe(0)
    const account = await text('protus-account')
    expect(account).toMatch(/^acct_/)
    // No payments yet: a sentence says so and what will show there, not a table of bare headers.
    expect(await byTestId(page, 'payments').count()).toBe(0)
    expect(await text('no-payments')).toBe(
      'No payments yet. Money you add and what you pay for clients and campaigns shows here.',
    )

    // An empty balance refuses the charge, and the client is not saved.
    expect(await addClient('Vera', '+7 900 333-44-55')).toBe(402)
    expect(await byTestId(page, 'refusal').getAttribute('data-reason')).toBe('insufficient_funds')
    expect(await text('refusal')).toContain('There is not enough money on your Messages balance')
    expect(await text('top-up-link')).toBe('Add money to your Messages balance')
    expect(await clientCount()).toBe(0)

    // The user has a balance at Messages, not a PROTUS wallet: every page says so.
    await page.goto('/account')
    await page.getByRole('heading', { name: 'Add money to your Messages balance' }).waitFor()
    expect(await page.getByText(/PROTUS wallet/).count()).toBe(0)
    await byTestId(page, 'top-up-amount').selectOption('50000')
    await byTestId(page, 'top-up').click()
    await page.waitForURL(at(`${demo.protusUrl}/sandbox/checkout/`))
    await page.getByRole('heading', { name: 'Add money to your Messages balance' }).waitFor()
    expect(await page.getByText(/PROTUS wallet/).count()).toBe(0)
    expect(readable(await page.locator('.amount').textContent())).toContain('500.00')
    await page.getByRole('button', { name: 'Pay' }).click()
    await page.getByRole('heading', { name: 'Payment received' }).waitFor()
    // The payment page leads back to Messages.
    await page.getByRole('link', { name: 'Return to the merchant' }).click()
    await page.waitForURL(at(`${demo.messagesUrl}/account`))
    expect(minorUnits(await text('balance-available'))).toBe(50_000)
    // The top-up is the first payment.
    const payments = byTestId(page, 'payment-row')
    expect(await payments.count()).toBe(1)
    expect(readable(await payments.first().textContent())).toMatch(
      /Money added to your balance\s*\+₽500\.00\s*received$/,
    )

    expect(await partnerBalance()).toBe(50_000)
    await expect.poll(() => eventTypes(account), webhooks).toEqual(['account.created', 'wallet.topped_up'])
    expect(await addClient('Vera', '+7 900 333-44-55')).toBe(303)
    expect(await text('client-added')).toBe('Vera was added and ₽50.00 was charged.')
    expect(await partnerBalance()).toBe(45_000)
    expect(readable(await byTestId(page, 'payments').textContent())).toContain('Charge: Client Vera')
    expect(
      await payments.evaluateAll((rows) =>
        rows.map((row) => row.querySelector('td:nth-child(3)')?.textContent),
      ),
    ).toEqual(['-₽50.00', '+₽500.00'])
    await expect.poll(() => eventTypes(account), webhooks).toContain('charge.succeeded')
  }, 90_000)

  it('fits a 1280 px screen with the menu on one line, and a 390 px phone without sideways scrolling, on every page', async () => {
    /** How far the page is wider than the window, in px (0: no horizontal scrolling). */
    const overflow = () =>
      page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    /** How far apart the middles of the header's items are, top to bottom, in px. */
    const menuSpread = () =>
      page.locator('header .brand, header nav a, header .who, header button').evaluateAll((items) => {
        const middles = items.map((item) => {
          const box = item.getBoundingClientRect()
          return box.top + box.height / 2
        })
        return Math.max(...middles) - Math.min(...middles)
      })
    async function visitAll(paths: string[]) {
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: 860 })
        for (const path of paths) {
          await page.goto(path)
          expect(await overflow(), `${path} at ${width} px`).toBeLessThanOrEqual(0)
          if (width === 1280) expect(await menuSpread(), `the menu of ${path}`).toBeLessThan(4)
        }
      }
    }
    await visitAll(['/', '/register', '/events'])

    // Signed in, with a client, payments and a long list of webhooks.
    const user = direct as { email: string; password: string }
    await page.goto('/')
    await byTestId(page, 'sign-in-email').fill(user.email)
    await byTestId(page, 'sign-in-password').fill(user.password)
    await byTestId(page, 'sign-in').click()
    await page.waitForURL(at(`${demo.messagesUrl}/clients`))
    await visitAll(['/clients', '/campaigns', '/plans', '/account', '/events'])

    // On the phone a payment is a card that names each value.
    await page.goto('/account')
    const card = byTestId(page, 'payment-row').first()
    expect(await card.evaluate((row) => getComputedStyle(row).display)).toBe('block')
    expect(
      await card
        .locator('td')
        .evaluateAll((cells) => cells.map((td) => getComputedStyle(td, '::before').content)),
    ).toEqual(['"When"', '"What"', '"Amount"', '"Status"'])
    await page.goto('/campaigns')
    expect(await byTestId(page, 'campaigns').count()).toBe(0)
    expect(await text('no-campaigns')).toContain('No campaigns yet.')
  }, 90_000)
})
