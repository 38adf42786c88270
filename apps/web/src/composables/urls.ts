const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

/**
 * Whether a redirect URI or webhook URL may be registered: https anywhere, plain http only on
 * the loopback interface (local development), never with a fragment.
 */
export function isAllowedEndpointUrl(text: string): boolean {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return false
  }
  if (url.hash || text.includes('#')) return false
  if (url.protocol === 'https:') return url.hostname !== ''
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)
}

/** The host a person will recognise in an address (`partner.example`, `127.0.0.1:3000`). */
export function displayHost(text: string): string {
  try {
    return new URL(text).host || text
  } catch {
    return text
  }
}
