// The yardstick for PROTUS's OAuth rows: oidc-provider on 127.0.0.1, set up like PROTUS's
// authorization server: one confidential client (client_secret_basic), authorization code with
// PKCE S256, opaque access tokens living 10 minutes, refresh tokens with rotation (a used one
// presented again revokes the grant), introspection (RFC 7662) and revocation.
//
// Started by `npm run bench` as a process of its own, like `protus start`. Settings (env):
//   PORT, HOST                 where to listen (127.0.0.1)
//   OIDC_STORE                 memory | postgres (see lib/oidc-adapters.mjs)
//   DATABASE_URL               the database for OIDC_STORE=postgres
//   OIDC_POOL_SIZE             its connection pool (20, as PROTUS's default)
//   BENCH_GRANTS               how many grants to mint at start (one person each)
//   BENCH_TOKENS_FILE          where to write their tokens: JSON {client, tokens: [{access_token, refresh_token}]}
// Tokens are minted through the provider's own flow: the Grant and the AuthorizationCode (what
// the consent interaction would have stored) are made with its Provider API, then each code is
// exchanged at its token endpoint over HTTP with the code_verifier.
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto'
import { renameSync, writeFileSync } from 'node:fs'
import Provider from 'oidc-provider'
import { memoryAdapter, postgresAdapter } from './lib/oidc-adapters.mjs'

const host = process.env.HOST || '127.0.0.1'
const port = Number(process.env.PORT || 4100)
const store = process.env.OIDC_STORE || 'memory'
const issuer = `http://${host}:${port}`
const client = {
  client_id: 'bench-partner',
  client_secret: randomBytes(32).toString('base64url'),
  redirect_uris: ['https://messages.example/auth/protus/callback'],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_basic',
}
const SCOPES = ['check', 'hold', 'charge', 'profile', 'email']

let storage
if (store === 'postgres') {
  if (!process.env.DATABASE_URL) throw new Error('OIDC_STORE=postgres needs DATABASE_URL')
  storage = await postgresAdapter(process.env.DATABASE_URL, Number(process.env.OIDC_POOL_SIZE || 20))
} else if (store === 'memory') {
  storage = { Adapter: memoryAdapter(), close: async () => {} }
} else {
  throw new Error(`OIDC_STORE must be memory or postgres, got "${store}"`)
}

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
const provider = new Provider(issuer, {
  adapter: storage.Adapter,
  clients: [client],
  scopes: SCOPES,
  claims: { profile: ['preferred_username'], email: ['email'] },
  findAccount: (_ctx, id) => ({ accountId: id, claims: () => ({ sub: id }) }),
  jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), use: 'sig', alg: 'RS256' }] },
  cookies: { keys: [randomBytes(32).toString('base64url')] },
  features: {
    devInteractions: { enabled: false },
    introspection: { enabled: true },
    revocation: { enabled: true },
  },
  pkce: { methods: ['S256'], required: () => true },
  // As PROTUS: every code exchange issues a refresh token, and every refresh rotates it.
  issueRefreshToken: async (_ctx, c) => c.grantTypeAllowed('refresh_token'),
  rotateRefreshToken: true,
  ttl: { AccessToken: 600, AuthorizationCode: 60, RefreshToken: 30 * 86_400, Grant: 30 * 86_400 },
})

const server = provider.listen(port, host)
await new Promise((resolve, reject) => {
  server.once('listening', resolve)
  server.once('error', reject)
})

async function mint(i) {
  const accountId = `acct_bench_${i}`
  const grant = new provider.Grant({ accountId, clientId: client.client_id })
  grant.addOIDCScope('check charge')
  const grantId = await grant.save()
  const verifier = randomBytes(32).toString('base64url')
  const code = await new provider.AuthorizationCode({
    accountId,
    grantId,
    client: await provider.Client.find(client.client_id),
    scope: 'check charge',
    redirectUri: client.redirect_uris[0],
    codeChallenge: createHash('sha256').update(verifier).digest('base64url'),
    codeChallengeMethod: 'S256',
    authTime: Math.floor(Date.now() / 1000),
  }).save()
  const res = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: client.redirect_uris[0],
      code_verifier: verifier,
    }),
  })
  const body = await res.json()
  if (!res.ok || !body.refresh_token)
    throw new Error(`the code exchange answered ${res.status}: ${JSON.stringify(body)}`)
  return { access_token: body.access_token, refresh_token: body.refresh_token }
}

const grants = Number(process.env.BENCH_GRANTS || 0)
const tokens = []
for (let i = 0; i < grants; i += 16) {
  const batch = Array.from({ length: Math.min(16, grants - i) }, (_, j) => mint(i + j))
  tokens.push(...(await Promise.all(batch)))
}
if (process.env.BENCH_TOKENS_FILE) {
  const file = process.env.BENCH_TOKENS_FILE
  writeFileSync(
    `${file}.tmp`,
    JSON.stringify({ client: { id: client.client_id, secret: client.client_secret }, tokens }),
  )
  renameSync(`${file}.tmp`, file)
}
console.log(`oidc-provider (${store}) listening on ${issuer}; ${tokens.length} grants minted`)

const stop = () => server.close(() => storage.close().then(() => process.exit(0)))
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
