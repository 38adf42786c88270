import { createHash, randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** The partner's site: a local server whose /callback records what PROTUS sent the browser back with. */
export interface PartnerSite {
  redirectUri: string
  /** The query of the next request to /callback. */
  nextCallback(): Promise<URLSearchParams>
  close(): Promise<void>
}

export async function startPartnerSite(): Promise<PartnerSite> {
  const waiting: ((query: URLSearchParams) => void)[] = []
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (url.pathname === '/callback') for (const resolve of waiting.splice(0)) resolve(url.searchParams)
    // The browser asks every site for its icon; a 404 would be a console error in the test.
    if (url.pathname === '/favicon.ico') return void res.writeHead(204).end()
    res.writeHead(url.pathname === '/callback' ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' })
    res.end('<!doctype html><title>Partner</title><h1>Back at the partner</h1>')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    redirectUri: `http://127.0.0.1:${port}/callback`,
    nextCallback: () => new Promise((resolve) => waiting.push(resolve)),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

/** RFC 7636 S256: the verifier stays with the partner, the challenge goes in the authorize URL. */
export function pkce() {
  const verifier = randomBytes(32).toString('base64url')
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') }
}
