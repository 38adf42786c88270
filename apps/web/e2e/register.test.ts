import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserSuite, byTestId, checkPrerequisites, fill, readable, unique } from './support.ts'

const runnable = checkPrerequisites()

describe.skipIf(!runnable)('the username rule on the registration form, in the browser', () => {
  const suite = browserSuite()
  const usernameField = (page: Page) => byTestId(page, 'register-username')
  const messages = async (page: Page) =>
    readable(await usernameField(page).locator('.v-messages').textContent())
  /** Where the password field starts below the username field's top (the page may scroll a little on submit). */
  const passwordTop = async (page: Page) => {
    const [password, username] = await Promise.all([
      byTestId(page, 'register-password').boundingBox(),
      usernameField(page).boundingBox(),
    ])
    return password && username ? password.y - username.y : undefined
  }

  // Text in a fallback font (Cyrillic) may shift a line box by a fraction of a pixel, never more.
  // Messages slide in and out, so the field is measured once that has settled.
  const expectStill = (page: Page, before: number | undefined) =>
    expect
      .poll(async () => Math.abs(((await passwordTop(page)) ?? 0) - (before ?? 0)), { timeout: 3000 })
      .toBeLessThan(1)

  /** Shows the hint, then each refusal in its place, and the password field below never moves. */
  async function checkRule(page: Page, rule: string, taken: string): Promise<void> {
    const takenName = unique('taken')
    const registered = await page.request.post('/v1/customers', {
      data: { email: `${takenName}@example.com`, username: takenName, password: 'correct horse battery' },
    })
    expect(registered.status()).toBe(201)
    await page.goto('/register')
    await page.getByRole('heading', { name: /PROTUS/, level: 1 }).waitFor()
    await expect.poll(() => messages(page)).toBe(rule)
    const before = await passwordTop(page)
    expect(before).toBeGreaterThan(0)

    const submit = page.getByRole('button', { name: /Create account|Создать аккаунт/ })
    await fill(page, 'register-email', 'new@example.com')
    await usernameField(page).locator('input').fill('a b')
    await submit.click()
    await expect.poll(async () => await usernameField(page).getAttribute('class')).toContain('v-input--error')
    expect(await messages(page)).toBe(rule)
    await expectStill(page, before)

    await usernameField(page).locator('input').fill('')
    await submit.click()
    await expect.poll(() => messages(page)).not.toBe(rule)
    await expectStill(page, before)

    // The server's refusal takes the same place.
    await usernameField(page).locator('input').fill(takenName)
    await byTestId(page, 'register-password').locator('input').fill('correct horse battery')
    await submit.click()
    await expect.poll(() => messages(page)).toBe(taken)
    await expectStill(page, before)
  }

  for (const width of [1280, 390])
    it(`shows the rule under Username before any refusal, and an error in its place, at ${width} px`, async () => {
      const { page } = suite
      await page.setViewportSize({ width, height: 860 })
      suite.allowConsoleErrors(/status of 409 .* at .*\/v1\/customers$/)
      await checkRule(page, '3–32 characters: A–Z, a–z, 0–9, . _ -', 'This username is taken.')
      await byTestId(page, 'language-ru').click()
      await checkRule(page, '3–32 символа: A–Z, a–z, 0–9, . _ -', 'Это имя пользователя занято.')
    }, 60_000)
})
