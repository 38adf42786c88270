import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import en from '../src/i18n/en.ts'
import ru from '../src/i18n/ru.ts'
import {
  checkPrerequisites,
  freePort,
  launchBrowser,
  type OpenPage,
  openPage,
  unexpectedConsoleErrors,
  webDirOverride,
} from './support.ts'

// Every page of the app as a signed-out visitor, a person and a company, in English and Russian, at
// a desktop's and a phone's width: no console errors, nothing wider than the screen, no English
// left in Russian. The person and the company have data, so that lists are not empty.

const support = (name: string) => fileURLToPath(new URL(`../../api/test/support/${name}.ts`, import.meta.url))

interface InjectAnswer {
  statusCode: number
  body: string
  headers: Record<string, unknown>
  json(): Record<string, unknown>
}
interface TestApp {
  listen(options: { port: number; host: string }): Promise<string>
  close(): Promise<void>
  inject(request: {
    method: string
    url: string
    headers?: Record<string, string>
    payload?: unknown
  }): Promise<InjectAnswer>
}
interface Signed {
  cookie: string
  headers: Record<string, string>
}
interface ApiSupport {
  buildTestApp(overrides?: Record<string, string>): Promise<TestApp>
  connectedPerson(app: TestApp): Promise<{
    partner: { email: string; password: string; name: string; auth: string }
    person: { session: Signed; username: string; email: string }
    accountId: string
    post(url: string, payload?: object): Promise<InjectAnswer>
  }>
  partnerClient(app: TestApp): Promise<{ clientId: string; name: string }>
  authorizeUrl(params: Record<string, string | undefined>): string
  pkce(): { challenge: string }
  REDIRECT_URI: string
  signIn(app: TestApp, kind: 'customer' | 'company', email: string, password: string): Promise<Signed>
}

async function loadApiSupport(): Promise<ApiSupport> {
  const modules = await Promise.all(
    ['app', 'grants', 'oauth', 'http'].map((name) => import(/* @vite-ignore */ support(name))),
  )
  return Object.assign({}, ...modules) as ApiSupport
}

type Language = 'en' | 'ru'
/** A button's name in each language. */
type Label = Record<Language, string>
const label = (pick: (messages: typeof en) => string): Label => ({ en: pick(en), ru: pick(ru) })
/** The phone's navigation menu, on every page that has one. */
const MENU = label((m) => m.nav.menu)
/**
 * A sign-in request from an unknown partner: the server's page that says why it goes no further,
 * answered with a 400, which the browser logs. The only console error the walk expects.
 */
const REFUSED_SIGN_IN = '/oauth/authorize?response_type=code&client_id=cli_nobody'
const REFUSAL_LOGGED = /status of 400 .* at \S+\/oauth\/authorize\?response_type=code&client_id=cli_nobody$/

/** The dialogs a page opens, by the page. */
const DIALOGS: Record<string, Label[]> = {
  '/wallet': [label((m) => m.wallet.topUp)],
  '/company/services': [label((m) => m.services.create)],
}
/** What the test calls its services and charges: a partner's own words, shown as they are. */
const DATA_NAMES = ['Bulk messages', 'Priority line', 'Spring campaign']
const WIDTHS = [1280, 390] as const

/** Messages of one language by their key path, for the English ones that Russian says otherwise. */
function flatten(messages: object, prefix = ''): Map<string, string> {
  const flat = new Map<string, string>()
  for (const [key, value] of Object.entries(messages)) {
    const path = prefix ? `${prefix}.${key}` : key
    if (typeof value === 'string') flat.set(path, value)
    else if (value && typeof value === 'object') for (const entry of flatten(value, path)) flat.set(...entry)
  }
  return flat
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * Patterns of the English texts that Russian translates: a visible text in Russian matching one
 * is left untranslated. Parameters match anything; plural forms count one by one.
 */
function untranslatedPatterns(): { key: string; pattern: RegExp }[] {
  const russian = flatten(ru)
  const patterns: { key: string; pattern: RegExp }[] = []
  for (const [key, english] of flatten(en)) {
    if (russian.get(key) === english) continue
    for (const form of english.split(' | ')) {
      const literal = form.replace(/\{'([^']*)'\}/g, '$1')
      const words = literal.replace(/\{\w+\}/g, '')
      if (!/[A-Za-z]{3}/.test(words)) continue
      const source = literal
        .split(/\{\w+\}/)
        .map((part) => escapeRegExp(part.replace(/\s+/g, ' ').trim()))
        .join('.+?')
      patterns.push({ key, pattern: new RegExp(`^${source}$`) })
    }
  }
  return patterns
}

/** Words that are the same in every language: names, codes and units. */
const LATIN_ALLOWED = new Set([
  'PROTUS',
  'OAuth',
  'REST',
  'API',
  'JSON',
  'HTTP',
  'HTTPS',
  'URL',
  'PKCE',
  'RUB',
  'ID',
])

/**
 * Latin words of a Russian text that are not names, addresses, ids, secrets or codes; an English
 * term glossed in brackets after its Russian one, "Адреса возврата (redirect URI)", is fine.
 */
function englishWords(text: string, names: string[]): string[] {
  let rest = text
  for (const name of names) rest = rest.split(name).join(' ')
  if (/[А-Яа-яЁё]/.test(rest)) rest = rest.replace(/\([A-Za-z][^()]*\)/g, ' ')
  return rest
    .split(/\s+/)
    .filter((token) => !/[\d_@/:=…]|\.\w/.test(token))
    .flatMap((token) => token.match(/[A-Za-z]{3,}/g) ?? [])
    .filter((word) => !LATIN_ALLOWED.has(word))
}

/** What the page shows: its title and the text of every visible text node. */
function visibleTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const texts = [document.title]
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = (node.textContent ?? '').replace(/[\s\u00a0\u202f]+/g, ' ').trim()
      const parent = node.parentElement
      // Code (scope names, ids) reads the same in every language.
      if (!text || !parent || parent.closest('script, style, noscript, code, kbd, pre')) continue
      if (!parent.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue
      texts.push(text)
    }
    return texts
  })
}

/**
 * What is wider than the screen: the document itself, or any element reaching past its right edge
 * that no ancestor scrolls or clips (a table in a horizontal scroll container may be wide).
 */
function overflows(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const root = document.documentElement
    const width = root.clientWidth
    const found: string[] = []
    if (root.scrollWidth > width)
      found.push(`the page is ${root.scrollWidth} px wide on a ${width} px screen`)
    const describe = (element: Element) => {
      const id = element.getAttribute('data-testid')
      const text = (element.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 40)
      return `${element.tagName.toLowerCase()}${id ? `[data-testid=${id}]` : ''}.${[...element.classList].slice(0, 2).join('.')} "${text}"`
    }
    const sticksOut = (element: Element) => {
      const box = element.getBoundingClientRect()
      if (box.width === 0 || box.height === 0 || box.right <= width + 1) return false
      if (!element.checkVisibility({ visibilityProperty: true })) return false
      for (let up = element.parentElement; up && up !== document.body; up = up.parentElement) {
        if (['auto', 'scroll'].includes(getComputedStyle(up).overflowX)) return false
      }
      return true
    }
    for (const element of document.body.querySelectorAll('*')) {
      if (!sticksOut(element)) continue
      if (
        element.parentElement &&
        element.parentElement !== document.body &&
        sticksOut(element.parentElement)
      )
        continue
      const right = Math.round(element.getBoundingClientRect().right)
      found.push(`${describe(element)} reaches ${right} px`)
    }
    return found
  })
}

interface Walker {
  opened: OpenPage
  language: Language
  /** Texts that may show in Latin letters in Russian: the names the test gave its data. */
  names: string[]
  findings: string[]
  signedIn: boolean
  /** How often the phone's menu was opened and checked. */
  menusOpened: number
}

describe.skipIf(!checkPrerequisites())('a walk through every page', () => {
  let app: TestApp
  let baseUrl: string
  let browser: Browser
  const patterns = untranslatedPatterns()
  const people = {} as {
    person: Signed
    company: Signed
    names: string[]
    accountId: string
    consentPath: string
    checkoutPath: string
    paidPath: string
  }

  beforeAll(async () => {
    const api = await loadApiSupport()
    const port = await freePort()
    baseUrl = `http://127.0.0.1:${port}`
    ;[app, browser] = await Promise.all([
      api.buildTestApp({
        ...webDirOverride(),
        PROTUS_PUBLIC_URL: baseUrl,
        PROTUS_WEBHOOK_ALLOW_PRIVATE: '1',
      }),
      launchBrowser(),
    ])
    await app.listen({ port, host: '127.0.0.1' })

    // A person with money, connected to a partner that charged them and holds some of it.
    const connected = await api.connectedPerson(app)
    const { person, partner, accountId, post } = connected
    const ok = (answer: InjectAnswer, status = 201) => expect(answer.statusCode, answer.body).toBe(status)
    ok(await post('/v1/services', { name: 'Bulk messages', price: 150_000 }))
    const monthly = await post('/v1/services', {
      name: 'Priority line',
      price: 49_900,
      recurring: { interval: 'month', count: 1 },
    })
    ok(monthly)
    // The person subscribes to it: a subscription under Connected services, on the company's pages
    // and a renewal-marked line on the statement.
    ok(await post('/v1/subscriptions', { account: accountId, service: monthly.json().id as string }))
    ok(await post('/v1/charges', { account: accountId, amount: 3000, description: 'Spring campaign' }))
    const hold = await post('/v1/holds', { account: accountId, amount: 4500 })
    ok(hold)
    ok(await post(`/v1/holds/${hold.json().id as string}/capture`, { amount: 300 }), 200)
    ok(await post('/v1/holds', { account: accountId, amount: 1200 }))
    // A top-up paid on the sandbox checkout page, and one left waiting there.
    const topUp = async () => {
      const answer = await app.inject({
        method: 'POST',
        url: '/v1/me/topups',
        headers: { ...person.session.headers, 'idempotency-key': crypto.randomUUID() },
        payload: { amount: 50_000 },
      })
      ok(answer)
      return new URL(answer.json().checkout_url as string)
    }
    const paid = await topUp()
    const payment = await app.inject({
      method: 'POST',
      url: paid.pathname,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'outcome=succeeded',
    })
    ok(payment, 200)
    const waiting = await topUp()
    // The company's webhooks go to an address of this machine, which answers nothing useful.
    ok(
      await app.inject({
        method: 'PATCH',
        url: '/v1/company',
        headers: { authorization: partner.auth },
        payload: { webhook_url: `http://127.0.0.1:${await freePort()}/webhooks` },
      }),
      200,
    )
    // Another partner asking the person to connect: the consent page.
    const asking = await api.partnerClient(app)
    const authorize = await app.inject({
      method: 'GET',
      url: api.authorizeUrl({
        response_type: 'code',
        client_id: asking.clientId,
        redirect_uri: api.REDIRECT_URI,
        scope: 'check hold charge',
        state: 'walk',
        code_challenge: api.pkce().challenge,
        code_challenge_method: 'S256',
      }),
      headers: { cookie: person.session.cookie },
    })
    expect(authorize.statusCode, authorize.body).toBe(302)
    Object.assign(people, {
      person: person.session,
      company: await api.signIn(app, 'company', partner.email, partner.password),
      names: [...DATA_NAMES, partner.name, asking.name, person.username, person.email, partner.email],
      accountId,
      consentPath: authorize.headers.location as string,
      checkoutPath: `${waiting.pathname}${waiting.search}`,
      paidPath: `${paid.pathname}${paid.search}`,
    })
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await app?.close()
  })

  async function walker(language: Language, session?: Signed): Promise<Walker> {
    const opened = await openPage(browser, baseUrl, language === 'ru' ? 'ru-RU' : 'en-US')
    if (session) {
      const [name, value] = session.cookie.split('=') as [string, string]
      await opened.context.addCookies([{ name, value, url: baseUrl }])
    }
    return {
      opened,
      language,
      names: people.names ?? [],
      findings: [],
      signedIn: session !== undefined,
      menusOpened: 0,
    }
  }

  /** Checks what the page shows now: nothing wider than the screen, nothing in the other language. */
  async function inspect(walk: Walker, where: string): Promise<void> {
    const { page } = walk.opened
    for (const overflow of await overflows(page)) walk.findings.push(`${where}: ${overflow}`)
    for (const text of await visibleTexts(page)) {
      if (walk.language === 'en') {
        if (/[А-Яа-яЁё]/.test(text) && text !== 'Русский')
          walk.findings.push(`${where}: Russian text "${text}"`)
        continue
      }
      const english = patterns.find(({ pattern }) => pattern.test(text))
      if (english) walk.findings.push(`${where}: untranslated ${english.key} "${text}"`)
      else {
        const words = englishWords(text, walk.names)
        if (words.length > 0) walk.findings.push(`${where}: English words ${words.join(' ')} in "${text}"`)
      }
    }
  }

  /**
   * Opens what the button named `label` shows (a dialog, the phone's menu), checks it and closes
   * it again; when `optional`, a page without such a button is fine. Says whether it opened.
   */
  async function inspectOpened(
    walk: Walker,
    where: string,
    label: string,
    optional = false,
  ): Promise<boolean> {
    const { page } = walk.opened
    const button = page.getByRole('button', { name: label, exact: true })
    if (optional && !(await button.isVisible())) return false
    await button.click()
    const opened = page.locator('.v-overlay--active .v-overlay__content, .v-navigation-drawer--active').last()
    await opened.waitFor()
    await page.waitForTimeout(300)
    await inspect(walk, `${where} with "${label}" open`)
    await page.keyboard.press('Escape')
    // A temporary drawer closes on a click beside it, on its scrim.
    const scrim = page.locator('.v-navigation-drawer__scrim')
    const size = page.viewportSize()
    if (size && (await scrim.isVisible())) await page.mouse.click(size.width - 10, size.height - 10)
    await opened.waitFor({ state: 'hidden' })
    return true
  }

  async function visit(walk: Walker, path: string): Promise<void> {
    const { page, consoleErrors, pageErrors, cspViolations } = walk.opened
    await page.setViewportSize({ width: WIDTHS[0], height: 860 })
    await page.goto(path)
    await page.waitForLoadState('networkidle')
    for (const width of WIDTHS) {
      const where = `${walk.language} ${width} px ${path}`
      await page.setViewportSize({ width, height: 860 })
      await page.waitForTimeout(100)
      await inspect(walk, where)
      // A visitor is sent from these pages to sign in.
      const dialogs = walk.signedIn ? (DIALOGS[path] ?? []) : []
      for (const opens of dialogs) await inspectOpened(walk, where, opens[walk.language])
      if (await inspectOpened(walk, where, MENU[walk.language], true)) walk.menusOpened += 1
    }
    const expected = path === REFUSED_SIGN_IN ? [REFUSAL_LOGGED] : []
    for (const [kind, list] of [
      ['console error', unexpectedConsoleErrors(consoleErrors.splice(0), expected)],
      ['page error', pageErrors.map(String)],
      ['CSP violation', cspViolations],
    ] as const) {
      for (const entry of list.splice(0)) walk.findings.push(`${walk.language} ${path}: ${kind} ${entry}`)
    }
  }

  /** Findings once each: a problem seen at both widths or on several pages is one line per place. */
  const distinct = (findings: string[]) => [...new Set(findings)]

  const visitorPages = [
    '/',
    '/sign-in',
    '/sign-in?kind=company',
    '/register',
    '/register?kind=company',
    '/wallet',
    '/no-such-page',
    REFUSED_SIGN_IN,
  ]
  const personPages = () => [
    '/',
    '/wallet',
    '/wallet/connected',
    '/account',
    people.consentPath,
    people.checkoutPath,
    people.paidPath,
    '/no-such-page',
  ]
  const companyPages = () => [
    '/company/services',
    '/company/accounts',
    `/company/accounts/${people.accountId}`,
    `/company/accounts/${people.accountId}?tab=subscriptions`,
    '/company/subscriptions',
    '/company/credentials',
    '/company/webhooks',
    '/company/account',
  ]

  for (const language of ['en', 'ru'] as const) {
    it(`as a signed-out visitor, in ${language}`, async () => {
      const walk = await walker(language)
      for (const path of visitorPages) await visit(walk, path)
      await walk.opened.context.close()
      expect(distinct(walk.findings).join('\n')).toBe('')
    }, 180_000)

    it(`as a person with money and a connected partner, in ${language}`, async () => {
      const walk = await walker(language, people.person)
      for (const path of personPages()) await visit(walk, path)
      await walk.opened.context.close()
      expect(walk.menusOpened, "the phone's menu").toBeGreaterThan(0)
      expect(distinct(walk.findings).join('\n')).toBe('')
    }, 180_000)

    it(`as a company with services, accounts, charges and webhooks, in ${language}`, async () => {
      const walk = await walker(language, people.company)
      for (const path of companyPages()) await visit(walk, path)
      await walk.opened.context.close()
      expect(walk.menusOpened, "the phone's menu").toBeGreaterThan(0)
      expect(distinct(walk.findings).join('\n')).toBe('')
    }, 180_000)
  }
})
