// Storage for the oidc-provider that the OAuth rows compare PROTUS with (bench/oidc-provider.mjs).
// Written for the bench against oidc-provider's adapter interface (one instance per model name:
// upsert, find, findByUid, findByUserCode, consume, destroy, revokeByGrantId).
//
// - memory: a plain Map that never evicts. The adapter oidc-provider ships for development keeps
//   at most about 1,000 entries (an LRU) and would drop live refresh tokens under load.
// - postgres: one table on the bench's PostgreSQL server, one statement per adapter call
//   (autocommit, synchronous_commit as the server has it), named statements so each is planned
//   once per connection, a pool as large as PROTUS's. The durable counterpart of PROTUS's tables.
import pg from 'pg'

const nowSeconds = () => Math.floor(Date.now() / 1000)

export function memoryAdapter() {
  const entries = new Map() // `${model}:${id}` → { payload, expiresAt }
  const byGrant = new Map() // grantId → Set of keys
  const byUid = new Map()
  const byUserCode = new Map()
  const live = (key) => {
    const entry = entries.get(key)
    if (!entry) return undefined
    if (entry.expiresAt !== undefined && entry.expiresAt <= nowSeconds()) {
      entries.delete(key)
      return undefined
    }
    return entry.payload
  }
  return class MemoryAdapter {
    constructor(model) {
      this.model = model
    }
    key(id) {
      return `${this.model}:${id}`
    }
    async upsert(id, payload, expiresIn) {
      const key = this.key(id)
      entries.set(key, { payload, expiresAt: expiresIn ? nowSeconds() + expiresIn : undefined })
      if (payload.grantId) {
        const keys = byGrant.get(payload.grantId) ?? new Set()
        keys.add(key)
        byGrant.set(payload.grantId, keys)
      }
      if (payload.uid) byUid.set(payload.uid, id)
      if (payload.userCode) byUserCode.set(payload.userCode, id)
    }
    async find(id) {
      return live(this.key(id))
    }
    async findByUid(uid) {
      const id = byUid.get(uid)
      return id === undefined ? undefined : this.find(id)
    }
    async findByUserCode(userCode) {
      const id = byUserCode.get(userCode)
      return id === undefined ? undefined : this.find(id)
    }
    async consume(id) {
      const payload = live(this.key(id))
      if (payload) payload.consumed = nowSeconds()
    }
    async destroy(id) {
      entries.delete(this.key(id))
    }
    async revokeByGrantId(grantId) {
      for (const key of byGrant.get(grantId) ?? []) entries.delete(key)
      byGrant.delete(grantId)
    }
  }
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS oidc_entries (
  model       text NOT NULL,
  id          text NOT NULL,
  payload     jsonb NOT NULL,
  grant_id    text,
  uid         text,
  user_code   text,
  expires_at  timestamptz,
  consumed_at timestamptz,
  PRIMARY KEY (model, id)
);
CREATE INDEX IF NOT EXISTS oidc_entries_grant ON oidc_entries (grant_id);
CREATE INDEX IF NOT EXISTS oidc_entries_uid ON oidc_entries (uid);
CREATE INDEX IF NOT EXISTS oidc_entries_user_code ON oidc_entries (user_code);`

const statements = {
  upsert: `INSERT INTO oidc_entries (model, id, payload, grant_id, uid, user_code, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $7::int IS NULL THEN NULL ELSE now() + make_interval(secs => $7::int) END)
           ON CONFLICT (model, id) DO UPDATE SET payload = excluded.payload, grant_id = excluded.grant_id,
             uid = excluded.uid, user_code = excluded.user_code, expires_at = excluded.expires_at`,
  find: `SELECT payload, extract(epoch FROM consumed_at)::int AS consumed FROM oidc_entries
          WHERE model = $1 AND id = $2 AND (expires_at IS NULL OR expires_at > now())`,
  findByUid: `SELECT payload, extract(epoch FROM consumed_at)::int AS consumed FROM oidc_entries
               WHERE model = $1 AND uid = $2 AND (expires_at IS NULL OR expires_at > now())`,
  findByUserCode: `SELECT payload, extract(epoch FROM consumed_at)::int AS consumed FROM oidc_entries
                    WHERE model = $1 AND user_code = $2 AND (expires_at IS NULL OR expires_at > now())`,
  consume: 'UPDATE oidc_entries SET consumed_at = now() WHERE model = $1 AND id = $2',
  destroy: 'DELETE FROM oidc_entries WHERE model = $1 AND id = $2',
  revokeByGrantId: 'DELETE FROM oidc_entries WHERE grant_id = $1',
}

/** The PostgreSQL adapter class and a `close()` for its pool; creates its table if missing. */
export async function postgresAdapter(connectionString, poolSize) {
  const pool = new pg.Pool({ connectionString, max: poolSize })
  pool.on('error', () => {})
  await pool.query(SCHEMA)
  const run = async (name, values) =>
    (await pool.query({ name: `oidc_${name}`, text: statements[name], values })).rows
  const found = (rows) => {
    const row = rows[0]
    if (!row) return undefined
    return row.consumed === null ? row.payload : { ...row.payload, consumed: row.consumed }
  }
  class PostgresAdapter {
    constructor(model) {
      this.model = model
    }
    async upsert(id, payload, expiresIn) {
      await run('upsert', [
        this.model,
        id,
        payload,
        payload.grantId ?? null,
        payload.uid ?? null,
        payload.userCode ?? null,
        expiresIn ?? null,
      ])
    }
    async find(id) {
      return found(await run('find', [this.model, id]))
    }
    async findByUid(uid) {
      return found(await run('findByUid', [this.model, uid]))
    }
    async findByUserCode(userCode) {
      return found(await run('findByUserCode', [this.model, userCode]))
    }
    async consume(id) {
      await run('consume', [this.model, id])
    }
    async destroy(id) {
      await run('destroy', [this.model, id])
    }
    async revokeByGrantId(grantId) {
      await run('revokeByGrantId', [grantId])
    }
  }
  return { Adapter: PostgresAdapter, close: () => pool.end() }
}
