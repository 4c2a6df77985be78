// The vocabulary of the product contract (docs/contract.md §2–3), shared by the bridge and the app.
// Everything else derives from these lists. zod only, no Node imports, in every contract/ file.
export const CHANNELS = ['CASH', 'ORANGE_MONEY', 'MOOV_MONEY', 'SAMA_MONEY', 'CARD', 'OTHER'] as const
export type Channel = (typeof CHANNELS)[number]

export const SERVICES = ['CONSULTATION', 'EXAM', 'PHARMACY', 'HOSPITALISATION', 'OTHER'] as const
export type Service = (typeof SERVICES)[number]

export const LINE_TYPES = ['PAYMENT', 'REFUND'] as const
export type LineType = (typeof LINE_TYPES)[number]

export const STATUSES = ['SUCCESS', 'PENDING', 'FAILED', 'EXPIRED', 'CANCELLED', 'REVERSED'] as const
export type Status = (typeof STATUSES)[number]

export const DATA_ELEMENTS = ['PAYREV_GROSS', 'PAYREV_REFUNDS', 'PAYREV_PAYMENTS', 'PAYREV_FAILED'] as const
export type DataElementCode = (typeof DATA_ELEMENTS)[number]

/** Data elements disaggregated by channel × service; the others by channel only. */
export const BY_CHANNEL_AND_SERVICE: ReadonlySet<DataElementCode> = new Set(['PAYREV_GROSS', 'PAYREV_REFUNDS'])

export const PERIOD_TYPES = ['Monthly', 'Weekly', 'Daily'] as const
export type PeriodType = (typeof PERIOD_TYPES)[number]

export const CATEGORY_CHANNEL = 'PAYREV_CHANNEL'
export const CATEGORY_SERVICE = 'PAYREV_SERVICE'
export const CATCOMBO_CHANNEL_SERVICE = 'PAYREV_CC_CHANNEL_SERVICE'
export const CATCOMBO_CHANNEL = 'PAYREV_CC_CHANNEL'
export const DATASET_CODE = 'PAYREV_MONTHLY'

export const channelOptionCode = (c: Channel): string => `PAYREV_CH_${c}`
export const serviceOptionCode = (s: Service): string => `PAYREV_SV_${s}`

export const DEFAULT_TIME_ZONE = 'Africa/Bamako'
