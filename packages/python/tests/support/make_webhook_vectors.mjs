// Prints Standard Webhooks test vectors signed by the `standardwebhooks` package (the signer
// PROTUS uses), as JSON: [{ secret, id, timestamp, body, signature }], `timestamp` in unix
// seconds and `signature` the whole `webhook-signature` header value.
// Run from the repository root: node packages/python/tests/support/make_webhook_vectors.mjs
import { randomBytes } from 'node:crypto'
import { Webhook } from 'standardwebhooks'

const secrets = [
  `whsec_${randomBytes(32).toString('base64')}`,
  `whsec_${randomBytes(24).toString('base64')}`,
  // Without the prefix the whole text is the base64 key.
  randomBytes(32).toString('base64'),
  'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
]

const event = (type, data, timestamp) => JSON.stringify({ type, timestamp, data })

const bodies = [
  event('ping', { message: 'hello' }, '2024-05-01T10:00:00.000Z'),
  event(
    'charge.succeeded',
    {
      id: 'ch_1',
      amount: 1250,
      description: 'Café crème — 2 × ☕, 日本語, emoji 🎉',
      metadata: { order: 'ö-42' },
    },
    '2024-05-01T10:00:01.000Z',
  ),
  // Pretty-printed: spaces and newlines are part of what is signed.
  JSON.stringify(
    {
      type: 'grant.revoked',
      timestamp: '2024-05-01T10:00:02.000Z',
      data: { account: 'acct_1', scopes: ['check', 'charge'] },
    },
    null,
    2,
  ),
  event(
    'hold.created',
    { id: 'hold_1', note: 'a body with  two spaces and a\ttab' },
    '2024-05-01T10:00:03.000Z',
  ),
]

const ids = ['evt_01HX0000000000000000000000', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 'evt_with.dots.and-dashes']
// Milliseconds, some with a fraction of a second that the signature rounds down.
const times = [1714557600000, 1714557601999, 978307200500, 4102444800000]

const vectors = []
secrets.forEach((secret, i) => {
  bodies.forEach((body, j) => {
    const id = ids[(i + j) % ids.length]
    const date = new Date(times[(i * bodies.length + j) % times.length])
    vectors.push({
      secret,
      id,
      timestamp: Math.floor(date.getTime() / 1000),
      body,
      signature: new Webhook(secret).sign(id, date, body),
    })
  })
})

// A rotation as PROTUS sends it: one signature per live secret, newest first.
const [newest, oldest] = [secrets[0], secrets[1]]
const rotatedDate = new Date(times[0])
vectors.push({
  secret: [newest, oldest],
  id: ids[0],
  timestamp: Math.floor(rotatedDate.getTime() / 1000),
  body: bodies[1],
  signature: [newest, oldest].map((s) => new Webhook(s).sign(ids[0], rotatedDate, bodies[1])).join(' '),
})

process.stdout.write(JSON.stringify(vectors))
