import { randomBytes } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { FastifyBaseLogger } from 'fastify'
import type { Config } from '../config.js'

/**
 * The key that encrypts secrets at rest. `PROTUS_SECRET_KEY` wins; otherwise a key is kept in
 * `<data dir>/secret.key`, created on first start (and said so in the log). Losing that file makes
 * stored webhook secrets unreadable, so production sets the variable.
 */
export async function resolveSecretKey(config: Config, log: FastifyBaseLogger): Promise<Buffer> {
  if (config.secretKey) return config.secretKey
  if (config.inMemoryDatabase) return randomBytes(32)
  const file = join(config.dataDir, 'secret.key')
  try {
    const key = Buffer.from((await readFile(file, 'utf8')).trim(), 'hex')
    if (key.length === 32) return key
    throw new Error(`${file} does not hold a 32-byte hex key`)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  const key = randomBytes(32)
  await mkdir(config.dataDir, { recursive: true })
  await writeFile(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' })
  log.warn({ file }, 'PROTUS_SECRET_KEY is not set: generated a secret key for this data directory')
  return key
}
