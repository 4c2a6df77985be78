import { z } from 'zod'
import { CHANNELS, DATA_ELEMENTS, PERIOD_TYPES, SERVICES } from '../domain/codes'

const ianaZone = z.string().refine(
    (zone) => {
        try {
            new Intl.DateTimeFormat('en', { timeZone: zone })
            return true
        } catch {
            return false
        }
    },
    { message: 'unknown IANA time zone / fuseau horaire IANA inconnu' }
)

export const facilityConfigSchema = z.object({
    /** The facility code as the ledger writes it. */
    code: z.string().min(1),
    /** The DHIS2 org unit code (or UID) when it differs from the ledger's code. */
    orgUnit: z.string().min(1).optional(),
    timeZone: ianaZone.optional(),
})

export const configSchema = z
    .object({
        dhis2: z
            .object({
                /** Server root without /api; may carry a context path. DHIS2_BASE_URL wins. */
                baseUrl: z.string().url().optional(),
                timeoutMs: z.number().int().positive().default(60_000),
                /** Retries of one request on 5xx, 429, time-outs and dropped connections. */
                retries: z.number().int().min(0).max(20).default(3),
                retryBaseDelayMs: z.number().int().min(0).default(1_000),
                /** Data values per POST /api/dataValueSets. */
                batchSize: z.number().int().min(1).max(100_000).default(5_000),
            })
            .strict()
            .default({ timeoutMs: 60_000, retries: 3, retryBaseDelayMs: 1_000, batchSize: 5_000 }),
        /** Default facility time zone; BRIDGE_TIME_ZONE, then Africa/Bamako, when absent. */
        timeZone: ianaZone.optional(),
        periodType: z.enum(PERIOD_TYPES).default('Monthly'),
        facilities: z.array(facilityConfigSchema).default([]),
        aliases: z
            .object({
                channel: z.record(z.string(), z.enum(CHANNELS)).default({}),
                service: z.record(z.string(), z.enum(SERVICES)).default({}),
            })
            .strict()
            .default({ channel: {}, service: {} }),
        /** Map onto national metadata instead of the PAYREV package (codes on the server). */
        metadata: z
            .object({
                dataSet: z.string().min(1).optional(),
                dataElements: z.partialRecord(z.enum(DATA_ELEMENTS), z.string().min(1)).default({}),
                channelOptions: z.partialRecord(z.enum(CHANNELS), z.string().min(1)).default({}),
                serviceOptions: z.partialRecord(z.enum(SERVICES), z.string().min(1)).default({}),
            })
            .strict()
            .default({ dataElements: {}, channelOptions: {}, serviceOptions: {} }),
        ledger: z.object({ paths: z.array(z.string()).default([]) }).strict().default({ paths: [] }),
        stateDir: z.string().optional(),
    })
    .strict()

export type BridgeConfig = z.infer<typeof configSchema>
export type FacilityConfig = z.infer<typeof facilityConfigSchema>
