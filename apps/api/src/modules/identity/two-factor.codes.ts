import { randomInt } from 'node:crypto'
import { Secret, TOTP } from 'otpauth'
import QRCode from 'qrcode'

/** RFC 6238 as every authenticator app reads it: SHA-1, 6 digits, 30-second steps. */
const PERIOD = 30
const DIGITS = 6
/** Codes of the step before and after the current one are accepted too (clocks drift). */
export const TOTP_WINDOW = 1
export const RECOVERY_CODE_COUNT = 10
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'

const totpOf = (base32: string, label = '') =>
  new TOTP({
    issuer: 'PROTUS',
    label,
    algorithm: 'SHA1',
    digits: DIGITS,
    period: PERIOD,
    secret: Secret.fromBase32(base32),
  })

/** A new random secret (160 bits, base32, as the manual key). */
export const newTotpSecret = (): string => new Secret({ size: 20 }).base32

/** The otpauth:// URI an authenticator app scans, and the same as an SVG QR code in a data URL. */
export async function enrolmentUri(base32: string, label: string) {
  const uri = totpOf(base32, label).toString()
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
  return { uri, qr: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` }
}

/**
 * The time step whose code `code` is at `now`, within ±TOTP_WINDOW steps, or undefined.
 * otpauth compares the codes in constant time.
 */
export function matchingStep(base32: string, code: string, now: Date): number | undefined {
  const timestamp = now.getTime()
  const delta = totpOf(base32).validate({ token: code, timestamp, window: TOTP_WINDOW })
  return delta === null ? undefined : TOTP.counter({ period: PERIOD, timestamp }) + delta
}

/** Ten recovery codes like `k3m9p-x7qrt` (50 random bits each). */
export function newRecoveryCodes(): string[] {
  const part = () =>
    Array.from({ length: 5 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join('')
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => `${part()}-${part()}`)
}

/** A recovery code as typed (any case, with or without the dash or spaces), as it is stored. */
export const normalRecoveryCode = (typed: string) => typed.toLowerCase().replace(/[\s-]/g, '')
