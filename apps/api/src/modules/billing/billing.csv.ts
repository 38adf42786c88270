import { type CsvColumn, decimalAmount } from '../../lib/csv.js'
import type { ChargeRow } from './billing.repository.js'
import type { BalanceTransactionRow } from './payouts.repository.js'

/** The fields of `GET /v1/charges` as CSV columns: amounts in major units beside their currency. */
export const chargeColumns: CsvColumn<ChargeRow>[] = [
  { header: 'id', value: (c) => c.id },
  { header: 'created_at', value: (c) => c.created_at.toISOString() },
  { header: 'account', value: (c) => c.account_id },
  { header: 'service', value: (c) => c.service_id },
  { header: 'quantity', value: (c) => c.quantity?.toString() },
  { header: 'description', value: (c) => c.description, untrusted: true },
  { header: 'amount', value: (c) => decimalAmount(c.amount, c.currency) },
  { header: 'amount_refunded', value: (c) => decimalAmount(c.amount_refunded, c.currency) },
  { header: 'currency', value: (c) => c.currency },
  { header: 'hold', value: (c) => c.hold_id },
  { header: 'status', value: () => 'succeeded' },
  { header: 'metadata', value: (c) => JSON.stringify(c.metadata), untrusted: true },
]

/** The fields of `GET /v1/balance_transactions` as CSV columns. */
export const balanceTransactionColumns: CsvColumn<BalanceTransactionRow>[] = [
  { header: 'id', value: (t) => t.id },
  { header: 'created_at', value: (t) => t.created_at.toISOString() },
  { header: 'type', value: (t) => t.type },
  { header: 'amount', value: (t) => decimalAmount(t.amount, t.currency) },
  { header: 'fee', value: (t) => decimalAmount(0n, t.currency) },
  { header: 'net', value: (t) => decimalAmount(t.amount, t.currency) },
  { header: 'currency', value: (t) => t.currency },
  { header: 'source', value: (t) => t.source },
  { header: 'service', value: (t) => t.service },
  { header: 'account', value: (t) => t.account },
  { header: 'description', value: (t) => t.description, untrusted: true },
]

export const CSV_FORMAT =
  'RFC 4180 (CRLF line ends, quoted where needed), UTF-8 starting with a byte order mark, a header row; amounts as decimals in major units (12.34) with a currency column, times in ISO 8601 (UTC). Streamed: any number of rows.'
