// The wire format is written once, in the server's route schemas. This builds the server's OpenAPI
// document from the built API (without listening) and generates from it the types the SDK and the
// web app share:
//   packages/sdk/openapi.json            the document, for partners too
//   packages/sdk/src/generated/wire.ts   its TypeScript types, the event types and problem codes
// `--check` generates into memory and fails when the committed files differ (npm run typecheck).
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import openapiTS, { astToString } from 'openapi-typescript'

const root = resolve(import.meta.dirname, '..')
const apiDist = join(root, 'apps/api/dist')
const documentPath = join(root, 'packages/sdk/openapi.json')
const wirePath = join(root, 'packages/sdk/src/generated/wire.ts')

// Every route answers in the document: Stripe is configured (pointing nowhere) so its webhook
// route exists, the sandbox clock is on so its routes exist, and the database is an in-memory
// PGlite that vanishes with the process.
const environment = {
  PROTUS_DATA_DIR: ':memory:',
  PROTUS_MODE: 'sandbox',
  LOG_LEVEL: 'silent',
  PROTUS_STRIPE_SECRET_KEY: 'sk_test_generate',
  PROTUS_STRIPE_WEBHOOK_SECRET: 'whsec_generate',
  PROTUS_STRIPE_API_BASE: 'http://127.0.0.1:9',
  PROTUS_WEBHOOK_WORKER: 'false',
  PROTUS_SWEEP_INTERVAL_SECONDS: '0',
  PROTUS_TEST_CLOCK: 'true',
}

async function openapiDocument() {
  if (!existsSync(join(apiDist, 'app.js'))) {
    throw new Error('apps/api is not built: run npm run build -w apps/api first')
  }
  const { buildApp } = await import(pathToFileURL(join(apiDist, 'app.js')).href)
  const { loadConfig } = await import(pathToFileURL(join(apiDist, 'config.js')).href)
  const app = await buildApp(loadConfig(environment))
  try {
    await app.ready()
    const document = structuredClone(app.swagger())
    // Routes and components in name order, so the output does not follow registration order.
    document.paths = sortedByKey(document.paths)
    document.components.schemas = sortedByKey(document.components.schemas)
    return document
  } finally {
    await app.close()
  }
}

const sortedByKey = (object) =>
  Object.fromEntries(Object.entries(object).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))

/** The codes of the Problem schema: a union of single-value enums, in the catalogue's order. */
function problemCodesOf(document) {
  const code = document.components.schemas.Problem?.properties?.code
  const codes = (code?.anyOf ?? []).map((member) => member.const ?? member.enum?.[0])
  if (codes.length === 0 || codes.some((c) => typeof c !== 'string')) {
    throw new Error('the Problem schema has no list of codes')
  }
  return codes
}

const constList = (name, doc, values) =>
  `/** ${doc} */\nexport const ${name} = ${JSON.stringify(values)} as const\n`

async function wireTypes(document) {
  const types = astToString(await openapiTS(document))
  return [
    '/**',
    " * The PROTUS API's objects as they come over the wire, generated from packages/sdk/openapi.json",
    " * (the server's OpenAPI document) by scripts/generate-wire-types.mjs. Do not edit: change the",
    " * server's schemas and run `npm run generate`.",
    ' */',
    '/* biome-ignore-all lint: generated code */',
    '',
    types,
    constList(
      'webhookEventTypes',
      'Every event type PROTUS sends, as the server lists them.',
      Object.keys(document.webhooks),
    ),
    constList('problemCodes', "Every problem code of the server's catalogue.", problemCodesOf(document)),
  ].join('\n')
}

/** Formats as `npm run lint` expects, so the committed files pass it unchanged. */
function formatted(path, text) {
  const biome = join(root, 'node_modules/.bin/biome')
  const result = spawnSync(biome, ['format', `--stdin-file-path=${relative(root, path)}`], {
    cwd: root,
    input: text,
    encoding: 'utf8',
  })
  if (result.status !== 0) throw new Error(`biome could not format ${path}:\n${result.stderr}`)
  return result.stdout
}

const document = await openapiDocument()
const outputs = [
  [documentPath, formatted(documentPath, `${JSON.stringify(document, null, 2)}\n`)],
  [wirePath, formatted(wirePath, await wireTypes(document))],
]

if (process.argv.includes('--check')) {
  const stale = outputs.filter(([path, text]) => !existsSync(path) || readFileSync(path, 'utf8') !== text)
  if (stale.length > 0) {
    console.error(
      `wire types are stale: run npm run generate (${stale.map(([path]) => relative(root, path)).join(', ')} differ from the server's schemas)`,
    )
    process.exit(1)
  }
  console.log('wire types are up to date')
} else {
  for (const [path, text] of outputs) {
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, text)
    console.log(`wrote ${relative(root, path)}`)
  }
}
