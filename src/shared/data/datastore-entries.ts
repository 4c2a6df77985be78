import { z } from 'zod'

const entrySchema = z.object({ key: z.string(), value: z.unknown() })
/**
 * `GET /api/dataStore/payrev?fields=.&paging=false` (keys.dataStoreEntries): a bare array of
 * entries. The paged form (`{pager, entries}`) is accepted too, in case a proxy or a version drops
 * `paging=false`. Each value is then checked against its contract/ schema.
 */
export const dataStoreEntriesSchema = z.union([
    z.array(entrySchema),
    z.object({ entries: z.array(entrySchema) }).transform((o) => o.entries),
])
