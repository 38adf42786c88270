/**
 * Russian plural choice for messages with four forms, "exactly one | one | few | many":
 * 1 -> "месяц", 21 -> "21 месяц", 3 -> "3 месяца", 5 and 11 -> "5 месяцев".
 * Messages with another number of forms fall back to "one | other".
 */
export function russianPlural(choice: number, choicesLength: number): number {
  const n = Math.abs(choice)
  if (choicesLength !== 4) return n === 1 ? 0 : Math.min(1, choicesLength - 1)
  if (n === 1) return 0
  const mod10 = n % 10
  const mod100 = n % 100
  if (mod10 === 1 && mod100 !== 11) return 1
  if (mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14)) return 2
  return 3
}
