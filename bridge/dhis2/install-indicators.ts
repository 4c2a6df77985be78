import { z } from 'zod'
import { INDICATOR_CODES, INDICATOR_GROUP_CODE, INDICATOR_TYPES, type IndicatorKind } from '../../contract/indicators'
import type { Bilingual } from '../domain/line'
import type { Dhis2Client } from './client'
import { fetchByCode, uidAllocator, writeChanges } from './install'
import { type LiveMetadata } from './metadata'
import {
    INDICATOR_COMPARED,
    INDICATOR_FIELDS,
    IndicatorSourceError,
    buildExpressions,
    buildIndicatorPackage,
    pickIndicatorTypes,
} from './metadata-indicators'
import { diffObjects, type ObjectChange, type PackageObject } from './metadata-package'

export interface IndicatorInstallResult {
    changes: ObjectChange[]
    posted: boolean
    errors: Bilingual[]
    /** The indicators' UIDs by code (planned ones on a dry run), for the dashboard. */
    indicatorIds: Record<string, string>
}

const typeSchema = z.object({ id: z.string(), code: z.string().optional(), name: z.string().optional(), factor: z.number().optional() })

/**
 * Installs or checks the indicators, their types and their group (docs/contract.md §8), matched by
 * code: existing objects keep their UIDs, a second run changes nothing. `live` is the metadata the
 * figures go to (the package's, or the national objects of the configuration); null on a dry run
 * before the package exists, when every indicator is listed as to be created.
 */
export async function installIndicators(client: Dhis2Client, live: LiveMetadata | null, opts: { dryRun: boolean }): Promise<IndicatorInstallResult> {
    const codes: Record<string, string[]> = {
        indicatorTypes: Object.values(INDICATOR_TYPES).map((t) => t.code),
        indicators: [...INDICATOR_CODES],
        indicatorGroups: [INDICATOR_GROUP_CODE],
    }
    const existing = await fetchByCode(client, codes, INDICATOR_FIELDS)
    const idFor = uidAllocator(existing)
    const allTypes = await client.get<{ indicatorTypes?: unknown[] }>('indicatorTypes', { fields: 'id,code,name,factor', paging: 'false' })
    const types = pickIndicatorTypes(z.array(typeSchema).parse(allTypes.data?.indicatorTypes ?? []))
    const indicatorIds = Object.fromEntries(INDICATOR_CODES.map((c) => [c, idFor('indicators', c)]))
    if (!live) {
        if (!opts.dryRun) return { changes: [], posted: false, errors: [notInstalled()], indicatorIds }
        const changes = Object.entries(codes).flatMap(([type, list]) =>
            list
                .filter((code) => type !== 'indicatorTypes' || (Object.keys(types) as IndicatorKind[]).some((k) => types[k].create && INDICATOR_TYPES[k].code === code))
                .map((code): ObjectChange => {
                    const found = existing[type].some((o) => o.code === code)
                    return { type, code, id: idFor(type, code), action: found ? 'update' : 'create', changed: found ? ['numerator', 'denominator'] : [] }
                })
        )
        return { changes, posted: false, errors: [], indicatorIds }
    }
    let expressions
    try {
        expressions = buildExpressions(live)
    } catch (e) {
        if (e instanceof IndicatorSourceError) return { changes: [], posted: false, errors: [{ fr: `${e.reason.fr} — ${e.todo!.fr}`, en: `${e.reason.en} — ${e.todo!.en}` }], indicatorIds }
        throw e
    }
    const group = existing.indicatorGroups[0] as { indicators?: Array<{ id: string }> } | undefined
    const desired = buildIndicatorPackage({ idFor, expressions, types, groupMembers: (group?.indicators ?? []).map((i) => i.id) })
    const changes = diffObjects(desired, existing, INDICATOR_COMPARED)
    const toWrite = changes.filter((c) => c.action !== 'unchanged')
    if (opts.dryRun || toWrite.length === 0) return { changes, posted: false, errors: [], indicatorIds }
    const errors = await writeChanges(client, desired as Record<string, PackageObject[]>, toWrite)
    return { changes, posted: true, errors, indicatorIds }
}

function notInstalled(): Bilingual {
    return {
        fr: 'Indicateurs non installés : les éléments de données et le jeu de données cibles sont introuvables dans DHIS2',
        en: 'Indicators not installed: the target data elements and data set are not in DHIS2',
    }
}
