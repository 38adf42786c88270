import { escapeHtml, htmlPageHeaders } from '../../lib/html-page.js'

const css = `
  body { font: 16px/1.5 system-ui, sans-serif; background: #f3f4f6; color: #1f2937; margin: 0; }
  main { max-width: 480px; margin: 64px auto; background: #fff; border-radius: 12px; padding: 32px;
         box-shadow: 0 1px 3px rgba(0,0,0,.08); }
  h1 { font-size: 22px; margin: 0 0 12px; }
  a { color: #2a44c5; }
`

export const errorPageHeaders = htmlPageHeaders(css)

/** The page shown instead of redirecting when the client or its redirect URI cannot be trusted. */
export function authorizeErrorPage(message: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign-in request refused · PROTUS</title>
<link rel="icon" type="image/svg+xml" href="/favicon.svg">
<style>${css}</style>
</head>
<body>
<main>
  <h1>This sign-in request cannot be completed</h1>
  <p>${escapeHtml(message)}</p>
  <p>The site that sent you here may be misconfigured. You have not been signed in anywhere and nothing was shared.</p>
  <p><a href="/">Go to PROTUS</a></p>
</main>
</body>
</html>`
}
