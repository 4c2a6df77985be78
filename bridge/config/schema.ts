import cron from 'node-cron'
import { z } from 'zod'
import { CHANNELS, DATA_ELEMENTS, PERIOD_TYPES, SERVICES } from '../../contract/codes'
import { stockConfigSchema } from '../stock/config'
import { reconciliationConfigSchema } from '../reconcile/config'
import { ledgerSourcesSchema } from './sources'

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
                /** Batches above this size use async=true and task polling. */
                asyncAbove: z.number().int().min(1).default(20_000),
                asyncPollMs: z.number().int().min(10).default(2_000),
                asyncMaxWaitMs: z.number().int().min(1_000).default(10 * 60_000),
                /**
                 * Independent small requests in flight at once (the run summaries of the data store,
                 * one per facility and run; a first sync's data set assignments): over a slow link
                 * each costs a round trip. Value batches stay one at a time (bench/README.md (6a)).
                 */
                concurrency: z.number().int().min(1).max(8).default(4),
                /** User name for dhis2.passwordFile (DHIS2_USERNAME wins). */
                username: z.string().min(1).optional(),
                /** File holding the personal access token (DHIS2_TOKEN wins); should be readable by its owner only. */
                tokenFile: z.string().min(1).optional(),
                /** File holding the password (DHIS2_USERNAME/DHIS2_PASSWORD win); should be readable by its owner only. */
                passwordFile: z.string().min(1).optional(),
                /** PEM bundle of a private certificate authority, added to the trusted ones (verification stays on). */
                caFile: z.string().min(1).optional(),
            })
            .strict()
            .default({ timeoutMs: 60_000, retries: 3, retryBaseDelayMs: 1_000, batchSize: 5_000, asyncAbove: 20_000, asyncPollMs: 2_000, asyncMaxWaitMs: 600_000, concurrency: 4 }),
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
        ledger: z
            .object({
                paths: z.array(z.string()).default([]),
                /** Connectors with a mapping, watched folders, SQL, HTTP (bridge/config/sources.ts, docs/connectors/). */
                sources: ledgerSourcesSchema.default([]),
            })
            .strict()
            .default({ paths: [], sources: [] }),
        schedule: z
            .object({
                /** node-cron expression (5 or 6 fields); default: every hour on the hour. */
                cron: z.string().refine((c) => cron.validate(c), { message: 'invalid cron expression / expression cron invalide' }).default('0 * * * *'),
                /** trace: `verify` on its own cron (docs/traceability.md); off unless set. */
                verify: z.string().refine((c) => cron.validate(c), { message: 'invalid cron expression / expression cron invalide' }).optional(),
                timeZone: ianaZone.optional(),
                /** Loopback endpoint with /healthz and Prometheus /metrics; port 0 disables it. */
                http: z
                    .object({
                        host: z.string().default('127.0.0.1'),
                        port: z.number().int().min(0).max(65535).default(9464),
                        /** File holding the operator page's token, required when host is not loopback (or BRIDGE_HTTP_TOKEN). */
                        tokenFile: z.string().optional(),
                    })
                    .strict()
                    .default({ host: '127.0.0.1', port: 9464 }),
                alerts: z
                    .object({
                        webhookUrl: z.string().url().optional(),
                        /** Code or UID of a DHIS2 user group that receives a DHIS2 message. */
                        dhis2UserGroup: z.string().min(1).optional(),
                        afterFailedRuns: z.number().int().min(1).default(3),
                        /** Alert when values have waited longer than this since the last success. */
                        waitingLongerThanMinutes: z.number().int().min(1).default(24 * 60),
                        /** While failing, the alert is sent again this often; a recovery message follows once fixed. */
                        repeatEveryMinutes: z.number().int().min(1).default(4 * 60),
                    })
                    .strict()
                    .default({ afterFailedRuns: 3, waitingLongerThanMinutes: 24 * 60, repeatEveryMinutes: 4 * 60 }),
            })
            .strict()
            .default({
                cron: '0 * * * *',
                http: { host: '127.0.0.1', port: 9464 },
                alerts: { afterFailedRuns: 3, waitingLongerThanMinutes: 24 * 60, repeatEveryMinutes: 4 * 60 },
            }),
        stateDir: z.string().optional(),
        /** Pharmacy sales → stock outflows (MEDEXIS, DHIS2 LMIS); see docs/stock.md. */
        stock: stockConfigSchema.prefault({}),
        /** Operator statements and cash counts for `reconcile` (docs/reconciliation.md). */
        reconciliation: reconciliationConfigSchema.prefault({}),
    })
    .strict()

export type BridgeConfig = z.infer<typeof configSchema>
export type FacilityConfig = z.infer<typeof facilityConfigSchema>
