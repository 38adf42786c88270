import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { authorizeUrl, partnerFixtures, registerPartner, topUp } from './partner-setup.ts'
import { browserSuite, byTestId, checkPrerequisites, fillIn, pathOf, readable, unique } from './support.ts'

const runnable = checkPrerequisites()

interface Mail {
  subject: string
  text: string
}

describe.skipIf(!runnable)('receipts and alerts in the browser', () => {
  const suite = browserSuite()
  const fixtures = partnerFixtures(suite)

  it('sets a low-balance alert, gets a receipt and the alert after a charge, follows the receipt to the statement, and switches receipts off', async () => {
    const { page } = suite
    const username = unique('pat')
    const email = `${username}@example.com`
    await page.goto('/register')
    await fillIn(page, 'Email', email)
    await fillIn(page, 'Username', username)
    await fillIn(page, 'Password', 'correct horse battery')
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.waitForURL((url) => url.pathname === '/wallet')
    await topUp(page, '10')

    // On the account page: an alert below ₽8.
    await page.goto('/account')
    const card = byTestId(page, 'notification-settings')
    await card.getByRole('heading', { name: 'Emails about your money' }).waitFor()
    await byTestId(card, 'notifications-low-balance').locator('input').check()
    await fillIn(card, 'Alert me below', '8')
    await byTestId(card, 'notifications-save').click()
    await page.getByText('Your email settings are saved.').waitFor()

    // The person connects a partner, which charges ₽3.
    const partner = await registerPartner(fixtures.api, fixtures.site.redirectUri)
    const authorize = authorizeUrl(partner.clientId, fixtures.site.redirectUri, 'check charge')
    await page.goto(authorize.url)
    const callback = fixtures.site.nextCallback()
    await page.getByRole('button', { name: 'Allow' }).click()
    const code = (await callback).get('code') ?? ''
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
    const charge = async (amount: number) => {
      const res = await fixtures.api.post('/v1/charges', {
        headers: { authorization: partner.auth, 'idempotency-key': randomBytes(8).toString('hex') },
        data: { account, amount },
      })
      expect(res.status(), await res.text()).toBe(201)
      return (await res.json()) as { id: string }
    }
    const charged = await charge(300)

    const mailbox = async (subject: RegExp) => {
      const res = await fixtures.api.get(`/v1/sandbox/mail?to=${encodeURIComponent(email)}&limit=100`)
      expect(res.status()).toBe(200)
      return ((await res.json()) as { data: Mail[] }).data.filter((m) => subject.test(m.subject))
    }
    await expect.poll(async () => (await mailbox(/^Receipt/)).length).toBe(1)
    const [receipt] = await mailbox(/^Receipt/)
    expect(receipt?.subject).toBe(`Receipt: ₽3.00 to ${partner.name}`)
    expect(receipt?.text).toContain('Available in your wallet now: ₽7.00')
    await expect.poll(async () => (await mailbox(/below/)).length).toBe(1)
    expect((await mailbox(/now connected/)).map((m) => m.subject)).toEqual([
      `${partner.name} is now connected to your PROTUS wallet`,
    ])

    // The receipt's link opens the statement with the charge on it.
    const link = /See it on your statement:\n(\S+)/.exec(receipt?.text ?? '')?.[1] ?? ''
    const target = new URL(link)
    expect(target.searchParams.get('entry')).toBe(charged.id)
    await page.goto(`${target.pathname}${target.search}`)
    expect(pathOf(page)).toBe('/wallet')
    const row = page.locator('[data-testid="entry-row"][data-linked="true"]')
    await expect.poll(() => row.count()).toBe(1)
    expect(await row.getAttribute('data-entry-kind')).toBe('charge')
    expect(readable(await byTestId(row, 'entry-partner').textContent())).toBe(partner.name)
    expect(readable(await byTestId(row, 'entry-balance-after').textContent())).toBe('₽7.00')

    // Receipts off: the next charge sends none.
    await byTestId(page, 'nav-account').click()
    await card.getByRole('heading', { name: 'Emails about your money' }).waitFor()
    const receipts = byTestId(card, 'notifications-receipts').locator('input')
    await expect.poll(() => receipts.isEnabled()).toBe(true)
    await receipts.uncheck()
    await byTestId(card, 'notifications-save').click()
    await page.getByText('Your email settings are saved.').waitFor()
    await charge(100)
    // The charge is on the statement, and no second receipt came.
    await page.goto('/wallet')
    await expect.poll(() => byTestId(page, 'entry-row').filter({ hasText: partner.name }).count()).toBe(2)
    expect(await mailbox(/^Receipt/)).toHaveLength(1)
  }, 90_000)
})
