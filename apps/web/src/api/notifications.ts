import { http } from './http.ts'

/** What PROTUS emails the person about their money (GET /v1/me/notifications). */
export interface NotificationSettings {
  receipts: boolean
  new_partner: boolean
  /** Minor units; null: no low-balance alerts. */
  low_balance_threshold: number | null
  locale: 'en' | 'ru'
}

export function fetchNotificationSettings(): Promise<NotificationSettings> {
  return http.get('/v1/me/notifications')
}

export function updateNotificationSettings(
  change: Partial<NotificationSettings>,
): Promise<NotificationSettings> {
  return http.patch('/v1/me/notifications', change)
}
