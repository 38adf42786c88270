import fc from 'fast-check'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { problemCatalogue } from '../../src/lib/problems.js'
import { buildTestApp } from '../support/app.js'
import { type FakeStripe, startFakeStripe } from '../support/fake-stripe.js'
import {
  type Credential,
  type FuzzRequest,
  fuzzRequests,
  injectOptions,
  type Operation,
  operationsOf,
} from '../support/fuzz-requests.js'
import { connectedPerson } from '../support/grants.js'
import { basic, signIn } from '../support/http.js'
import { newKey } from '../support/money.js'
import { authorizeUrl, consent, formPost, pkce, REDIRECT_URI } from '../support/oauth.js'
import {
  changedTables,
  refusalCounters,
  type TableStates,
  tableStateReader,
} from '../support/table-states.js'

/**
 * Sends every operation of the OpenAPI document generated hostile input with every kind of
 * credentials. Nothing may answer 5xx, every refusal has its documented form, and nothing may
 * change a row: every request that could change state carries a fault that must get it refused.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 1_205_2026)
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 10_000)
const BATCH = 25

/** POSTs that only read, or that RFC 7009 answers 200 for any token: answering 2xx changes nothing. */
const readingPosts = new Set(['POST /oauth/introspect', 'POST /oauth/revoke', 'POST /oauth/userinfo'])

/**
 * Operations no generated request can complete, so they need no extra fault: the token endpoint
 * never gets a valid code or refresh token, payment providers' callbacks are never signed, and the
 * sandbox checkout never gets the id of a payment.
 */
const unreachable = new Set([
  'POST /oauth/token',
  'POST /v1/providers/stripe/webhook',
  'POST /v1/providers/sandbox/events',
  'GET /sandbox/checkout/{paymentId}',
  'POST /sandbox/checkout/{paymentId}',
])

/** Routes the document hides that take input from anyone. */
const hidden: Omit<Operation, 'body'>[] = [
  {
    method: 'GET',
    path: '/sandbox/checkout/{paymentId}',
    pathParams: [{ name: 'paymentId' }],
    query: [],
    form: true,
  },
  {
    method: 'POST',
    path: '/sandbox/checkout/{paymentId}',
    pathParams: [{ name: 'paymentId' }],
    query: [],
    form: true,
  },
  { method: 'POST', path: '/v1/no/such/{route}', pathParams: [{ name: 'route' }], query: [], form: false },
  // Methods the document does not list for a path.
  { method: 'HEAD', path: '/v1/accounts/{id}', pathParams: [{ name: 'id' }], query: [], form: false },
  { method: 'OPTIONS', path: '/v1/charges', pathParams: [], query: [], form: false },
  { method: 'PUT', path: '/v1/holds/{id}', pathParams: [{ name: 'id' }], query: [], form: false },
  // The web app's files and pages, when it is built.
  { method: 'GET', path: '/assets/{file}', pathParams: [{ name: 'file' }], query: [], form: false },
  { method: 'GET', path: '/{page}', pathParams: [{ name: 'page' }], query: [], form: false },
]

const name = (op: Operation) => `${op.method} ${op.path}`

/**
 * What is wrong with the form of a refusal, if anything: the API answers problem+json with a
 * catalogued code, the OAuth endpoints RFC 6749 JSON, the authorization endpoint a page (the
 * sandbox's checkout pages may answer either a page or a problem).
 */
function refusalFormFault(op: Operation, res: LightMyRequestResponse): string | undefined {
  if (res.statusCode < 400 || op.path.startsWith('/sandbox/')) return undefined
  const type = String(res.headers['content-type'])
  if (op.path === '/oauth/authorize') return type.startsWith('text/html') ? undefined : 'is not a page'
  // An answer to HEAD has no body: its type must still be a problem's.
  const problemType = type.startsWith('application/problem+json')
  if (op.method === 'HEAD') return problemType ? undefined : 'is not a problem'
  let body: { code?: unknown; error?: unknown; status?: unknown }
  try {
    body = res.json()
  } catch {
    return 'is not JSON'
  }
  if (op.path.startsWith('/oauth/') || op.path.startsWith('/.well-known/')) {
    return typeof body.error === 'string' ? undefined : 'is not an RFC 6749 error'
  }
  const catalogued = typeof body.code === 'string' && body.code in problemCatalogue
  const problem = problemType && catalogued && body.status === res.statusCode
  return problem ? undefined : 'is not problem+json with a catalogued code'
}
const mayAnswer2xx = (op: Operation) => ['GET', 'HEAD'].includes(op.method) || readingPosts.has(name(op))

let app: FastifyInstance
let stripe: FakeStripe
let credentialHeaders: (c: Credential) => Record<string, string>
let realIds: string[]

/** An access token of a person connected to the partner, through the code flow with PKCE. */
async function accessToken(connected: Awaited<ReturnType<typeof connectedPerson>>) {
  const { verifier, challenge } = pkce()
  const url = authorizeUrl({
    response_type: 'code',
    client_id: connected.partner.clientId,
    redirect_uri: REDIRECT_URI,
    scope: 'check hold charge',
    state: newKey(),
    code_challenge: challenge,
    code_challenge_method: 'S256',
  })
  const back = await consent(app, connected.person.session.headers, url, { allow: true })
  const res = await formPost(
    app,
    '/oauth/token',
    {
      grant_type: 'authorization_code',
      code: back.searchParams.get('code') as string,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
    },
    connected.partner.auth,
  )
  expect(res.statusCode, res.body).toBe(200)
  return res.json().access_token as string
}

/** Rows of every kind the operations name by id, so hostile bodies reach past the lookups. */
async function fixtures(connected: Awaited<ReturnType<typeof connectedPerson>>, company: string) {
  const created = async (res: LightMyRequestResponse) => {
    expect(res.statusCode, res.body).toBeLessThan(300)
    return res.json().id as string
  }
  const { post, accountId, partner, person } = connected
  const patch = await app.inject({
    method: 'PATCH',
    url: '/v1/company',
    headers: { authorization: partner.auth },
    payload: { webhook_url: 'https://partner.example/hooks' },
  })
  expect(patch.statusCode, patch.body).toBe(200)
  const service = await created(await post('/v1/services', { name: 'Fuzzed', price: 100 }))
  const hold = await created(await post('/v1/holds', { account: accountId, amount: 100 }))
  const charge = await created(await post('/v1/charges', { account: accountId, amount: 100 }))
  const managed = await created(await post('/v1/accounts', { external_id: 'fuzz-user' }))
  const topup = await created(await post(`/v1/accounts/${managed}/topups`, { amount: 1000 }))
  const deliveries = await app.inject({
    method: 'GET',
    url: '/v1/webhook-deliveries',
    headers: { authorization: partner.auth },
  })
  const delivery = deliveries.json().data[0]?.id as string
  expect(delivery).toBeTruthy()
  // A sign-in request waiting for consent: a second partner asks the same person.
  const other = await connectedPerson(app, { balance: 0 })
  const pending = await app.inject({
    method: 'GET',
    url: authorizeUrl({
      response_type: 'code',
      client_id: other.partner.clientId,
      redirect_uri: REDIRECT_URI,
      scope: 'check',
      state: newKey(),
      code_challenge: pkce().challenge,
      code_challenge_method: 'S256',
    }),
    headers: { cookie: person.session.cookie },
  })
  expect(pending.headers.location).toMatch(/^\/consent\//)
  const request = (pending.headers.location as string).slice('/consent/'.length)
  return [accountId, managed, service, hold, charge, topup, delivery, request, partner.clientId, company]
}

beforeAll(async () => {
  stripe = await startFakeStripe()
  // Server faults are logged with their stack (only those: everything else is refused quietly).
  // Behind one proxy, so that the client address comes from the (generated) X-Forwarded-For.
  app = await buildTestApp({
    ...stripe.env(),
    PROTUS_SWEEP_INTERVAL_SECONDS: '0',
    // The mail the setup enqueued (verification links) stays as it is: a worker sending it in
    // the middle of the run would look like a write.
    PROTUS_MAIL_WORKER: '0',
    PROTUS_TRUST_PROXY: '1',
    LOG_LEVEL: 'error',
  })
  const connected = await connectedPerson(app)
  const company = await signIn(app, 'company', connected.partner.email, connected.partner.password)
  const token = await accessToken(connected)
  realIds = await fixtures(connected, company.id)
  const person = connected.person.session
  const byCredential: Record<Credential, Record<string, string>> = {
    none: {},
    person: person.headers,
    'person-without-csrf': { cookie: person.cookie },
    company: company.headers,
    partner: { authorization: connected.partner.auth },
    'access-token': { authorization: `Bearer ${token}` },
    'wrong-basic': { authorization: basic(connected.partner.clientId, 'not-the-secret') },
    'wrong-bearer': { authorization: 'Bearer not-a-token' },
    'wrong-cookie': { cookie: 'protus_session=not-a-session', 'x-csrf-token': person.csrf },
  }
  credentialHeaders = (c) => byCredential[c]
})

afterAll(async () => {
  await app?.close()
  await stripe?.stop()
})

describe('the API under generated hostile input', () => {
  it(`answers ${REQUESTS} hostile requests without a 5xx and without changing a row`, async () => {
    const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json()
    const ops = operationsOf(doc, hidden)
    const readStates = await tableStateReader(app)
    const statuses = new Map<number, number>()
    const reached = new Set<string>()
    let sent = 0
    const started = Date.now()
    expect(await app.services.ledger.verify()).toEqual([])
    let states: TableStates = await readStates()
    for (const table of refusalCounters) expect(states.has(table), `table ${table} is gone`).toBe(true)
    const initial = states

    const send = async (request: FuzzRequest) => {
      const op = ops[request.op] as Operation
      const res = await app.inject(injectOptions(op, request, realIds, credentialHeaders))
      sent++
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1)
      reached.add(name(op))
      const form = refusalFormFault(op, res)
      const answered = `${name(op)} answered ${res.statusCode}${form ? `, which ${form}` : ''}: ${res.body.slice(0, 300)}`
      const wrong = res.statusCode >= 500 || (res.statusCode < 300 && !mayAnswer2xx(op)) || form !== undefined
      return { answered: `${answered}\n  to ${fc.stringify(request).slice(0, 600)}`, wrong }
    }
    const needsFault = (op: Operation) => !mayAnswer2xx(op) && !unreachable.has(name(op))
    const property = fc.asyncProperty(
      fc.array(fuzzRequests(ops, realIds, needsFault), { minLength: BATCH, maxLength: BATCH }),
      async (batch) => {
        const answers = await Promise.all(batch.map(send))
        const wrong = answers.filter((a) => a.wrong).map((a) => a.answered)
        const now = await readStates()
        const changed = changedTables(states, now, refusalCounters)
        states = now
        if (wrong.length > 0 || changed.length > 0) {
          // Which request of the batch wrote is not known: then every answer of the batch is shown.
          const shown = wrong.length > 0 ? wrong : answers.map((a) => a.answered)
          failure = JSON.stringify({ changed, wrong: shown }, null, 2)
          throw new Error(failure)
        }
      },
    )
    let failure = ''
    try {
      await fc.assert(property, { seed: SEED, numRuns: Math.ceil(REQUESTS / BATCH), endOnFailure: true })
    } catch (error) {
      // The batch (the counterexample) follows what went wrong, cut short: its bodies can be large.
      const report = (error as Error).message.slice(0, 4000)
      throw new Error(`fuzzing failed; replay with FUZZ_SEED=${SEED}\n${failure}\n${report}`)
    }

    expect(changedTables(initial, await readStates(), refusalCounters)).toEqual([])
    expect(await app.services.ledger.verify()).toEqual([])
    expect(sent).toBeGreaterThanOrEqual(REQUESTS)
    expect([...reached].sort()).toEqual(ops.map(name).sort())
    const histogram = Object.fromEntries([...statuses].sort(([a], [b]) => a - b))
    console.log(
      `fuzz: seed ${SEED}, ${sent} requests to ${ops.length} operations in ${Date.now() - started} ms, ` +
        `statuses ${JSON.stringify(histogram)}`,
    )
  }, 300_000)
})
