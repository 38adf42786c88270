import type { Migration } from '../../../db/migrations.js'

export const catalogueMigrations: Migration[] = [
  {
    id: 'catalogue/001-services',
    sql: `
CREATE TABLE catalogue_services (
  id text PRIMARY KEY,
  company_id text NOT NULL,
  name text NOT NULL,
  price bigint NOT NULL CHECK (price > 0 AND price <= 1000000000000),
  currency char(3) NOT NULL,
  recurring_interval text CHECK (recurring_interval IN ('day', 'week', 'month', 'year')),
  recurring_count integer CHECK (recurring_count BETWEEN 1 AND 365),
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK ((recurring_interval IS NULL) = (recurring_count IS NULL))
);
CREATE INDEX catalogue_services_company ON catalogue_services (company_id, id);
`,
  },
]
