import type { Migration } from '../../../db/migrations.js'

export const testClockMigrations: Migration[] = [
  {
    id: 'test-clock/001-offset',
    sql: `
-- The sandbox clock (PROTUS_TEST_CLOCK=true): how far ahead of real time every process's clock
-- runs. One row; the offset only grows, so the clock never runs backwards.
CREATE TABLE test_clock (
  id         boolean PRIMARY KEY DEFAULT true CHECK (id),
  offset_ms  bigint NOT NULL DEFAULT 0 CHECK (offset_ms >= 0),
  updated_at timestamptz
);
INSERT INTO test_clock (id) VALUES (true);
`,
  },
]
