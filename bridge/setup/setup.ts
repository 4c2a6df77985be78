import type { ResolvedConfig } from '../config/load'
import type { Bilingual } from '../domain/line'
import { installPackage } from '../dhis2/install'
import { installIndicators } from '../dhis2/install-indicators'
import { installDashboard } from '../dhis2/install-dashboard'
import { assignOrgUnit, findOrgUnits, loadLiveMetadata, targetCodes, type LiveMetadata } from '../dhis2/metadata'
import type { ObjectChange } from '../dhis2/metadata-package'
import { openLedgerSources } from '../ledger/sources'
import { openMemoryState } from '../state/db'
import { clientFromConfig } from '../dhis2/client-factory'
import type { Dhis2Client } from '../dhis2/client'

export interface SetupReport {
    command: 'setup'
    dryRun: boolean
    dhis2: { baseUrl: string; version: string | null }
    mode: 'package' | 'mapping'
    changes: ObjectChange[]
    metadataPosted: boolean
    categoryOptionCombos: Record<string, number>
    facilities: Array<{ code: string; orgUnit: string | null; name: string | null; assigned: 'already' | 'assigned' | 'would-assign' | 'missing' }>
    errors: Bilingual[]
    exitCode: number
}

/**
 * Facility codes named in the configuration or met in the ledgers, read through the same sources
 * as sync (canonical CSV and XLSX, mapped files, watched folders — every file of them: the state
 * is a fresh one in memory); SQL and HTTP sources are not read at setup.
 */
async function facilityCodes(rc: ResolvedConfig, ledgerPaths: string[]): Promise<string[]> {
    const codes = new Set(rc.config.facilities.map((f) => f.code))
    const ctx = { zoneFor: rc.zoneFor, channelAliases: rc.config.aliases.channel, serviceAliases: rc.config.aliases.service }
    const db = openMemoryState()
    try {
        for (const source of await openLedgerSources(rc, ledgerPaths, db, { filesOnly: true })) {
            for await (const item of source.read(ctx)) {
                if (item.kind === 'line') codes.add(item.line.facilityCode)
                else if (item.entry.raw.facility_code) codes.add(item.entry.raw.facility_code)
            }
        }
    } finally {
        db.close()
    }
    return [...codes].sort()
}

/** The metadata the figures go to, when the server has all of it (else null). */
async function liveTargets(client: Dhis2Client, rc: ResolvedConfig): Promise<LiveMetadata | null> {
    const live = await loadLiveMetadata(client, targetCodes(rc.config))
    return live.dataSet && !live.missing.length ? (live as LiveMetadata) : null
}

export async function runSetup(rc: ResolvedConfig, opts: { dryRun: boolean; ledgerPaths: string[]; withDashboard?: boolean }): Promise<SetupReport> {
    const client = clientFromConfig(rc)
    const info = await client.get<{ version?: string }>('system/info', { fields: 'version' })
    const codes = await facilityCodes(rc, opts.ledgerPaths)
    const refs = codes.map(rc.orgUnitRefFor)
    const found = await findOrgUnits(client, refs)
    const errors: Bilingual[] = []
    const mode = rc.config.metadata.dataSet ? 'mapping' : 'package'
    let changes: ObjectChange[] = []
    let posted = false
    let cocs: Record<string, number> = {}
    const resolvedIds = codes.map((c) => found.get(rc.orgUnitRefFor(c))?.id).filter((x): x is string => !!x)

    let assignedBefore = new Set<string>()
    if (mode === 'package') {
        const live = await loadLiveMetadata(client, targetCodes(rc.config))
        assignedBefore = new Set(live.dataSet?.organisationUnits.map((o) => o.id) ?? [])
        const result = await installPackage(client, { dryRun: opts.dryRun, periodType: rc.config.periodType, assignOrgUnitIds: resolvedIds })
        changes = result.changes
        posted = result.posted
        cocs = result.categoryOptionCombos
        errors.push(...result.errors)
    } else {
        // National metadata: check that every mapped object resolves, assign the facilities.
        const live = await loadLiveMetadata(client, targetCodes(rc.config))
        if (!live.dataSet || live.missing.length) {
            errors.push({
                fr: `Métadonnées configurées introuvables dans DHIS2 : ${live.missing.join(', ')}`,
                en: `Configured metadata not found in DHIS2: ${live.missing.join(', ')}`,
            })
        } else {
            assignedBefore = new Set(live.dataSet.organisationUnits.map((o) => o.id))
            for (const id of resolvedIds) if (!assignedBefore.has(id) && !opts.dryRun) await assignOrgUnit(client, live.dataSet.id, id)
        }
    }
    // docs/contract.md §8: the indicators follow wherever the figures go (package or national mapping).
    if (!errors.length || opts.dryRun) {
        const live = await liveTargets(client, rc)
        const ind = await installIndicators(client, live, { dryRun: opts.dryRun })
        changes = [...changes, ...ind.changes]
        posted ||= ind.posted
        errors.push(...ind.errors)
        if (opts.withDashboard && !ind.errors.length) {
            const dash = await installDashboard(client, live, { dryRun: opts.dryRun, indicatorIds: ind.indicatorIds, channelOption: targetCodes(rc.config).channelOption })
            changes = [...changes, ...dash.changes]
            posted ||= dash.posted
            errors.push(...dash.errors)
        }
    }
    const facilities = codes.map((code) => {
        const ou = found.get(rc.orgUnitRefFor(code))
        if (!ou) {
            errors.push({
                fr: `Établissement « ${code} » : aucune unité d'organisation DHIS2 avec ce code`,
                en: `Facility "${code}": no DHIS2 organisation unit with this code`,
            })
            return { code, orgUnit: null, name: null, assigned: 'missing' as const }
        }
        const state = assignedBefore.has(ou.id) ? 'already' : opts.dryRun ? 'would-assign' : 'assigned'
        return { code, orgUnit: ou.id, name: ou.name ?? null, assigned: state as 'already' | 'assigned' | 'would-assign' }
    })
    return {
        command: 'setup',
        dryRun: opts.dryRun,
        dhis2: { baseUrl: rc.baseUrl, version: info.data?.version ?? null },
        mode,
        changes,
        metadataPosted: posted,
        categoryOptionCombos: cocs,
        facilities,
        errors,
        // docs/contract.md §5: a dry run only lists; it exits 0 whatever it found.
        exitCode: opts.dryRun ? 0 : errors.length ? 3 : 0,
    }
}
