import type { Migration } from '../../../db/migrations.js'

export const notificationsMigrations: Migration[] = [
  {
    id: 'notifications/001-settings',
    sql: `
-- What PROTUS emails a person about their money, and in which language. A person without a row
-- gets receipts and "new partner" emails in English, and no low-balance alerts.
CREATE TABLE notification_settings (
  customer_id text PRIMARY KEY,
  receipts boolean NOT NULL DEFAULT true,
  new_partner boolean NOT NULL DEFAULT true,
  -- Alert when the available funds fall below this (minor units); null: no alerts.
  low_balance_threshold bigint CHECK (low_balance_threshold > 0),
  -- Set when an alert was sent and the funds have not been seen back at the threshold since:
  -- one alert per crossing.
  low_balance_alerted boolean NOT NULL DEFAULT false,
  locale text NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'ru')),
  updated_at timestamptz NOT NULL
);
`,
  },
]
