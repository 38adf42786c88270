// A lone UTF-16 surrogate: half of a pair without its other half, which no Unicode text holds.
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/**
 * Why PostgreSQL cannot store `text` as it is, or undefined when it can: text columns refuse
 * the NUL character (U+0000), and a lone surrogate is not Unicode at all (each driver would
 * turn it into U+FFFD or fail).
 */
export function unstorable(text: string): string | undefined {
  if (text.includes('\u0000')) return 'must not contain the NUL character (U+0000)'
  if (loneSurrogate.test(text)) return 'must be valid Unicode text (it holds a lone surrogate)'
  return undefined
}

/** A place in a request that holds a string PostgreSQL cannot store: a JSON Pointer and why. */
export interface UnstorableString {
  path: string
  message: string
}

const pointerToken = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1')

/**
 * Every string in `value`, object keys included, that PostgreSQL cannot store (at most `limit`).
 * Walks with its own stack, so a deeply nested body cannot overflow the call stack.
 */
export function findUnstorable(value: unknown, limit = 20): UnstorableString[] {
  const found: UnstorableString[] = []
  const stack: { value: unknown; path: string }[] = [{ value, path: '' }]
  while (stack.length > 0 && found.length < limit) {
    const next = stack.pop() as { value: unknown; path: string }
    if (typeof next.value === 'string') {
      const why = unstorable(next.value)
      if (why) found.push({ path: next.path || '/', message: why })
    } else if (Array.isArray(next.value)) {
      next.value.forEach((item, i) => {
        stack.push({ value: item, path: `${next.path}/${i}` })
      })
    } else if (typeof next.value === 'object' && next.value !== null && !Buffer.isBuffer(next.value)) {
      for (const [key, item] of Object.entries(next.value)) {
        // A bad key is named by its object, so the answer never echoes the bad text as a field.
        const why = unstorable(key)
        if (why) found.push({ path: next.path || '/', message: `has a field name that ${why}` })
        else stack.push({ value: item, path: `${next.path}/${pointerToken(key)}` })
      }
    }
  }
  return found
}
