import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserSuite, byTestId, checkPrerequisites, fillIn, pathOf, readable, unique } from './support.ts'

const runnable = checkPrerequisites()

const PASSWORD = 'correct horse battery'

describe.skipIf(!runnable)('signing in with only an email and a password, in the browser', () => {
  const suite = browserSuite()
  const path = () => pathOf(suite.page)
  const kindButton = (page: Page, name: 'Person' | 'Company') =>
    page.getByRole('button', { name, exact: true })

  async function register(kind: 'customers' | 'companies', email: string): Promise<void> {
    const name = unique(kind === 'customers' ? 'pat' : 'Globex')
    const data =
      kind === 'customers'
        ? { email, username: name, password: PASSWORD }
        : { email, name, password: PASSWORD }
    expect((await suite.page.request.post(`/v1/${kind}`, { data })).status()).toBe(201)
  }

  async function signIn(page: Page, email: string): Promise<void> {
    await fillIn(page, 'Email', email)
    await fillIn(page, 'Password', PASSWORD)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  }

  it('signs a company in without asking which kind of account, and opens its dashboard', async () => {
    const { page } = suite
    const email = `${unique('globex')}@example.com`
    await register('companies', email)

    await page.goto('/sign-in')
    await page.getByRole('heading', { name: 'Sign in to PROTUS' }).waitFor()
    expect(await kindButton(page, 'Person').count()).toBe(0)
    expect(await kindButton(page, 'Company').count()).toBe(0)
    await signIn(page, email)
    await expect.poll(path).toBe('/company/services')
    await page.getByRole('heading', { name: 'Services', level: 1 }).waitFor()
  }, 60_000)

  it('asks which account when the email and password open both a person and a company', async () => {
    const { page } = suite
    // The server's question comes as a 409, which Chromium logs as it logs every 4xx.
    suite.allowConsoleErrors(/status of 409 .* at .*\/v1\/sessions$/)
    const email = `${unique('both')}@example.com`
    await register('customers', email)
    await register('companies', email)

    await page.goto('/sign-in')
    await signIn(page, email)
    await byTestId(page, 'kind-question').waitFor()
    expect(readable(await byTestId(page, 'kind-question').textContent())).toBe(
      'This email and password open both a personal and a company account. Which one do you want to sign in to?',
    )
    expect(await path()).toBe('/sign-in')
    await kindButton(page, 'Company').click()
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await expect.poll(path).toBe('/company/services')
    // The company's list has loaded before its cookies go: a request still on its way would fail.
    await byTestId(page, 'services-empty').waitFor()

    // Signed out, the person of the same email is one choice away.
    await page.context().clearCookies()
    await page.goto('/sign-in')
    await signIn(page, email)
    await kindButton(page, 'Person').click()
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await expect.poll(path).toBe('/wallet')
    await page.getByRole('heading', { name: 'Wallet', level: 1 }).waitFor()
  }, 60_000)
})
