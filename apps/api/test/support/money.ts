import type { FastifyInstance } from 'fastify'
import { expect } from 'vitest'
import { newId } from '../../src/lib/ids.js'
import { basic, registerCompany } from './http.js'

/** Credits a wallet from the sandbox funding account, as a completed top-up would. */
export async function fund(
  app: FastifyInstance,
  walletOwner: string,
  amount: bigint | number,
  currency = 'RUB',
) {
  const { ledger } = app.services
  const wallet = await ledger.walletOf(walletOwner, currency)
  if (wallet === undefined) throw new Error(`no wallet for ${walletOwner}`)
  const funding = await ledger.fundingAccount('sandbox', currency)
  const result = await app.db.transaction((tx) =>
    ledger.transfer(tx, {
      id: newId('top'),
      kind: 'posted',
      debit: funding,
      credit: wallet,
      amount: BigInt(amount),
    }),
  )
  expect(result.result).toBe('ok')
}

/** Fails the test with every violated ledger invariant. */
export async function expectLedgerSound(app: FastifyInstance) {
  expect(await app.services.ledger.verify()).toEqual([])
}

let keyCounter = 0
export const newKey = () => `key-${Date.now()}-${++keyCounter}`

/** A partner with a managed account whose wallet holds `balance`. */
export async function partnerWithAccount(app: FastifyInstance, balance = 10_000) {
  const partner = await registerCompany(app)
  const res = await app.inject({
    method: 'POST',
    url: '/v1/accounts',
    headers: { authorization: partner.auth, 'idempotency-key': newKey() },
    payload: { external_id: `user-${newKey()}` },
  })
  expect(res.statusCode, res.body).toBe(201)
  const account = res.json() as { id: string }
  if (balance > 0) await fund(app, account.id, balance)
  const post = (url: string, payload: object = {}, key = newKey()) =>
    app.inject({
      method: 'POST',
      url,
      headers: { authorization: partner.auth, 'idempotency-key': key },
      payload,
    })
  const get = (url: string) => app.inject({ method: 'GET', url, headers: { authorization: partner.auth } })
  return { ...partner, account, post, get, auth: partner.auth, basic }
}
