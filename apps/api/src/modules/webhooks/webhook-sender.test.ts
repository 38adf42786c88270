import { createServer, type Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createWebhookSender, publicOnlyLookup } from './webhook-sender.js'

let server: Server
let url: string
let hits = 0

beforeAll(async () => {
  server = createServer((req, res) => {
    hits++
    req.resume()
    if (req.url === '/big') res.end('x'.repeat(5000))
    else if (req.url === '/redirect') res.writeHead(307, { location: '/ok' }).end()
    else if (req.url !== '/hang') res.end('ok')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`
})
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
})

describe('the webhook sender', () => {
  it('refuses loopback, private and link-local targets unless allowed, without connecting', async () => {
    const sender = createWebhookSender({ timeoutMs: 1000, allowPrivate: false })
    const before = hits
    for (const target of [
      `${url}/ok`,
      'http://localhost:9/x',
      'http://10.0.0.1/x',
      'http://169.254.169.254/latest',
    ]) {
      const outcome = await sender.send(target, {}, '{}')
      expect(outcome.httpStatus).toBeNull()
      expect(outcome.error).toMatch(/^refused: /)
    }
    expect(hits).toBe(before)
    sender.close()
  })

  it('refuses a name that resolves to a private address, at connection time', async () => {
    const error = await new Promise<Error | null>((resolve) => {
      publicOnlyLookup('localhost', { all: true }, (err) => resolve(err))
    })
    expect(error?.message).toMatch(/localhost resolves to .+, which is not public/)
  })

  it('keeps at most 1 KiB of the answer and does not follow redirects', async () => {
    const sender = createWebhookSender({ timeoutMs: 1000, allowPrivate: true })
    const big = await sender.send(`${url}/big`, {}, '{}')
    expect(big).toMatchObject({ httpStatus: 200, error: null })
    expect(big.responseExcerpt).toHaveLength(1024)
    const redirect = await sender.send(`${url}/redirect`, {}, '{}')
    expect(redirect.httpStatus).toBe(307)
    sender.close()
  })

  it('tells a timeout from a failure that came at once', async () => {
    const sender = createWebhookSender({ timeoutMs: 200, allowPrivate: true })
    const timedOut = await sender.send(`${url}/hang`, {}, '{}')
    expect(timedOut).toMatchObject({
      httpStatus: null,
      error: 'timeout: no answer within 0.2 s',
      timedOut: true,
    })
    const refused = await sender.send('http://127.0.0.1:9/x', {}, '{}')
    expect(refused).toMatchObject({ httpStatus: null, error: 'connection refused', timedOut: false })
    expect((await sender.send(`${url}/ok`, {}, '{}')).timedOut).toBe(false)
    sender.close()
  })
})
