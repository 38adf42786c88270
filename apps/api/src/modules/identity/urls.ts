import type { FieldError } from '../../lib/domain-error.js'

const loopbackHosts = new Set(['localhost', '[::1]'])

function isLoopback(hostname: string): boolean {
  return loopbackHosts.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname)
}

/**
 * A URL PROTUS will send people or events to: absolute, https (or http on a loopback host, for
 * development), no credentials, no fragment. Returns why not, or undefined when it is fine.
 */
export function callbackUrlProblem(raw: string): string | undefined {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return 'must be an absolute URL'
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
    return 'must use https (http is allowed only on localhost, 127.0.0.0/8 and [::1])'
  }
  if (url.username || url.password) return 'must not contain credentials'
  if (url.hash || raw.includes('#')) return 'must not contain a fragment'
  return undefined
}

export function redirectUriErrors(uris: readonly string[]): FieldError[] {
  const errors: FieldError[] = []
  uris.forEach((uri, index) => {
    const problem = callbackUrlProblem(uri)
    if (problem) errors.push({ field: `/redirect_uris/${index}`, message: problem })
    else if (uris.indexOf(uri) !== index)
      errors.push({ field: `/redirect_uris/${index}`, message: 'is listed twice' })
  })
  return errors
}
