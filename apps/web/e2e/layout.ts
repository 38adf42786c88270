import type { Locator, Page } from 'playwright-core'
import { expect } from 'vitest'

export const PHONE = { width: 390, height: 844 }
export const DESKTOP = { width: 1280, height: 860 }

/** How far the page is wider than the window: 0 when nothing makes it scroll sideways. */
export const horizontalOverflow = (page: Page): Promise<number> =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)

/**
 * The element lies wholly inside the window's width, where a person can see and tap it without
 * scrolling anything sideways: the page is scrolled only up or down to it.
 */
export async function expectWithinWidth(page: Page, element: Locator): Promise<void> {
  await element.evaluate((node) => {
    const top = node.getBoundingClientRect().top + window.scrollY
    window.scrollTo(0, Math.max(0, top - window.innerHeight / 2))
  })
  const box = await element.boundingBox()
  const width = page.viewportSize()?.width ?? 0
  expect(box, 'the element is laid out').not.toBeNull()
  expect(box && box.x >= 0 && box.x + box.width <= width, `within 0–${width}px: ${JSON.stringify(box)}`).toBe(
    true,
  )
}
