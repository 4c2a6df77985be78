import { z } from 'zod'
import { DATASET_CODE, type PeriodType } from '../../contract/codes'
import { RECON_DATASET } from '../../contract/reconciliation'
import type { Bilingual } from '../domain/line'
import type { Dhis2Client } from './client'
import { listByFilter } from './metadata'
import {
    FIELDS_FOR_DIFF,
    METADATA_TYPES,
    buildPackage,
    diffPackage,
    type MetadataType,
    type ObjectChange,
    type PackageObject,
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

/** The objects the server holds with the given codes, per type, with the given fields. */
export async function fetchByCode(client: Dhis2Client, codes: Record<string, string[]>, fields: Record<string, string>): Promise<Record<string, Array<Record<string, unknown>>>> {
    const existing: Record<string, Array<Record<string, unknown>>> = {}
    for (const type of Object.keys(codes)) existing[type] = await listByFilter(client, type, 'code', codes[type], fields[type], anyObject)
    return existing
}

/** UIDs by code: the server's for existing objects, fresh ones (stable within one run) for new ones. */
export function uidAllocator(existing: Record<string, Array<Record<string, unknown>>>): (type: string, code: string) => string {
    const idByCode = new Map<string, string>()
    for (const [type, list] of Object.entries(existing)) for (const o of list) idByCode.set(`${type}|${o.code}`, String(o.id))
    return (type, code) => {
        const k = `${type}|${code}`
        if (!idByCode.has(k)) idByCode.set(k, generateUid())
        return idByCode.get(k)!
    }
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
 * Install or check the PAYREV package (docs/contract.md §3). Existing objects keep their UIDs (matched by
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
    const existing = (await fetchByCode(client, codes, FIELDS_FOR_DIFF)) as Record<MetadataType, Array<Record<string, unknown>>>
    const idFor = uidAllocator(existing)
    // Each data set keeps every org unit it was already assigned to (found by code: there are two).
    const assigned = (code: string) => ((existing.dataSets.find((d) => d.code === code) as { organisationUnits?: Array<{ id: string }> } | undefined)?.organisationUnits ?? []).map((o) => o.id)
    const orgUnitIds = [...assigned(DATASET_CODE), ...opts.assignOrgUnitIds]
    const reconOrgUnitIds = [...assigned(RECON_DATASET), ...opts.assignOrgUnitIds]
    const desired = buildPackage({
        idFor,
        periodType: opts.periodType,
        defaultCategoryComboId: await defaultCategoryComboId(client),
        orgUnitIds,
        reconOrgUnitIds,
    })
    const changes = diffPackage(desired, existing)
    const toWrite = changes.filter((c) => c.action !== 'unchanged')
    if (opts.dryRun || toWrite.length === 0) {
        return { changes, posted: false, errors: [], categoryOptionCombos: opts.dryRun ? {} : await countCocs(client) }
    }
    const errors = await writeChanges(client, desired, toWrite)
    return { changes, posted: true, errors, categoryOptionCombos: errors.length ? {} : await countCocs(client) }
}

/**
 * Posts the objects that must be created or changed, in one atomic `POST /api/metadata`. Objects
 * that change are merged over what the server holds (an update in DHIS2 replaces every property,
 * so what an administrator set on them is kept). Returns DHIS2's refusals, if any.
 */
export async function writeChanges(client: Dhis2Client, desired: Record<string, PackageObject[]>, toWrite: ObjectChange[]): Promise<Bilingual[]> {
    const body: Record<string, Array<Record<string, unknown>>> = {}
    for (const change of toWrite) {
        const obj = desired[change.type].find((o) => o.code === change.code)!
        let merged: Record<string, unknown> = obj
        if (change.action === 'update') {
            const current = await client.get<Record<string, unknown>>(`${change.type}/${change.id}`, { fields: ':owner' })
            merged = { ...(current.data ?? {}), ...obj }
        }
        ;(body[change.type] ??= []).push(merged)
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
    return errors
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
