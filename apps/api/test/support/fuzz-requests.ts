import { Ajv, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import fc from 'fast-check'
import { findUnstorable } from '../../src/lib/text.js'

/**
 * Generated hostile requests for every operation of the OpenAPI document. A request is data
 * (printable when a run fails, the same for a seed); `injectOptions` turns it into a request.
 */

/** A long run of one character, printed by its length. */
export class Long {
  constructor(
    readonly length: number,
    readonly char = 'x',
  ) {}
  toJSON(): string {
    return this.char.repeat(this.length)
  }
  toString(): string {
    return this.toJSON()
  }
  [fc.toStringMethod](): string {
    return `Long(${this.length})`
  }
}
type Text = string | Long
const text = (t: Text) => (typeof t === 'string' ? t : t.toJSON())

export type Credential =
  | 'none'
  | 'person'
  | 'person-without-csrf'
  | 'company'
  | 'partner'
  | 'access-token'
  | 'wrong-basic'
  | 'wrong-bearer'
  | 'wrong-cookie'
const credentials: Credential[] = [
  'none',
  'person',
  'person-without-csrf',
  'company',
  'partner',
  'access-token',
  'wrong-basic',
  'wrong-bearer',
  'wrong-cookie',
]

export interface Operation {
  method: string
  path: string
  /** Path parameters, each with the validator of its schema when the document gives one. */
  pathParams: { name: string; validate?: ValidateFunction }[]
  query: { name: string; schema: Schema }[]
  /** The JSON request body's schema and its validator (Ajv as the server configures it). */
  body?: { schema: Schema; validate: ValidateFunction }
  /** Reads application/x-www-form-urlencoded (the OAuth endpoints, the sandbox checkout form). */
  form: boolean
}

type PathValue = { real: number } | { junk: Text }
type Body =
  | { kind: 'none' }
  | { kind: 'json'; value: unknown; contentType?: string }
  | { kind: 'raw'; text: Text; contentType?: string }
  | { kind: 'oversize' }

export interface FuzzRequest {
  op: number
  credential: Credential
  path: PathValue[]
  query: [Text, Text][]
  headers: [string, Text][]
  body: Body
}

// biome-ignore lint/suspicious/noExplicitAny: JSON Schema as the OpenAPI document gives it
type Schema = Record<string, any>

/** The operations of an OpenAPI document (plus routes it hides), with validators for JSON bodies. */
export function operationsOf(doc: Schema, hidden: Omit<Operation, 'body'>[] = []): Operation[] {
  const ajv = new Ajv({ allErrors: false, coerceTypes: false, useDefaults: true, strict: false })
  addFormats.default(ajv)
  ajv.addSchema({ $id: 'doc', components: doc.components })
  const ops: Operation[] = [...hidden]
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, Schema>>)) {
    for (const [method, op] of Object.entries(item)) {
      const params = (op.parameters ?? []) as { in: string; name: string; schema: Schema }[]
      const content = op.requestBody?.content ?? {}
      const json = content['application/json']?.schema
      const schema =
        json && JSON.parse(JSON.stringify(json).replaceAll('"#/components/', '"doc#/components/'))
      ops.push({
        method: method.toUpperCase(),
        path,
        pathParams: params
          .filter((p) => p.in === 'path')
          .map((p) => ({ name: p.name, validate: ajv.compile(p.schema) })),
        query: params.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema })),
        form: 'application/x-www-form-urlencoded' in content,
        ...(schema ? { body: { schema, validate: ajv.compile(schema) } } : {}),
      })
    }
  }
  return ops
}

// Values no field accepts as they are, or that test the edges of those that do.
const nasty = {
  // Long strings are few: each costs milliseconds to send, parse and check.
  string: fc.oneof(
    {
      weight: 4,
      arbitrary: fc.constantFrom('\u0000', 'a\u0000b', '\ud800', 'x\udfff', '\udfff\ud800', '', ' '),
    },
    {
      weight: 3,
      arbitrary: fc.constantFrom("' OR 1=1 --", '<script>', '../../etc/passwd', '😀', '\r\n', '{{x}}'),
    },
    { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
    { weight: 1, arbitrary: fc.constantFrom(new Long(1_000_000), new Long(10_000, 'é')) },
  ),
  number: fc.oneof(
    fc.constantFrom(-1, 0, 0.5, -0.000001, 2 ** 53, 2 ** 63, -(2 ** 63), 1e308, -1e308),
    fc.constantFrom(Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 1_000_000_000_001),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
  ),
}
const junkKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', '', 'a\u0000', '\ud800', 'id', 'x'.repeat(300)),
  fc.string({ maxLength: 10 }),
)
const junkValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    nasty.string,
    nasty.number,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(junkKey, tie('value'), { maxKeys: 3 }),
  ),
})).value

const plainString = (schema: Schema) =>
  fc.string({
    minLength: schema.minLength ?? 0,
    maxLength: Math.max(schema.minLength ?? 0, Math.min(schema.maxLength ?? 20, 20)),
  })

/**
 * Values that fit the schema, most of the time (patterns, formats and bounds respected); strings
 * are sometimes the id of a row, so that a body can pass the lookups.
 */
function fitting(schema: Schema, ids: readonly string[]): fc.Arbitrary<unknown> {
  const options = schema.anyOf ?? schema.oneOf
  if (options) return fc.oneof(...(options as Schema[]).map((option) => fitting(option, ids)))
  if (schema.enum) return fc.constantFrom(...(schema.enum as unknown[]))
  if (schema.const !== undefined) return fc.constant(schema.const)
  switch (schema.type) {
    case 'string':
      if (schema.format === 'email') return fc.constantFrom('fuzz@example.com', 'a@b.co')
      if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern), { size: 'xsmall' })
      return ids.length > 0 ? fc.oneof(fc.constantFrom(...ids), plainString(schema)) : plainString(schema)
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1000, max: Math.min(schema.maximum ?? 1000, 2 ** 31 - 1) })
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true })
    case 'boolean':
      return fc.boolean()
    case 'null':
      return fc.constant(null)
    case 'array':
      return fc.array(fitting(schema.items ?? {}, ids), { maxLength: 3 })
    case 'object':
      return objectOf(schema, ids)
    default:
      return junkValue
  }
}

/** An object for `schema`: any subset of its fields, each fitting or hostile, sometimes more fields. */
function objectOf(schema: Schema, ids: readonly string[]): fc.Arbitrary<unknown> {
  const properties = Object.entries((schema.properties ?? {}) as Record<string, Schema>)
  const fields = Object.fromEntries(
    properties.map(([name, field]) => [
      name,
      fc.oneof({ weight: 3, arbitrary: fitting(field, ids) }, { weight: 1, arbitrary: junkValue }),
    ]),
  )
  const free =
    typeof schema.additionalProperties === 'object'
      ? fc.dictionary(
          fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), junkKey),
          fc.oneof(fitting(schema.additionalProperties, ids), junkValue),
          { maxKeys: 4 },
        )
      : fc.option(fc.dictionary(junkKey, junkValue, { minKeys: 1, maxKeys: 2 }), { freq: 4, nil: {} })
  return fc
    .tuple(fc.record(fields, { requiredKeys: [] }), free)
    .map(([known, extra]) => ({ ...(extra as object), ...known }))
}

/** Bodies that are not JSON a route reads: broken syntax, other types, poisoned prototypes. */
const brokenJson = fc.oneof(
  fc.constantFrom(
    '{',
    '{"a":',
    '[1,2',
    '{"a":1}}',
    "{'a':1}",
    '{"a":1,}',
    'nul',
    'NaN',
    '\u0000',
    '{"a":"\u0000"}',
  ),
  fc.constantFrom('{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}', '\ufeff{}'),
  fc.constantFrom(
    '1e400',
    '-0',
    '"text"',
    '[]',
    'null',
    'true',
    '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]',
  ),
  fc.constant(new Long(400_000, '[')),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }).map((s) => `{"a":"${s}`),
)
const otherContentTypes = fc.constantFrom(
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'Application/JSON',
  'text/plain',
  'application/xml',
  'multipart/form-data; boundary=x',
  'application/x-www-form-urlencoded',
  'application/jsonx',
  'application/octet-stream',
  'text/html; charset=utf-8',
  '',
)

const encodedSegment = fc.oneof(
  fc.constantFrom(
    '%00',
    'a%00b',
    '%ED%A0%80',
    '%C0%80',
    '%FF',
    '%',
    '%zz',
    '..',
    '%2e%2e%2f',
    '%20',
    '-1',
    '0',
  ),
  fc.constantFrom(
    'acct_00000000000000000000000000',
    'hold_zzzzzzzzzzzzzzzzzzzzzzzzzz',
    'ch_',
    'null',
    '1e308',
  ),
  fc.constantFrom(
    '__proto__',
    'constructor',
    '%E2%80%AE',
    '%F0%9F%98%80',
    "'--",
    'x'.repeat(70),
    'x'.repeat(101),
  ),
  fc.string({ minLength: 1, maxLength: 12 }).map(encodeURIComponent),
)

const headerValue: fc.Arbitrary<Text> = fc.oneof(
  { weight: 2, arbitrary: fc.uuid() },
  {
    // Client addresses, for X-Forwarded-For behind a trusted proxy: odd forms of IPv4 and IPv6, and not addresses.
    weight: 2,
    arbitrary: fc.constantFrom(
      '1.2.3.4',
      '::1',
      '2001:db8::1%eth0',
      '::ffff:10.0.0.1',
      '1.2.3.4, ::1',
      '[::1]:80',
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('999.1.1.1', 'unknown', ':::::', '2001:db8:::1', '1.2.3.4.5', '::ffff:'),
  },
  { weight: 3, arbitrary: fc.constantFrom('k\u0000', '\ud800', '', ' ', 'x\udfff', 'Bearer', 'Basic AAAA') },
  { weight: 1, arbitrary: fc.constant(new Long(10_000)) },
  { weight: 2, arbitrary: fc.string({ maxLength: 20 }) },
)
const headerName = fc.constantFrom(
  'idempotency-key',
  'x-csrf-token',
  'x-request-id',
  'accept',
  'x-forwarded-for',
  'x-forwarded-proto',
  'stripe-signature',
  'x-sandbox-signature',
  'cookie',
  'authorization',
  'origin',
)

function requestOf(op: Operation, index: number, ids: readonly string[]): fc.Arbitrary<FuzzRequest> {
  const pathValue: fc.Arbitrary<PathValue> = fc.oneof(
    fc.integer({ min: 0, max: ids.length - 1 }).map((real) => ({ real })),
    encodedSegment.map((junk) => ({ junk })),
  )
  const queryName = fc.oneof(
    ...(op.query.length > 0 ? [fc.constantFrom(...op.query.map((q) => q.name))] : []),
    fc.constantFrom('limit', 'starting_after', 'client_id', 'x', '__proto__'),
  )
  const queryValue = fc.oneof({ weight: 8, arbitrary: encodedSegment }, fc.constant(new Long(100_000)))
  const jsonBody: fc.Arbitrary<Body> = (op.body ? objectOf(op.body.schema, ids) : junkValue).map((value) => ({
    kind: 'json',
    value,
  }))
  const formBody: fc.Arbitrary<Body> = fc
    .array(
      fc.tuple(fc.constantFrom('grant_type', 'code', 'token', 'client_id', 'outcome', 'x'), encodedSegment),
    )
    .map((pairs) => ({
      kind: 'raw',
      text: pairs.map(([k, v]) => `${k}=${v}`).join('&'),
      contentType: 'application/x-www-form-urlencoded',
    }))
  const body: fc.Arbitrary<Body> = fc.oneof(
    { weight: 6, arbitrary: op.form ? formBody : jsonBody },
    { weight: 1, arbitrary: fc.constant({ kind: 'none' } as Body) },
    {
      weight: 2,
      arbitrary: brokenJson.map((t): Body => ({ kind: 'raw', text: t, contentType: 'application/json' })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.oneof(jsonBody, formBody), otherContentTypes)
        .map(([b, contentType]): Body => ({ ...b, contentType }) as Body),
    },
    { weight: 1, arbitrary: fc.constant({ kind: 'oversize' } as Body) },
  )
  return fc.record({
    op: fc.constant(index),
    credential: fc.constantFrom(...credentials),
    path: fc.tuple(...op.pathParams.map(() => pathValue)),
    query: fc.array(fc.tuple(queryName, queryValue), { maxLength: 3 }),
    headers: fc.array(fc.tuple(headerName, headerValue), { maxLength: 2 }),
    body: ['GET', 'HEAD'].includes(op.method) ? fc.constant({ kind: 'none' } as Body) : body,
  })
}

const jsonOf = (value: unknown) => JSON.stringify(value)

/** What Fastify's JSON parser refuses as PROTUS configures it: keys that could poison a prototype. */
function poisoned(value: unknown): boolean {
  const stack = [value]
  while (stack.length > 0) {
    const next = stack.pop()
    if (typeof next !== 'object' || next === null) continue
    if (Object.hasOwn(next, '__proto__')) return true
    const made = Object.hasOwn(next, 'constructor')
      ? (next as { constructor: unknown }).constructor
      : undefined
    if (typeof made === 'object' && made !== null && Object.hasOwn(made, 'prototype')) return true
    stack.push(...Object.values(next))
  }
  return false
}

/** Whether a JSON text sent as `application/json` is refused: unreadable, or refused as a value. */
function jsonTextRefused(op: Operation, sent: string): boolean {
  if (sent.trim() === '') return false
  let value: unknown
  try {
    value = JSON.parse(sent.replace(/^\ufeff/, ''))
  } catch {
    return true
  }
  if (poisoned(value) || findUnstorable(value).length > 0) return true
  return op.body ? !op.body.validate(value) : false
}

/**
 * Whether a body is refused by a JSON route: unreadable, another content type, too large, or a
 * value the operation's schema refuses or that holds text that cannot be stored.
 */
function bodyRefused(op: Operation, body: Body): boolean {
  if (body.kind === 'none') return false
  if (body.kind === 'oversize') return true
  const sent = body.kind === 'json' ? jsonOf(body.value) : text(body.text)
  const contentType =
    body.contentType === undefined ? 'application/json' : body.contentType.split(';')[0]?.trim().toLowerCase()
  if (sent.length > 0 && contentType !== 'application/json') return true
  return jsonTextRefused(op, sent)
}

/**
 * Whether a path segment is refused before the route runs: not UTF-8 once decoded, text that cannot
 * be stored, or outside the parameter's schema. Any other id that names nothing is not enough: a
 * money route answers 404 for it as a decided refusal, saved under the idempotency key.
 */
function segmentRefused(op: Operation, index: number, segment: string): boolean {
  let decoded: string
  try {
    decoded = decodeURIComponent(segment)
  } catch {
    return true
  }
  if (findUnstorable(decoded).length > 0) return true
  const validate = op.pathParams[index]?.validate
  return validate ? !validate(decoded) : false
}

/**
 * Whether the request is refused before it can have any effect, whatever the credentials: a body
 * the route cannot read or the schema refuses, a path segment refused as above, or text that
 * cannot be stored in a header or the query.
 */
export function refusedForSure(op: Operation, request: FuzzRequest): boolean {
  if (request.path.some((p, i) => 'junk' in p && segmentRefused(op, i, text(p.junk)))) return true
  // A header given twice is sent with its last value.
  const headers = new Map(request.headers)
  if ([...headers.values()].some((v) => findUnstorable(text(v)).length > 0)) return true
  if (request.query.some(([k, v]) => `${text(k)}=${text(v)}`.includes('%00'))) return true
  return bodyRefused(op, request.body)
}

/** One of the faults that make any request refused, for requests that were generated without one. */
const forcedFault = fc.oneof(
  fc.constant(
    (r: FuzzRequest): FuzzRequest => ({ ...r, headers: [...r.headers, ['idempotency-key', 'k\u0000']] }),
  ),
  fc.constant((r: FuzzRequest): FuzzRequest => ({ ...r, query: [...r.query, ['q', 'a%00']] })),
  fc.constant((r: FuzzRequest): FuzzRequest => ({ ...r, body: { kind: 'oversize' } })),
  brokenJson.map(
    (t) =>
      (r: FuzzRequest): FuzzRequest => ({
        ...r,
        body: { kind: 'raw', text: t, contentType: 'application/json' },
      }),
  ),
  fc.constant(
    (r: FuzzRequest): FuzzRequest => ({
      ...r,
      body: { kind: 'raw', text: 'a=1', contentType: 'text/plain' },
    }),
  ),
  fc.constant((r: FuzzRequest): FuzzRequest => ({ ...r, path: r.path.map(() => ({ junk: 'acct_%00' })) })),
)

/**
 * Hostile requests for the operations. Those that may change state always carry a fault that
 * gets them refused, so an answer 2xx there means the server took bad input.
 */
export function fuzzRequests(
  ops: Operation[],
  ids: readonly string[],
  needsFault: (op: Operation) => boolean,
) {
  return fc.oneof(...ops.map((op, index) => requestOf(op, index, ids))).chain((request) => {
    const op = ops[request.op] as Operation
    if (!needsFault(op) || refusedForSure(op, request)) return fc.constant(request)
    return forcedFault.map((fault) => fault(request)).filter((r) => refusedForSure(op, r))
  })
}

/** The injected request: the operation's path with its values, the query, headers and body. */
export function injectOptions(
  op: Operation,
  request: FuzzRequest,
  realIds: readonly string[],
  credentialHeaders: (c: Credential) => Record<string, string>,
) {
  let index = 0
  const path = op.path.replace(/\{[^}]+\}/g, () => {
    const value = request.path[index++] as PathValue
    return 'real' in value ? (realIds[value.real] as string) : text(value.junk)
  })
  const query = request.query.map(([k, v]) => `${text(k)}=${text(v)}`).join('&')
  const headers: Record<string, string> = { ...credentialHeaders(request.credential) }
  for (const [name, value] of request.headers) headers[name] = text(value)
  let payload: string | undefined
  const body = request.body
  if (body.kind === 'json') payload = jsonOf(body.value)
  if (body.kind === 'raw') payload = text(body.text)
  if (body.kind === 'oversize') payload = jsonOf({ a: 'x'.repeat(1024 * 1024 + 10) })
  if (payload !== undefined) {
    const contentType = 'contentType' in body ? body.contentType : 'application/json'
    headers['content-type'] = contentType ?? 'application/json'
  }
  return {
    method: op.method as 'GET',
    url: query ? `${path}?${query}` : path,
    headers,
    ...(payload === undefined ? {} : { payload }),
  }
}
