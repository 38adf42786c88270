import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'

/** A message as the SMTP server received it, with the parts a person's mail program shows. */
export interface ReceivedMail {
  envelopeFrom: string
  envelopeTo: string[]
  raw: string
  headers: Map<string, string>
  from: string
  to: string
  subject: string
  messageId: string
  text: string
  html: string
}

/** What the server answers to a message's DATA: nothing to accept it, or an SMTP code and text. */
export type Refusal = { code: number; message: string } | undefined

export interface SmtpReceiver {
  url: string
  received: ReceivedMail[]
  /** Every DATA the server was sent, accepted or refused. */
  attempts: number
  /** Decides each DATA's answer (the n-th attempt, from 1); accepts all when unset. */
  refuse: (attempt: number) => Refusal
  /** While set, DATA waits for it before answering (a slow server). */
  hold: Promise<void> | undefined
  stop(): Promise<void>
}

/** A real SMTP server on loopback at a random port: plain text, no authentication. */
export async function startSmtpReceiver(): Promise<SmtpReceiver> {
  const receiver: SmtpReceiver = {
    url: '',
    received: [],
    attempts: 0,
    refuse: () => undefined,
    hold: undefined,
    stop: async () => {},
  }
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', async () => {
        const attempt = ++receiver.attempts
        await receiver.hold
        const refusal = receiver.refuse(attempt)
        if (refusal) {
          callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }))
          return
        }
        const envelope = session.envelope
        const raw = Buffer.concat(chunks).toString('utf8')
        receiver.received.push({
          ...parseMessage(raw),
          envelopeFrom: envelope.mailFrom ? envelope.mailFrom.address : '',
          envelopeTo: envelope.rcptTo.map((r) => r.address),
        })
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.server.address() as AddressInfo
  receiver.url = `smtp://127.0.0.1:${port}`
  receiver.stop = () => new Promise((resolve) => server.close(() => resolve()))
  return receiver
}

/** Headers (unfolded, names in lower case) and body of a MIME entity. */
function splitEntity(raw: string): { headers: Map<string, string>; body: string } {
  const end = raw.indexOf('\r\n\r\n')
  const head = end < 0 ? raw : raw.slice(0, end)
  const body = end < 0 ? '' : raw.slice(end + 4)
  const headers = new Map<string, string>()
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':')
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim())
  }
  return { headers, body }
}

function decodeBody(body: string, encoding: string | undefined): string {
  if (encoding?.toLowerCase() === 'base64')
    return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
  if (encoding?.toLowerCase() === 'quoted-printable') {
    const bytes = body
      .replace(/=\r\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
    return Buffer.from(bytes, 'latin1').toString('utf8')
  }
  return body
}

/** RFC 2047 encoded words (`=?UTF-8?B?…?=`, `=?UTF-8?Q?…?=`) in a header, as text. */
function decodeHeader(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_m, _charset: string, kind: string, data: string) => {
      if (kind.toUpperCase() === 'B') return Buffer.from(data, 'base64').toString('utf8')
      const bytes = data
        .replace(/_/g, ' ')
        .replace(/=([0-9A-F]{2})/gi, (_x, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
      return Buffer.from(bytes, 'latin1').toString('utf8')
    })
}

/** Just enough MIME for the tests: a single part, or multipart/alternative of text and HTML. */
function parseMessage(raw: string) {
  const { headers, body } = splitEntity(raw)
  const parts: { type: string; text: string }[] = []
  const type = headers.get('content-type') ?? 'text/plain'
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1]
  if (boundary) {
    for (const chunk of body.split(`--${boundary}`).slice(1)) {
      if (chunk.startsWith('--')) break
      const part = splitEntity(chunk.replace(/^\r\n/, ''))
      parts.push({
        type: part.headers.get('content-type') ?? 'text/plain',
        text: decodeBody(part.body.replace(/\r\n$/, ''), part.headers.get('content-transfer-encoding')),
      })
    }
  } else {
    parts.push({ type, text: decodeBody(body, headers.get('content-transfer-encoding')) })
  }
  const partOf = (prefix: string) =>
    (parts.find((p) => p.type.startsWith(prefix))?.text ?? '').replace(/\r\n/g, '\n')
  return {
    raw,
    headers,
    from: decodeHeader(headers.get('from') ?? ''),
    to: decodeHeader(headers.get('to') ?? ''),
    subject: decodeHeader(headers.get('subject') ?? ''),
    messageId: headers.get('message-id') ?? '',
    text: partOf('text/plain'),
    html: partOf('text/html'),
  }
}
