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
    ? html`<nav aria-label="Messages">
  <a href="/clients">Clients</a><a href="/campaigns">Campaigns</a><a href="/plans">Plans</a><a href="/account">Balance and payments</a><a href="/events">Webhooks</a>
</nav>
<div class="session">
  <span class="who" data-testid="viewer">${viewer.name} (${viewer.kind === 'protus' ? 'PROTUS' : 'direct'})</span>
  <form method="post" action="/signout">${csrfField(viewer.csrf)}<button class="link">Sign out</button></form>
</div>`
    : html`<nav aria-label="Messages"><a href="/">Sign in</a><a href="/register">Register</a><a href="/events">Webhooks</a></nav>`
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3Crect width='32' height='32' rx='7' fill='%231a5fb4'/%3E%3Cpath d='M7 10h18v12H7zM7 10l9 7 9-7' fill='none' stroke='%23fff' stroke-width='2' stroke-linejoin='round'/%3E%3C/svg%3E">
<title>${title} · Messages</title>
<style>
  *, *::before, *::after { box-sizing: border-box; }
  body { font-family: system-ui, sans-serif; margin: 0; color: #1d2433; line-height: 1.45; }
  header { border-bottom: 1px solid #dde; }
  .bar, main { max-width: 64rem; margin: 0 auto; padding: 0 1rem; }
  .bar { display: flex; align-items: center; gap: .5rem 1.5rem; padding-top: .75rem; padding-bottom: .75rem; }
  .brand { font-size: 1.3rem; font-weight: 700; white-space: nowrap; flex: none; }
  nav { display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; flex: none; }
  nav a { white-space: nowrap; }
  .session { display: flex; align-items: baseline; gap: 1rem; margin-left: auto; min-width: 0; }
  .session form { margin: 0; flex: none; } .who { color: #5b6577; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; min-width: 0; }
  main { margin-top: 1.5rem; margin-bottom: 2rem; }
  h1 { font-size: 1.7rem; margin: 0 0 1rem; overflow-wrap: anywhere; }
  p, td, code { overflow-wrap: anywhere; }
  table.list { border-collapse: collapse; width: 100%; } .list td, .list th { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #eef; vertical-align: top; }
  .list td.amount { white-space: nowrap; }
  form.card, .card { border: 1px solid #dde; border-radius: 8px; padding: 1rem; margin: 1rem 0; }
  label { display: block; margin: .4rem 0; } input, textarea, select { font: inherit; width: 100%; max-width: 30rem; }
  button, .button { font: inherit; background: #1a5fb4; color: #fff; border: 0; border-radius: 6px; padding: .5rem 1rem; cursor: pointer; text-decoration: none; display: inline-block; }
  button.link { background: none; color: #1a5fb4; padding: 0; } .problem { border-color: #c01c28; background: #fff5f5; }
  .ok { border-color: #26a269; background: #f3fbf6; } .muted { color: #5b6577; }
  .empty { text-align: center; color: #5b6577; border-style: dashed; }
  /* Narrower than the menu on one line: the menu wraps, the signed-in user gets a line of their own. */
  @media (max-width: 56rem) {
    .bar { flex-wrap: wrap; gap: .5rem 1rem; } nav { flex: 1 1 auto; }
    .session { width: 100%; margin-left: 0; justify-content: space-between; }
  }
  /* On a phone a list is a column of cards, each value under the name of its column. */
  @media (max-width: 40rem) {
    h1 { font-size: 1.4rem; }
    table.list, .list tbody, .list tr, .list td { display: block; width: 100%; }
    .list thead { display: none; }
    .list tr { border: 1px solid #dde; border-radius: 8px; padding: .5rem .75rem; margin: .5rem 0; }
    .list td { border: 0; padding: .15rem 0; }
    .list td[data-label]::before { content: attr(data-label); display: block; font-size: .8rem; color: #5b6577; }
  }
</style>
</head>
<body>
<header><div class="bar"><span class="brand">✉ Messages</span>${nav}</div></header>
<main>
<h1 data-testid="page-title">${title}</h1>
${body}
</main>
</body>
</html>
`.value
}

/** A row of a `list`: its test id, `data-*` attributes and one cell per column. */
export interface ListRow {
  testid: string
  data?: Record<string, string>
  cells: Part[]
  /** Columns (by index) whose cell is an amount of money: never broken across lines. */
  amounts?: number[]
}

/**
 * A list: a table on a wide screen, a column of cards on a phone (each cell names its column);
 * without rows, `empty` says why there is nothing yet instead of bare headers.
 */
export function list(
  testid: string,
  columns: readonly string[],
  rows: readonly ListRow[],
  empty: Html,
): Html {
  if (rows.length === 0) return empty
  const row = (r: ListRow) =>
    html`<tr data-testid="${r.testid}"${new Html(
      Object.entries(r.data ?? {})
        .map(([name, value]) => html` data-${name}="${value}"`.value)
        .join(''),
    )}>${r.cells.map(
      (cell, i) =>
        html`<td data-label="${columns[i]}"${r.amounts?.includes(i) ? new Html(' class="amount"') : ''}>${cell}</td>`,
    )}</tr>`
  return html`<table class="list" data-testid="${testid}">
<thead><tr>${columns.map((c) => html`<th>${c}</th>`)}</tr></thead>
<tbody>${rows.map(row)}</tbody></table>`
}

export const csrfField = (csrf: string) => html`<input type="hidden" name="csrf" value="${csrf}">`
