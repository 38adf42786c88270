/** Server-rendered HTML: escaping, money, the page layout. */

const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** HTML that is already safe to insert, as `html` returns it. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value
  }
}

type Part = Html | string | number | null | undefined | false | Part[]

const render = (part: Part): string =>
  part instanceof Html
    ? part.value
    : Array.isArray(part)
      ? part.map(render).join('')
      : part === null || part === undefined || part === false
        ? ''
        : String(part).replace(/[&<>"']/g, (c) => entities[c] as string)

/** A template tag that escapes every value except nested `html` fragments. */
export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  return new Html(
    strings.reduce((out, text, i) => out + text + (i < values.length ? render(values[i]) : ''), ''),
  )
}

/** Integer minor units as people read them (`₽1,500.00`), exact: never through a float. */
export function money(amount: number, currency: string): string {
  const format = new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency,
    currencyDisplay: 'narrowSymbol',
  })
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2
  const units = String(Math.abs(amount)).padStart(digits + 1, '0')
  const decimal = digits > 0 ? `${units.slice(0, -digits)}.${units.slice(-digits)}` : units
  return format.format(`${amount < 0 ? '-' : ''}${decimal}` as unknown as number)
}

export interface Viewer {
  name: string
  kind: 'direct' | 'protus'
  csrf: string
}

export function page(title: string, viewer: Viewer | null, body: Html): string {
  const nav = viewer
    ? html`<nav>
  <a href="/clients">Clients</a> <a href="/campaigns">Campaigns</a> <a href="/account">Balance and payments</a>
  <a href="/events">Webhooks</a>
  <span class="who" data-testid="viewer">${viewer.name} (${viewer.kind === 'protus' ? 'PROTUS' : 'direct'})</span>
  <form method="post" action="/signout">${csrfField(viewer.csrf)}<button class="link">Sign out</button></form>
</nav>`
    : html`<nav><a href="/">Sign in</a> <a href="/register">Register</a> <a href="/events">Webhooks</a></nav>`
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Messages</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; color: #1d2433; }
  header { display: flex; align-items: baseline; gap: 1.5rem; border-bottom: 1px solid #dde; padding-bottom: .5rem; }
  header b { font-size: 1.3rem; } nav { display: flex; gap: 1rem; align-items: baseline; flex: 1; }
  nav form { margin: 0; } .who { margin-left: auto; color: #5b6577; }
  table { border-collapse: collapse; width: 100%; } td, th { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #eef; }
  form.card, .card { border: 1px solid #dde; border-radius: 8px; padding: 1rem; margin: 1rem 0; }
  label { display: block; margin: .4rem 0; } input, textarea, select { font: inherit; width: 100%; max-width: 30rem; }
  button, .button { font: inherit; background: #1a5fb4; color: #fff; border: 0; border-radius: 6px; padding: .5rem 1rem; cursor: pointer; text-decoration: none; display: inline-block; }
  button.link { background: none; color: #1a5fb4; padding: 0; } .problem { border-color: #c01c28; background: #fff5f5; }
  .ok { border-color: #26a269; background: #f3fbf6; } .muted { color: #5b6577; }
</style>
</head>
<body>
<header><b>✉ Messages</b>${nav}</header>
<main>
<h1 data-testid="page-title">${title}</h1>
${body}
</main>
</body>
</html>
`.value
}

export const csrfField = (csrf: string) => html`<input type="hidden" name="csrf" value="${csrf}">`
