import { describe, expect, it } from 'vitest'
import { browserSuite, checkPrerequisites, readable } from './support.ts'

const runnable = checkPrerequisites()

describe.skipIf(!runnable)('the interface language', () => {
  const suite = browserSuite()

  const title = async () => readable(await suite.page.getByRole('heading', { level: 1 }).textContent())
  /** The Russian form: its submit button and email field, found by their Russian names. */
  const russianForm = async () =>
    (await suite.page.getByRole('button', { name: 'Войти', exact: true }).isVisible()) &&
    (await suite.page.getByLabel('Электронная почта', { exact: true }).isVisible())

  it('switches to Russian and stays Russian after a reload', async () => {
    const { page } = suite
    await page.goto('/sign-in')
    await expect.poll(title).toBe('Sign in to PROTUS')
    expect(await page.getAttribute('html', 'lang')).toBe('en')

    await page.getByRole('button', { name: 'Русский' }).click()
    await expect.poll(title).toBe('Вход в PROTUS')
    expect(await russianForm()).toBe(true)
    expect(await page.getAttribute('html', 'lang')).toBe('ru')
    await expect.poll(() => page.title()).toBe('Вход · PROTUS')

    await page.reload()
    await expect.poll(title).toBe('Вход в PROTUS')
    expect(await russianForm()).toBe(true)
    expect(await page.getAttribute('html', 'lang')).toBe('ru')

    await page.getByRole('button', { name: 'English' }).click()
    await expect.poll(title).toBe('Sign in to PROTUS')
  }, 60_000)
})
