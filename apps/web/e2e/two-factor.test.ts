import { Secret, TOTP } from 'otpauth'
import { describe, expect, it } from 'vitest'
import { browserSuite, byTestId, checkPrerequisites, fillIn, pathOf, readable, unique } from './support.ts'

const runnable = checkPrerequisites()

const PASSWORD = 'correct horse battery'
const STEP_MS = 30_000

/** The authenticator app: the code of the 30-second step `step`. */
const codeOf = (secret: string, step: number) =>
  new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({
    timestamp: step * STEP_MS,
  })
const currentStep = () => Math.floor(Date.now() / STEP_MS)

describe.skipIf(!runnable)('two-factor sign-in, in the browser', () => {
  const suite = browserSuite()

  it('turns on with the QR code’s key, shows the recovery codes once, and asks for a code at sign-in', async () => {
    const { page } = suite
    const name = unique('tess')
    const email = `${name}@example.com`
    const created = await page.request.post('/v1/customers', {
      data: { email, username: name, password: PASSWORD },
    })
    expect(created.status()).toBe(201)

    await page.goto('/sign-in')
    await fillIn(page, 'Email', email)
    await fillIn(page, 'Password', PASSWORD)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await expect.poll(() => pathOf(page)).toBe('/wallet')
    await byTestId(page, 'nav-account').click()
    const card = byTestId(page, 'two-factor')
    await card.getByText('Off. Your password alone signs you in.').waitFor()

    // Enrol: a QR code and the key to type, then a code from the app.
    await byTestId(page, 'two-factor-turn-on').click()
    const dialog = byTestId(page, 'two-factor-enrol')
    await byTestId(dialog, 'two-factor-qr').waitFor()
    expect(await byTestId(dialog, 'two-factor-qr').getAttribute('src')).toMatch(
      /^data:image\/svg\+xml;base64,/,
    )
    const secret = readable(await byTestId(dialog, 'two-factor-secret').textContent())
    expect(secret).toMatch(/^[A-Z2-7]{32}$/)
    const enrolStep = currentStep()
    await fillIn(dialog, 'Code from the app', codeOf(secret, enrolStep))
    await byTestId(dialog, 'two-factor-enrol-submit').click()
    const codes = byTestId(dialog, 'recovery-code')
    await expect.poll(() => codes.count()).toBe(10)
    const recoveryCodes = (await codes.allTextContents()).map(readable)
    expect(new Set(recoveryCodes).size).toBe(10)
    await byTestId(dialog, 'recovery-codes-saved').click()
    await card.getByText('On. Recovery codes left: 10.').waitFor()

    // Sign out, and in again: the password alone does not sign in.
    await page.getByRole('button', { name: 'Account menu' }).click()
    await page.getByText('Sign out', { exact: true }).click()
    await expect.poll(() => pathOf(page)).toBe('/sign-in')
    await fillIn(page, 'Email', email)
    await fillIn(page, 'Password', PASSWORD)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    const step = byTestId(page, 'two-factor-step')
    await step.getByRole('heading', { name: 'Enter your code' }).waitFor()
    expect((await page.request.get('/v1/me')).status()).toBe(401)

    // A wrong code is refused on the page; the app's next code (a step after the one that turned
    // it on, so never the same code twice) signs in.
    suite.allowConsoleErrors(/status of 422 .* at .*\/v1\/sessions\/two-factor$/)
    await fillIn(step, 'Code from the app', codeOf(secret, enrolStep + 40))
    await byTestId(step, 'two-factor-step-submit').click()
    await step.getByText('That code is not right, or it was used already.', { exact: false }).waitFor()
    await fillIn(step, 'Code from the app', codeOf(secret, enrolStep + 1))
    await byTestId(step, 'two-factor-step-submit').click()
    await expect.poll(() => pathOf(page)).toBe('/wallet')
    expect((await page.request.get('/v1/me')).status()).toBe(200)
  }, 90_000)
})
