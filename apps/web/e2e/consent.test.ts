import {
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  type Page,
  request,
} from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  authorizeUrl as authorizeUrlFor,
  PASSWORD,
  registerPartner as registerPartnerWith,
  registerPerson as registerPersonWith,
  signIn as signInAs,
} from './partner-setup.ts'
import { type PartnerSite, startPartnerSite } from './partner-site.ts'
import {
  byTestId,
  checkPrerequisites,
  fill,
  launchBrowser,
  openPage,
  readable,
  startServer,
  type TestServer,
  unique,
} from './support.ts'

const runnable = checkPrerequisites()

describe.skipIf(!runnable)('Sign in with PROTUS in the browser', () => {
  let server: TestServer
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let partnerSite: PartnerSite
  let api: APIRequestContext

  beforeAll(async () => {
    ;[server, browser, partnerSite] = await Promise.all([startServer(), launchBrowser(), startPartnerSite()])
    api = await request.newContext({ baseURL: server.baseUrl })
  }, 60_000)

  afterAll(async () => {
    await api?.dispose()
    await partnerSite?.close()
    await browser?.close()
    await server?.close()
  })

  beforeEach(async () => {
    const opened = await openPage(browser, server.baseUrl)
    ;({ context, page } = opened)
    return async () => {
      await context.close()
      expect(opened.pageErrors.map(String)).toEqual([])
    }
  })

  const path = () => new URL(page.url()).pathname
  const text = async (id: string) => readable(await byTestId(page, id).first().textContent())

  const registerPartner = () => registerPartnerWith(api, partnerSite.redirectUri)
  const registerPerson = () => registerPersonWith(api)
  const authorizeUrl = (clientId: string, scope: string) =>
    authorizeUrlFor(clientId, partnerSite.redirectUri, scope)
  const signIn = (email: string) => signInAs(page, email)

  const switchInput = (scope: string) => byTestId(page, `scope-${scope}`).locator('input')

  it('signs in, allows fewer scopes than asked, then sees and revokes the partner under Connected services', async () => {
    const partner = await registerPartner()
    const person = await registerPerson()
    const authorize = authorizeUrl(partner.clientId, 'check hold charge')

    // Signed out, the partner's link leads to signing in as a person, and back to the endpoint.
    await page.goto(authorize.url)
    await expect.poll(path).toBe('/sign-in')
    const signInQuery = new URL(page.url()).searchParams
    expect(signInQuery.get('kind')).toBe('customer')
    expect(signInQuery.get('redirect')).toMatch(/^\/oauth\/authorize\?/)
    expect(await text('sign-in-for-partner')).toBe(
      'Sign in to your PROTUS wallet to continue to the partner’s site.',
    )
    await signIn(person.email)

    await expect.poll(path).toMatch(/^\/consent\/areq_/)
    await expect.poll(() => text('consent-partner')).toBe(partner.name)
    expect(await text('page-title')).toBe(`${partner.name} wants to access your PROTUS account`)
    expect(await text('consent-person')).toContain(person.username)
    expect(await text('consent-return-to')).toBe(
      `Whatever you choose, you will be taken back to ${new URL(partnerSite.redirectUri).host}.`,
    )
    const rows = byTestId(page, 'consent-scopes').locator('li')
    expect(await rows.evaluateAll((items) => items.map((item) => item.getAttribute('data-scope')))).toEqual([
      'check',
      'hold',
      'charge',
    ])
    expect(readable(await rows.nth(2).textContent())).toContain('Charge your account')
    for (const scope of ['check', 'hold', 'charge']) expect(await switchInput(scope).isChecked()).toBe(true)

    await switchInput('hold').click()
    expect(await switchInput('hold').isChecked()).toBe(false)

    const callback = partnerSite.nextCallback()
    await byTestId(page, 'consent-allow').click()
    const answer = await callback
    await page.waitForURL((url) => url.href.startsWith(partnerSite.redirectUri))
    expect(answer.get('state')).toBe(authorize.state)
    expect(answer.get('iss')).toBe(server.baseUrl)
    expect(answer.get('error')).toBeNull()
    const code = answer.get('code')
    expect(code).toBeTruthy()
    await page.getByRole('heading', { name: 'Back at the partner' }).waitFor()

    // The code buys a token with just the scopes left switched on.
    const token = await api.post('/oauth/token', {
      headers: { authorization: partner.auth },
      form: {
        grant_type: 'authorization_code',
        code: code ?? '',
        redirect_uri: partnerSite.redirectUri,
        code_verifier: authorize.verifier,
      },
    })
    expect(token.status(), await token.text()).toBe(200)
    const issued = (await token.json()) as { access_token: string; scope: string }
    expect(issued.scope).toBe('check charge')

    await page.goto('/wallet')
    await byTestId(page, 'nav-connected').click()
    await expect.poll(path).toBe('/wallet/connected')
    expect(await text('page-title')).toBe('Connected services')
    const card = page.locator(`[data-testid="connected-service"][data-client-id="${partner.clientId}"]`)
    await card.waitFor()
    expect(readable(await byTestId(card, 'connected-name').textContent())).toBe(partner.name)
    expect((await byTestId(card, 'scope').allTextContents()).map(readable)).toEqual([
      'See your balance',
      'Charge your account',
    ])
    expect(readable(await byTestId(card, 'connected-account-id').textContent())).toMatch(/^acct_/)
    expect(readable(await byTestId(card, 'connected-spent').textContent())).toBe('₽0.00')

    await byTestId(page, `revoke-${partner.clientId}`).click()
    const dialog = byTestId(page, 'revoke-dialog')
    await dialog.waitFor()
    expect(readable(await dialog.textContent())).toContain(`Revoke access for ${partner.name}?`)
    await byTestId(page, 'revoke-dialog-confirm').click()
    await card.waitFor({ state: 'detached' })
    await expect.poll(() => text('connected-empty')).toContain('No connected services yet.')
    // The account stays in view, with what the partner spent, among the partners no longer connected.
    expect(await text('former-name')).toBe(partner.name)

    // Revoked at once: the partner's token no longer works.
    const introspection = await api.post('/oauth/introspect', {
      headers: { authorization: partner.auth },
      form: { token: issued.access_token },
    })
    expect(await introspection.json()).toEqual({ active: false })

    await page.reload()
    await byTestId(page, 'connected-empty').waitFor()
    expect(await card.count()).toBe(0)
  }, 60_000)

  it('registers on the way, denies, and the partner hears access_denied with its state', async () => {
    const partner = await registerPartner()
    const authorize = authorizeUrl(partner.clientId, 'check charge email')

    await page.goto(authorize.url)
    await expect.poll(path).toBe('/sign-in')
    // The way back survives going from signing in to creating an account.
    await byTestId(page, 'to-register').click()
    await expect.poll(path).toBe('/register')
    expect(new URL(page.url()).searchParams.get('redirect')).toMatch(/^\/oauth\/authorize\?/)
    await byTestId(page, 'register-for-partner').waitFor()
    const username = unique('sam')
    await fill(page, 'register-email', `${username}@example.com`)
    await fill(page, 'register-username', username)
    await fill(page, 'register-password', PASSWORD)
    await byTestId(page, 'register-submit').click()

    await expect.poll(path).toMatch(/^\/consent\/areq_/)
    await expect.poll(() => text('consent-partner')).toBe(partner.name)
    expect(readable(await byTestId(page, 'consent-scopes').textContent())).toContain('Your email')

    // Allowing nothing is not allowing: the button waits for a switch, and says why.
    for (const scope of ['check', 'charge', 'email']) await switchInput(scope).click()
    expect(await byTestId(page, 'consent-allow').isDisabled()).toBe(true)
    expect(await text('consent-none-chosen')).toBe(
      'Switch on at least one permission to allow access, or choose Deny.',
    )

    const consentPage = page.url()
    const callback = partnerSite.nextCallback()
    await byTestId(page, 'consent-deny').click()
    const answer = await callback
    await page.waitForURL((url) => url.href.startsWith(partnerSite.redirectUri))
    expect(answer.get('error')).toBe('access_denied')
    expect(answer.get('state')).toBe(authorize.state)
    expect(answer.get('iss')).toBe(server.baseUrl)
    expect(answer.get('code')).toBeNull()

    // The request was answered: opening it again says so, with a way home.
    await page.getByRole('heading', { name: 'Back at the partner' }).waitFor()
    await page.goto(consentPage)
    await expect.poll(() => text('consent-expired')).toContain('This request is no longer valid')
    await byTestId(page, 'consent-home').click()
    await expect.poll(path).toBe('/wallet')
  }, 60_000)

  it('asks a signed-out person to sign in before showing a consent page', async () => {
    const person = await registerPerson()
    await page.goto('/consent/areq_unknown')
    await expect.poll(path).toBe('/sign-in')
    expect(new URL(page.url()).searchParams.get('redirect')).toBe('/consent/areq_unknown')
    await signIn(person.email)
    await expect.poll(path).toBe('/consent/areq_unknown')
    await byTestId(page, 'consent-expired').waitFor()
  }, 60_000)
})
