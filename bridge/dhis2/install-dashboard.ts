import { z } from 'zod'
import { DASHBOARD_CODE, VISUALIZATION_CODES } from '../../contract/indicators'
import { CHANNELS, type Channel } from '../../contract/codes'
import type { Bilingual } from '../domain/line'
import type { Dhis2Client } from './client'
import { fetchByCode, uidAllocator, writeChanges } from './install'
import type { LiveMetadata } from './metadata'
import { listByFilter } from './metadata'
import { DASHBOARD_COMPARED, DASHBOARD_FIELDS, buildDashboardPackage } from './metadata-dashboard'
import { diffObjects, type ObjectChange } from './metadata-package'
import { generateUid } from './uid'

export interface DashboardInstallResult {
    changes: ObjectChange[]
    posted: boolean
    errors: Bilingual[]
}

const categorySchema = z.object({ id: z.string(), categoryOptions: z.array(z.object({ id: z.string(), code: z.string().optional() })).default([]) })

/**
 * `setup --with-dashboard`: the visualizations and the dashboard, matched by code and idempotent
 * like the rest of the package. Needs the indicators and the target metadata (null on a dry run
 * before the package exists: everything is listed as to be created).
 */
export async function installDashboard(
    client: Dhis2Client,
    live: LiveMetadata | null,
    opts: { dryRun: boolean; indicatorIds: Record<string, string>; channelOption(c: Channel): string }
): Promise<DashboardInstallResult> {
    const codes: Record<string, string[]> = { visualizations: [...VISUALIZATION_CODES], dashboards: [DASHBOARD_CODE] }
    const existing = await fetchByCode(client, codes, DASHBOARD_FIELDS)
    const idFor = uidAllocator(existing)
    const grossId = live?.dataElementIds.get('PAYREV_GROSS')
    // The category that holds the channel options (the package's PAYREV_CHANNEL or the national one).
    const channelCodes = CHANNELS.map(opts.channelOption)
    const [category] = await listByFilter(client, 'categories', 'categoryOptions.code', [channelCodes[0]], 'id,categoryOptions[id,code]', categorySchema)
    if (!live || !grossId || !category) {
        if (!opts.dryRun) return { changes: [], posted: false, errors: [notReady()] }
        const changes = Object.entries(codes).flatMap(([type, list]) =>
            list.map((code): ObjectChange => ({ type, code, id: idFor(type, code), action: existing[type].some((o) => o.code === code) ? 'update' : 'create', changed: [] }))
        )
        return { changes, posted: false, errors: [] }
    }
    const itemIds = new Map<string, string>()
    const dash = existing.dashboards[0] as { dashboardItems?: Array<{ id: string; visualization?: { id: string } }> } | undefined
    for (const item of dash?.dashboardItems ?? []) if (item.visualization) itemIds.set(item.visualization.id, item.id)
    const desired = buildDashboardPackage({
        idFor,
        indicatorIds: opts.indicatorIds,
        grossId,
        channelCategory: {
            id: category.id,
            optionIds: category.categoryOptions.filter((o) => o.code && channelCodes.includes(o.code)).map((o) => o.id),
        },
        itemIdFor: (vizId) => itemIds.get(vizId) ?? itemIds.set(vizId, generateUid()).get(vizId)!,
    })
    const changes = diffObjects(desired, existing, DASHBOARD_COMPARED)
    const toWrite = changes.filter((c) => c.action !== 'unchanged')
    if (opts.dryRun || toWrite.length === 0) return { changes, posted: false, errors: [] }
    return { changes, posted: true, errors: await writeChanges(client, desired, toWrite) }
}

function notReady(): Bilingual {
    return {
        fr: 'Tableau de bord non installé : les indicateurs ou la catégorie des moyens de paiement sont introuvables dans DHIS2',
        en: 'Dashboard not installed: the indicators or the payment channel category are not in DHIS2',
    }
}
