import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { Webhook } from 'standardwebhooks'
import { expect } from 'vitest'

/** How the receiver answers one delivery: an HTTP status, or never (the sender times out). */
export type Answer = number | 'hang'

export interface Received {
  id: string
  headers: IncomingHttpHeaders
  body: string
  answered: Answer
  at: number
  /** The sender's end of the connection (which process sent it, when several do). */
  remotePort: number
}

/**
 * A partner's webhook endpoint on loopback. It answers with the queued answers, then with the
 * default; it can be stopped (connection refused) and started again on the same port.
 */
export async function startReceiver(
  options: {
    /** How long to wait before answering: a fixed time, or a function drawn once per request. */
    delayMs?: number | (() => number)
    /** Called for every connection a sender opens. */
    onConnection?: (socket: Socket) => void
  } = {},
) {
  const received: Received[] = []
  /** Requests of each webhook-id not answered yet, and the ids that arrived again meanwhile. */
  const open = new Map<string, number>()
  const overlapping: string[] = []
  /** Requests not answered yet, and the most there were at once. */
  let concurrent = 0
  let mostConcurrent = 0
  const queued: Answer[] = []
  let fallback: Answer = 200
  const sockets = new Set<Socket>()
  let server: Server | undefined
  let port = 0

  function listen(): Promise<void> {
    server = createServer((req, res) => {
      const id = String(req.headers['webhook-id'])
      const already = open.get(id) ?? 0
      if (already > 0) overlapping.push(id)
      open.set(id, already + 1)
      concurrent++
      mostConcurrent = Math.max(mostConcurrent, concurrent)
      res.on('close', () => {
        concurrent--
        const left = (open.get(id) ?? 1) - 1
        if (left > 0) open.set(id, left)
        else open.delete(id)
      })
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        const answered = queued.shift() ?? fallback
        received.push({
          id,
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          answered,
          at: Date.now(),
          remotePort: req.socket.remotePort ?? 0,
        })
        if (answered === 'hang') return
        const reply = () =>
          res.writeHead(answered, { 'content-type': 'text/plain' }).end(`answered ${answered}`)
        const delay = typeof options.delayMs === 'function' ? options.delayMs() : options.delayMs
        if (delay) setTimeout(reply, delay)
        else reply()
      })
    })
    server.on('connection', (socket) => {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
      options.onConnection?.(socket)
    })
    return new Promise((resolve) => {
      const listening = server as Server
      listening.listen(port, '127.0.0.1', () => {
        port = (listening.address() as { port: number }).port
        resolve()
      })
    })
  }

  function stop(): Promise<void> {
    for (const socket of sockets) socket.destroy()
    return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()))
  }

  await listen()
  return {
    url: `http://127.0.0.1:${port}/hooks/protus`,
    received,
    /** Webhook-ids that arrived while a request with the same id was still unanswered. */
    overlapping,
    /** The most requests that were open at once (sent and not answered, or never answered). */
    mostConcurrent: () => mostConcurrent,
    /** Answers the next deliveries with these, in order. */
    answer(...answers: Answer[]) {
      queued.push(...answers)
    },
    answerByDefault(answer: Answer) {
      fallback = answer
    },
    stop,
    start: listen,
    /** Waits until `predicate` holds for what arrived (polling), or fails after `timeoutMs`. */
    async waitFor(predicate: (all: Received[]) => boolean, timeoutMs = 10_000): Promise<void> {
      const deadline = Date.now() + timeoutMs
      while (!predicate(received)) {
        if (Date.now() > deadline) throw new Error(`receiver timed out with ${received.length} deliveries`)
        await new Promise((r) => setTimeout(r, 20))
      }
    },
  }
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>

/** Points the company's webhooks at `url`, as the partner does with `PATCH /v1/company`. */
export async function setWebhookUrl(app: FastifyInstance, auth: string, url: string): Promise<void> {
  const res = await app.inject({
    method: 'PATCH',
    url: '/v1/company',
    headers: { authorization: auth },
    payload: { webhook_url: url },
  })
  expect(res.statusCode, res.body).toBe(200)
}

/** An event as a test reads it: `data` is whatever object the event carries. */
// biome-ignore lint/suspicious/noExplicitAny: tests read event objects of every type loosely.
export type EventPayload = { type: string; timestamp: string; data: any }

/** Verifies a delivery as a partner would, with the Standard Webhooks library; answers the payload. */
export function verify(secret: string, delivery: Received): EventPayload {
  const headers = {
    'webhook-id': String(delivery.headers['webhook-id']),
    'webhook-timestamp': String(delivery.headers['webhook-timestamp']),
    'webhook-signature': String(delivery.headers['webhook-signature']),
  }
  return new Webhook(secret).verify(delivery.body, headers) as EventPayload
}
