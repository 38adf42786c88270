import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { type AddressInfo, createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, expect } from 'vitest'

export const CHROMIUM = '/usr/bin/chromium'
const API_TEST_APP = fileURLToPath(new URL('../../api/test/support/app.ts', import.meta.url))
const WEB_INDEX = fileURLToPath(new URL('../dist/index.html', import.meta.url))

/** CI sets PROTUS_E2E=required so that a machine without Chromium fails instead of skipping. */
export const e2eRequired = process.env.PROTUS_E2E === 'required'

/** Why the browser tests cannot run on this machine, or null when they can. */
export function missingPrerequisite(): string | null {
  if (!existsSync(CHROMIUM)) return `Chromium is not installed at ${CHROMIUM} (apt-get install chromium)`
  if (!existsSync(API_TEST_APP)) return `the API test app is missing at ${API_TEST_APP}`
  if (!existsSync(WEB_INDEX)) return 'apps/web/dist is missing: run `npm run build -w apps/web` first'
  return null
}

/** Skips the suite with a message, or fails it when PROTUS_E2E=required. */
export function checkPrerequisites(): boolean {
  const missing = missingPrerequisite()
  if (!missing) return true
  if (e2eRequired) throw new Error(`browser tests are required (PROTUS_E2E=required) but ${missing}`)
  console.warn(`Skipping browser tests: ${missing}. Set PROTUS_E2E=required to make this an error.`)
  return false
}

interface ListeningApp {
  listen(options: { port: number; host: string }): Promise<string>
  close(): Promise<void>
}

export interface TestServer {
  baseUrl: string
  close(): Promise<void>
}

export async function freePort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as AddressInfo
  await new Promise((resolve) => probe.close(resolve))
  return port
}

/**
 * The web app the test servers serve: apps/web/dist, or the build in PROTUS_WEB_DIR (a copy that a
 * rebuild of apps/web/dist in the middle of a run cannot change under the browser).
 */
export const webDirOverride = (): Record<string, string> =>
  process.env.PROTUS_WEB_DIR ? { PROTUS_WEB_DIR: process.env.PROTUS_WEB_DIR } : {}

/**
 * A real PROTUS server on a fresh database, serving the built web app, on a free local port.
 * `env` adds settings, as environment variables would (PROTUS_WEBHOOK_ALLOW_PRIVATE=1, say).
 */
export async function startServer(env: Record<string, string> = {}): Promise<TestServer> {
  // Loaded by path so the web type check does not pull in the API's sources.
  const { buildTestApp } = (await import(/* @vite-ignore */ API_TEST_APP)) as {
    buildTestApp: (overrides?: Record<string, string>) => Promise<ListeningApp>
  }
  // The server writes absolute links (the sandbox checkout page) with its public address, which
  // must be the very origin the browser uses, or the way back to the wallet loses the session.
  const port = await freePort()
  const baseUrl = `http://127.0.0.1:${port}`
  const app = await buildTestApp({ ...webDirOverride(), ...env, PROTUS_PUBLIC_URL: baseUrl })
  await app.listen({ port, host: '127.0.0.1' })
  return { baseUrl, close: () => app.close() }
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  })
}

export interface OpenPage {
  context: BrowserContext
  page: Page
  /** Uncaught exceptions in the page; a test that ends with any has found a defect. */
  pageErrors: Error[]
  /** What a Content-Security-Policy refused in any page of the profile; a defect too, unless the test asked for it. */
  cspViolations: string[]
  /**
   * Every other error in the console of any page of the profile, with where it came from: a
   * failed request (Chromium logs each 4xx and 5xx answer), a script's console.error. A defect
   * too, unless the test caused it on purpose and allowed it (`allowConsoleErrors`).
   */
  consoleErrors: string[]
}

/**
 * Reports every CSP violation in a page to its console, where the test collects it. Text rather
 * than a function, so that suites type-checked without the DOM library can share this file.
 */
const reportCspViolations = `document.addEventListener('securitypolicyviolation', (event) => {
  console.error('Content Security Policy violation: ' + event.effectiveDirective + ' refused ' +
    (event.blockedURI || 'inline') + ' in ' + event.documentURI)
})`

/** A page in a fresh browser profile (no cookies, no stored language), in English unless `locale` says otherwise. */
export async function openPage(browser: Browser, baseUrl: string, locale = 'en-US'): Promise<OpenPage> {
  const context = await browser.newContext({
    baseURL: baseUrl,
    locale,
    viewport: { width: 1280, height: 860 },
  })
  context.setDefaultTimeout(10_000)
  // Chromium also logs each refusal itself ("... violates the following Content Security Policy directive").
  await context.addInitScript({ content: reportCspViolations })
  const cspViolations: string[] = []
  const consoleErrors: string[] = []
  context.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text())
    else if (message.type() === 'error') consoleErrors.push(`${message.text()} at ${message.location().url}`)
  })
  const page = await context.newPage()
  const pageErrors: Error[] = []
  page.on('pageerror', (error) => pageErrors.push(error))
  return { context, page, pageErrors, cspViolations, consoleErrors }
}

/**
 * The console errors that no pattern allows. A test that provokes a refusal on purpose (a 409
 * shown as a message, say) allows exactly that one, e.g. `/status of 409 .* at .*\/v1\/services$/`.
 */
export function unexpectedConsoleErrors(errors: string[], allowed: RegExp[]): string[] {
  return errors.filter((error) => !allowed.some((pattern) => pattern.test(error)))
}

export interface BrowserSuite {
  server: TestServer
  browser: Browser
  /** This test's page, in a browser profile of its own. */
  page: Page
  context: BrowserContext
  /** CSP violations so far in this test; the test fails if any are left at its end. */
  cspViolations: string[]
  /**
   * Lets this test end with console errors that match `patterns` (each a failed request or
   * message it causes on purpose); any other console error still fails it.
   */
  allowConsoleErrors(...patterns: RegExp[]): void
}

/**
 * The hooks of a browser suite: a server (with `env` added to its settings) and a browser for the
 * suite, and for each test a fresh page that fails the test with any uncaught error in it, any
 * Content-Security-Policy violation or any console error it did not allow. The fields are set by
 * the time a test runs.
 */
export function browserSuite(env: Record<string, string> = {}): BrowserSuite {
  const suite = {} as BrowserSuite
  beforeAll(async () => {
    ;[suite.server, suite.browser] = await Promise.all([startServer(env), launchBrowser()])
  }, 60_000)
  afterAll(async () => {
    await suite.browser?.close()
    await suite.server?.close()
  })
  beforeEach(async () => {
    const opened = await openPage(suite.browser, suite.server.baseUrl)
    suite.page = opened.page
    suite.context = opened.context
    suite.cspViolations = opened.cspViolations
    const allowed: RegExp[] = []
    suite.allowConsoleErrors = (...patterns) => allowed.push(...patterns)
    return async () => {
      await opened.context.close()
      expect(opened.pageErrors.map(String)).toEqual([])
      expect(opened.cspViolations).toEqual([])
      expect(unexpectedConsoleErrors(opened.consoleErrors, allowed)).toEqual([])
    }
  })
  return suite
}

export const byTestId = (scope: Page | Locator, id: string): Locator => scope.locator(`[data-testid="${id}"]`)

/** Types into the input of a Vuetify field found by its test id; fillIn finds it as a person would. */
export async function fill(page: Page, id: string, value: string): Promise<void> {
  await byTestId(page, id).locator('input').fill(value)
}

/** Types into the field a person finds by its label. */
export async function fillIn(scope: Page | Locator, label: string, value: string): Promise<void> {
  await scope.getByLabel(label, { exact: true }).fill(value)
}

/** The path of the page the browser is on. */
export const pathOf = (page: Page) => new URL(page.url()).pathname

export const unique = (label: string) => `${label}-${randomBytes(4).toString('hex')}`

/** Text as a person reads it: no-break spaces are spaces, runs of white space are one. */
export const readable = (text: string | null) => (text ?? '').replace(/[\s\u00a0\u202f]+/g, ' ').trim()

export interface RegisteredCompany {
  clientId: string
  clientSecret: string
}

/** Registers a company in the browser, keeps the client credentials it is shown once, and signs in. */
export async function registerCompany(page: Page): Promise<RegisteredCompany> {
  const name = unique('Messages')
  await page.goto('/register?kind=company')
  await fillIn(page, 'Email', `${name.toLowerCase()}@example.com`)
  await fillIn(page, 'Company name', name)
  await fillIn(page, 'Password', 'correct horse battery')
  await page.getByRole('button', { name: 'Create account' }).click()
  await byTestId(page, 'secrets-once').waitFor()
  const clientId = readable(await byTestId(page, 'created-client-id').textContent())
  const clientSecret = readable(await byTestId(page, 'created-client-secret').textContent())
  await page.getByRole('button', { name: 'I have saved them, continue' }).click()
  await page.waitForURL((url) => url.pathname === '/company/services')
  return { clientId, clientSecret }
}

/** Registers a person in the browser and lands on their new wallet. */
export async function openWallet(page: Page): Promise<void> {
  const username = unique('pat')
  await page.goto('/register')
  await fillIn(page, 'Email', `${username}@example.com`)
  await fillIn(page, 'Username', username)
  await fillIn(page, 'Password', 'correct horse battery')
  await page.getByRole('button', { name: 'Create account' }).click()
  await page.waitForURL((url) => url.pathname === '/wallet')
  await page.getByRole('heading', { name: 'Wallet', level: 1 }).waitFor()
}
