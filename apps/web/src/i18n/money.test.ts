import { describe, expect, it } from 'vitest'
import { currencySymbol, formatMoney, fractionDigits, minorToDecimal, parseMoney } from './money.ts'

// ICU separates groups and symbols with no-break spaces; compare with plain ones.
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ')

describe('formatMoney', () => {
  it('shows 15000 RUB minor units as 150 roubles in English and Russian', () => {
    expect(formatMoney(15000, 'RUB', 'en')).toBe('₽150.00')
    expect(plain(formatMoney(15000, 'RUB', 'ru'))).toBe('150,00 ₽')
  })

  it('uses the currency’s own number of fraction digits', () => {
    expect(formatMoney(1500, 'JPY', 'en')).toBe('¥1,500')
    expect(plain(formatMoney(1500, 'KWD', 'en'))).toBe('KWD 1.500')
    expect(formatMoney(5, 'USD', 'en')).toBe('$0.05')
  })

  it('formats large amounts exactly, without floating point rounding', () => {
    expect(formatMoney(900719925474099, 'RUB', 'en')).toBe('₽9,007,199,254,740.99')
    expect(plain(formatMoney(1_000_000_000_000, 'RUB', 'ru'))).toBe('10 000 000 000,00 ₽')
  })

  it('keeps the sign of negative amounts', () => {
    expect(formatMoney(-150, 'RUB', 'en')).toBe('-₽1.50')
  })

  it('marks money in and out with a sign when asked to', () => {
    expect(formatMoney(50000, 'RUB', 'en', { signed: true })).toBe('+₽500.00')
    expect(formatMoney(-12000, 'RUB', 'en', { signed: true })).toBe('-₽120.00')
    expect(plain(formatMoney(50000, 'RUB', 'ru', { signed: true }))).toBe('+500,00 ₽')
    expect(formatMoney(0, 'RUB', 'en', { signed: true })).toBe('₽0.00')
    expect(formatMoney(50000, 'RUB', 'en')).toBe('₽500.00')
  })

  it('accepts a lower-case currency code', () => {
    expect(formatMoney(15000, 'rub', 'en')).toBe('₽150.00')
  })

  it('refuses amounts that are not safe integers', () => {
    expect(() => formatMoney(1.5, 'RUB')).toThrow(RangeError)
    expect(() => formatMoney(2 ** 53, 'RUB')).toThrow(RangeError)
  })
})

describe('minorToDecimal', () => {
  it('writes every fraction digit so a price input can be prefilled', () => {
    expect(minorToDecimal(15000, 'RUB')).toBe('150.00')
    expect(minorToDecimal(7, 'RUB')).toBe('0.07')
    expect(minorToDecimal(-7, 'RUB')).toBe('-0.07')
    expect(minorToDecimal(1500, 'JPY')).toBe('1500')
    expect(fractionDigits('KWD')).toBe(3)
  })
})

describe('parseMoney', () => {
  it('reads whole and decimal amounts with a dot or a comma', () => {
    expect(parseMoney('150', 'RUB')).toBe(15000)
    expect(parseMoney('150.00', 'RUB')).toBe(15000)
    expect(parseMoney('150,5', 'RUB')).toBe(15050)
    expect(parseMoney('0.07', 'RUB')).toBe(7)
    expect(parseMoney('.5', 'RUB')).toBe(50)
    expect(parseMoney('150,', 'RUB')).toBe(15000)
  })

  it('reads grouped amounts in English and Russian notation', () => {
    expect(parseMoney('1,500.25', 'RUB')).toBe(150025)
    expect(parseMoney('1.500,25', 'RUB')).toBe(150025)
    expect(parseMoney('1 500,25', 'RUB')).toBe(150025)
    expect(parseMoney('1\u00a0500,25', 'RUB')).toBe(150025)
    expect(parseMoney('1,000,000', 'RUB')).toBe(100000000)
  })

  it('refuses a lone separator before three digits, which reads as 1500 or 1.5 depending on the reader', () => {
    expect(parseMoney('1,500', 'RUB')).toBeNull()
    expect(parseMoney('1.500', 'RUB')).toBeNull()
  })

  it('reads back what formatMoney wrote, in both languages', () => {
    for (const minor of [1, 99, 15000, 123456789]) {
      for (const locale of ['en', 'ru']) {
        expect(parseMoney(formatMoney(minor, 'RUB', locale), 'RUB')).toBe(minor)
        expect(parseMoney(formatMoney(minor, 'USD', locale), 'USD')).toBe(minor)
      }
    }
    expect(parseMoney('150 RUB', 'RUB')).toBe(15000)
  })

  it('follows the currency’s fraction digits', () => {
    expect(parseMoney('1500', 'JPY')).toBe(1500)
    expect(parseMoney('1,500', 'JPY')).toBe(1500)
    expect(parseMoney('1.5', 'JPY')).toBeNull()
    expect(parseMoney('1.500', 'KWD')).toBe(1500)
  })

  it('rejects more fraction digits than the currency has', () => {
    expect(parseMoney('1.2345', 'USD')).toBeNull()
    expect(parseMoney('0.001', 'RUB')).toBeNull()
  })

  it('keeps a minus sign so the caller can refuse negative prices', () => {
    expect(parseMoney('-5', 'RUB')).toBe(-500)
  })

  it('returns null for text that is not an amount', () => {
    for (const text of [
      '',
      '   ',
      'abc',
      '1e5',
      '12a',
      '1..2',
      '1,2,3.4.5',
      '12,34,56',
      '-',
      '.',
      '1.5.00',
      '150 USD',
    ])
      expect(parseMoney(text, 'RUB'), text).toBeNull()
  })

  it('returns null for amounts beyond exact integer range', () => {
    expect(parseMoney('900719925474099.92', 'RUB')).toBeNull()
  })
})

describe('currencySymbol', () => {
  it('names a currency by the sign its amounts show', () => {
    expect(currencySymbol('RUB', 'en')).toBe('₽')
    expect(currencySymbol('rub', 'ru')).toBe('₽')
    expect(currencySymbol('USD', 'en')).toBe('$')
  })
})
