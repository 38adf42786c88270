import { Type } from 'typebox'

const closed = { additionalProperties: false } as const

const Threshold = Type.Union(
  [Type.Integer({ minimum: 1, maximum: 1_000_000_000_000, description: 'Integer minor units' }), Type.Null()],
  { description: 'Email an alert when the available funds fall below this (minor units); null: no alerts' },
)
const Locale = Type.Union([Type.Literal('en'), Type.Literal('ru')], {
  description: 'The language of the emails',
})

/** What PROTUS emails the signed-in person about their money. */
export const NotificationSettings = Type.Object(
  {
    receipts: Type.Boolean({ description: 'A receipt for every charge, subscription renewals included' }),
    new_partner: Type.Boolean({
      description: 'An email when the person connects a new partner (first consent)',
    }),
    low_balance_threshold: Threshold,
    locale: Locale,
  },
  {
    ...closed,
    $id: 'NotificationSettings',
    description: 'A low-balance alert is sent once each time the funds fall below the threshold',
  },
)

export const NotificationSettingsPatch = Type.Object(
  {
    receipts: Type.Optional(Type.Boolean()),
    new_partner: Type.Optional(Type.Boolean()),
    low_balance_threshold: Type.Optional(Threshold),
    locale: Type.Optional(Locale),
  },
  closed,
)

export const notificationsSchemas = [NotificationSettings]
