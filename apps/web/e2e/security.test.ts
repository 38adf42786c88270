import { describe, expect, it } from 'vitest'
import { browserSuite, checkPrerequisites } from './support.ts'

const runnable = checkPrerequisites()

describe.skipIf(!runnable)('the browser headers in the browser', () => {
  const suite = browserSuite()

  it('shows the API documentation under its policy', async () => {
    const { page } = suite
    await page.goto('/docs')
    await page.getByRole('heading', { name: /PROTUS API/ }).waitFor()
    await page.getByText('/v1/sessions').first().waitFor()
  }, 60_000)

  it('refuses to show the consent page inside another site’s frame', async () => {
    const { page, server } = suite
    const consent = `${server.baseUrl}/consent/areq_framed`
    await page.route('http://partner.test/', (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><title>Partner</title><iframe src="${consent}"></iframe>`,
      }),
    )
    await page.goto('http://partner.test/')
    const framed = page.frames().find((frame) => frame !== page.mainFrame())
    // Chromium shows its own error page in place of a document it refuses to frame.
    await expect.poll(() => framed?.url()).toBe('chrome-error://chromewebdata/')
    expect(await framed?.locator('#app').count()).toBe(0)
  }, 60_000)
})
