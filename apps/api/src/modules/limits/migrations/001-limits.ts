import type { Migration } from '../../../db/migrations.js'

export const limitsMigrations: Migration[] = [
  {
    id: 'limits/001-limits',
    sql: `
-- Requests counted per key (a limit's name and a client address) in fixed windows, in the
-- database so that every API process counts into the same row.
CREATE TABLE limits_windows (
  key text NOT NULL,
  window_start timestamptz NOT NULL,
  window_end timestamptz NOT NULL,
  hits integer NOT NULL,
  PRIMARY KEY (key, window_start)
);
CREATE INDEX limits_windows_end ON limits_windows (window_end);
`,
  },
]
