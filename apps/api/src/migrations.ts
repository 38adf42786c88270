import type { Migration } from './db/migrations.js'
import { catalogueMigrations } from './modules/catalogue/migrations/001-catalogue.js'
import { identityMigrations } from './modules/identity/migrations/001-identity.js'

/** Every module's migrations, in the order modules depend on each other. */
export const allMigrations: readonly Migration[] = [...identityMigrations, ...catalogueMigrations]
