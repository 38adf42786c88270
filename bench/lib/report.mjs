// The results as one markdown document.

const int = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–')
const ms = (n) => (Number.isFinite(n) ? (n < 10 ? n.toFixed(2) : n.toFixed(1)) : '–')
const pct = (n) => (Number.isFinite(n) ? `${Math.round(n)}%` : '–')
const mib = (bytes) => (bytes ? `${Math.round(bytes / 1048576)} MiB` : '–')
/** CPU time per operation in µs, from a percentage of one core and operations per second. */
const micros = (percent, perSecond) =>
  Number.isFinite(percent) && perSecond > 0 ? String(Math.round((percent * 1e4) / perSecond)) : '–'
const ratio = (a, b) => (Number.isFinite(a) && b > 0 ? (a / b).toFixed(2) : '–')

function table(header, rows) {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n')
}

/** Other processes using more than this (% of one core) during a row make it suspect. */
const DISTURBED = 25

export const yardstickLabel = {
  'simple-update': 'pgbench -N (scale 10)',
  'hot-row': 'one-row conditional UPDATE',
}

/** A scenario's own failures: anything but a success, from autocannon and from our tally. */
export function failuresOf(run) {
  return run.non2xx + run.errors + run.timeouts
}

function functionRow(r) {
  const f = (name) => r.functions.get(name) ?? { calls: 0, total: 0, self: 0 }
  const batches = f('billing_apply').calls
  const ops = f('billing_apply_one').calls
  const perOp = (ms) => (ops > 0 ? ((1000 * ms) / ops).toFixed(0) : '–')
  return [
    r.label,
    String(r.connections),
    int(batches),
    batches > 0 ? (ops / batches).toFixed(1) : '–',
    perOp(f('billing_apply').total),
    perOp(f('ledger_lock_accounts').total),
    perOp(f('ledger_expire_due').total),
    perOp(f('idempotency_claim').total),
    perOp(f('billing_apply_one').total),
    perOp(f('billing_apply').self),
  ]
}

export function renderReport({ meta, protus, pgbench, trips, failures }) {
  const yardstick = (workload, clients) =>
    pgbench.find((p) => p.workload === workload && p.clients === clients)
  const protusRows = protus.map((r) => {
    const y = yardstick(r.yardstick, r.connections)
    const refusals = Object.entries(r.refusals)
      .map(([label, n]) => `${n}× ${label}`)
      .join(', ')
    return [
      r.label,
      String(r.connections),
      `**${int(r.perSecond)}**`,
      ms(r.p50),
      ms(r.p99),
      `${r.non2xx} / ${r.errors} / ${r.timeouts}${refusals ? ` (${refusals})` : ''}`,
      yardstickLabel[r.yardstick],
      int(y?.tps),
      `**${ratio(r.perSecond, y?.tps)}**`,
      pct(r.usage.cpu.server),
      pct(r.usage.cpu.postgres),
      pct(r.usage.cpu.client),
      `${pct(r.usage.others)}${r.usage.others > DISTURBED ? ' ⚠' : ''}`,
      r.loopDelay ? `${ms(r.loopDelay.p50)} / ${ms(r.loopDelay.p99)}` : '–',
      `${mib(r.rssAtStart)} → ${mib(r.rssPeak)}`,
    ]
  })
  const pgbenchRows = pgbench.map((p) => [
    yardstickLabel[p.workload],
    String(p.clients),
    `**${int(p.tps)}**`,
    ms(p.p50),
    ms(p.p99),
    String(p.failed),
    pct(p.usage.cpu.postgres),
    pct(p.usage.cpu.pgbench),
    `${pct(p.usage.others)}${p.usage.others > DISTURBED ? ' ⚠' : ''}`,
  ])
  const rows = [...protus, ...pgbench]
  const disturbedRows = rows.filter((r) => r.usage.others > DISTURBED).length
  const disturbed =
    disturbedRows > 0
      ? `: **${disturbedRows} of ${rows.length} rows were disturbed; compare them with care**`
      : ''
  const tripSections = trips.map(
    (t) =>
      `**${t.label}: ${t.count} round trips**\n\n${t.statements.map((s, i) => `${i + 1}. \`${s}\``).join('\n')}`,
  )

  return `# PROTUS bench — ${meta.date}

${meta.lines.map((l) => `- ${l}`).join('\n')}

## PROTUS over HTTP (autocannon, ${meta.duration} s per row after a ${meta.warmup} s warm-up)

Operations per second count successes only: a charge answered 201, a pair whose capture answered
200. Latency is per charge, or per pair (hold sent → capture answered). CPU is a percentage of
one core (this machine has ${meta.cores}, so ${meta.cores * 100}% is all of it); "other processes" is what
everything else on the machine used meanwhile: if it is not near 0, the row was disturbed.

${table(
  [
    'scenario',
    'conns',
    'ops/s',
    'p50 ms',
    'p99 ms',
    'non-2xx / errors / timeouts',
    'yardstick',
    'yardstick tps',
    'PROTUS ÷ pgbench',
    'server CPU',
    'postgres CPU',
    'client CPU',
    'other processes CPU',
    'server event-loop delay p50 / p99 ms',
    'server RSS start → peak',
  ],
  protusRows,
)}

Each row runs on a fresh server process; its RSS is read at start (VmRSS) and at the end of the
row (VmHWM, the peak over warm-up and run). Event-loop delay: how late the server's event loop
ran its timers during the measured run (perf_hooks.monitorEventLoopDelay). ⚠: other processes
used more than ${DISTURBED}% of a core during the row${disturbed}.

### Inside PostgreSQL: PROTUS's PL/pgSQL functions per row (warm-up included)

From \`pg_stat_user_functions\` (track_functions = pl on the bench database). Times are wall
time inside the function per operation, so they include waiting for row locks. An operation is
one charge, hold or capture (a pair is two).

${table(
  [
    'scenario',
    'conns',
    'batches',
    'ops / batch',
    'billing_apply µs/op',
    '… lock accounts',
    '… expire due holds',
    '… idempotency claim',
    '… apply one op',
    '… its own statements',
  ],
  protus.map((r) => functionRow(r)),
)}

### PROTUS's database connections, by what they were doing (average count, sampled every 0.5 s)

"idle in transaction" is a connection holding a transaction open, and its row locks, while it
waits for the server process to send the next statement.

${table(
  ['scenario', 'conns', 'connections by state'],
  protus.map((r) => [
    r.label,
    String(r.connections),
    r.usage.waits
      .filter((w) => w.average >= 0.05)
      .map((w) => `${w.state} ${w.average.toFixed(1)}`)
      .join(', ') || '–',
  ]),
)}

## pgbench on the same PostgreSQL (${meta.duration} s per row after a ${meta.warmup} s warm-up, -j 2)

${table(['workload', 'clients', 'tps', 'p50 ms', 'p99 ms', 'failed', 'postgres CPU', 'pgbench CPU', 'other processes CPU'], pgbenchRows)}

## Database round trips per request (in-process, one request at a time)

Counted by wrapping the database handle of an in-process PROTUS (same build, same database).
Under load the statements of the billing batch (from BEGIN to COMMIT) are shared by every
request in the batch; the others are paid by each request.

${tripSections.join('\n\n')}
${failures.length > 0 ? `\n## FAILED\n\n${failures.map((f) => `- ${f}`).join('\n')}\n` : ''}`
}

/** Where the OAuth section starts in latest.md (`--only=oauth` replaces it from there on). */
export const OAUTH_HEADING = '## Sign in with PROTUS: introspection and token refresh over HTTP'

const OAUTH_TARGETS = {
  protus: 'PROTUS',
  'oidc-memory': 'oidc-provider, in memory',
  'oidc-postgres': 'oidc-provider, PostgreSQL',
}

/** An OAuth row's failures: every answer that was not a success, and errors and timeouts. */
export function oauthFailuresOf(run) {
  const refused = Object.values(run.refusals).reduce((a, b) => a + b, 0)
  return refused + run.errors + run.timeouts
}

/** The issue's goal: PROTUS introspection at least 1.5 × oidc-provider's, with p99 ≤ 10 ms. */
const GOAL_RATIO = 1.5
const GOAL_P99_MS = 10

export function renderOauthSection({ meta, rows, trips, failures }) {
  const find = (target, kind, connections) =>
    rows.find((r) => r.target === target && r.kind === kind && r.connections === connections)
  const stores = [...new Set(rows.map((r) => r.target).filter((t) => t !== 'protus'))]
  const protusRows = rows.filter((r) => r.target === 'protus')
  const comparison = protusRows.map((p) => [
    p.label,
    String(p.connections),
    `**${int(p.perSecond)}**`,
    `${ms(p.p50)} / ${ms(p.p99)}`,
    ...stores.flatMap((store) => {
      const o = find(store, p.kind, p.connections)
      return [
        int(o?.perSecond),
        o ? `${ms(o.p50)} / ${ms(o.p99)}` : '–',
        `**${ratio(p.perSecond, o?.perSecond)}**`,
      ]
    }),
  ])
  const goals = protusRows
    .filter((p) => p.kind === 'introspect')
    .flatMap((p) =>
      stores.map((store) => {
        const o = find(store, p.kind, p.connections)
        const r = o ? p.perSecond / o.perSecond : Number.NaN
        const met = r >= GOAL_RATIO && p.p99 <= GOAL_P99_MS
        return `- ${p.connections} connections, against ${OAUTH_TARGETS[store]}: ${
          met ? '**met**' : '**not met**'
        } (${Number.isFinite(r) ? r.toFixed(2) : '–'}×, PROTUS p99 ${ms(p.p99)} ms)`
      }),
    )
  const details = rows.map((r) => {
    const refusals = Object.entries(r.refusals)
      .map(([label, n]) => `${n}× ${label}`)
      .join(', ')
    return [
      OAUTH_TARGETS[r.target],
      r.label,
      String(r.connections),
      `**${int(r.perSecond)}**`,
      ms(r.p50),
      ms(r.p99),
      `${oauthFailuresOf(r) - r.errors - r.timeouts}${refusals ? ` (${refusals})` : ''} / ${r.errors} / ${r.timeouts}`,
      r.chains
        ? `${int(r.chains.atStart)} / ${r.chains.inFlightAtStop} / ${r.chains.refused + r.chains.exhausted}`
        : '–',
      pct(r.usage.cpu.server),
      pct(r.usage.cpu.postgres),
      `${micros(r.usage.cpu.server, r.perSecond)} / ${micros(r.usage.cpu.postgres, r.perSecond)}`,
      pct(r.usage.cpu.client),
      `${pct(r.usage.others)}${r.usage.others > DISTURBED ? ' ⚠' : ''}`,
      r.loopDelay ? `${ms(r.loopDelay.p50)} / ${ms(r.loopDelay.p99)}` : '–',
      `${mib(r.rssAtStart)} → ${mib(r.rssPeak)}`,
    ]
  })
  const states = rows
    .filter((r) => r.usage.waits.length > 0)
    .map((r) => [
      OAUTH_TARGETS[r.target],
      r.label,
      String(r.connections),
      r.usage.waits
        .filter((w) => w.average >= 0.05)
        .map((w) => `${w.state} ${w.average.toFixed(1)}`)
        .join(', ') || '–',
    ])
  const tripSections = trips.map(
    (t) =>
      `**${t.label}: ${t.count} round trip${t.count === 1 ? '' : 's'}**\n\n${t.statements.map((s, i) => `${i + 1}. \`${s}\``).join('\n')}`,
  )
  const disturbedRows = rows.filter((r) => r.usage.others > DISTURBED).length
  const disturbed =
    disturbedRows > 0
      ? `: **${disturbedRows} of ${rows.length} rows were disturbed; compare them with care**`
      : ''

  return `${OAUTH_HEADING}

- run ${meta.date}; autocannon, ${meta.duration} s per row after a ${meta.warmup} s warm-up; whole run ${meta.wholeRun} s
${meta.lines.map((l) => `- ${l}\n`).join('')}- PROTUS: one \`protus start\` process on PostgreSQL, pool ${meta.poolSize}; a partner (one confidential client, \`client_secret_basic\`) and ${int(meta.grants)} people, each with one grant (scope \`check charge\`) obtained over HTTP: \`GET /oauth/authorize\` with the person's session cookie → consent decision → code → \`POST /oauth/token\` with the PKCE verifier (${Math.round(meta.seedSeconds)} s, before the rows)
- oidc-provider ${meta.oidcVersion}: \`bench/oidc-provider.mjs\`, one process, one confidential client (\`client_secret_basic\`), PKCE S256, opaque access tokens (10 min), refresh tokens on every code exchange, rotated on every refresh (a used one presented again revokes the grant), introspection on. Its grants are minted in-process (a \`Grant\` and an \`AuthorizationCode\` made with its Provider API, as its consent interaction would store them), each code then exchanged at its own token endpoint over HTTP. Two stores: **in memory** (a plain Map, nothing durable) and **PostgreSQL** (the same server as PROTUS, one table, one autocommitted statement per adapter call, pool ${meta.poolSize}); see \`bench/lib/oidc-adapters.mjs\`

Rows run in turn (PROTUS, then oidc-provider with each store, for each operation and connection
count), each on a fresh server process. Every request carries Basic client authentication.

- **introspections/s**: \`POST /oauth/introspect\` (oidc-provider: \`/token/introspection\`) with one of
  ${meta.introspected} live access tokens (each of its own grant), picked at random, no \`token_type_hint\`;
  a success is 200 with \`"active":true\`.
- **token refreshes/s**: \`POST /oauth/token\` (oidc-provider: \`/token\`), \`grant_type=refresh_token\`,
  in a closed loop over refresh chains, one chain per grant: a connection takes the chain that has
  waited longest, presents its current refresh token, and puts the chain back with the rotated
  token from the answer, so every request presents a refresh token never presented before. A
  chain whose request is in flight when a run stops is dropped (its token may have been rotated
  without the answer being read). A success is 200 with a new refresh token.

ops/s counts successes only; p50 and p99 are per request, timed in the bench process.

${table(
  [
    'operation',
    'conns',
    'PROTUS ops/s',
    'PROTUS p50 / p99 ms',
    ...stores.flatMap((s) => [`${OAUTH_TARGETS[s]}: ops/s`, 'p50 / p99 ms', 'PROTUS ÷ it']),
  ],
  comparison,
)}

Goal (the issue): PROTUS introspections/s ≥ ${GOAL_RATIO} × oidc-provider's, with PROTUS p99 ≤ ${GOAL_P99_MS} ms.

${goals.join('\n')}

### Every OAuth row

Refused: answers that were not a success (with what they were); then connection errors and
timeouts. Chains (refresh rows): waiting at the start of the row / dropped because they were in
flight when the warm-up or the run stopped / refused or missing. CPU is a percentage of one
core (this machine has ${meta.cores}); per operation it is the CPU time a success cost, which a busy
machine disturbs less than ops/s; ⚠: other processes used more than ${DISTURBED}% of a core during the
row${disturbed}.

${table(
  [
    'server',
    'operation',
    'conns',
    'ops/s',
    'p50 ms',
    'p99 ms',
    'refused / errors / timeouts',
    'chains',
    'server CPU',
    'postgres CPU',
    'CPU µs per op: server / postgres',
    'client CPU',
    'other processes CPU',
    'server event-loop delay p50 / p99 ms',
    'server RSS start → peak',
  ],
  details,
)}

### Database connections by state during the OAuth rows (average count, sampled every 0.5 s)

PROTUS's database, and oidc-provider's when it keeps its tokens in PostgreSQL.

${table(['server', 'operation', 'conns', 'connections by state'], states)}

### PROTUS's database round trips per OAuth request (in-process, one request at a time)

${tripSections.join('\n\n')}
${failures.length > 0 ? `\n### FAILED\n\n${failures.map((f) => `- ${f}`).join('\n')}\n` : ''}`
}

/** Where the webhook section starts in latest.md (`--only=webhooks` replaces it). */
export const WEBHOOK_HEADING = '## Webhook delivery to a loopback receiver'

/** Sections that a run of one of them replaces in latest.md, in the order they appear. */
const SECTION_HEADINGS = [OAUTH_HEADING, WEBHOOK_HEADING]

/**
 * `doc` with the section under `heading` replaced by `section` (up to the next known section),
 * or with `section` put where it belongs when `doc` has none yet.
 */
export function withSection(doc, heading, section) {
  const at = doc.indexOf(heading)
  const later = SECTION_HEADINGS.slice(SECTION_HEADINGS.indexOf(heading) + 1)
    .map((h) => doc.indexOf(h, Math.max(at, 0)))
    .filter((i) => i >= 0)
  const end = later.length > 0 ? Math.min(...later) : doc.length
  const before = doc.slice(0, at >= 0 ? at : end).trimEnd()
  const after = doc.slice(end).trim()
  return [before, section.trimEnd(), after].filter(Boolean).join('\n\n')
}

/** A webhook row's failures: events that could not be made (the API answered other than 202). */
export function webhookFailuresOf(row) {
  return row.creation.failures
}

export function renderWebhookSection({ meta, rows, failures }) {
  const head = [
    'database',
    'mode',
    'workers',
    'events',
    'made/s',
    'first→last arrival',
    'delivered/s',
    'creation→arrival p50',
    'p99',
    'max',
    'twice',
    'CPU server',
    'CPU workers',
    'CPU postgres',
    'CPU bench',
    'other processes',
  ]
  const body = rows.map((r) => [
    r.store === 'pglite' ? 'PGlite' : 'PostgreSQL',
    r.mode,
    String(r.workers),
    int(r.delivered),
    int(r.creation.perSecond),
    `${r.seconds.toFixed(1)} s`,
    `**${int(r.perSecond)}**`,
    r.mode === 'live' ? `${ms(r.p50)} ms` : '–',
    r.mode === 'live' ? `${ms(r.p99)} ms` : '–',
    r.mode === 'live' ? `${ms(r.max)} ms` : '–',
    String(r.duplicates),
    pct(r.usage.cpu.server),
    r.workers > 1 ? pct(r.usage.cpu.workers) : '–',
    r.store === 'pglite' ? '–' : pct(r.usage.cpu.postgres),
    pct(r.usage.cpu.client),
    `${pct(r.usage.others)}${r.usage.others > DISTURBED ? ' ⚠' : ''}`,
  ])
  return `${WEBHOOK_HEADING}

${meta.date}; ${meta.cores} cores. ${meta.lines.map((l) => `${l}.`).join(' ')}

Ping events made with \`POST /v1/company/webhooks/test\` (${meta.creators} connections), sent by
PROTUS's delivery workers to a plain \`node:http\` receiver in the bench process that answers 200
at once. **live**: the workers run while the events are made; **backlog**: the events are made
with every worker off, then the workers start and send them all. \`delivered/s\` counts from the
first arrival to the last; latency is from the event's \`timestamp\` (when PROTUS wrote it) to its
arrival, for live rows only. "workers" counts the server's own and the extra \`protus worker\`
processes; \`twice\` counts events that arrived more than once (must be 0). CPU is a percentage of
one core: live rows from the start of the workers to the last arrival, the making of events
included; backlog rows from the start of the workers on.

${table(head, body)}

whole run: ${meta.wholeRun} s
${failures.length > 0 ? `\n### FAILED\n\n${failures.map((f) => `- ${f}`).join('\n')}\n` : ''}`
}
