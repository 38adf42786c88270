import { createHash } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import { expectProblem } from '../support/http.js'
import { expectLedgerSound, partnerWithAccount } from '../support/money.js'
import {
  buildSandboxApp,
  event,
  openTopup,
  paymentIdOf,
  person,
  sandboxSignature,
  secretKeyHex,
  sendCallback,
  submitCheckout,
  type Topup,
  walletOf,
} from './sandbox.js'

let app: FastifyInstance
beforeAll(async () => {
  app = await buildSandboxApp()
})
afterAll(async () => {
  await expectLedgerSound(app)
  await app.close()
})

const page = (url: string) => app.inject({ method: 'GET', url: new URL(url).pathname })

async function statement(cookie: string) {
  const res = await app.inject({ method: 'GET', url: '/v1/me/entries', headers: { cookie } })
  expect(res.statusCode, res.body).toBe(200)
  return res.json().data as { id: string; kind: string; amount: number; balance_after: number }[]
}

describe('the sandbox checkout page', () => {
  it('shows the amount and a Pay and a Decline button posting to the checkout URL', async () => {
    const me = await person(app)
    const topup = await openTopup(app, me, 150_000)
    const res = await page(topup.checkout_url)
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/html/)
    expect(res.headers['x-frame-options']).toBe('DENY')
    expect(res.body).toContain('<html lang="en">')
    expect(res.body).toContain('₽1,500.00')
    expect(res.body).toContain(`action="${topup.checkout_url}?lang=en"`)
    expect(res.body).toMatch(/name="outcome" value="succeeded".*>Pay</s)
    expect(res.body).toMatch(/name="outcome" value="failed".*>Decline</s)
  })

  it('credits the wallet once when the person pays, with a top_up entry on the statement', async () => {
    const me = await person(app)
    const topup = await openTopup(app, me, 150_000)
    const paid = await submitCheckout(app, topup, 'succeeded')
    expect(paid.statusCode, paid.body).toBe(200)
    expect(paid.headers['content-type']).toMatch(/^text\/html/)
    expect(paid.body).toContain('Payment received')
    expect(paid.body).toContain('href="/wallet"')
    expect(await walletOf(app, me)).toEqual({ currency: 'RUB', available: 150_000, held: 0, posted: 150_000 })

    // Paying again, or declining afterwards, changes nothing.
    expect((await submitCheckout(app, topup, 'succeeded')).body).toContain('Payment received')
    expect((await submitCheckout(app, topup, 'failed')).body).toContain('Payment received')
    expect((await page(topup.checkout_url)).body).toContain('Payment received')
    expect(await walletOf(app, me)).toMatchObject({ available: 150_000 })
    expect(await statement(me.cookie)).toEqual([
      expect.objectContaining({ id: topup.id, kind: 'top_up', amount: 150_000, balance_after: 150_000 }),
    ])
    await expectLedgerSound(app)
  })

  it('credits nothing when the person declines, even if they try to pay afterwards', async () => {
    const me = await person(app)
    const topup = await openTopup(app, me, 9_900)
    const declined = await submitCheckout(app, topup, 'failed')
    expect(declined.statusCode).toBe(200)
    expect(declined.body).toContain('Payment declined')
    expect((await submitCheckout(app, topup, 'succeeded')).body).toContain('Payment declined')
    const res = await app.inject({
      method: 'GET',
      url: `/v1/me/topups/${topup.id}`,
      headers: { cookie: me.cookie },
    })
    expect(res.json()).toMatchObject({ status: 'failed', completed_at: expect.any(String) })
    expect(await walletOf(app, me)).toMatchObject({ available: 0, posted: 0 })
    expect(await statement(me.cookie)).toEqual([])
    await expectLedgerSound(app)
  })

  it("asks a managed account's payer to add money to their balance at the partner, a person to top up the PROTUS wallet", async () => {
    const p = await partnerWithAccount(app, 0)
    const managed = (await p.post(`/v1/accounts/${p.account.id}/topups`, { amount: 700 })).json() as Topup
    const heading = (body: string) => /<h1>(.*?)<\/h1>/.exec(body)?.[1]
    expect(heading((await page(managed.checkout_url)).body)).toBe(
      `Add money to your ${p.company.name} balance`,
    )
    const me = await person(app)
    const own = await openTopup(app, me, 700)
    expect(heading((await page(own.checkout_url)).body)).toBe('Top up your PROTUS wallet')
  })

  it("shows a managed account's payer the result without a wallet link", async () => {
    const p = await partnerWithAccount(app, 0)
    const res = await p.post(`/v1/accounts/${p.account.id}/topups`, { amount: 700 })
    expect(res.statusCode, res.body).toBe(201)
    const paid = await submitCheckout(app, res.json(), 'succeeded')
    expect(paid.body).toContain('Payment received')
    expect(paid.body).not.toContain('/wallet')
    await expectLedgerSound(app)
  })

  it('answers 404 for an unknown payment and 400 for an outcome it does not know', async () => {
    const me = await person(app)
    const topup = await openTopup(app, me, 100)
    const unknown = { ...topup, checkout_url: 'http://localhost/sandbox/checkout/sbx_nope' }
    expect((await page(unknown.checkout_url)).statusCode).toBe(404)
    expect((await submitCheckout(app, unknown, 'succeeded')).statusCode).toBe(404)
    expectProblem(await submitCheckout(app, topup, 'maybe'), 400, 'validation_failed')
    expect(await walletOf(app, me)).toMatchObject({ available: 0 })
  })
})

describe('the sandbox checkout in the payer’s language', () => {
  /** The page's text as a person reads it: tags dropped, no-break spaces (Intl's too) as spaces. */
  const readable = (html: string) =>
    html
      .replace(/<style>[^<]*<\/style>/, '')
      .replace(/<[^>]+>/g, ' ')
      .replace(/[\s\u00a0\u202f]+/g, ' ')
  const get = (url: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'GET', url: `${new URL(url).pathname}${new URL(url).search}`, headers })

  it('speaks Russian with ?lang=ru: Russian texts, "1 000,00 ₽", a form that keeps the language', async () => {
    const me = await person(app)
    const topup = await openTopup(app, me, 100_000)
    const res = await get(`${topup.checkout_url}?lang=ru`, { 'accept-language': 'en-US,en;q=0.9' })
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('<html lang="ru">')
    const text = readable(res.body)
    expect(text).toContain('Пополнение кошелька PROTUS')
    expect(text).toContain('1 000,00 ₽')
    expect(res.body).toMatch(/1[\u00a0\u202f]000,00[\u00a0\u202f]₽/)
    expect(text).toContain('Песочница · тестовый режим')
    expect(res.body).toMatch(/name="outcome" value="succeeded"><button type="submit" class="pay">Оплатить</)
    expect(res.body).toMatch(/name="outcome" value="failed"><button type="submit" class="decline">Отклонить</)
    expect(res.body).toContain(`action="${topup.checkout_url}?lang=ru"`)
    expect(text).not.toMatch(/Top up|Pay\b|Decline|RUB/)

    const paid = await app.inject({
      method: 'POST',
      url: `${new URL(topup.checkout_url).pathname}?lang=ru`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'outcome=succeeded',
    })
    expect(paid.statusCode, paid.body).toBe(200)
    expect(paid.body).toContain('<html lang="ru">')
    expect(readable(paid.body)).toContain('Платёж получен 1 000,00 ₽ Кошелёк пополнен. Вернуться в кошелёк')
    // Reopened later, the link shows the result in the language asked for.
    expect(readable((await get(`${topup.checkout_url}?lang=ru`)).body)).toContain('Платёж получен')
    expect(readable((await get(topup.checkout_url)).body)).toContain('Payment received ₽1,000.00')
    expect(await walletOf(app, me)).toMatchObject({ available: 100_000 })
    await expectLedgerSound(app)
  })

  it('follows Accept-Language without ?lang=, and English when it speaks neither language', async () => {
    const me = await person(app)
    const topup = await openTopup(app, me, 150)
    const language = async (query: string, acceptLanguage?: string) => {
      const headers: Record<string, string> = acceptLanguage ? { 'accept-language': acceptLanguage } : {}
      const res = await get(`${topup.checkout_url}${query}`, headers)
      expect(res.statusCode).toBe(200)
      return /<html lang="(\w+)">/.exec(res.body)?.[1]
    }
    expect(await language('', 'ru-RU,ru;q=0.9,en-US;q=0.8')).toBe('ru')
    expect(await language('', 'de-DE, en;q=0.5, ru;q=0.7')).toBe('ru')
    expect(await language('', 'de-DE, ru;q=0')).toBe('en')
    expect(await language('', '*')).toBe('en')
    expect(await language('')).toBe('en')
    expect(await language('?lang=en', 'ru')).toBe('en')
    expect(await language('?lang=xx', 'ru')).toBe('ru')
    expect(readable((await get(`${topup.checkout_url}?lang=ru`)).body)).toContain('1,50 ₽')
    const unknown = await get('http://localhost/sandbox/checkout/sbx_nope?lang=ru')
    expect(unknown.statusCode).toBe(404)
    expect(readable(unknown.body)).toContain('Неизвестный платёж')
  })

  it('is styled by its one inline sheet, allowed by its hash, with no script', async () => {
    const me = await person(app)
    const topup = await openTopup(app, me, 100)
    for (const lang of ['en', 'ru']) {
      const res = await get(`${topup.checkout_url}?lang=${lang}`)
      const sheets = [...res.body.matchAll(/<style>([^<]*)<\/style>/g)].map((m) => m[1] as string)
      expect(sheets).toHaveLength(1)
      const hash = createHash('sha256')
        .update(sheets[0] as string)
        .digest('base64')
      expect(res.headers['content-security-policy']).toContain(`style-src 'sha256-${hash}'`)
      expect(res.headers['content-security-policy']).not.toMatch(/script-src[^;]*'unsafe-inline'/)
      expect(res.body).not.toMatch(/<script|\sstyle=|\son\w+=/i)
    }
  })
})

describe('POST /v1/providers/sandbox/events', () => {
  it('completes a top-up from a signed event and answers a repeat with 200, changing nothing', async () => {
    const me = await person(app)
    const topup = await openTopup(app, me, 4_000)
    const body = event(paymentIdOf(topup), 'succeeded')
    const first = await sendCallback(app, body)
    expect(first.statusCode, first.body).toBe(200)
    expect(first.json()).toEqual({ received: true, topup: topup.id, status: 'succeeded', changed: true })
    for (let i = 0; i < 3; i++) {
      const again = await sendCallback(app, body)
      expect(again.statusCode).toBe(200)
      expect(again.json()).toMatchObject({ status: 'succeeded', changed: false })
    }
    expect(await walletOf(app, me)).toMatchObject({ available: 4_000 })
    await expectLedgerSound(app)
  })

  it('refuses a wrong, missing or foreign signature with 401 invalid_signature and changes nothing', async () => {
    const me = await person(app)
    const topup = await openTopup(app, me, 4_000)
    const body = event(paymentIdOf(topup), 'succeeded')
    const otherKey = 'ab'.repeat(32)
    for (const signature of ['', 'deadbeef', '0'.repeat(64), sandboxSignature(body, otherKey)]) {
      expectProblem(await sendCallback(app, body, signature), 401, 'invalid_signature')
    }
    // A signature of another body does not carry over.
    const signedFailure = event(paymentIdOf(topup), 'failed')
    expectProblem(
      await sendCallback(app, body, sandboxSignature(signedFailure, secretKeyHex)),
      401,
      'invalid_signature',
    )
    const res = await app.inject({
      method: 'GET',
      url: `/v1/me/topups/${topup.id}`,
      headers: { cookie: me.cookie },
    })
    expect(res.json().status).toBe('pending')
    expect(await walletOf(app, me)).toMatchObject({ available: 0 })
  })

  it('answers 404 for a signed event about an unknown payment and 400 for a signed event of another shape', async () => {
    expectProblem(await sendCallback(app, event('sbx_unknown', 'succeeded')), 404, 'not_found')
    expectProblem(
      await sendCallback(app, JSON.stringify({ payment_id: 'x', outcome: 'refunded' })),
      400,
      'validation_failed',
    )
    expectProblem(await sendCallback(app, '{"payment_id":'), 400, 'malformed_json')
  })

  it('reads JSON only', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/providers/sandbox/events',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'payment_id=x&outcome=succeeded',
    })
    expectProblem(res, 415, 'unsupported_media_type')
  })

  it('credits once when 10 identical callbacks race', async () => {
    const me = await person(app)
    const topup = await openTopup(app, me, 12_345)
    const body = event(paymentIdOf(topup), 'succeeded')
    const answers = await Promise.all(Array.from({ length: 10 }, () => sendCallback(app, body)))
    expect(answers.map((a) => a.statusCode)).toEqual(Array(10).fill(200))
    expect(answers.filter((a) => a.json().changed)).toHaveLength(1)
    expect(await walletOf(app, me)).toMatchObject({ available: 12_345, posted: 12_345 })
    expect((await statement(me.cookie)).filter((e) => e.kind === 'top_up')).toHaveLength(1)
    await expectLedgerSound(app)
  })

  it('lets exactly one of racing success and failure callbacks decide, crediting only on success', async () => {
    const me = await person(app)
    const topups: Topup[] = []
    for (let i = 0; i < 4; i++) topups.push(await openTopup(app, me, 1_000))
    const answers = await Promise.all(
      topups.flatMap((t) =>
        Array.from({ length: 6 }, (_, i) =>
          sendCallback(app, event(paymentIdOf(t), i % 2 === 0 ? 'succeeded' : 'failed')),
        ),
      ),
    )
    expect(answers.every((a) => a.statusCode === 200)).toBe(true)
    let succeeded = 0
    for (const t of topups) {
      const decided = answers.filter((a) => a.json().topup === t.id && a.json().changed)
      expect(decided).toHaveLength(1)
      const res = await app.inject({
        method: 'GET',
        url: `/v1/me/topups/${t.id}`,
        headers: { cookie: me.cookie },
      })
      expect(res.json().status).toBe(decided[0]?.json().status)
      if (res.json().status === 'succeeded') succeeded++
    }
    expect(await walletOf(app, me)).toMatchObject({ available: succeeded * 1_000 })
    await expectLedgerSound(app)
  })
})

describe('PROTUS_PUBLIC_URL', () => {
  it('defaults to localhost on the configured port and refuses a URL that is not http(s)', () => {
    expect(loadConfig({ PORT: '9000' }).publicUrl).toBe('http://localhost:9000')
    expect(loadConfig({ PROTUS_PUBLIC_URL: 'https://pay.example.com/protus/' }).publicUrl).toBe(
      'https://pay.example.com/protus',
    )
    expect(() => loadConfig({ PROTUS_PUBLIC_URL: 'ftp://example.com' })).toThrow(/PROTUS_PUBLIC_URL/)
  })
})
