import { describe, expect, it } from 'vitest'
import {
  authorizeUrl as authorizeUrlFor,
  PASSWORD,
  partnerFixtures,
  registerPartner as registerPartnerWith,
  registerPerson as registerPersonWith,
  signIn as signInAs,
} from './partner-setup.ts'
import { browserSuite, byTestId, checkPrerequisites, fillIn, pathOf, readable, unique } from './support.ts'

const runnable = checkPrerequisites()

describe.skipIf(!runnable)('Sign in with PROTUS in the browser', () => {
  const suite = browserSuite()
  const fixtures = partnerFixtures(suite)

  const path = () => pathOf(suite.page)
  const text = async (id: string) => readable(await byTestId(suite.page, id).first().textContent())

  const registerPartner = () => registerPartnerWith(fixtures.api, fixtures.site.redirectUri)
  const registerPerson = () => registerPersonWith(fixtures.api)
  const authorizeUrl = (clientId: string, scope: string) =>
    authorizeUrlFor(clientId, fixtures.site.redirectUri, scope)
  const signIn = (email: string) => signInAs(suite.page, email)

  const switchInput = (scope: string) => byTestId(suite.page, `scope-${scope}`).locator('input')
  const allowButton = () => suite.page.getByRole('button', { name: 'Allow' })

  it('signs in, allows fewer scopes than asked, then sees and revokes the partner under Connected services', async () => {
    const { page } = suite
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
      `Whatever you choose, you will be taken back to ${new URL(fixtures.site.redirectUri).host}.`,
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

    const callback = fixtures.site.nextCallback()
    await allowButton().click()
    const answer = await callback
    await page.waitForURL((url) => url.href.startsWith(fixtures.site.redirectUri))
    expect(answer.get('state')).toBe(authorize.state)
    expect(answer.get('iss')).toBe(suite.server.baseUrl)
    expect(answer.get('error')).toBeNull()
    const code = answer.get('code')
    expect(code).toBeTruthy()
    await page.getByRole('heading', { name: 'Back at the partner' }).waitFor()

    // The code buys a token with just the scopes left switched on.
    const token = await fixtures.api.post('/oauth/token', {
      headers: { authorization: partner.auth },
      form: {
        grant_type: 'authorization_code',
        code: code ?? '',
        redirect_uri: fixtures.site.redirectUri,
        code_verifier: authorize.verifier,
      },
    })
    expect(token.status(), await token.text()).toBe(200)
    const issued = (await token.json()) as { access_token: string; scope: string }
    expect(issued.scope).toBe('check charge')

    await page.goto('/wallet')
    await page.getByRole('link', { name: 'Connected services', exact: true }).click()
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

    await card.getByRole('button', { name: 'Revoke access' }).click()
    const dialog = page.getByRole('dialog')
    await dialog.waitFor()
    expect(readable(await dialog.textContent())).toContain(`Revoke access for ${partner.name}?`)
    await dialog.getByRole('button', { name: 'Revoke access' }).click()
    await card.waitFor({ state: 'detached' })
    await expect.poll(() => text('connected-none-now')).toContain('No partner can use your wallet now.')
    // The partner stays in view, with what it spent, among the disconnected ones.
    expect(await text('former-name')).toBe(partner.name)

    // Revoked at once: the partner's token no longer works.
    const introspection = await fixtures.api.post('/oauth/introspect', {
      headers: { authorization: partner.auth },
      form: { token: issued.access_token },
    })
    expect(await introspection.json()).toEqual({ active: false })

    await page.reload()
    await byTestId(page, 'connected-none-now').waitFor()
    expect(await card.count()).toBe(0)
  }, 60_000)

  it('registers on the way, denies, and the partner hears access_denied with its state', async () => {
    const { page } = suite
    const partner = await registerPartner()
    const authorize = authorizeUrl(partner.clientId, 'check charge email')

    await page.goto(authorize.url)
    await expect.poll(path).toBe('/sign-in')
    // The way back survives going from signing in to creating an account.
    await page.getByRole('link', { name: 'Create an account' }).click()
    await expect.poll(path).toBe('/register')
    expect(new URL(page.url()).searchParams.get('redirect')).toMatch(/^\/oauth\/authorize\?/)
    await byTestId(page, 'register-for-partner').waitFor()
    const username = unique('sam')
    await fillIn(page, 'Email', `${username}@example.com`)
    await fillIn(page, 'Username', username)
    await fillIn(page, 'Password', PASSWORD)
    await page.getByRole('button', { name: 'Create account' }).click()

    await expect.poll(path).toMatch(/^\/consent\/areq_/)
    await expect.poll(() => text('consent-partner')).toBe(partner.name)
    expect(readable(await byTestId(page, 'consent-scopes').textContent())).toContain('Your email')

    // Allowing nothing is not allowing: the button waits for a switch, and says why.
    for (const scope of ['check', 'charge', 'email']) await switchInput(scope).click()
    expect(await allowButton().isDisabled()).toBe(true)
    expect(await text('consent-none-chosen')).toBe(
      'Switch on at least one permission to allow access, or choose Deny.',
    )

    const consentPage = page.url()
    const callback = fixtures.site.nextCallback()
    await page.getByRole('button', { name: 'Deny' }).click()
    const answer = await callback
    await page.waitForURL((url) => url.href.startsWith(fixtures.site.redirectUri))
    expect(answer.get('error')).toBe('access_denied')
    expect(answer.get('state')).toBe(authorize.state)
    expect(answer.get('iss')).toBe(suite.server.baseUrl)
    expect(answer.get('code')).toBeNull()

    // The request was answered: opening it again says so, with a way home. The server answers
    // the answered request with a 404, which the page explains.
    await page.getByRole('heading', { name: 'Back at the partner' }).waitFor()
    suite.allowConsoleErrors(/status of 404 .* at \S+\/v1\/oauth\/requests\/areq_\w+$/)
    await page.goto(consentPage)
    await expect.poll(() => text('consent-expired')).toContain('This request is no longer valid')
    await page.getByRole('link', { name: 'Go to your wallet' }).click()
    await expect.poll(path).toBe('/wallet')
  }, 60_000)

  it('asks a partner that wants one more scope about it alone, noting what stays allowed, in English and Russian on a phone', async () => {
    const { page } = suite
    const partner = await registerPartner()
    const person = await registerPerson()
    const first = authorizeUrl(partner.clientId, 'check profile')
    await page.goto(first.url)
    await signIn(person.email)
    await expect.poll(path).toMatch(/^\/consent\/areq_/)
    expect(await byTestId(page, 'consent-kept').count()).toBe(0)
    let callback = fixtures.site.nextCallback()
    await allowButton().click()
    await callback
    await page.waitForURL((url) => url.href.startsWith(fixtures.site.redirectUri))

    await page.setViewportSize({ width: 390, height: 844 })
    const more = authorizeUrl(partner.clientId, 'charge')
    await page.goto(more.url)
    await expect.poll(path).toMatch(/^\/consent\/areq_/)
    await expect.poll(() => text('consent-partner')).toBe(partner.name)
    const rows = byTestId(page, 'consent-scopes').locator('li')
    expect(await rows.evaluateAll((items) => items.map((item) => item.getAttribute('data-scope')))).toEqual([
      'charge',
    ])
    const kept = byTestId(page, 'consent-kept')
    const keptText = async () => [
      readable(await kept.locator('p').textContent()),
      ...(await kept.locator('li').allTextContents()).map(readable),
    ]
    expect(await keptText()).toEqual([
      `Already allowed to ${partner.name}, and stays allowed:`,
      'See your balance',
      'Your username',
    ])
    const overflow = () =>
      page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    expect(await overflow()).toBeLessThanOrEqual(0)
    await page.getByRole('button', { name: 'Русский' }).click()
    await expect
      .poll(keptText)
      .toEqual([
        `Уже разрешено ${partner.name} и останется разрешено:`,
        'Видеть ваш баланс',
        'Ваше имя пользователя',
      ])
    expect(await overflow()).toBeLessThanOrEqual(0)

    // Allowing adds charge to the grant; check and profile stay.
    callback = fixtures.site.nextCallback()
    await page.getByRole('button', { name: 'Разрешить' }).click()
    expect((await callback).get('code')).toBeTruthy()
    await page.waitForURL((url) => url.href.startsWith(fixtures.site.redirectUri))
    await page.goto('/wallet/connected')
    const card = page.locator(`[data-testid="connected-service"][data-client-id="${partner.clientId}"]`)
    await expect
      .poll(async () => (await byTestId(card, 'scope').allTextContents()).map(readable))
      .toEqual(['Видеть ваш баланс', 'Списывать деньги с вашего счёта', 'Ваше имя пользователя'])
  }, 60_000)

  it('asks a signed-out person to sign in before showing a consent page', async () => {
    const { page } = suite
    const person = await registerPerson()
    await page.goto('/consent/areq_unknown')
    await expect.poll(path).toBe('/sign-in')
    expect(new URL(page.url()).searchParams.get('redirect')).toBe('/consent/areq_unknown')
    // The request it names does not exist: the server's 404 is what the page explains.
    suite.allowConsoleErrors(/status of 404 .* at \S+\/v1\/oauth\/requests\/areq_unknown$/)
    await signIn(person.email)
    await expect.poll(path).toBe('/consent/areq_unknown')
    await byTestId(page, 'consent-expired').waitFor()
  }, 60_000)
})
