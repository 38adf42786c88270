import { describe, expect, it } from 'vitest'
import { browserSuite, byTestId, checkPrerequisites, fillIn, pathOf, readable, unique } from './support.ts'

const runnable = checkPrerequisites()

describe.skipIf(!runnable)('a person in the browser', () => {
  const suite = browserSuite()
  const path = () => pathOf(suite.page)

  async function signOut(): Promise<void> {
    const { page } = suite
    await page.getByRole('button', { name: 'Account menu' }).click()
    await page.getByText('Sign out', { exact: true }).click()
    await expect.poll(path).toBe('/sign-in')
    await page.getByRole('link', { name: 'Sign in', exact: true }).waitFor()
  }

  it('registers, is signed in, signs out, signs in again and signs out', async () => {
    const { page } = suite
    const username = unique('pat')
    const email = `${username}@example.com`
    const password = 'correct horse battery'

    await page.goto('/register')
    await fillIn(page, 'Email', email)
    await fillIn(page, 'Username', username)
    await fillIn(page, 'Password', password)
    await page.getByRole('button', { name: 'Create account' }).click()

    await expect.poll(path).toBe('/wallet')
    await page.getByRole('link', { name: 'Account', exact: true }).click()
    await expect.poll(path).toBe('/account')
    await expect
      .poll(async () => readable(await byTestId(page, 'account-username').textContent()))
      .toBe(username)
    expect(readable(await byTestId(page, 'account-email').textContent())).toBe(email)

    await signOut()
    await page.goto('/account')
    await expect.poll(path).toBe('/sign-in')

    const signIn = page.getByRole('button', { name: 'Sign in', exact: true })
    await fillIn(page, 'Email', email)
    await fillIn(page, 'Password', 'not the password')
    // The refusal this test asks for: 401, wrong password.
    suite.allowConsoleErrors(/status of 401 .* at \S+\/v1\/sessions$/)
    await signIn.click()
    await page
      .getByRole('alert')
      .filter({ hasText: /^\s*Wrong email or password\.\s*$/ })
      .waitFor()

    await fillIn(page, 'Password', password)
    await signIn.click()
    await expect.poll(path).toBe('/account')
    await expect
      .poll(async () => readable(await byTestId(page, 'account-username').textContent()))
      .toBe(username)

    await signOut()
    await page.reload()
    await page.goto('/account')
    await expect.poll(path).toBe('/sign-in')
  }, 60_000)

  it('shows next to the field that an email is already registered', async () => {
    const { page } = suite
    const username = unique('sam')
    const email = `${username}@example.com`
    const taken = await page.request.post('/v1/customers', {
      data: { email, username, password: 'correct horse battery' },
    })
    expect(taken.status()).toBe(201)

    await page.goto('/register')
    await fillIn(page, 'Email', email)
    await fillIn(page, 'Username', unique('other'))
    await fillIn(page, 'Password', 'correct horse battery')
    // The refusal this test asks for: 409, the email is taken.
    suite.allowConsoleErrors(/status of 409 .* at \S+\/v1\/customers$/)
    await page.getByRole('button', { name: 'Create account' }).click()

    await expect
      .poll(async () => readable(await byTestId(page, 'register-email').locator('.v-messages').textContent()))
      .toBe('An account with this email already exists.')
    expect(path()).toBe('/register')
  }, 60_000)
})
