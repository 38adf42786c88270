import { randomBytes } from 'node:crypto'
import * as oidc from 'openid-client'
import { describe, expect, it } from 'vitest'
import { PASSWORD, partnerFixtures } from './partner-setup.ts'
import { browserSuite, byTestId, checkPrerequisites, fillIn, pathOf, readable } from './support.ts'

const runnable = checkPrerequisites()

/**
 * The whole of "Sign in with PROTUS" as a partner sees it: openid-client discovers PROTUS from its
 * metadata and runs the authorization code flow with PKCE; the person's part happens in Chromium.
 */
describe.skipIf(!runnable)('a partner using openid-client', () => {
  const suite = browserSuite()
  const fixtures = partnerFixtures(suite)

  it('signs a person in with fewer scopes, is held to them, refreshes, and loses access when the person revokes', async () => {
    const { page, server } = suite
    const { api, site: partnerSite } = fixtures
    const suffix = randomBytes(4).toString('hex')
    const company = await (
      await api.post('/v1/companies', {
        data: { email: `co-${suffix}@example.com`, name: `Messages ${suffix}`, password: PASSWORD },
      })
    ).json()
    const auth = `Basic ${Buffer.from(`${company.client_id}:${company.client_secret}`).toString('base64')}`
    expect(
      (
        await api.patch('/v1/company', {
          headers: { authorization: auth },
          data: { redirect_uris: [partnerSite.redirectUri] },
        })
      ).status(),
    ).toBe(200)
    const email = `p-${suffix}@example.com`
    expect(
      (
        await api.post('/v1/customers', { data: { email, username: `p_${suffix}`, password: PASSWORD } })
      ).status(),
    ).toBe(201)
    // The person's wallet gets money through the sandbox top-up, as a person would.
    const billing = (path: string, data: object) =>
      api.post(path, {
        headers: { authorization: auth, 'idempotency-key': randomBytes(8).toString('hex') },
        data,
      })

    const config = await oidc.discovery(
      new URL(server.baseUrl),
      company.client_id,
      company.client_secret,
      undefined,
      {
        algorithm: 'oauth2',
        execute: [oidc.allowInsecureRequests],
      },
    )
    const verifier = oidc.randomPKCECodeVerifier()
    const state = oidc.randomState()
    const authorizeUrl = oidc.buildAuthorizationUrl(config, {
      redirect_uri: partnerSite.redirectUri,
      scope: 'check hold charge',
      state,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    })

    const path = () => pathOf(page)
    await page.goto(authorizeUrl.href)
    await expect.poll(path).toBe('/sign-in')
    await fillIn(page, 'Email', email)
    await fillIn(page, 'Password', PASSWORD)
    const callback = partnerSite.nextCallback()
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await expect.poll(path).toMatch(/^\/consent\//)
    const allow = page.getByRole('button', { name: 'Allow' })
    await allow.waitFor()
    expect(readable(await page.locator('main').textContent())).toContain(company.name)
    await byTestId(page, 'scope-hold').locator('input').uncheck()
    await allow.click()
    const query = await callback
    // The browser lands on the partner's callback page before it goes anywhere else.
    await page.waitForURL((url) => url.href.startsWith(partnerSite.redirectUri))
    await page.waitForLoadState()

    const tokens = await oidc.authorizationCodeGrant(config, new URL(`${partnerSite.redirectUri}?${query}`), {
      pkceCodeVerifier: verifier,
      expectedState: state,
    })
    expect(tokens.scope).toBe('check charge')
    const introspection = await oidc.tokenIntrospection(config, tokens.access_token)
    expect(introspection).toMatchObject({
      active: true,
      scope: 'check charge',
      client_id: company.client_id,
    })
    const account = introspection.sub as string

    // Money for the person's wallet, through a top-up paid on the sandbox page.
    await page.goto('/wallet')
    const me = await page.evaluate(async () => (await fetch('/v1/me')).json())
    const topup = await page.evaluate(
      async ([csrf]) =>
        (
          await fetch('/v1/me/topups', {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'x-csrf-token': csrf as string,
              'idempotency-key': crypto.randomUUID(),
            },
            body: JSON.stringify({ amount: 100_000 }),
          })
        ).json(),
      [me.csrf_token],
    )
    await page.goto(topup.checkout_url)
    await page.getByRole('button', { name: 'Pay' }).click()
    await page.waitForLoadState()

    const hold = await billing('/v1/holds', { account, amount: 500 })
    expect([hold.status(), (await hold.json()).code]).toEqual([403, 'insufficient_scope'])
    const charge = await billing('/v1/charges', { account, amount: 1500 })
    expect(charge.status(), await charge.text()).toBe(201)

    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token as string)
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token)
    expect((await oidc.tokenIntrospection(config, refreshed.access_token)).active).toBe(true)

    // The person revokes the partner under Connected services.
    await page.goto('/wallet/connected')
    const card = page.locator(`[data-testid="connected-service"][data-client-id="${company.client_id}"]`)
    await card.waitFor()
    expect(readable(await card.textContent())).toContain('₽15.00')
    await card.getByRole('button', { name: 'Revoke access' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke access' }).click()
    await card.waitFor({ state: 'detached' })

    // Everything the partner holds is dead at once.
    expect(await oidc.tokenIntrospection(config, refreshed.access_token)).toEqual({ active: false })
    await expect(oidc.refreshTokenGrant(config, refreshed.refresh_token as string)).rejects.toMatchObject({
      error: 'invalid_grant',
    })
    const refused = await billing('/v1/charges', { account, amount: 100 })
    expect([refused.status(), (await refused.json()).code]).toEqual([403, 'grant_revoked'])
  }, 90_000)
})
