import { existsSync } from 'node:fs'
import { join } from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { sendProblem } from './problem/problem.plugin.js'

// Paths the server answers itself; `/sandbox/checkout` exists only in sandbox mode, and is a 404 in
// live mode. Other `/sandbox/…` paths are pages of the web app (the sandbox mailbox at /sandbox/mail).
const apiPrefixes = [
  '/v1',
  '/oauth',
  '/sandbox/checkout',
  '/docs',
  '/.well-known',
  '/healthz',
  '/readyz',
  '/metrics',
]

const isApiPath = (path: string) =>
  apiPrefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))

/** A path whose last segment has an extension names a file (`/favicon.ico`, `/assets/x.js`), not a page. */
const namesFile = (path: string) => /\.[^/]*$/.test(path)

/**
 * Serves the built web app at `/` when `webDir` holds one, with the SPA fallback: a GET or HEAD
 * for a page that is not a file gets index.html, whatever the Accept header (`curl /` sees the app,
 * and so does a person opening `/wallet`). A missing file gets the page only when a browser asks
 * for HTML. Unknown API paths and everything else unknown are a problem+json 404.
 */
export const webPlugin = fp(async (app: FastifyInstance, opts: { webDir: string }) => {
  const hasWeb = existsSync(join(opts.webDir, 'index.html'))
  if (hasWeb) {
    await app.register(fastifyStatic, {
      root: opts.webDir,
      wildcard: false,
      index: false,
      setHeaders(reply, path) {
        // Vite names assets by content hash; index.html must always be fetched anew.
        reply.header(
          'cache-control',
          path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        )
      },
    })
    // Browsers ask for /favicon.ico on pages that name no icon (the API's own HTML pages, say).
    if (existsSync(join(opts.webDir, 'favicon.svg'))) {
      app.get('/favicon.ico', { schema: { hide: true } }, (_request, reply) =>
        reply.redirect('/favicon.svg', 301),
      )
    }
  } else {
    app.log.warn({ webDir: opts.webDir }, 'web app is not built: only the API is served')
  }
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/'
    const wantsPage =
      hasWeb &&
      (request.method === 'GET' || request.method === 'HEAD') &&
      !isApiPath(path) &&
      (!namesFile(path) || (request.headers.accept ?? '').includes('text/html'))
    if (wantsPage) return reply.header('cache-control', 'no-cache').sendFile('index.html')
    return sendProblem(request, reply, 'not_found', `no route for ${request.method} ${path}`)
  })
})
