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
  | 'top'
  | 'sub'
  | 'evt'
  | 'whd'
  | 'grant'
  | 'areq'

/**
 * A prefixed public id. 48 bits of milliseconds then 80 random bits, so ids created later sort
 * later: cursor pagination (`starting_after`) can order by id alone.
 */
export function newId(prefix: IdPrefix, now = Date.now()): string {
  let out = ''
  let time = now
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[time % 32] + out
    time = Math.floor(time / 32)
  }
  const random = randomBytes(10)
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
