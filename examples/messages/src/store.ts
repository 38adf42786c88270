import { randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Scope, Subscription } from '@protus/sdk'

/** Someone who uses Messages: registered here (`direct`) or signed in with PROTUS (`protus`). */
export interface User {
  id: string
  kind: 'direct' | 'protus'
  email: string | null
  name: string
  /** scrypt hash, for direct users. */
  passwordHash?: string
  /** The user's account at PROTUS (`acct_…`): what Messages bills. */
  protusAccount: string | null
  /** What the user allows Messages at PROTUS; direct users' managed accounts allow everything. */
  scopes: Scope[]
  /** The person revoked Messages in PROTUS; they must sign in with PROTUS again. */
  revoked?: boolean
  createdAt: string
}

export interface Client {
  id: string
  userId: string
  name: string
  phone: string
  /** The PROTUS charge that paid for it. */
  charge: string
  createdAt: string
}

export interface Campaign {
  id: string
  userId: string
  name: string
  recipients: number
  sent: number
  failed: number
  hold: string
  held: number
  captured: number
  currency: string
  createdAt: string
}

/** What paid one period of a plan: a charge PROTUS took. */
export interface PlanPayment {
  charge: string
  amount: number
  currency: string
  periodStart: string
  periodEnd: string
}

/**
 * A user's subscription to the Pro plan: the subscription as PROTUS last described it (in the
 * answer to starting or canceling it, or in a `subscription.*` webhook), and the charges that
 * paid its periods.
 */
export interface PlanSubscription {
  id: string
  userId: string
  state: Subscription
  payments: PlanPayment[]
}

/** A verified webhook as received, with how many times PROTUS sent it again. */
export interface ReceivedEvent {
  id: string
  type: string
  timestamp: string
  account: string | null
  summary: string
  duplicates: number
  receivedAt: string
}

export interface Session {
  id: string
  userId: string | null
  csrf: string
  /**
   * A Sign in with PROTUS under way: what the callback must match, and whether it grants a
   * permission a form was refused for (the callback then leads back to that form).
   */
  oauth?: { state: string; codeVerifier: string; resume?: boolean }
  /** What the user typed into a paid form that was refused for a missing permission. */
  keptForm?: KeptForm
  createdAt: string
}

/** The values of a refused form, given back once the user has allowed what it needs. */
export interface KeptForm {
  userId: string
  /** The page of the form: `/clients`, `/campaigns` or `/plans`. */
  path: string
  values: Record<string, string>
}

interface Data {
  users: User[]
  clients: Client[]
  campaigns: Campaign[]
  events: ReceivedEvent[]
  sessions: Session[]
  subscriptions: PlanSubscription[]
}

export const newId = (prefix: string) => `${prefix}_${randomBytes(9).toString('base64url')}`

/**
 * The partner's own data in one JSON file, rewritten whole (atomically) after each change. Fine
 * for a demo; a real partner keeps these in its database.
 */
export async function openStore(dataDir: string) {
  await mkdir(dataDir, { recursive: true })
  const file = join(dataDir, 'messages.json')
  const empty: Data = {
    users: [],
    clients: [],
    campaigns: [],
    events: [],
    sessions: [],
    subscriptions: [],
  }
  let data: Data
  try {
    data = { ...empty, ...JSON.parse(await readFile(file, 'utf8')) }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    data = empty
  }
  let writing = Promise.resolve()

  /** Applies a change and saves; saves run one after another, each with everything before it. */
  function save(): Promise<void> {
    writing = writing.then(async () => {
      await writeFile(`${file}.tmp`, JSON.stringify(data, null, 2))
      await rename(`${file}.tmp`, file)
    })
    return writing
  }

  return { data, save }
}

export type Store = Awaited<ReturnType<typeof openStore>>
