import type { ResolvedConfig } from '../config/load'
import type { Bilingual } from '../domain/line'
import type { Dhis2Client } from '../dhis2/client'
import { VALUE_FAMILIES, type ValueFamily } from '../dhis2/outbox'
import { isProblem, type FamilyTargets } from '../dhis2/targets'
import { reconTargets } from '../reconcile/publish'
import type { StateDb } from '../state/db'
import { lmisTargets } from '../stock/lmis-push'
import { liveMetadata, resolveKeys, type ResolvedKey, type StateKey } from './dhis2-values'

/**
 * What `verify` compares, family by family (docs/traceability.md): the keys DHIS2 had accepted
 * from the bridge, resolved to UIDs the way that family's push resolves them — revenue through
 * the PAYREV package, lmis through lmisTargets (stock.lmis.dataSet), recon through reconTargets
 * (PAYREV_RECON_MONTHLY) — so verify reads back exactly the cells the push wrote.
 */
export const VERIFIED_FAMILIES: readonly ValueFamily[] = VALUE_FAMILIES

export interface AcceptedRow {
    key: string
    dataElement: string
    period: string
    facility: string
    coc: string | null
    channel: string | null
    service: string | null
    accepted: number
}

export function acceptedRows(db: StateDb, family: ValueFamily): AcceptedRow[] {
    return db
        .prepare('SELECT key, data_element AS dataElement, period, facility, coc, channel, service, accepted FROM dhis2_values WHERE family = ? AND accepted IS NOT NULL ORDER BY key')
        .all(family) as AcceptedRow[]
}

/** One family's keys, ready to read: its data set, the keys the server can name, the count of those it cannot. */
export interface FamilyKeys {
    dataSetId: string
    resolved: ResolvedKey[]
    unresolved: number
}

/** A family that cannot be checked at all (its data set not configured or not installed): a warning, not an error. */
export interface SkippedFamily {
    skipped: Bilingual
}

const FAMILY_NAMES: Record<ValueFamily, Bilingual> = {
    revenue: { fr: 'de recettes', en: 'revenue' },
    lmis: { fr: 'LMIS (ventes de la pharmacie)', en: 'LMIS (pharmacy sales)' },
    recon: { fr: 'de rapprochement', en: 'reconciliation' },
}

const skip = (family: ValueFamily, count: number, why: Bilingual): SkippedFamily => ({
    skipped: {
        fr: `${count} valeur(s) ${FAMILY_NAMES[family].fr} non vérifiée(s) : ${why.fr}`,
        en: `${count} ${FAMILY_NAMES[family].en} value(s) not checked: ${why.en}`,
    },
})

async function resolveThrough(targets: FamilyTargets<AcceptedRow>, rows: readonly AcceptedRow[]): Promise<FamilyKeys> {
    const resolved: ResolvedKey[] = []
    let unresolved = 0
    for (const r of rows) {
        const t = await targets.resolve(r)
        if (isProblem(t)) {
            unresolved++
            continue
        }
        resolved.push({
            key: r.key,
            dataElement: t.dataElement,
            period: r.period,
            orgUnit: t.orgUnit,
            categoryOptionCombo: t.categoryOptionCombo,
            codes: { dataElement: t.codes.dataElement, orgUnit: t.codes.orgUnit, categoryOptionCombo: t.codes.coc, facility: r.facility, channel: r.channel, service: r.service },
        })
    }
    return { dataSetId: targets.dataSetId, resolved, unresolved }
}

/**
 * The family's accepted rows resolved against live metadata. Revenue keeps its contract: the
 * PAYREV package missing is a configuration error (exit 2), even with nothing accepted yet.
 */
export async function familyKeys(family: ValueFamily, client: Dhis2Client, rc: ResolvedConfig, db: StateDb, rows: AcceptedRow[], iso: () => string): Promise<FamilyKeys | SkippedFamily> {
    if (family === 'revenue') {
        const live = await liveMetadata(client, rc)
        const { resolved, unresolved } = await resolveKeys(client, rc, db, live, rows as Array<StateKey & AcceptedRow>, iso)
        return { dataSetId: live.dataSet.id, resolved, unresolved: unresolved.length }
    }
    if (family === 'lmis') {
        const targets = await lmisTargets(db, client, rc, rc.config.stock, rows, iso)
        return 'problem' in targets ? skip(family, rows.length, targets.problem) : resolveThrough(targets, rows)
    }
    const targets = await reconTargets(db, client, rc, rows, iso)
    if ('missing' in targets) {
        return skip(family, rows.length, { fr: `absent de DHIS2 (${targets.missing.join(', ')}) : lancez « revenue-bridge setup »`, en: `missing in DHIS2 (${targets.missing.join(', ')}): run "revenue-bridge setup"` })
    }
    return resolveThrough(targets, rows)
}
