import { type CsvColumn, decimalAmount } from '../../lib/csv.js'
import type { StatementEntry } from './wallet.service.js'

/**
 * The statement's columns in a CSV download: the fields of the JSON list, amounts in major units
 * with their currency beside them, partner and service as id and name.
 */
export function statementColumns(currency: string): CsvColumn<StatementEntry>[] {
  const money = (amount: bigint) => decimalAmount(amount, currency)
  return [
    { header: 'id', value: (e) => e.id },
    { header: 'created_at', value: (e) => e.created_at.toISOString() },
    { header: 'kind', value: (e) => e.kind },
    { header: 'direction', value: (e) => e.direction },
    { header: 'amount', value: (e) => money(e.amount) },
    { header: 'currency', value: () => currency },
    { header: 'available_change', value: (e) => money(e.available_change) },
    { header: 'balance_after', value: (e) => money(e.balance_after) },
    { header: 'partner_id', value: (e) => e.partner?.id },
    { header: 'partner_name', value: (e) => e.partner?.name, untrusted: true },
    { header: 'service_id', value: (e) => e.service?.id },
    { header: 'service_name', value: (e) => e.service?.name, untrusted: true },
    { header: 'subscription', value: (e) => e.subscription },
    { header: 'description', value: (e) => e.description, untrusted: true },
  ]
}
