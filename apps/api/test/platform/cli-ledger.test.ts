import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp, databaseUrl } from '../support/app.js'
import { count } from '../support/http.js'
import { expectLedgerSound, partnerWithAccount } from '../support/money.js'
import { connectPartner, person, secretKeyHex, walletOf } from '../topups/sandbox.js'

const cliPath = fileURLToPath(new URL('../../dist/cli.js', import.meta.url))

/**
 * The CLI and the test share one database: on PostgreSQL the test app's schema (it stays open),
 * on PGlite a data directory the test app opens only between CLI runs (one process at a time).
 */
let cliEnv: Record<string, string>
let shared: FastifyInstance | undefined
let dataDir: string | undefined

beforeAll(async () => {
  if (databaseUrl) {
    shared = await buildTestApp()
    const [row] = await shared.db.query<{ schema: string }>('SELECT current_schema() AS schema')
    const url = new URL(databaseUrl)
    url.searchParams.set('options', `-c search_path=${row?.schema}`)
    cliEnv = { DATABASE_URL: url.toString(), PROTUS_SECRET_KEY: secretKeyHex, PROTUS_MODE: 'sandbox' }
  } else {
    dataDir = await mkdtemp(join(tmpdir(), 'protus-cli-ledger-'))
    cliEnv = { PROTUS_DATA_DIR: dataDir, PROTUS_SECRET_KEY: secretKeyHex }
  }
})
afterAll(async () => {
  await shared?.close()
  if (dataDir) await rm(dataDir, { recursive: true, force: true })
})

async function withApp<T>(fn: (app: FastifyInstance) => Promise<T>): Promise<T> {
  if (shared) return fn(shared)
  const app = await buildTestApp(cliEnv)
  try {
    return await fn(app)
  } finally {
    await app.close()
  }
}

function protus(...args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cliPath, ...args],
      { env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...cliEnv } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, out: stdout + stderr }),
    )
  })
}

// The compiled CLI exists after `npm run build` (which `npm test` runs first).
// Each test starts the CLI twice on PGlite, which alone takes seconds on a busy machine.
describe.skipIf(!existsSync(cliPath))('protus credit and protus ledger verify', { timeout: 90_000 }, () => {
  it("credits a person's wallet through a completed operator top-up and prints the new balance", async () => {
    const { me, before } = await withApp(async (app) => ({
      me: await person(app),
      before: await count(app, 'topups_payments'),
    }))
    const first = await protus('credit', me.customer.id, '150000')
    expect(first, first.out).toMatchObject({ code: 0 })
    expect(first.out).toMatch(new RegExp(`credited 150000 RUB to ${me.customer.id} \\(top-up top_\\w{26}\\)`))
    expect(first.out).toContain('available 150000')
    const second = await protus('credit', me.customer.id, '2500')
    expect(second.out).toContain('available 152500')

    await withApp(async (app) => {
      expect(await walletOf(app, me)).toEqual({
        currency: 'RUB',
        available: 152_500,
        held: 0,
        posted: 152_500,
      })
      const rows = await app.db.query<{ provider: string; created_by: string; status: string }>(
        `SELECT provider, created_by, status FROM topups_payments WHERE owner_id = $1`,
        [me.customer.id],
      )
      expect(rows).toEqual(
        Array(2).fill({ provider: 'operator', created_by: 'operator', status: 'succeeded' }),
      )
      expect(await count(app, 'topups_payments')).toBe(before + 2)
      const entries = await app.inject({
        method: 'GET',
        url: '/v1/me/entries',
        headers: { cookie: me.cookie },
      })
      expect(entries.json().data.map((e: { kind: string; amount: number }) => [e.kind, e.amount])).toEqual([
        ['top_up', 2_500],
        ['top_up', 150_000],
      ])
      await expectLedgerSound(app)
    })
  })

  it("credits a managed account's wallet, and refuses a PROTUS user's account and an unknown owner", async () => {
    const { p, protusAccount } = await withApp(async (app) => {
      const p = await partnerWithAccount(app, 0)
      const someone = await person(app)
      return { p, protusAccount: await connectPartner(app, someone.customer.id, p.company.id) }
    })
    const credited = await protus('credit', p.account.id, '700')
    expect(credited, credited.out).toMatchObject({ code: 0 })
    for (const owner of [protusAccount, 'cus_00000000000000000000000000']) {
      const refused = await protus('credit', owner, '700')
      expect(refused.code, refused.out).toBe(1)
      expect(refused.out).toContain(`no wallet for ${owner}`)
    }
    await withApp(async (app) => {
      const balance = await app.inject({
        method: 'GET',
        url: `/v1/accounts/${p.account.id}/balance`,
        headers: { authorization: p.auth },
      })
      expect(balance.json()).toMatchObject({ available: 700 })
      await expectLedgerSound(app)
    })
  })

  it.each([
    'cus_00000000000000000000000000 0',
    'cus_00000000000000000000000000 -5',
    'cus_00000000000000000000000000 1.5',
    'cus_00000000000000000000000000 1000000000001',
    'cus_00000000000000000000000000',
    'co_00000000000000000000000000 100',
  ])('refuses `protus credit %s` with usage and exit code 2', async (args) => {
    const res = await protus('credit', ...args.split(' '))
    expect(res.code, res.out).toBe(2)
    expect(res.out).toContain('usage: protus credit')
  })

  it('reports a sound ledger with its size, then every broken invariant with exit code 1', async () => {
    const sound = await protus('ledger', 'verify')
    expect(sound.code, sound.out).toBe(0)
    expect(sound.out).toMatch(/^ledger OK: [1-9]\d* accounts, [1-9]\d* transfers$/m)

    const corrupt = (delta: number) =>
      withApp((app) =>
        app.db.query(
          `UPDATE ledger_accounts SET credits_posted = credits_posted + $1
            WHERE id = (SELECT min(id) FROM ledger_accounts WHERE code = 'wallet' AND credits_posted > 0)
            RETURNING id`,
          [delta],
        ),
      )
    const [broken] = (await corrupt(1)) as { id: bigint }[]
    const report = await protus('ledger', 'verify')
    expect(report.code, report.out).toBe(1)
    expect(report.out).toContain('ledger BROKEN: 2 violation(s)')
    expect(report.out).toMatch(/- posted totals differ: debits \d+, credits \d+/)
    expect(report.out).toContain(`- account ${broken?.id}: totals`)

    await corrupt(-1)
    expect((await protus('ledger', 'verify')).code).toBe(0)
  })

  it('lists pending payouts, pays one and fails another, each once', async () => {
    const { p, paid, failed } = await withApp(async (app) => {
      const p = await partnerWithAccount(app, 10_000)
      expect((await p.post('/v1/charges', { account: p.account.id, amount: 6_000 })).statusCode).toBe(201)
      const request = (amount: number) =>
        app.db.transaction((tx) => app.services.payouts.request(tx, p.company.id, { amount }))
      return { p, paid: await request(4_000), failed: await request(1_500) }
    })
    const listed = await protus('payouts', 'list')
    expect(listed.code, listed.out).toBe(0)
    expect(listed.out).toContain(`${paid.id}\t${p.company.id}\t4000 RUB\tpending`)
    expect(listed.out).toContain(`${failed.id}\t${p.company.id}\t1500 RUB\tpending`)

    const pay = await protus('payouts', 'pay', paid.id, '--reference', 'Платёж 17')
    expect(pay, pay.out).toMatchObject({ code: 0 })
    expect(pay.out).toContain(`${paid.id}: paid (4000 RUB of ${p.company.id})`)
    const again = await protus('payouts', 'fail', paid.id, '--reason', 'late')
    expect(again.code, again.out).toBe(1)
    expect(again.out).toContain(`payout ${paid.id} is paid`)
    expect((await protus('payouts', 'fail', failed.id, '--reason', 'closed account')).code).toBe(0)
    expect((await protus('payouts', 'list', '--status', 'paid')).out).toContain(`4000 RUB\tpaid`)
    for (const args of [
      ['pay', paid.id],
      ['pay', 'po_x', '--reference', 'r'],
      ['settle', paid.id],
      ['list', '--status', 'lost'],
    ]) {
      const refused = await protus('payouts', ...args)
      expect(refused.code, refused.out).toBe(2)
      expect(refused.out).toContain('usage: protus payouts')
    }
    await withApp(async (app) => {
      const get = (url: string) => app.inject({ method: 'GET', url, headers: { authorization: p.auth } })
      expect((await get('/v1/balance')).json()).toMatchObject({
        available: 2_000,
        pending_payouts: 0,
        paid_out_total: 4_000,
      })
      expect((await get(`/v1/payouts/${paid.id}`)).json()).toMatchObject({ reference: 'Платёж 17' })
      await expectLedgerSound(app)
    })
  })

  it('answers an unknown ledger command with usage and exit code 2', async () => {
    const res = await protus('ledger', 'fix')
    expect(res.code).toBe(2)
    expect(res.out).toContain('Usage: protus')
  })
})
