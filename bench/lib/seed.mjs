// Test data through the public API, and money the way a completed top-up brings it in.
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

export const basic = (id, secret) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`

export async function post(url, path, body, headers = {}) {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`POST ${path} answered ${res.status}: ${text}`)
  return JSON.parse(text)
}

/** Runs `task(i)` for i in [0, count) with at most `width` at a time. */
export async function inParallel(count, width, task) {
  const results = new Array(count)
  let next = 0
  const worker = async () => {
    while (next < count) {
      const i = next++
      results[i] = await task(i)
    }
  }
  await Promise.all(Array.from({ length: Math.min(width, count) }, worker))
  return results
}

/**
 * A company registered with `POST /v1/companies` (`label` in its name) and its settings changed
 * with `PATCH /v1/company`; answers the company and its Basic authorization.
 */
export async function settledCompany(url, label, settings) {
  const tag = randomBytes(4).toString('hex')
  const company = await post(url, '/v1/companies', {
    email: `bench-${label}-${tag}@example.com`,
    name: `Bench ${label} ${tag}`,
    password: 'bench company password',
  })
  const auth = basic(company.client_id, company.client_secret)
  const res = await fetch(`${url}/v1/company`, {
    method: 'PATCH',
    headers: { authorization: auth, 'content-type': 'application/json' },
    body: JSON.stringify(settings),
  })
  if (!res.ok) throw new Error(`PATCH /v1/company answered ${res.status}: ${await res.text()}`)
  return { company, auth }
}

/**
 * A partner company (`POST /v1/companies`) with `count` managed accounts and one more, the hot
 * account (`POST /v1/accounts`), all over HTTP.
 */
export async function seedPartner(url, count) {
  const tag = randomBytes(4).toString('hex')
  const company = await post(url, '/v1/companies', {
    email: `bench-${tag}@example.com`,
    name: `Bench ${tag}`,
    password: 'bench company password',
  })
  const auth = basic(company.client_id, company.client_secret)
  const ids = await inParallel(count + 1, 16, async (i) => {
    const account = await post(
      url,
      '/v1/accounts',
      { external_id: `bench-user-${i}` },
      { authorization: auth, 'idempotency-key': `bench-account-${tag}-${i}` },
    )
    return account.id
  })
  return { companyId: company.id, auth, accounts: ids.slice(0, count), hot: ids[count] }
}

/** Wraps a PROTUS database so that every round trip to PostgreSQL is written down. */
function recording(db) {
  const trips = []
  const note = (sql) => trips.push(sql.replace(/\s+/g, ' ').trim().slice(0, 90))
  const wrap = (q) => ({
    query(sql, params) {
      note(sql)
      return q.query(sql, params)
    },
    exec(sql) {
      note(sql)
      return q.exec(sql)
    },
  })
  return {
    trips,
    db: {
      driver: db.driver,
      ...wrap(db),
      transaction(fn) {
        note('BEGIN')
        return db.transaction(async (tx) => {
          const result = await fn(wrap(tx))
          note('COMMIT')
          return result
        })
      },
      listen: (channel, listener) => db.listen(channel, listener),
      close: () => db.close(),
    },
  }
}

/**
 * Funds the wallets from the sandbox funding account in one transaction, through the ledger
 * service of an in-process PROTUS on the same database (the way test/support/money.ts does), and
 * counts the database round trips of one charge, one hold and one capture, each on its own.
 */
export async function fundAndCountTrips({ root, databaseUrl, secretKey, partner, perAccount, hotAmount }) {
  const dist = (file) => import(pathToFileURL(join(root, 'apps/api/dist', file)).href)
  const [{ buildApp }, { loadConfig }, { openDatabase }, { newId }] = await Promise.all([
    dist('app.js'),
    dist('config.js'),
    dist('db/open.js'),
    dist('lib/ids.js'),
  ])
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    PROTUS_DB_POOL_SIZE: '4',
    PROTUS_SECRET_KEY: secretKey,
    PROTUS_MODE: 'sandbox',
    PROTUS_MIGRATE_ON_START: 'true',
    PROTUS_SWEEP_INTERVAL_SECONDS: '0',
    // The counts are the requests' own: no worker's claims among them.
    PROTUS_WEBHOOK_WORKER: '0',
    PROTUS_MAIL_WORKER: '0',
    LOG_LEVEL: 'warn',
  })
  const { db, trips } = recording(await openDatabase(config))
  const app = await buildApp(config, { db })
  try {
    await app.ready()
    const { ledger } = app.services
    const funding = await ledger.fundingAccount('sandbox', 'RUB')
    const owners = [
      ...partner.accounts.map((id) => [id, BigInt(perAccount)]),
      [partner.hot, BigInt(hotAmount)],
    ]
    const wallets = await Promise.all(owners.map(([id]) => ledger.walletOf(id, 'RUB')))
    await db.transaction(async (tx) => {
      for (const [i, [owner, amount]] of owners.entries()) {
        const wallet = wallets[i]
        if (wallet === undefined) throw new Error(`no wallet for ${owner}`)
        const result = await ledger.transfer(tx, {
          id: newId('top'),
          kind: 'posted',
          debit: funding,
          credit: wallet,
          amount,
        })
        if (result.result !== 'ok') throw new Error(`funding ${owner} failed: ${JSON.stringify(result)}`)
      }
    })
    return await countTrips(app, trips, partner)
  } finally {
    await app.close()
    await db.close()
  }
}

async function countTrips(app, trips, partner) {
  let n = 0
  const inject = async (url, payload) => {
    const res = await app.inject({
      method: 'POST',
      url,
      headers: { authorization: partner.auth, 'idempotency-key': `bench-trips-${++n}` },
      payload,
    })
    if (res.statusCode >= 300) throw new Error(`${url} answered ${res.statusCode}: ${res.body}`)
    return res.json()
  }
  const measure = async (label, fn) => {
    trips.length = 0
    const result = await fn()
    return { label, result, trips: [...trips] }
  }
  const account = partner.accounts[0]
  // A first charge fills the per-process caches (the partner's revenue account).
  await inject('/v1/charges', { account, amount: 1 })
  const charge = await measure('POST /v1/charges', () => inject('/v1/charges', { account, amount: 1 }))
  const hold = await measure('POST /v1/holds', () => inject('/v1/holds', { account, amount: 1 }))
  const capture = await measure('POST /v1/holds/{id}/capture', () =>
    inject(`/v1/holds/${hold.result.id}/capture`, {}),
  )
  return [charge, hold, capture].map(({ label, trips: list }) => ({
    label,
    count: list.length,
    statements: list,
  }))
}

/**
 * The database round trips of one introspection and one refresh (its rotation), each on its own,
 * on an in-process PROTUS on the same database; each is sent twice and the second counted, so
 * per-process caches (client credentials) are warm as they are under load.
 */
export async function countOauthTrips({ root, databaseUrl, secretKey, auth, accessToken, refreshToken }) {
  const dist = (file) => import(pathToFileURL(join(root, 'apps/api/dist', file)).href)
  const [{ buildApp }, { loadConfig }, { openDatabase }] = await Promise.all([
    dist('app.js'),
    dist('config.js'),
    dist('db/open.js'),
  ])
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    PROTUS_DB_POOL_SIZE: '4',
    PROTUS_SECRET_KEY: secretKey,
    PROTUS_MODE: 'sandbox',
    PROTUS_SWEEP_INTERVAL_SECONDS: '0',
    // The counts are the requests' own: no worker's claims among them.
    PROTUS_WEBHOOK_WORKER: '0',
    PROTUS_MAIL_WORKER: '0',
    LOG_LEVEL: 'warn',
  })
  const { db, trips } = recording(await openDatabase(config))
  const app = await buildApp(config, { db })
  try {
    await app.ready()
    const form = async (url, payload) => {
      const res = await app.inject({
        method: 'POST',
        url,
        headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams(payload).toString(),
      })
      if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}: ${res.body}`)
      return res.json()
    }
    const measure = async (label, fn) => {
      trips.length = 0
      const result = await fn()
      return { label, count: trips.length, statements: [...trips], result }
    }
    await form('/oauth/introspect', { token: accessToken })
    const introspection = await measure('POST /oauth/introspect', () =>
      form('/oauth/introspect', { token: accessToken }),
    )
    const first = await form('/oauth/token', { grant_type: 'refresh_token', refresh_token: refreshToken })
    const refresh = await measure('POST /oauth/token (grant_type=refresh_token)', () =>
      form('/oauth/token', { grant_type: 'refresh_token', refresh_token: first.refresh_token }),
    )
    return [introspection, refresh].map(({ label, count, statements }) => ({ label, count, statements }))
  } finally {
    await app.close()
    await db.close()
  }
}
