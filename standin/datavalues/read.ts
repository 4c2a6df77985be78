/**
 * `GET /api/dataValueSets` (reference §6): selection by data set/element, periods or date range,
 * org units (+children), output id schemes, E2001–E2012, header form when exactly one data set,
 * period and org unit are asked for. Written with `null` fields, like the server's streaming writer.
 */
import type { Request } from 'express'
import { hasAuthority } from '../auth'
import { formatUtc, parseDateTime } from '../clock'
import { HttpError, qList, qOne } from '../http'
import { DEFAULTS, type MetadataStore, type StoredObject, refId } from '../metadata/store'
import { parsePeriod } from '../periods'
import type { DataValueRecord, StandinState, UserRecord } from '../state'
import { lookup } from './rules'
import { type IdScheme, parseIdScheme } from './options'

function list(req: Request, name: string): string[] {
    return qList(req, name)
        .flatMap((v) => v.split(','))
        .map((s) => s.trim())
        .filter(Boolean)
}

function e409(code: string, message: string): HttpError {
    return new HttpError(409, message, code)
}

function durationMs(s: string): number | null {
    const m = /^(\d+)([smhdw])$/.exec(s.trim())
    if (!m) return null
    return Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[m[2] as 's']
}

function outputId(store: MetadataStore, collection: string, id: string, scheme: IdScheme | undefined): string | null {
    if (!scheme || scheme.type === 'UID') return id
    const o = store.get(collection, id)
    if (!o) return null
    if (scheme.type === 'CODE') return (o.code as string) ?? null
    if (scheme.type === 'NAME') return (o.name as string) ?? null
    const av = ((o.attributeValues as Array<{ attribute?: { id?: string }; value?: unknown }>) ?? []).find((a) => a.attribute?.id === scheme.attribute)
    return av ? String(av.value) : null
}

export function readDataValueSet(req: Request, state: StandinState, user: UserRecord): Record<string, unknown> {
    const store = state.metadata
    const inputScheme = parseIdScheme(qOne(req, 'inputIdScheme'))
    const inDs = parseIdScheme(qOne(req, 'inputDataSetIdScheme')) ?? inputScheme
    const inDe = parseIdScheme(qOne(req, 'inputDataElementIdScheme')) ?? inputScheme
    const inOu = parseIdScheme(qOne(req, 'inputOrgUnitIdScheme')) ?? inputScheme

    const dataSets = list(req, 'dataSet')
        .map((id) => lookup(store, 'dataSets', inDs, id))
        .filter((o): o is StoredObject => !!o)
    const elementIds = new Set(
        list(req, 'dataElement')
            .map((id) => lookup(store, 'dataElements', inDe, id)?.id)
            .filter((x): x is string => !!x)
    )
    for (const ds of dataSets) for (const e of (ds.dataSetElements as Array<Record<string, unknown>>) ?? []) if (refId(e.dataElement)) elementIds.add(refId(e.dataElement)!)
    const groups = list(req, 'dataElementGroup')
    const periods = list(req, 'period')
        .map((p) => parsePeriod(p, { financialSep: state.version.v42 }))
        .filter((p): p is NonNullable<typeof p> => !!p)
    const startDate = qOne(req, 'startDate')
    const endDate = qOne(req, 'endDate')
    const lastUpdated = qOne(req, 'lastUpdated')
    const lastUpdatedDuration = qOne(req, 'lastUpdatedDuration')
    const orgUnits = list(req, 'orgUnit')
        .map((id) => lookup(store, 'organisationUnits', inOu, id))
        .filter((o): o is StoredObject => !!o)
    const ouGroups = list(req, 'orgUnitGroup')
    const children = (qOne(req, 'children') ?? '').toLowerCase() === 'true'
    const limit = qOne(req, 'limit')

    if (!elementIds.size && !dataSets.length && !groups.length) throw e409('E2001', 'At least one data element, data set or data element group must be specified')
    if (!periods.length && !(startDate && endDate) && !lastUpdated && !lastUpdatedDuration)
        throw e409('E2002', 'At least one period, start/end dates, last updated or last updated duration must be specified')
    if (periods.length && startDate && endDate) throw e409('E2003', 'Both periods and start/end date cannot be specified')
    if (startDate && endDate && startDate > endDate) throw e409('E2004', 'Start date must be before end date')
    if (lastUpdatedDuration && durationMs(lastUpdatedDuration) === null) throw e409('E2005', `Duration is not valid: \`${lastUpdatedDuration}\``)
    if (!orgUnits.length && !ouGroups.length) throw e409('E2006', 'At least one organisation unit or organisation unit group must be specified')
    if (children && ouGroups.length) throw e409('E2007', 'Organisation unit children cannot be included for organisation unit groups')
    if (children && !orgUnits.length) throw e409('E2008', 'At least one organisation unit must be specified when children is included')
    if (limit !== undefined && Number(limit) < 0) throw e409('E2009', `Limit cannot be less than zero: \`${limit}\``)
    if (!hasAuthority(user, 'ALL')) {
        const roots = [...user.organisationUnits, ...user.dataViewOrganisationUnits, ...user.teiSearchOrganisationUnits]
        for (const ou of orgUnits) if (!store.isDescendantOrSelf(ou.id, roots)) throw e409('E2012', `User is not allowed to view org unit: \`${ou.id}\``)
    }

    const ouSet = new Set(children ? orgUnits.flatMap((o) => store.subtree(o.id)) : orgUnits.map((o) => o.id))
    const periodSet = new Set(periods.map((p) => p.iso))
    const aocFilter = list(req, 'attributeOptionCombo')
    const includeDeleted = (qOne(req, 'includeDeleted') ?? '').toLowerCase() === 'true'
    const since = lastUpdated ? parseDateTime(lastUpdated) : lastUpdatedDuration ? new Date(Date.now() - durationMs(lastUpdatedDuration)!) : null

    let values: DataValueRecord[] = [...state.dataValues.values()].filter((v) => {
        if (!elementIds.has(v.dataElement) || !ouSet.has(v.orgUnit)) return false
        if (!includeDeleted && v.deleted) return false
        if (aocFilter.length && !aocFilter.includes(v.attributeOptionCombo)) return false
        if (periodSet.size && !periodSet.has(v.period)) return false
        if (startDate && endDate) {
            const p = parsePeriod(v.period, { financialSep: true })
            if (!p || p.start < startDate || p.end > endDate) return false
        }
        if (since && v.lastUpdated < since) return false
        return true
    })
    values.sort((a, b) => {
        const pa = parsePeriod(a.period, { financialSep: true })?.start ?? ''
        const pb = parsePeriod(b.period, { financialSep: true })?.start ?? ''
        return pa.localeCompare(pb) || a.dataElement.localeCompare(b.dataElement) || a.orgUnit.localeCompare(b.orgUnit) || a.categoryOptionCombo.localeCompare(b.categoryOptionCombo)
    })
    if (limit !== undefined && Number(limit) > 0) values = values.slice(0, Number(limit))

    const generic = parseIdScheme(qOne(req, 'idScheme'))
    const scheme = (name: string) => parseIdScheme(qOne(req, name)) ?? generic
    const deS = scheme('dataElementIdScheme')
    const ouS = scheme('orgUnitIdScheme')
    const cocS = scheme('categoryOptionComboIdScheme')
    const aocS = scheme('attributeOptionComboIdScheme')
    const dsS = scheme('dataSetIdScheme')

    const dataValues = values.map((v) => {
        const out: Record<string, unknown> = {
            dataElement: outputId(store, 'dataElements', v.dataElement, deS),
            period: v.period,
            orgUnit: outputId(store, 'organisationUnits', v.orgUnit, ouS),
            categoryOptionCombo: outputId(store, 'categoryOptionCombos', v.categoryOptionCombo, cocS),
            attributeOptionCombo: outputId(store, 'categoryOptionCombos', v.attributeOptionCombo, aocS),
            value: v.value,
            storedBy: v.storedBy,
            created: formatUtc(v.created),
            lastUpdated: formatUtc(v.lastUpdated),
            comment: v.comment,
            followup: v.followup,
        }
        if (includeDeleted) out.deleted = v.deleted
        return out
    })

    if (dataSets.length === 1 && periods.length === 1 && orgUnits.length === 1) {
        const reg = state.registrations.get(`${dataSets[0].id}|${periods[0].iso}|${orgUnits[0].id}|${DEFAULTS.categoryOptionCombo}`)
        return {
            dataSet: outputId(store, 'dataSets', dataSets[0].id, dsS),
            completeDate: reg?.completed ? `${reg.date}T00:00:00.000+0000` : null,
            period: periods[0].iso,
            orgUnit: outputId(store, 'organisationUnits', orgUnits[0].id, ouS),
            dataValues,
        }
    }
    return { dataValues }
}
