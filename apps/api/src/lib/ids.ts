import { randomBytes } from 'node:crypto'

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz' // Crockford base32, lower case

export type IdPrefix =
  | 'cus'
  | 'co'
  | 'svc'
  | 'cli'
  | 'acct'
  | 'hold'
  | 'ch'
  | 're'
  | 'po'
  | 'top'
  | 'sub'
  | 'evt'
  | 'whd'
  | 'grant'
  | 'areq'
  | 'mail'
  | 'ses'

let lastTime = -1
let lastRandom = Buffer.alloc(10)

/** The random part: fresh for a new millisecond, the previous one plus one within the same. */
function randomPart(time: number): { time: number; random: Buffer } {
  if (time > lastTime) {
    lastTime = time
    lastRandom = randomBytes(10)
    return { time, random: lastRandom }
  }
  const next = Buffer.from(lastRandom)
  for (let i = next.length - 1; i >= 0; i--) {
    next[i] = ((next[i] ?? 0) + 1) & 255
    if (next[i] !== 0) break
  }
  lastRandom = next
  return { time: lastTime, random: next }
}

/**
 * A prefixed public id. 48 bits of milliseconds then 80 random bits, so ids created later sort
 * later: cursor pagination (`starting_after`) can order by id alone. Within one process ids only
 * grow: in the same millisecond (or when the clock steps back) the random part counts up.
 */
export function newId(prefix: IdPrefix, now = Date.now()): string {
  const { time: stamp, random } = randomPart(now)
  let out = ''
  let time = stamp
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[time % 32] + out
    time = Math.floor(time / 32)
  }
  let bits = 0
  let value = 0
  for (const byte of random) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      bits -= 5
      out += ALPHABET[(value >> bits) & 31]
    }
  }
  return `${prefix}_${out}`
}

/** Shape check for a public id with the given prefix (used by path and query schemas). */
export function idPattern(prefix: IdPrefix): string {
  return `^${prefix}_[0-9a-hjkmnp-tv-z]{26}$`
}
