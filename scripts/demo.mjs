// `npm run demo`: PROTUS and its demo partner Messages (examples/messages), ready to use.
//
// Builds what changed, starts PROTUS (PGlite under ./data/demo unless DATABASE_URL is set) and,
// through PROTUS's HTTP API only, makes sure the company "Messages" exists with its redirect URI,
// webhook URL and services (the monthly plan "Pro" among them), and that a person with a funded
// wallet exists. PROTUS runs with its sandbox clock (PROTUS_TEST_CLOCK=true), which Messages can
// move a month ahead to show a renewal. The partner's
// credentials, shown only once by PROTUS, are kept under the data directory; a later run reuses
// everything. Then starts Messages and prints the URLs and logins. Ctrl-C stops both.
//
// PROTUS_PORT (8080), MESSAGES_PORT (8088) and DEMO_DATA_DIR (./data/demo) change the defaults.
import { spawn } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join, relative, resolve } from 'node:path'
import { buildIfStale, root } from './build-if-stale.mjs'

const protusPort = Number(process.env.PROTUS_PORT || 8080)
const messagesPort = Number(process.env.MESSAGES_PORT || 8088)
const dataDir = resolve(process.env.DEMO_DATA_DIR || join(root, 'data/demo'))
const protusUrl = `http://localhost:${protusPort}`
const messagesUrl = `http://localhost:${messagesPort}`
const credentialsFile = join(dataDir, 'messages-credentials.json')

const COMPANY = { email: 'messages@example.com', name: 'Messages', password: 'messages-demo-password' }
const PERSON = { email: 'anna@example.com', username: 'anna', password: 'anna-demo-password' }
const FUNDING = 100_000 // ₽1,000.00
const SERVICES = [
  { name: 'Client', price: 5_000 }, // ₽50.00 a client
  { name: 'Campaign', price: 150 }, // ₽1.50 a recipient
  { name: 'Pro', price: 29_900, recurring: { interval: 'month', count: 1 } }, // ₽299.00 a month
]

const children = new Set()
let stopping = false

/** Runs a server in the foreground's terminal; if it dies on its own, the demo ends too. */
function run(name, args, env) {
  const child = spawn(process.execPath, args, {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL || 'warn', ...env },
  })
  children.add(child)
  child.exited = new Promise((done) => child.once('exit', (code, signal) => done({ code, signal })))
  child.exited.then(({ code, signal }) => {
    children.delete(child)
    if (!stopping) stop(1, `${name} stopped (${signal ?? `exit code ${code}`})`)
  })
  return child
}

async function stop(exitCode, reason) {
  if (stopping) return
  stopping = true
  if (reason) console.error(`demo: ${reason}; stopping`)
  for (const child of children) child.kill('SIGTERM')
  await Promise.all([...children].map((child) => child.exited))
  process.exit(exitCode)
}

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stop(0))

async function waitUntilUp(url, name) {
  for (let started = Date.now(); Date.now() - started < 120_000; ) {
    if (stopping) return
    try {
      if ((await fetch(url)).ok) return
    } catch {}
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`${name} did not start at ${url}`)
}

/** One call to PROTUS's HTTP API; answers status and parsed JSON (null for other bodies). */
async function api(method, path, { body, headers = {}, form } = {}) {
  const response = await fetch(protusUrl + path, {
    method,
    redirect: 'manual',
    headers: {
      accept: 'application/json',
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      ...headers,
    },
    body: body ? JSON.stringify(body) : form ? new URLSearchParams(form).toString() : undefined,
  })
  const text = await response.text()
  let json = null
  try {
    json = JSON.parse(text)
  } catch {}
  return { status: response.status, body: json, headers: response.headers }
}

function expectStatus(answer, what, ...statuses) {
  if (!statuses.includes(answer.status)) {
    throw new Error(`${what}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`)
  }
  return answer.body
}

/** Signs in with a password; answers the headers that authenticate later calls (cookie + CSRF). */
async function signIn({ email, password }, kind) {
  const answer = await api('POST', '/v1/sessions', { body: { email, password, kind } })
  const me = expectStatus(answer, `signing in as ${email}`, 201)
  const cookie = answer.headers.getSetCookie().find((c) => c.startsWith('protus_session='))
  return { cookie: cookie.split(';')[0], 'x-csrf-token': me.csrf_token }
}

const basic = ({ client_id, client_secret }) => ({
  authorization: `Basic ${Buffer.from(`${client_id}:${client_secret}`).toString('base64')}`,
})

async function readCredentials() {
  try {
    return JSON.parse(await readFile(credentialsFile, 'utf8'))
  } catch {
    return null
  }
}

/** Messages' client and webhook secrets: registered once, kept in the data directory. */
async function partnerCredentials() {
  const saved = await readCredentials()
  if (saved && (await api('GET', '/v1/company', { headers: basic(saved) })).status === 200) return saved
  let credentials
  const created = await api('POST', '/v1/companies', { body: COMPANY })
  if (created.status === 201) {
    const { client_id, client_secret, webhook_secret } = created.body
    credentials = { client_id, client_secret, webhook_secret }
  } else {
    // The company exists but its secrets were lost with the file: issue new ones.
    expectStatus(created, 'registering the company', 409)
    const session = await signIn(COMPANY, 'company')
    const rotate = async (secret) =>
      expectStatus(
        await api('POST', `/v1/company/secrets/${secret}/rotate`, { headers: session }),
        `rotating the ${secret}`,
        200,
      )[secret]
    const { client_id } = expectStatus(await api('GET', '/v1/company', { headers: session }), 'company', 200)
    credentials = {
      client_id,
      client_secret: await rotate('client_secret'),
      webhook_secret: await rotate('webhook_secret'),
    }
    console.log('demo: the saved credentials of Messages were missing, so new secrets were issued')
  }
  await writeFile(credentialsFile, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 })
  return credentials
}

/** Where Messages sends people back and receives webhooks, and its services. */
async function configurePartner(credentials) {
  const headers = basic(credentials)
  const settings = {
    redirect_uris: [`${messagesUrl}/auth/protus/callback`],
    webhook_url: `${messagesUrl}/webhooks/protus`,
  }
  expectStatus(await api('PATCH', '/v1/company', { headers, body: settings }), 'company settings', 200)
  const services = expectStatus(
    await api('GET', '/v1/services?active=true&limit=100', { headers }),
    'services',
    200,
  )
  for (const service of SERVICES) {
    if (services.data.some((s) => s.name === service.name)) continue
    const answer = await api('POST', '/v1/services', {
      headers: { ...headers, 'idempotency-key': randomUUID() },
      body: { ...service, currency: 'RUB' },
    })
    expectStatus(answer, `creating the service ${service.name}`, 201)
  }
}

/** The person, with a wallet funded once through the sandbox payment provider. */
async function fundedPerson() {
  const created = await api('POST', '/v1/customers', { body: PERSON })
  expectStatus(created, 'registering the person', 201, 409)
  const session = await signIn(PERSON, 'customer')
  const entries = expectStatus(
    await api('GET', '/v1/me/entries?limit=1', { headers: session }),
    'statement',
    200,
  )
  if (entries.data.length > 0) return
  const topup = expectStatus(
    await api('POST', '/v1/me/topups', {
      headers: { ...session, 'idempotency-key': randomUUID() },
      body: { amount: FUNDING },
    }),
    'opening a top-up',
    201,
  )
  // Pressing "Pay" on the sandbox checkout page.
  await api('POST', new URL(topup.checkout_url).pathname, { form: { outcome: 'succeeded' } })
  const paid = expectStatus(
    await api('GET', `/v1/me/topups/${topup.id}`, { headers: session }),
    'top-up',
    200,
  )
  if (paid.status !== 'succeeded') throw new Error(`the top-up of the person ended ${paid.status}`)
}

/**
 * The demo's key for secrets at rest, kept beside its data: PROTUS needs one given on PostgreSQL,
 * and the demo's data must stay readable from run to run.
 */
async function secretKey() {
  if (process.env.PROTUS_SECRET_KEY) return process.env.PROTUS_SECRET_KEY
  const file = join(dataDir, 'secret.key')
  try {
    return (await readFile(file, 'utf8')).trim()
  } catch (error) {
    if (error.code !== 'ENOENT') throw error
  }
  const key = randomBytes(32).toString('hex')
  await writeFile(file, `${key}\n`, { mode: 0o600 })
  return key
}

async function main() {
  buildIfStale('packages/sdk', 'dist/.tsbuildinfo', ['src', 'package.json', 'tsconfig.build.json'])
  buildIfStale('apps/api', 'dist/.tsbuildinfo', ['src', 'package.json', 'tsconfig.build.json'])
  buildIfStale('apps/web', 'dist/index.html', [
    'src',
    'public',
    'index.html',
    'package.json',
    'vite.config.ts',
  ])
  buildIfStale('examples/messages', 'dist/.tsbuildinfo', ['src', 'package.json', 'tsconfig.build.json'])
  await mkdir(dataDir, { recursive: true })

  run('PROTUS', [join(root, 'apps/api/dist/cli.js'), 'start'], {
    PORT: String(protusPort),
    PROTUS_PUBLIC_URL: protusUrl,
    PROTUS_DATA_DIR: dataDir,
    PROTUS_MODE: 'sandbox',
    PROTUS_SECRET_KEY: await secretKey(),
    PROTUS_WEBHOOK_ALLOW_PRIVATE: '1',
    // Messages' Plans page moves PROTUS's time a month ahead, to show the Pro plan renewing.
    PROTUS_TEST_CLOCK: 'true',
    // Every demo person signs up from this machine's one address.
    PROTUS_REGISTRATIONS_PER_HOUR: '1000',
  })
  await waitUntilUp(`${protusUrl}/readyz`, 'PROTUS')

  const credentials = await partnerCredentials()
  await configurePartner(credentials)
  await fundedPerson()

  run('Messages', [join(root, 'examples/messages/dist/server.js')], {
    PORT: String(messagesPort),
    MESSAGES_PUBLIC_URL: messagesUrl,
    MESSAGES_DATA_DIR: join(dataDir, 'messages'),
    PROTUS_URL: protusUrl,
    PROTUS_CLIENT_ID: credentials.client_id,
    PROTUS_CLIENT_SECRET: credentials.client_secret,
    PROTUS_WEBHOOK_SECRET: credentials.webhook_secret,
  })
  await waitUntilUp(`${messagesUrl}/healthz`, 'Messages')

  const inside = relative(process.cwd(), dataDir)
  const where = inside && !inside.startsWith('..') ? `./${inside}` : dataDir
  console.log(`
PROTUS demo is ready (Ctrl-C stops it; run it again to go on with the same data in ${where})

  PROTUS     ${protusUrl}   ${process.env.DATABASE_URL ? 'on DATABASE_URL' : `PGlite in ${where}`}
  Messages   ${messagesUrl}   the demo partner, an SMS-campaign service

  Person with a PROTUS wallet (₽1,000.00 on the first run):
             ${PERSON.email} / ${PERSON.password}
             at Messages: "Sign in with PROTUS"; at PROTUS: the wallet and Connected services
  Company "Messages" (PROTUS dashboard, sign in as a company):
             ${COMPANY.email} / ${COMPANY.password}
  Direct user: register at ${messagesUrl}/register; Messages keeps their balance at PROTUS,
             add money to it from its Balance page (sandbox checkout: press Pay)
  Pro plan:  ${messagesUrl}/plans subscribes to the monthly "Pro"; "Move the sandbox clock one
             month" there moves PROTUS's sandbox clock, and PROTUS charges the next month
`)
}

main().catch((error) => stop(1, error instanceof Error ? error.message : String(error)))
