import { escapeHtml, htmlPageHeaders } from '../../lib/html-page.js'
import type { PageLanguage } from '../topups/page-texts.js'
import type { AuthorizePageReason } from './oauth.errors.js'

const css = `
  body { font: 16px/1.5 system-ui, sans-serif; background: #f3f4f6; color: #1f2937; margin: 0; }
  main { max-width: 480px; margin: 64px auto; background: #fff; border-radius: 12px; padding: 32px;
         box-shadow: 0 1px 3px rgba(0,0,0,.08); }
  h1 { font-size: 22px; margin: 0 0 12px; }
  a { color: #2a44c5; }
  code { overflow-wrap: anywhere; }
`

export const errorPageHeaders = htmlPageHeaders(css)

const texts = {
  en: {
    title: 'Sign-in request refused',
    heading: 'This sign-in request cannot be completed',
    reasons: {
      no_client_id: 'The request has no client_id.',
      unknown_client: 'No partner is registered with this client_id.',
      redirect_uri_mismatch:
        'The redirect_uri is not one the partner registered (they are compared exactly).',
      malformed: 'The request is malformed.',
    },
    advice:
      'The site that sent you here may be misconfigured. You have not been signed in anywhere and nothing was shared.',
    home: 'Go to PROTUS',
  },
  ru: {
    title: 'Запрос на вход отклонён',
    heading: 'Этот запрос на вход нельзя выполнить',
    reasons: {
      no_client_id: 'В запросе нет client_id.',
      unknown_client: 'Партнёр с таким client_id не зарегистрирован.',
      redirect_uri_mismatch:
        'Адрес возврата (redirect_uri) не совпадает ни с одним из тех, что зарегистрировал партнёр (они сравниваются точно).',
      malformed: 'Запрос составлен неверно.',
    },
    advice:
      'Возможно, сайт, который вас сюда отправил, настроен неправильно. Вы нигде не вошли, и никакие данные не переданы.',
    home: 'Перейти в PROTUS',
  },
} satisfies Record<PageLanguage, { reasons: Record<AuthorizePageReason, string> } & Record<string, unknown>>

/**
 * The page shown instead of redirecting when the client or its redirect URI cannot be trusted, in
 * the visitor's language; a malformed request also shows the technical detail, as code.
 */
export function authorizeErrorPage(
  reason: AuthorizePageReason,
  detail: string,
  language: PageLanguage,
): string {
  const text = texts[language]
  const technical = reason === 'malformed' ? `<p><code>${escapeHtml(detail)}</code></p>` : ''
  return `<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${text.title} · PROTUS</title>
<link rel="icon" type="image/svg+xml" href="/favicon.svg">
<style>${css}</style>
</head>
<body>
<main>
  <h1>${text.heading}</h1>
  <p>${text.reasons[reason]}</p>${technical}
  <p>${text.advice}</p>
  <p><a href="/">${text.home}</a></p>
</main>
</body>
</html>`
}
