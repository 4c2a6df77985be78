/**
 * Import options of `POST /api/dataValueSets` (reference §4.2) and their echo in the
 * ImportSummary (`importOptions`, exact field set of the 2.40.9 capture).
 */
import type { Request } from 'express'
import { HttpError, qOne } from '../http'

export interface IdScheme {
    type: 'UID' | 'CODE' | 'NAME' | 'ATTRIBUTE'
    attribute?: string
}

export function parseIdScheme(raw: string | undefined): IdScheme | undefined {
    if (!raw) return undefined
    const m = /^(uid|code|name|id|attribute):?(.*)$/i.exec(raw.trim())
    if (!m) return undefined
    const type = m[1].toUpperCase() === 'ID' ? 'UID' : (m[1].toUpperCase() as IdScheme['type'])
    return type === 'ATTRIBUTE' ? { type, attribute: m[2] } : { type }
}

export const SCHEME_KEYS = ['idScheme', 'dataElementIdScheme', 'orgUnitIdScheme', 'categoryOptionComboIdScheme', 'attributeOptionComboIdScheme', 'dataSetIdScheme'] as const
export type SchemeKey = (typeof SCHEME_KEYS)[number]

const BOOLEAN_OPTIONS = [
    'skipExistingCheck',
    'sharing',
    'skipNotifications',
    'skipAudit',
    'datasetAllowsPeriods',
    'strictPeriods',
    'strictDataElements',
    'strictCategoryOptionCombos',
    'strictAttributeOptionCombos',
    'strictOrganisationUnits',
    'strictDataSetApproval',
    'strictDataSetLocking',
    'strictDataSetInputPeriods',
    'requireCategoryOptionCombo',
    'requireAttributeOptionCombo',
    'skipPatternValidation',
    'ignoreEmptyCollection',
    'force',
] as const
type BooleanOption = (typeof BOOLEAN_OPTIONS)[number]

export type Strategy = 'CREATE_AND_UPDATE' | 'CREATE' | 'UPDATE' | 'DELETE'

const STRATEGIES: Record<string, Strategy> = {
    CREATE_AND_UPDATE: 'CREATE_AND_UPDATE',
    NEW_AND_UPDATES: 'CREATE_AND_UPDATE',
    CREATE: 'CREATE',
    NEW: 'CREATE',
    UPDATE: 'UPDATE',
    UPDATES: 'UPDATE',
    DELETE: 'DELETE',
    DELETES: 'DELETE',
}

export function canonicalStrategy(raw: string | undefined): Strategy | undefined {
    return raw ? STRATEGIES[raw.trim().toUpperCase()] : undefined
}

export interface DvImportOptions extends Record<BooleanOption, boolean> {
    idSchemes: Partial<Record<SchemeKey, IdScheme>>
    dryRun: boolean
    preheatCache?: boolean
    async: boolean
    /** As given (legacy aliases are echoed as such). */
    importStrategy: string
    mergeMode: string
    reportMode: string
    firstRowIsHeader: boolean
    filename?: string
    notificationLevel?: string
    skipLastUpdated: boolean
    mergeDataValues: boolean
    skipCache: boolean
    dataSet?: string
}

function bool(req: Request, name: string, dflt = false): boolean {
    const v = qOne(req, name)
    return v === undefined || v === '' ? dflt : v.toLowerCase() === 'true'
}

export function parseImportOptions(req: Request): DvImportOptions {
    const idSchemes: DvImportOptions['idSchemes'] = {}
    for (const k of SCHEME_KEYS) {
        const s = parseIdScheme(qOne(req, k))
        if (s) idSchemes[k] = s
    }
    const strategyRaw = (qOne(req, 'importStrategy') ?? qOne(req, 'strategy') ?? 'CREATE_AND_UPDATE').toUpperCase()
    if (!canonicalStrategy(strategyRaw))
        throw new HttpError(400, `Value '${strategyRaw}' is not valid for parameter importStrategy. Valid values are: [${Object.keys(STRATEGIES).join(', ')}]`, 'E1003')
    const opts = {
        idSchemes,
        dryRun: bool(req, 'dryRun'),
        async: bool(req, 'async'),
        importStrategy: strategyRaw,
        mergeMode: (qOne(req, 'mergeMode') ?? 'REPLACE').toUpperCase(),
        reportMode: (qOne(req, 'reportMode') ?? 'FULL').toUpperCase(),
        firstRowIsHeader: bool(req, 'firstRowIsHeader', true),
        skipLastUpdated: bool(req, 'skipLastUpdated'),
        mergeDataValues: bool(req, 'mergeDataValues'),
        skipCache: bool(req, 'skipCache'),
    } as DvImportOptions
    for (const k of BOOLEAN_OPTIONS) opts[k] = bool(req, k)
    if (qOne(req, 'preheatCache') !== undefined) opts.preheatCache = bool(req, 'preheatCache')
    if (qOne(req, 'filename')) opts.filename = qOne(req, 'filename')
    if (qOne(req, 'notificationLevel')) opts.notificationLevel = qOne(req, 'notificationLevel')!.toUpperCase()
    if (qOne(req, 'dataSet')) opts.dataSet = qOne(req, 'dataSet')
    return opts
}

/** The `importOptions` object as the server serialises it. */
export function echoImportOptions(o: DvImportOptions): Record<string, unknown> {
    const idSchemes: Record<string, unknown> = {}
    for (const k of SCHEME_KEYS) if (o.idSchemes[k]) idSchemes[k] = o.idSchemes[k]
    const out: Record<string, unknown> = { idSchemes, dryRun: o.dryRun }
    if (o.preheatCache !== undefined) out.preheatCache = o.preheatCache
    Object.assign(out, {
        async: o.async,
        importStrategy: o.importStrategy,
        mergeMode: o.mergeMode,
        reportMode: o.reportMode,
        skipExistingCheck: o.skipExistingCheck,
        sharing: o.sharing,
        skipNotifications: o.skipNotifications,
        skipAudit: o.skipAudit,
        datasetAllowsPeriods: o.datasetAllowsPeriods,
        strictPeriods: o.strictPeriods,
        strictDataElements: o.strictDataElements,
        strictCategoryOptionCombos: o.strictCategoryOptionCombos,
        strictAttributeOptionCombos: o.strictAttributeOptionCombos,
        strictOrganisationUnits: o.strictOrganisationUnits,
        strictDataSetApproval: o.strictDataSetApproval,
        strictDataSetLocking: o.strictDataSetLocking,
        strictDataSetInputPeriods: o.strictDataSetInputPeriods,
        requireCategoryOptionCombo: o.requireCategoryOptionCombo,
        requireAttributeOptionCombo: o.requireAttributeOptionCombo,
        skipPatternValidation: o.skipPatternValidation,
        ignoreEmptyCollection: o.ignoreEmptyCollection,
        force: o.force,
        firstRowIsHeader: o.firstRowIsHeader,
    })
    if (o.filename !== undefined) out.filename = o.filename
    if (o.notificationLevel !== undefined) out.notificationLevel = o.notificationLevel
    Object.assign(out, { skipLastUpdated: o.skipLastUpdated, mergeDataValues: o.mergeDataValues, skipCache: o.skipCache })
    if (o.dataSet !== undefined) out.dataSet = o.dataSet
    return out
}
