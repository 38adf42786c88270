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

export function renderReport({ meta, protus, skipped = [], pgbench, trips, failures }) {
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
      `${mib(r.rssAtStart)} → ${mib(r.rssPeak)}${r.serverProcesses > 1 ? ` (${r.serverProcesses} processes, ${mib(r.rssPeakTotal)} in all)` : ''}`,
      r.delivered !== undefined ? int(r.delivered) : '–',
    ]
  })
  const skippedLines = skipped.map((s) => `- not run: ${s.label}, ${s.connections} connections: ${s.reason}`)
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
    'server RSS start → peak (largest process)',
    'webhooks delivered',
  ],
  protusRows,
)}
${skippedLines.length > 0 ? `\n${skippedLines.join('\n')}\n` : ''}
Each row runs on a fresh server (\`PROTUS_PROCESSES\` as its label says, else 1); its RSS is read at
start (VmRSS) and at the end of the row (VmHWM, the peak over warm-up and run), of each of its
processes, the largest shown. Server CPU counts every process of the server. Rows marked "webhook
worker on/off" run with \`PROTUS_WEBHOOK_WORKER=1\` / \`0\` and the partner's webhook URL set to a
receiver in the bench process (\`PROTUS_WEBHOOK_ALLOW_PRIVATE=1\`); every other row runs with the
worker on and no URL set. "webhooks delivered": events that reached the receiver during the row. Event-loop delay: how late the server's event loop
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

/** The goal table at the top of latest.md, rebuilt by every run from the sections it ran. */
export const GOAL_HEADING = '## Goals of issue 16 in this run'

/** Where the money section starts (a billing run writes the whole file, the goals put above it). */
const BILLING_HEADING = '## PROTUS over HTTP'

/** Where the scale section starts in latest.md (`--only=scale` replaces it). */
export const SCALE_HEADING = '## At scale: a million wallets'

/** Sections that a run of one of them replaces in latest.md, in the order they appear. */
const SECTION_HEADINGS = [GOAL_HEADING, BILLING_HEADING, OAUTH_HEADING, WEBHOOK_HEADING, SCALE_HEADING]

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

/** CPU of a row as the goal table shows it: server / PostgreSQL / load generator / other. */
const cpuSplit = (r) =>
  r?.usage
    ? `${pct(r.usage.cpu.server)} / ${pct(r.usage.cpu.postgres)} / ${pct(r.usage.cpu.client)} / ${pct(r.usage.others)}${r.usage.others > DISTURBED ? ' ⚠' : ''}`
    : '–'

/**
 * One line of the goal table: `row` is PROTUS's (or undefined), `yard` the yardstick's figure.
 * `goal` is { ratio?, p99? }; met when every part holds.
 */
function goalLine({ name, connections, row, yardLabel, yard, goal, missing }) {
  if (!row) {
    return [
      name,
      connections ? String(connections) : '–',
      '–',
      '–',
      yardLabel,
      '–',
      '–',
      goalText(goal),
      missing ?? 'not run',
      '–',
    ]
  }
  const r = goal.ratio !== undefined && yard > 0 ? row.perSecond / yard : Number.NaN
  const met = (goal.ratio === undefined || r >= goal.ratio) && (goal.p99 === undefined || row.p99 <= goal.p99)
  return [
    name,
    connections ? String(connections) : '–',
    `**${int(row.perSecond)}**/s`,
    `${ms(row.p50)} / ${ms(row.p99)}`,
    yardLabel,
    goal.ratio !== undefined ? `${int(yard)}/s` : '–',
    goal.ratio !== undefined ? `**${Number.isFinite(r) ? r.toFixed(2) : '–'}×**` : '–',
    goalText(goal),
    met ? '**met**' : '**missed**',
    cpuSplit(row),
  ]
}

const goalText = (goal) =>
  [
    goal.ratio !== undefined ? `≥ ${goal.ratio.toFixed(2)}×` : '',
    goal.p99 !== undefined ? `p99 ≤ ${goal.p99} ms` : '',
  ]
    .filter(Boolean)
    .join(', ')

/**
 * The goals of issue 16, one line per goal and connection count, from the sections this run ran;
 * a goal whose section did not run says so.
 */
export function renderGoalSection({ connections, billing, oauth, scale, only, date }) {
  const lines = []
  const notRun = only ? `not run (this run: --only=${only})` : 'not run'
  const runs = billing?.runs ?? []
  const yardOf = (workload, c) =>
    billing?.pgbench.find((p) => p.workload === workload && p.clients === c)?.tps
  const processes = [
    ...new Set([
      1,
      ...runs.map((r) => r.processes ?? 1),
      ...(billing?.skipped ?? []).map((s) => s.processes),
    ]),
  ]
  const moneyGoals = [
    {
      kind: 'charge',
      hot: false,
      what: 'charges/s, 1,000 wallets',
      workload: 'simple-update',
      ratio: 2.0,
      multi: true,
    },
    {
      kind: 'charge',
      hot: true,
      what: 'charges/s, one hot wallet',
      workload: 'hot-row',
      ratio: 3.0,
      multi: true,
    },
    {
      kind: 'pair',
      hot: false,
      what: 'hold+capture pairs/s, 1,000 wallets',
      workload: 'simple-update',
      ratio: 1.0,
    },
  ]
  for (const g of moneyGoals) {
    for (const p of g.multi ? processes : [1]) {
      for (const c of connections) {
        const match = (r) =>
          r.kind === g.kind &&
          r.hot === g.hot &&
          (r.processes ?? 1) === p &&
          !r.webhooks &&
          r.connections === c
        const skip = billing?.skipped.find(match)
        lines.push(
          goalLine({
            name: `${g.what}${p > 1 ? `, ${p} processes` : ''}`,
            connections: c,
            row: runs.find(match),
            yardLabel: yardstickLabel[g.workload],
            yard: yardOf(g.workload, c),
            goal: { ratio: g.ratio },
            missing: billing ? (skip ? `not run: ${skip.reason}` : 'not run') : notRun,
          }),
        )
      }
    }
  }
  const rowsOf = (target, kind) => (oauth ?? []).filter((r) => r.target === target && r.kind === kind)
  const oauthGoals = [
    { kind: 'refresh', what: 'token refreshes/s', yard: 'oidc-postgres', goal: { ratio: 2.0, p99: 20 } },
    { kind: 'introspect', what: 'introspections/s', yard: 'oidc-memory', goal: { ratio: 1.5, p99: 10 } },
  ]
  for (const g of oauthGoals) {
    for (const c of connections) {
      const yard = rowsOf(g.yard, g.kind).find((r) => r.connections === c)
      lines.push(
        goalLine({
          name: g.what,
          connections: c,
          row: rowsOf('protus', g.kind).find((r) => r.connections === c),
          yardLabel: OAUTH_TARGETS[g.yard],
          yard: yard?.perSecond,
          goal: g.goal,
          missing: oauth ? `not run (${g.yard} store not in BENCH_OIDC_STORES?)` : notRun,
        }),
      )
    }
  }
  for (const c of connections) {
    const on = runs.find((r) => r.webhooks === 'on' && r.connections === c)
    const off = runs.find((r) => r.webhooks === 'off' && r.connections === c)
    lines.push(
      goalLine({
        name: 'charges/s, 1,000 wallets, in-server webhook worker on (URL set)',
        connections: c,
        row: on && off ? on : undefined,
        yardLabel: 'the same with the worker off',
        yard: off?.perSecond,
        goal: { ratio: 0.95 },
        missing: billing ? 'not run' : notRun,
      }),
    )
  }
  // The heaviest row: the largest single server process seen in any row of this run.
  const candidates = [
    ...runs.map((r) => ({ row: r, where: `${r.label}, ${r.connections} conns` })),
    ...(oauth ?? [])
      .filter((r) => r.target === 'protus')
      .map((r) => ({ row: r, where: `${r.label}, ${r.connections} conns` })),
    ...(scale?.rows ?? []).map((r) => ({
      row: r,
      where: `scale: ${r.label}, ${r.phase}, ${r.connections} conns`,
    })),
  ].filter((x) => x.row.rssPeak)
  const heaviest = candidates.sort((a, b) => b.row.rssPeak - a.row.rssPeak)[0]
  lines.push(
    heaviest
      ? [
          'server RSS per process, heaviest row',
          '–',
          `**${mib(heaviest.row.rssPeak)}**`,
          '–',
          heaviest.where,
          '–',
          '–',
          '≤ 200 MiB',
          heaviest.row.rssPeak <= 200 * 1048576 ? '**met**' : '**missed**',
          cpuSplit(heaviest.row),
        ]
      : ['server RSS per process, heaviest row', '–', '–', '–', '–', '–', '–', '≤ 200 MiB', notRun, '–'],
  )
  for (const c of connections) {
    const before = scale?.rows.find(
      (r) => r.kind === 'charge' && r.phase.includes('before') && r.connections === c,
    )
    const after = scale?.rows.find(
      (r) => r.kind === 'charge' && !r.phase.includes('before') && r.connections === c,
    )
    lines.push(
      goalLine({
        name: `scale: charges/s, random wallets among ${scale ? int(scale.after.wallets) : 'a million'}`,
        connections: c,
        row: before && after ? after : undefined,
        yardLabel: 'charges/s, 1,000 wallets, same section',
        yard: before?.perSecond,
        goal: { ratio: 0.8 },
        missing: scale ? 'not run' : notRun,
      }),
    )
  }
  for (const kind of ['statement', 'list']) {
    for (const c of connections) {
      const row = scale?.rows.find((r) => r.kind === kind && r.connections === c)
      lines.push(
        goalLine({
          name: `scale: ${kind === 'statement' ? "an account's statement (its charges)" : "a partner's account list"}`,
          connections: c,
          row,
          yardLabel: '–',
          goal: { p99: 20 },
          missing: scale ? 'not run' : notRun,
        }),
      )
    }
  }
  return `${GOAL_HEADING}

${date}. One line per goal of the issue and connection count, each figure beside the yardstick
measured in this run on the same PostgreSQL with the same client count. CPU is a percentage of one
core: server (every process) / PostgreSQL / load generator (the bench process) / other processes
(⚠ above ${DISTURBED}%: the row competed for the machine). Sections are below.

${table(['goal', 'conns', 'figure', 'p50 / p99 ms', 'yardstick', 'yardstick figure', 'ratio', 'goal', 'met?', 'CPU server / postgres / load gen / other'], lines)}
${scale ? `\n\`protus ledger verify\` on ${int(scale.after.transfers)} transfers: ${scale.verify.seconds.toFixed(1)} s (${scale.verify.ok ? 'OK' : 'FAILED'}).\n` : ''}`
}

/** The scale section: the fill, the rows before and after it, the plans and `ledger verify`. */
export function renderScaleSection({ meta, run, failures }) {
  const rows = run.rows.map((r) => {
    const refusals = Object.entries(r.refusals)
      .map(([label, n]) => `${n}× ${label}`)
      .join(', ')
    return [
      r.label,
      r.phase,
      String(r.connections),
      `**${int(r.perSecond)}**`,
      ms(r.p50),
      ms(r.p99),
      `${r.non2xx} / ${r.errors} / ${r.timeouts}${refusals ? ` (${refusals})` : ''}`,
      pct(r.usage.cpu.server),
      pct(r.usage.cpu.postgres),
      pct(r.usage.cpu.client),
      `${pct(r.usage.others)}${r.usage.others > DISTURBED ? ' ⚠' : ''}`,
      mib(r.rssPeak),
    ]
  })
  const charge = (c, before) =>
    run.rows.find((r) => r.kind === 'charge' && r.phase.includes('before') === before && r.connections === c)
  const ratios = [...new Set(run.rows.map((r) => r.connections))].map((c) => {
    const b = charge(c, true)
    const a = charge(c, false)
    const r = b && a ? a.perSecond / b.perSecond : Number.NaN
    return `- ${c} connections: ${int(a?.perSecond)} ÷ ${int(b?.perSecond)} = **${Number.isFinite(r) ? r.toFixed(2) : '–'}×** (goal ≥ 0.80: ${r >= 0.8 ? 'met' : 'missed'})`
  })
  const plans = run.plans.map((p) => `**${p.label}**\n\n\`\`\`\n${p.plan}\n\`\`\``)
  return `${SCALE_HEADING}

${meta.date}; ${meta.cores} cores; ${meta.duration} s per row after a ${meta.warmup} s warm-up; whole section ${Math.round(run.seconds)} s. ${meta.lines.map((l) => `${l}.`).join(' ')}

A partner and its managed accounts made over HTTP and funded; charges on them measured; then one
SQL transaction copies those rows (billing account, wallet, top-up, charge transfer and charge, every
column the migrations made, ids and times in the API's format) to ${int(run.wallets)} more wallets and
${int(run.transfers)} more transfers: one top-up each, then charges round-robin, with exact running
balances, so that \`protus ledger verify\` holds. Before the fill: ${int(run.before.wallets)} wallets,
${int(run.before.transfers)} transfers; after: ${int(run.after.wallets)} wallets, ${int(run.after.transfers)}
transfers, ${int(run.after.charges)} charges, database ${mib(run.after.bytes)}. Fill ${Math.round(run.fill.fillSeconds)} s,
then VACUUM ANALYZE ${Math.round(run.fill.analyzeSeconds)} s.

${table(
  [
    'row',
    'database',
    'conns',
    'ops/s',
    'p50 ms',
    'p99 ms',
    'non-2xx / errors / timeouts',
    'server CPU',
    'postgres CPU',
    'client CPU',
    'other processes CPU',
    'server RSS peak',
  ],
  rows,
)}

Charges on random wallets among all ÷ the same charges on the first wallets before the fill:

${ratios.join('\n')}

Reads: goal p99 ≤ 20 ms (a page of 20; each request a random account). \`protus ledger verify\`
on the filled database: **${run.verify.seconds.toFixed(1)} s**, ${run.verify.ok ? 'OK' : '**FAILED**'}: \`${run.verify.output.split('\n')[0]}\`.

### Plans of the read rows' statements (one random request each, EXPLAIN ANALYZE)

${plans.join('\n\n')}
${failures.length > 0 ? `\n### FAILED\n\n${failures.map((f) => `- ${f}`).join('\n')}\n` : ''}`
}
