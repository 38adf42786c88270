import { createHash } from 'node:crypto'

/** What the server renders as HTML: a few plain pages, each styled by one inline style sheet. */

export const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  )

/**
 * The headers of a page whose only style is the inline sheet `css` (the exact text of its
 * `<style>` element): its CSP allows that sheet by hash and nothing else, no script, images only
 * from PROTUS itself (the app's icon, which browsers ask for anyway), forms posting only to
 * PROTUS. The referrer is dropped, so a page's URL (a checkout link, an
 * OAuth request) goes nowhere.
 */
export function htmlPageHeaders(css: string) {
  const hash = createHash('sha256').update(css).digest('base64')
  return {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'content-security-policy': `default-src 'none'; style-src 'sha256-${hash}'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
  }
}
