import { Type } from 'typebox'

export const Status = Type.Object({ status: Type.Literal('ok') })

export const PlatformStatus = Type.Object(
  {
    mode: Type.Union([Type.Literal('sandbox'), Type.Literal('live')], {
      description: 'sandbox: no real money moves; live: real money',
    }),
    version: Type.String(),
    currency: Type.String({ description: 'ISO 4217 code of new wallets' }),
    topups_available: Type.Boolean({
      description: 'whether wallets can be topped up here (false: live mode with no payment provider)',
    }),
  },
  { $id: 'PlatformStatus', description: 'What this PROTUS is (no sign-in needed)' },
)
