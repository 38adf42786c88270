import type { Grant, PartnerAccount } from '../api/types.ts'

/** A partner the person allowed to act for them, with their account there when it is known. */
export interface Connection {
  grant: Grant
  account: PartnerAccount | null
}

export interface Connections {
  /** Partners with access now. */
  connected: Connection[]
  /** Partners whose access was revoked, most recently revoked first: what they spent stays visible. */
  former: Grant[]
}

/** Pairs each live grant with the person's account at that partner; revoked grants are former partners. */
export function joinConnections(grants: readonly Grant[], accounts: readonly PartnerAccount[]): Connections {
  const byId = new Map(accounts.map((account) => [account.id, account]))
  return {
    connected: grants
      .filter((grant) => grant.revoked_at === null)
      .map((grant) => ({ grant, account: byId.get(grant.account_id) ?? null })),
    former: grants.filter((grant) => grant.revoked_at !== null),
  }
}

/** The connections after `clientId` lost its access at `revokedAt`: it leads the former partners. */
export function withoutGrant(current: Connections, clientId: string, revokedAt: string): Connections {
  const gone = current.connected.find((connection) => connection.grant.client_id === clientId)
  if (!gone) return current
  return {
    connected: current.connected.filter((connection) => connection !== gone),
    former: [
      { ...gone.grant, revoked_at: revokedAt },
      ...current.former.filter((grant) => grant.client_id !== clientId),
    ],
  }
}

/** The connections with `grant` in place of the one for the same partner (after its limit changed). */
export function withGrant(current: Connections, grant: Grant): Connections {
  return {
    ...current,
    connected: current.connected.map((connection) =>
      connection.grant.client_id === grant.client_id ? { ...connection, grant } : connection,
    ),
  }
}
