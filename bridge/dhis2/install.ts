import { z } from 'zod'
import type { PeriodType } from '../../contract/codes'
import type { Bilingual } from '../domain/line'
import type { Dhis2Client } from './client'
import { listByFilter } from './metadata'
import {
    FIELDS_FOR_DIFF,
    METADATA_TYPES,
    buildPackage,
    diffPackage,
    type MetadataPackage,
    type MetadataType,
    type ObjectChange,
} from './metadata-package'
import { generateUid } from './uid'

const anyObject = z.record(z.string(), z.unknown())
const errorReportSchema = z.object({ message: z.string(), errorCode: z.string().optional() })
const importReportSchema = z.object({
    status: z.string(),
    stats: z.object({ created: z.number(), updated: z.number(), deleted: z.number(), ignored: z.number(), total: z.number() }).partial().optional(),
    typeReports: z
        .array(z.object({ klass: z.string(), objectReports: z.array(z.object({ errorReports: z.array(errorReportSchema).default([]) })).default([]) }))
        .default([]),
})

export interface InstallResult {
    changes: ObjectChange[]
    /** Whether POST /api/metadata ran (false on --dry-run or when nothing changed). */
    posted: boolean
    errors: Bilingual[]
    /** Number of category option combos the server holds per combo code, after the install. */
    categoryOptionCombos: Record<string, number>
}

async function fetchExisting(client: Dhis2Client, codes: Record<MetadataType, string[]>) {
    const existing = {} as Record<MetadataType, Array<Record<string, unknown>>>
    for (const type of METADATA_TYPES) {
        existing[type] = await listByFilter(client, type, 'code', codes[type], FIELDS_FOR_DIFF[type], anyObject)
    }
    return existing
}

export async function defaultCategoryComboId(client: Dhis2Client): Promise<string> {
    const res = await client.get<{ categoryCombos?: Array<{ id: string }> }>('categoryCombos', {
        filter: 'name:eq:default',
        fields: 'id',
        paging: 'false',
    })
    return res.data?.categoryCombos?.[0]?.id ?? 'bjDvmb4bfuf'
}

/**
 * Install or check the PAYREV package (SPEC §3). Existing objects keep their UIDs (matched by
 * code), new ones get fresh UIDs, so running it twice changes nothing. Objects that must change
 * are merged over what the server holds (an update in DHIS2 overwrites every property), and the
 * data set keeps every org unit it was already assigned to.
 */
export async function installPackage(
    client: Dhis2Client,
    opts: { dryRun: boolean; periodType: PeriodType; assignOrgUnitIds: string[] }
): Promise<InstallResult> {
    const probe = buildPackage({ idFor: () => 'x', periodType: opts.periodType, defaultCategoryComboId: 'x', orgUnitIds: [] })
    const codes = Object.fromEntries(METADATA_TYPES.map((t) => [t, probe[t].map((o) => o.code)])) as Record<MetadataType, string[]>
    const existing = await fetchExisting(client, codes)
    const idByCode = new Map<string, string>()
    for (const type of METADATA_TYPES) for (const o of existing[type]) idByCode.set(`${type}|${o.code}`, String(o.id))
    const fresh = new Map<string, string>()
    const idFor = (type: MetadataType, code: string) => {
        const k = `${type}|${code}`
        if (idByCode.has(k)) return idByCode.get(k)!
        if (!fresh.has(k)) fresh.set(k, generateUid())
        return fresh.get(k)!
    }
    const existingDs = existing.dataSets[0] as { organisationUnits?: Array<{ id: string }> } | undefined
    const orgUnitIds = [...(existingDs?.organisationUnits ?? []).map((o) => o.id), ...opts.assignOrgUnitIds]
    const desired = buildPackage({
        idFor,
        periodType: opts.periodType,
        defaultCategoryComboId: await defaultCategoryComboId(client),
        orgUnitIds,
    })
    const changes = diffPackage(desired, existing)
    const toWrite = changes.filter((c) => c.action !== 'unchanged')
    if (opts.dryRun || toWrite.length === 0) {
        return { changes, posted: false, errors: [], categoryOptionCombos: opts.dryRun ? {} : await countCocs(client) }
    }
    const body: Partial<MetadataPackage> = {}
    for (const change of toWrite) {
        const obj = desired[change.type].find((o) => o.code === change.code)!
        let merged: Record<string, unknown> = obj
        if (change.action === 'update') {
            const current = await client.get<Record<string, unknown>>(`${change.type}/${change.id}`, { fields: ':owner' })
            merged = { ...(current.data ?? {}), ...obj }
        }
        ;(body[change.type] ??= []).push(merged as MetadataPackage[MetadataType][number])
    }
    const res = await client.post<{ response?: unknown; message?: string }>('metadata', body, {
        importStrategy: 'CREATE_AND_UPDATE',
        atomicMode: 'ALL',
    })
    const report = importReportSchema.safeParse(res.data?.response ?? res.data)
    const errors: Bilingual[] = []
    if (!report.success || report.data.status !== 'OK') {
        const details = report.success
            ? report.data.typeReports.flatMap((t) => t.objectReports.flatMap((o) => o.errorReports.map((e) => `${t.klass.split('.').pop()}: ${e.errorCode ?? ''} ${e.message}`)))
            : [res.data?.message ?? `HTTP ${res.status}`]
        errors.push({
            fr: `DHIS2 a refusé le paquet de métadonnées :\n  - ${details.join('\n  - ')}`,
            en: `DHIS2 refused the metadata package:\n  - ${details.join('\n  - ')}`,
        })
    }
    return { changes, posted: true, errors, categoryOptionCombos: errors.length ? {} : await countCocs(client) }
}

async function countCocs(client: Dhis2Client): Promise<Record<string, number>> {
    const combos = await listByFilter(
        client,
        'categoryCombos',
        'code',
        ['PAYREV_CC_CHANNEL_SERVICE', 'PAYREV_CC_CHANNEL'],
        'id,code,categoryOptionCombos[id]',
        z.object({ code: z.string(), categoryOptionCombos: z.array(z.object({ id: z.string() })).default([]) })
    )
    return Object.fromEntries(combos.map((c) => [c.code, c.categoryOptionCombos.length]))
}
