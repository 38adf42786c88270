import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'
import { promisify } from 'node:util'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { csrfField, html, page } from '../html.js'
import { accountOf, MANAGED_SCOPES, type Protus } from '../protus.js'
import { now, signIn, viewerOf } from '../session.js'
import { newId, type Store, type User } from '../store.js'

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>

async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  return `scrypt$${salt.toString('base64')}$${(await scryptAsync(password, salt, 32)).toString('base64')}`
}

async function passwordMatches(password: string, stored: string | undefined): Promise<boolean> {
  const [, salt = '', hash = ''] = (stored ?? '').split('$')
  const expected = Buffer.from(hash, 'base64')
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), 32)
  return expected.length === actual.length && timingSafeEqual(expected, actual)
}

interface Credentials {
  email?: string
  name?: string
  password?: string
}

function signInPage(request: FastifyRequest, problem?: string): string {
  return page(
    'Messages: SMS campaigns for your clients',
    viewerOf(request),
    html`<div class="card">
  <h2>Already use PROTUS?</h2>
  <p>Pay for Messages from your PROTUS wallet: no new password, and you choose what Messages may do.</p>
  <a class="button" href="/auth/protus" data-testid="sign-in-with-protus">Sign in with PROTUS</a>
</div>
<form class="card" method="post" action="/signin">
  <h2>Sign in with your Messages account</h2>
  ${problem ? html`<p class="problem" data-testid="sign-in-problem">${problem}</p>` : ''}
  ${csrfField(request.session.csrf)}
  <label>Email <input name="email" type="email" required data-testid="sign-in-email"></label>
  <label>Password <input name="password" type="password" required data-testid="sign-in-password"></label>
  <button data-testid="sign-in">Sign in</button>
  <p>New here? <a href="/register" data-testid="to-register">Register</a></p>
</form>`,
  )
}

function registerPage(request: FastifyRequest, problem?: string): string {
  return page(
    'Register at Messages',
    viewerOf(request),
    html`<form class="card" method="post" action="/register">
  <p class="muted">You get a Messages balance to pay for clients and campaigns: add money to it on the Balance page.</p>
  ${problem ? html`<p class="problem" data-testid="register-problem">${problem}</p>` : ''}
  ${csrfField(request.session.csrf)}
  <label>Email <input name="email" type="email" required data-testid="register-email"></label>
  <label>Name <input name="name" required maxlength="64" data-testid="register-name"></label>
  <label>Password (8 characters or more) <input name="password" type="password" required minlength="8" data-testid="register-password"></label>
  <button data-testid="register">Register</button>
</form>`,
  )
}

/** Users who register at Messages itself; PROTUS keeps a managed account for each. */
export function directUserRoutes(app: FastifyInstance, { store, protus }: { store: Store; protus: Protus }) {
  /** Signs a direct user in; their managed PROTUS account is opened at the first sign-in. */
  async function startSession(request: FastifyRequest, reply: FastifyReply, user: User) {
    signIn(request, user)
    try {
      await accountOf(protus, store, user)
    } catch (error) {
      // Not fatal: the account is opened before the first payment instead.
      request.log.warn({ err: error }, 'could not open the PROTUS account yet')
    }
    await store.save()
    return reply.redirect('/clients', 303)
  }

  app.get('/', async (request, reply) =>
    request.user ? reply.redirect('/clients') : reply.type('text/html').send(signInPage(request)),
  )
  app.get('/register', async (request, reply) => reply.type('text/html').send(registerPage(request)))

  app.post<{ Body: Credentials }>('/register', async (request, reply) => {
    const email = request.body.email?.trim().toLowerCase() ?? ''
    const name = request.body.name?.trim() ?? ''
    const password = request.body.password ?? ''
    const problem = !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)
      ? 'Enter a valid email address.'
      : !name
        ? 'Enter your name.'
        : password.length < 8
          ? 'The password needs 8 characters or more.'
          : store.data.users.some((u) => u.email === email && u.kind === 'direct')
            ? 'Someone already registered with this email: sign in instead.'
            : undefined
    if (problem) return reply.status(400).type('text/html').send(registerPage(request, problem))
    const user: User = {
      id: newId('usr'),
      kind: 'direct',
      email,
      name,
      passwordHash: await hashPassword(password),
      protusAccount: null,
      scopes: MANAGED_SCOPES,
      createdAt: now(),
    }
    store.data.users.push(user)
    return startSession(request, reply, user)
  })

  app.post<{ Body: Credentials }>('/signin', async (request, reply) => {
    const email = request.body.email?.trim().toLowerCase() ?? ''
    const user = store.data.users.find((u) => u.email === email && u.kind === 'direct')
    // Hashes even for an unknown email, so the answer time does not tell which emails exist.
    const matches = await passwordMatches(request.body.password ?? '', user?.passwordHash)
    if (!user || !matches) {
      return reply.status(401).type('text/html').send(signInPage(request, 'Wrong email or password.'))
    }
    return startSession(request, reply, user)
  })

  app.post('/signout', async (request, reply) => {
    store.data.sessions = store.data.sessions.filter((s) => s.id !== request.session.id)
    await store.save()
    return reply.clearCookie('messages_session', { path: '/' }).redirect('/', 303)
  })
}
