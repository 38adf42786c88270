#!/usr/bin/env node
import { ConfigError, loadConfig } from './config.js'
import { migrate } from './db/migrations.js'
import { openDatabase } from './db/open.js'
import { allMigrations } from './migrations.js'
import { startServer } from './server.js'

const usage = `Usage: protus <command>

Commands:
  start     run the API server and web app (PORT, HOST, DATABASE_URL, … from the environment)
  migrate   apply database migrations and exit
  help      show this text`

async function main(argv: string[]): Promise<number> {
  const [command = 'help'] = argv
  switch (command) {
    case 'start': {
      await startServer(loadConfig())
      return -1 // keep running until a signal
    }
    case 'migrate': {
      const config = loadConfig()
      const db = await openDatabase(config)
      try {
        const applied = await migrate(db, allMigrations)
        console.log(applied.length > 0 ? `applied: ${applied.join(', ')}` : 'database is up to date')
      } finally {
        await db.close()
      }
      return 0
    }
    case 'help':
    case '--help':
    case '-h':
      console.log(usage)
      return 0
    default:
      console.error(`unknown command "${command}"\n\n${usage}`)
      return 2
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code)
  },
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error)
    process.exit(1)
  },
)
