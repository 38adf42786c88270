import { once } from 'node:events'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectWithinWidth, horizontalOverflow, PHONE } from './layout.ts'
import {
  browserSuite,
  byTestId,
  checkPrerequisites,
  fillIn,
  pathOf,
  readable,
  registerCompany,
} from './support.ts'

const runnable = checkPrerequisites()

interface Received {
  headers: IncomingHttpHeaders
  body: { type: string; data: unknown }
}

/** The partner's webhook endpoint on loopback: answers with `status` after `delayMs` and keeps what it got. */
interface Receiver {
  url: string
  status: number
  answer: string
  delayMs: number
  received: Received[]
  close(): Promise<void>
}

async function startReceiver(): Promise<Receiver> {
  const receiver = { status: 200, answer: 'ok', delayMs: 0, received: [] as Received[] }
  const server: Server = createServer(async (request, response) => {
    let text = ''
    for await (const chunk of request) text += chunk
    receiver.received.push({ headers: request.headers, body: JSON.parse(text) })
    if (receiver.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, receiver.delayMs))
    response.writeHead(receiver.status, { 'content-type': 'text/plain' }).end(receiver.answer)
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/protus/webhooks`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  })
}

// Deliveries settle by themselves on the page: the worker sends within about a second, and the
// page fetches a delivery it sent or retried again every second.
const SETTLE = { timeout: 15_000, interval: 200 }

describe.skipIf(!runnable)('a partner company’s webhooks in the browser', () => {
  const suite = browserSuite({
    // The test app leaves the delivery worker off; here it runs in the server, as in production.
    PROTUS_WEBHOOK_WORKER: '1',
    // A loopback endpoint is refused unless allowed.
    PROTUS_WEBHOOK_ALLOW_PRIVATE: '1',
    // The one scheduled retry comes an hour after a failure: only Retry on the page delivers it.
    PROTUS_WEBHOOK_RETRY_SCHEDULE: '3600',
  })
  let receiver: Receiver

  beforeAll(async () => {
    receiver = await startReceiver()
  })

  afterAll(async () => {
    await receiver?.close()
  })

  const path = () => pathOf(suite.page)
  const text = async (scope: Page | Locator, id: string) =>
    readable(await byTestId(scope, id).first().textContent())
  const statusOf = (row: Locator) => byTestId(row, 'delivery-status').getAttribute('data-status')
  const rowOf = (id: string) => suite.page.locator(`[data-testid="delivery-row"][data-delivery-id="${id}"]`)
  const detailsOf = (id: string) =>
    suite.page.locator(`[data-testid="delivery-details-row"][data-delivery-id="${id}"]`)
  const notice = () => text(suite.page, 'notice-text')
  const testResult = () => text(suite.page, 'test-event-result-text')

  async function openWebhooks(): Promise<void> {
    await suite.page.getByRole('link', { name: 'Webhooks', exact: true }).click()
    await expect.poll(path).toBe('/company/webhooks')
  }

  /** Sends a ping from the page; answers the id of its delivery, which is the newest row. */
  async function sendTestEvent(rowsBefore: number): Promise<string> {
    const { page } = suite
    await page.getByRole('button', { name: 'Send test event' }).click()
    await expect.poll(() => byTestId(page, 'delivery-row').count()).toBe(rowsBefore + 1)
    const newest = byTestId(page, 'delivery-row').first()
    expect(await text(newest, 'delivery-type')).toBe('ping')
    return (await newest.getAttribute('data-delivery-id')) ?? ''
  }

  async function chooseFilter(filter: 'status' | 'type', option: string): Promise<void> {
    const { page } = suite
    await byTestId(page, `delivery-filter-${filter}`).click()
    await page.locator('.v-overlay--active .v-list-item').filter({ hasText: option }).first().click()
  }

  it('sends a test event, shows a failed attempt with its answer, and delivers it on retry', async () => {
    const { page } = suite
    await registerCompany(page)

    // Without a webhook URL there is nothing to send to; the page says where to set one.
    await openWebhooks()
    await expect.poll(() => byTestId(page, 'webhook-endpoint').getAttribute('data-status')).toBe('not_set')
    expect(await page.getByRole('button', { name: 'Send test event' }).isDisabled()).toBe(true)
    await expect.poll(() => text(page, 'deliveries-empty')).toContain('No deliveries yet.')
    await byTestId(page, 'webhook-endpoint-edit').click()
    await expect.poll(path).toBe('/company/credentials')
    await fillIn(page, 'Webhook URL', receiver.url)
    await page.getByRole('button', { name: 'Save webhook URL' }).click()
    await expect.poll(notice).toBe('Webhook URL saved')

    await openWebhooks()
    await expect.poll(() => text(page, 'webhook-endpoint-status')).toBe('Enabled')
    expect(await text(page, 'webhook-endpoint-url')).toBe(receiver.url)

    // A ping the endpoint accepts: the page says what it answered, and the row turns succeeded
    // without reloading the page, its last attempt shown without expanding it.
    // While the endpoint thinks, the page says the event is on its way.
    receiver.status = 204
    receiver.delayMs = 3000
    const ping = await sendTestEvent(0)
    expect(await byTestId(page, 'test-event-result').getAttribute('data-outcome')).toBe('sending')
    expect(await testResult()).toBe('Sending the test event to your endpoint…')
    await expect.poll(testResult, SETTLE).toBe('Your endpoint answered 204 — delivered.')
    receiver.delayMs = 0
    await expect.poll(() => statusOf(rowOf(ping)), SETTLE).toBe('succeeded')
    expect(await text(rowOf(ping), 'last-attempt-outcome')).toBe('HTTP 204')
    expect(await text(rowOf(ping), 'last-attempt-time')).toMatch(/^\d{1,2}:\d{2}:\d{2}( [AP]M)?$/)
    expect(await byTestId(rowOf(ping), 'delivery-last-attempt').isVisible()).toBe(true)
    expect(await text(rowOf(ping), 'delivery-status')).toBe('Succeeded')
    expect(await text(rowOf(ping), 'delivery-attempt-count')).toBe('1')
    const pingEvent = await text(rowOf(ping), 'delivery-event-id')
    expect(pingEvent).toMatch(/^evt_/)
    expect(receiver.received).toHaveLength(1)
    expect(receiver.received[0]?.headers['webhook-id']).toBe(pingEvent)
    expect(receiver.received[0]?.body.type).toBe('ping')

    // The endpoint fails: the attempt, its status and the start of its answer are in the log.
    receiver.status = 500
    receiver.answer = 'database is down'
    const failing = await sendTestEvent(1)
    await expect.poll(testResult, SETTLE).toBe('Your endpoint answered 500 — retrying in 1 hour.')
    expect(await text(rowOf(failing), 'delivery-attempt-count')).toBe('1')
    expect(await statusOf(rowOf(failing))).toBe('pending')
    expect(await text(rowOf(failing), 'delivery-status')).toBe('Retrying')
    expect(await byTestId(rowOf(failing), 'delivery-last-attempt').getAttribute('data-succeeded')).toBe(
      'false',
    )
    expect(await text(rowOf(failing), 'last-attempt-outcome')).toBe('HTTP 500')
    expect(await detailsOf(failing).count()).toBe(0)
    expect(await text(rowOf(failing), 'delivery-next-attempt')).not.toBe('—')
    await rowOf(failing).getByRole('button', { name: 'Attempts and payload' }).click()
    const attempts = byTestId(detailsOf(failing), 'delivery-attempt')
    await expect.poll(() => attempts.count()).toBe(1)
    expect(await attempts.first().getAttribute('data-succeeded')).toBe('false')
    expect(await text(attempts.first(), 'attempt-outcome')).toBe('HTTP 500')
    expect(await text(attempts.first(), 'attempt-response')).toBe('database is down')
    expect(await text(attempts.first(), 'attempt-url')).toBe(receiver.url)
    expect(JSON.parse((await byTestId(detailsOf(failing), 'delivery-payload').textContent()) ?? '')).toEqual(
      receiver.received[1]?.body,
    )

    // The endpoint recovers; Retry delivers the event at once, as a second, manual attempt.
    receiver.status = 200
    receiver.answer = 'thanks'
    await rowOf(failing).getByRole('button', { name: 'Retry' }).click()
    await expect.poll(notice).toBe('Sending the event again')
    await expect.poll(() => statusOf(rowOf(failing)), SETTLE).toBe('succeeded')
    expect(await text(rowOf(failing), 'delivery-attempt-count')).toBe('2')
    await expect.poll(() => attempts.count()).toBe(2)
    expect(await attempts.nth(1).getAttribute('data-succeeded')).toBe('true')
    expect(await attempts.nth(1).getAttribute('data-manual')).toBe('true')
    expect(await text(attempts.nth(1), 'attempt-outcome')).toBe('HTTP 200')
    expect(await text(attempts.nth(1), 'attempt-response')).toBe('thanks')
    expect(receiver.received).toHaveLength(3)
    expect(receiver.received[2]?.headers['webhook-id']).toBe(await text(rowOf(failing), 'delivery-event-id'))

    // The log is kept, newest first, and the filters narrow it.
    await page.reload()
    await expect.poll(() => byTestId(page, 'delivery-row').count()).toBe(2)
    expect(
      await byTestId(page, 'delivery-row').evaluateAll((rows) => rows.map((r) => r.dataset.deliveryId)),
    ).toEqual([failing, ping])
    await chooseFilter('type', 'hold.created')
    await expect.poll(() => text(page, 'deliveries-empty')).toContain('No deliveries match these filters.')
    await page.getByRole('button', { name: 'Show all deliveries' }).click()
    await expect.poll(() => byTestId(page, 'delivery-row').count()).toBe(2)
    await chooseFilter('status', 'Pending')
    await expect.poll(() => text(page, 'deliveries-empty')).toContain('No deliveries match these filters.')
    await page.getByRole('button', { name: 'Show all deliveries' }).click()
    await expect.poll(() => byTestId(page, 'delivery-row').count()).toBe(2)

    // Without an endpoint a retry is refused (409, which Chromium logs), and the person is told why.
    suite.allowConsoleErrors(/status of 409 .* at .*\/v1\/webhook-deliveries\/whd_\w+\/retry$/)
    await page.getByRole('link', { name: 'Credentials', exact: true }).click()
    await page.getByRole('button', { name: 'Remove endpoint' }).click()
    await expect.poll(notice).toBe('Webhook endpoint removed')
    await openWebhooks()
    await expect.poll(() => text(page, 'webhook-endpoint-status')).toBe('Not set')
    await rowOf(ping).getByRole('button', { name: 'Retry' }).click()
    await expect.poll(notice).toContain('There is no webhook endpoint to send to.')
    expect(await statusOf(rowOf(ping))).toBe('succeeded')
    expect(receiver.received).toHaveLength(3)
  }, 90_000)

  it('says in Russian that the endpoint could not be reached, and when it is tried again', async () => {
    const { page } = suite
    await registerCompany(page)
    await page.getByRole('button', { name: 'Русский' }).click()
    await page.getByRole('link', { name: 'Ключи доступа', exact: true }).click()
    await fillIn(page, 'URL для вебхуков', `http://127.0.0.1:${await closedPort()}/protus/webhooks`)
    await page.getByRole('button', { name: 'Сохранить URL вебхуков' }).click()
    await expect.poll(notice).toBe('URL вебхуков сохранён')

    await page.getByRole('link', { name: 'Вебхуки', exact: true }).click()
    await page.getByRole('button', { name: 'Отправить тестовое событие' }).click()
    await expect
      .poll(testResult, SETTLE)
      .toBe('Не удалось подключиться: соединение отклонено — повторим через 1 час.')
    const row = byTestId(page, 'delivery-row').first()
    expect(await text(row, 'last-attempt-outcome')).toBe('соединение отклонено')
    expect(await text(row, 'delivery-status')).toBe('Повтор')
    // On a phone the outcome and the row's last attempt fit the screen.
    await page.setViewportSize(PHONE)
    await expectWithinWidth(page, byTestId(page, 'test-event-result'))
    await expectWithinWidth(page, byTestId(row, 'delivery-last-attempt'))
    expect(await horizontalOverflow(page)).toBe(0)

    // Dismissed, the explanation goes; the log keeps the attempt.
    await page.getByRole('button', { name: 'Скрыть' }).click()
    await expect.poll(() => byTestId(page, 'test-event-result').count()).toBe(0)
    expect(await text(row, 'last-attempt-outcome')).toBe('соединение отклонено')
  }, 60_000)
})

/** A local port nothing listens on: a connection to it is refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

describe.skipIf(!runnable)('a webhook URL on a private address, refused by a sandbox', () => {
  // As a PROTUS started without PROTUS_WEBHOOK_ALLOW_PRIVATE.
  const suite = browserSuite()

  const fieldMessage = async () =>
    readable(await byTestId(suite.page, 'webhook-url-input').locator('.v-messages').textContent())
  const why = async () => readable(await byTestId(suite.page, 'webhook-url-not-public-why').textContent())
  /** The hint's sentence and the setting under it, read as one line. */
  const hint = async () =>
    readable(
      (await byTestId(suite.page, 'webhook-url-allow-private').locator('p, code').allTextContents()).join(
        ' ',
      ),
    )

  it('explains why in English and Russian, and how to allow local addresses', async () => {
    const { page } = suite
    // Chromium logs each refusal of the URL (400) as a failed load.
    suite.allowConsoleErrors(/status of 400 .* at .*\/v1\/company$/)
    await registerCompany(page)
    await page.getByRole('link', { name: 'Credentials', exact: true }).click()
    await fillIn(page, 'Webhook URL', 'http://localhost:3000/protus/webhooks')
    await page.getByRole('button', { name: 'Save webhook URL' }).click()
    await expect.poll(fieldMessage).toBe('Not a public address')
    expect(await why()).toBe(
      'PROTUS sends webhooks only to public addresses, not to localhost or private networks.',
    )
    expect(await hint()).toBe(
      'This is a sandbox: to receive webhooks on this computer or your own network, start PROTUS with this setting: PROTUS_WEBHOOK_ALLOW_PRIVATE=1',
    )
    expect(await byTestId(page, 'form-error').count()).toBe(0)

    // Editing the URL clears both; the refusal comes again in the language chosen.
    await fillIn(page, 'Webhook URL', 'https://192.168.1.20/protus/webhooks')
    await expect.poll(() => byTestId(page, 'webhook-url-not-public').count()).toBe(0)
    await page.getByRole('button', { name: 'Русский' }).click()
    await page.setViewportSize(PHONE)
    await page.getByRole('button', { name: 'Сохранить URL вебхуков' }).click()
    await expect.poll(fieldMessage).toBe('Адрес не публичный')
    expect(await why()).toBe(
      'PROTUS отправляет вебхуки только на публичные адреса — не на localhost и не в частные сети.',
    )
    expect(await hint()).toBe(
      'Это песочница: чтобы получать вебхуки на этом компьютере или в своей сети, запустите PROTUS с настройкой: PROTUS_WEBHOOK_ALLOW_PRIVATE=1',
    )
    await expectWithinWidth(page, byTestId(page, 'webhook-url-not-public'))
    expect(await horizontalOverflow(page)).toBe(0)
    await page.reload()
    await expect
      .poll(async () => readable(await byTestId(page, 'webhook-url').textContent()))
      .toContain('Адрес не задан: события не доставляются.')
  }, 60_000)
})
