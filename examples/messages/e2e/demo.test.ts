import { randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
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

  beforeEach(async () => {
    const opened = await openPage(browser, demo.messagesUrl)
    ;({ context, page } = opened)
    return async () => {
      await context.close()
      expect(opened.pageErrors.map(String)).toEqual([])
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

  /** Submits "Add a client"; answers the HTTP status of the page it leads to. */
  async function addClient(name: string, phone: string): Promise<number | undefined> {
    await page.goto('/clients')
    await byTestId(page, 'client-name').fill(name)
    await byTestId(page, 'client-phone').fill(phone)
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      byTestId(page, 'add-client').click(),
    ])
    await page.waitForLoadState()
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
      ['capture', 'Campaign', '₽4.50'],
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
    await byTestId(page, 'connected-empty').waitFor()
    expect(await addClient('Too Late', '+7 900 999-99-99')).toBe(403)
    expect(await text('page-title')).toBe('Messages is disconnected from your PROTUS account')
    expect(await byTestId(page, 'refusal').getAttribute('data-reason')).toBe('grant_revoked')
    expect(await clientCount()).toBe(1)
    await page.goto(`${demo.protusUrl}/wallet`)
    await expect.poll(() => text('wallet-available')).toBe('₽945.50')
    await expect.poll(() => eventTypes(account), webhooks).toContain('grant.revoked')
  }, 90_000)

  it('runs again on the same data; allowing only check shows why a client cannot be added, and the button asks PROTUS for charge', async () => {
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
    const asked = byTestId(page, 'consent-scopes').locator('li')
    await expect
      .poll(() => asked.evaluateAll((all) => all.map((li) => li.getAttribute('data-scope'))))
      .toEqual(['check', 'charge'])
    // Check was allowed before and stays; charge is what is new.
    expect(await byTestId(asked.nth(0), 'scope-allowed-before').count()).toBe(1)
    expect(await byTestId(asked.nth(1), 'scope-allowed-before').count()).toBe(0)
    await byTestId(page, 'consent-allow').click()
    await page.waitForURL(at(`${demo.messagesUrl}/clients`))
    expect(await clientCount()).toBe(1)
    expect(await addClient('Anna Sidorova', '+7 900 222-33-44')).toBe(303)
    expect(await partnerBalance()).toBe(94_550 - 5_000)
  }, 120_000)

  it('a direct user registers, gets a PROTUS account, tops up through the sandbox checkout and pays for a client', async () => {
    const email = `direct-${randomBytes(4).toString('hex')}@example.com`
    await page.goto('/register')
    await byTestId(page, 'register-email').fill(email)
    await byTestId(page, 'register-name').fill('Boris')
    await byTestId(page, 'register-password').fill('boris-password')
    await byTestId(page, 'register').click()
    await page.waitForURL(at(`${demo.messagesUrl}/clients`))
    expect(await text('viewer')).toBe('Boris (direct)')
    expect(await partnerBalance()).toBe(0)
    const account = await text('protus-account')
    expect(account).toMatch(/^acct_/)

    // An empty balance refuses the charge, and the client is not saved.
    expect(await addClient('Vera', '+7 900 333-44-55')).toBe(402)
    expect(await byTestId(page, 'refusal').getAttribute('data-reason')).toBe('insufficient_funds')
    expect(await clientCount()).toBe(0)

    await page.goto('/account')
    await byTestId(page, 'top-up-amount').selectOption('50000')
    await byTestId(page, 'top-up').click()
    await page.waitForURL(at(`${demo.protusUrl}/sandbox/checkout/`))
    await page.getByRole('heading', { name: 'Top up your PROTUS wallet' }).waitFor()
    expect(readable(await page.locator('.amount').textContent())).toContain('500.00')
    await page.getByRole('button', { name: 'Pay' }).click()
    await page.getByRole('heading', { name: 'Payment received' }).waitFor()
    // The payment page leads back to Messages.
    await page.getByRole('link', { name: 'Return to the merchant' }).click()
    await page.waitForURL(at(`${demo.messagesUrl}/account`))
    expect(minorUnits(await text('balance-available'))).toBe(50_000)

    expect(await partnerBalance()).toBe(50_000)
    await expect.poll(() => eventTypes(account), webhooks).toEqual(['account.created', 'wallet.topped_up'])
    expect(await addClient('Vera', '+7 900 333-44-55')).toBe(303)
    expect(await text('client-added')).toBe('Vera was added and ₽50.00 was charged.')
    expect(await partnerBalance()).toBe(45_000)
    expect(readable(await byTestId(page, 'payments').textContent())).toContain('Charge: Client Vera')
    await expect.poll(() => eventTypes(account), webhooks).toContain('charge.succeeded')
  }, 90_000)
})
