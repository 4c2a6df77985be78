/**
 * The data value set importer (reference §4): header checks E7600–E7604 (abort), per-value checks
 * in server order (first failure wins), target data sets for E7640–E7643, counting (§4.5),
 * conflict merging by (errorCode, objects), ImportSummary per version.
 */
import { hasAuthority } from '../auth'
import { parseDateTime } from '../clock'
import { DEFAULTS, type StoredObject, refId, refIds } from '../metadata/store'
import { parsePeriod } from '../periods'
import { type DataValueRecord, type StandinState, type UserRecord, dataValueKey } from '../state'
import { type DvImportOptions, type IdScheme, type SchemeKey, canonicalStrategy, echoImportOptions, parseIdScheme } from './options'
import type { DvInput, DvsInput, ParseResult } from './parse'
import { VALUE_REASON_TEXT, inputPeriodOpen, isLocked, isZeroInsignificant, latestOpenPeriod, lookup, normaliseBoolean, valueTypeError } from './rules'

export interface ImportConflict {
    object?: string
    objects?: Record<string, string>
    value: string
    errorCode?: string
    property?: string
    indexes?: number[]
}

export interface ImportSummary {
    responseType: 'ImportSummary'
    status: 'SUCCESS' | 'WARNING' | 'ERROR'
    importOptions: Record<string, unknown>
    description: string
    importCount: { imported: number; updated: number; ignored: number; deleted: number }
    conflicts: ImportConflict[]
    rejectedIndexes?: number[]
    dataSetComplete?: string
}

export interface ImportRun {
    state: StandinState
    user: UserRecord
    options: DvImportOptions
}

class Conflicts {
    readonly list: ImportConflict[] = []
    add(index: number | null, errorCode: string | undefined, objects: Record<string, string>, value: string, property?: string): void {
        const vals = Object.values(objects)
        const same = this.list.find((c) => c.errorCode === errorCode && JSON.stringify(Object.values(c.objects ?? {})) === JSON.stringify(vals) && c.value === value)
        if (same && index !== null) {
            ;(same.indexes ??= []).push(index)
            return
        }
        const c: ImportConflict = { object: vals[0], objects, value, errorCode, property }
        if (index !== null) c.indexes = [index]
        this.list.push(c)
    }
    /** A conflict without error code or objects (data set completion). */
    plain(object: string, value: string): void {
        this.list.push({ object, value })
    }
}

function summary(run: ImportRun, status: ImportSummary['status'], description: string): ImportSummary {
    const s: ImportSummary = {
        responseType: 'ImportSummary',
        status,
        importOptions: echoImportOptions(run.options),
        description,
        importCount: { imported: 0, updated: 0, ignored: 0, deleted: 0 },
        conflicts: [],
    }
    if (run.state.version.rejectedIndexes) s.rejectedIndexes = []
    return s
}

export function importDataValues(run: ImportRun, parsed: ParseResult): ImportSummary {
    if (!parsed.ok) {
        const s = summary(run, 'ERROR', `The import process failed: ${parsed.message}`)
        return s
    }
    return importParsed(run, parsed.input)
}

function importParsed(run: ImportRun, input: DvsInput): ImportSummary {
    const { state, user, options } = run
    const store = state.metadata
    const header = input.header
    const conflicts = new Conflicts()
    const result = summary(run, 'SUCCESS', 'Import process completed successfully')

    // Id schemes: specific beats generic, payload beats URL.
    const scheme = (key: SchemeKey): IdScheme | undefined =>
        parseIdScheme(header[key]) ?? options.idSchemes[key] ?? parseIdScheme(header.idScheme) ?? options.idSchemes.idScheme
    const deScheme = scheme('dataElementIdScheme')
    const ouScheme = scheme('orgUnitIdScheme')
    const cocScheme = scheme('categoryOptionComboIdScheme')
    const aocScheme = scheme('attributeOptionComboIdScheme')
    const dsScheme = scheme('dataSetIdScheme')
    const strategy = canonicalStrategy(header.strategy) ?? canonicalStrategy(options.importStrategy) ?? 'CREATE_AND_UPDATE'
    const dryRun = header.dryRun ?? options.dryRun
    const financialSep = state.version.v42

    const abort = (errorCode: string, objects: Record<string, string>, value: string, property: string): ImportSummary => {
        const s = summary(run, 'ERROR', 'Import process was aborted')
        conflicts.add(null, errorCode, objects, value, property)
        s.conflicts = conflicts.list
        return s
    }

    // Header checks (abort the whole import).
    const dataSet = header.dataSet ? lookup(store, 'dataSets', dsScheme, header.dataSet) : undefined
    if (header.dataSet && !dataSet) return abort('E7600', { dataSet: header.dataSet }, `Data set not found or not accessible: \`${header.dataSet}\``, 'dataSet')
    const headerOu = header.orgUnit ? lookup(store, 'organisationUnits', ouScheme, header.orgUnit) : undefined
    if (header.orgUnit && !headerOu)
        return abort(
            'E7603',
            { organisationUnit: header.orgUnit, ...(dataSet ? { dataSet: dataSet.id } : {}) },
            `Org unit not found or not accessible: \`${header.orgUnit}\``,
            'orgUnit'
        )
    let headerAoc = header.attributeOptionCombo ? lookup(store, 'categoryOptionCombos', aocScheme, header.attributeOptionCombo) : undefined
    if (header.attributeOptionCombo && !headerAoc)
        return abort('E7604', { categoryOptionCombo: header.attributeOptionCombo }, `Attribute option combo not found or not accessible: \`${header.attributeOptionCombo}\``, 'attributeOptionCombo')
    if (!headerAoc && header.attributeCategoryOptions?.length && dataSet) {
        const wanted = [...header.attributeCategoryOptions].sort().join('|')
        headerAoc = store.cocsOfCombo(refId(dataSet.categoryCombo) ?? '').find((c) => [...refIds(c.categoryOptions)].sort().join('|') === wanted)
        if (!headerAoc) {
            const ident = header.attributeCategoryOptions.join(';')
            return abort('E7604', { categoryOptionCombo: ident }, `Attribute option combo not found or not accessible: \`${ident}\``, 'attributeOptionCombo')
        }
    }

    // Completion (registered before the values, not undone when values are rejected).
    result.dataSetComplete = 'false'
    if (header.completeDate && dataSet && header.completeDate.toLowerCase() !== 'false') {
        const period = header.period ? parsePeriod(header.period, { financialSep }) : null
        if (!headerOu) conflicts.plain('OrganisationUnit', 'Must be provided to complete data set')
        else if (!period) conflicts.plain('Period', 'Must be provided to complete data set')
        else {
            const today = state.clock.today()
            let date = header.completeDate.toLowerCase() === 'true' ? today : /^\d{4}-\d{2}-\d{2}/.test(header.completeDate) ? header.completeDate.slice(0, 10) : null
            if (date && date > today) date = today
            if (date) {
                const aoc = headerAoc?.id ?? DEFAULTS.categoryOptionCombo
                if (!dryRun)
                    state.registrations.set(`${dataSet.id}|${period.iso}|${headerOu.id}|${aoc}`, {
                        dataSet: dataSet.id,
                        period: period.iso,
                        organisationUnit: headerOu.id,
                        attributeOptionCombo: aoc,
                        date,
                        storedBy: user.username,
                        completed: true,
                        lastUpdated: state.clock.now(),
                        lastUpdatedBy: user.username,
                    })
                result.dataSetComplete = date
            }
        }
    }

    // Values.
    const pending = new Map<string, DataValueRecord>()
    const current = (key: string) => pending.get(key) ?? state.dataValues.get(key)
    const insertedNow = new Set<string>()
    const rejected: number[] = []
    const count = result.importCount
    const canEditExpired = hasAuthority(user, 'F_EDIT_EXPIRED')
    const forced = options.force && user.authorities.includes('ALL')
    const now = state.clock.now()

    if (options.skipExistingCheck) {
        // No lookup of existing rows: every value is an insert; an existing key fails the batch.
        for (const dv of input.values) {
            const de = lookup(store, 'dataElements', deScheme, dv.dataElement)
            const pe = parsePeriod(header.period ?? dv.period, { financialSep })
            const ou = headerOu ?? lookup(store, 'organisationUnits', ouScheme, dv.orgUnit)
            if (!de || !pe || !ou) continue
            const coc = dv.categoryOptionCombo ? lookup(store, 'categoryOptionCombos', cocScheme, dv.categoryOptionCombo)?.id : DEFAULTS.categoryOptionCombo
            const aoc = headerAoc?.id ?? (dv.attributeOptionCombo ? lookup(store, 'categoryOptionCombos', aocScheme, dv.attributeOptionCombo)?.id : DEFAULTS.categoryOptionCombo)
            if (coc && aoc && state.dataValues.has(dataValueKey(de.id, pe.iso, ou.id, coc, aoc))) {
                const s = summary(run, 'ERROR', 'The import process failed: ERROR: duplicate key value violates unique constraint "datavalue_pkey"')
                return s
            }
        }
    }

    input.values.forEach((dv: DvInput, i: number) => {
        const fail = (errorCode: string, objects: Record<string, string>, value: string, property: string) => {
            conflicts.add(i, errorCode, objects, value, property)
            count.ignored++
            rejected.push(i)
        }
        const rawPe = header.period ?? dv.period
        const rawOu = header.orgUnit ?? dv.orgUnit
        const rawAoc = header.attributeOptionCombo ?? dv.attributeOptionCombo

        const de = lookup(store, 'dataElements', deScheme, dv.dataElement)
        if (!de) return fail('E7610', dv.dataElement ? { dataElement: dv.dataElement } : {}, `Data element not found or not accessible: \`${dv.dataElement ?? null}\``, 'dataElement')
        const period = parsePeriod(rawPe, { financialSep })
        if (!period) return fail('E7611', rawPe ? { period: rawPe } : {}, `Period not valid: \`${rawPe ?? null}\``, 'period')
        const ou = headerOu ?? lookup(store, 'organisationUnits', ouScheme, rawOu)
        if (!ou) return fail('E7612', rawOu ? { organisationUnit: rawOu } : {}, `Organisation unit not found or not accessible: \`${rawOu ?? null}\``, 'orgUnit')
        const coc = dv.categoryOptionCombo ? lookup(store, 'categoryOptionCombos', cocScheme, dv.categoryOptionCombo) : store.get('categoryOptionCombos', DEFAULTS.categoryOptionCombo)
        if (!coc)
            return fail(
                'E7613',
                { categoryOptionCombo: dv.categoryOptionCombo! },
                `Category option combo not found or not accessible for writing data: \`${dv.categoryOptionCombo}\``,
                'categoryOptionCombo'
            )
        const aoc = headerAoc ?? (rawAoc ? lookup(store, 'categoryOptionCombos', aocScheme, rawAoc) : store.get('categoryOptionCombos', DEFAULTS.categoryOptionCombo))
        if (!aoc)
            return fail('E7615', { categoryOptionCombo: rawAoc! }, `Attribute option combo not found or not accessible for writing data: \`${rawAoc}\``, 'attributeOptionCombo')
        if (!store.isDescendantOrSelf(ou.id, user.organisationUnits))
            return fail('E7617', { organisationUnit: ou.id, user: user.id }, `Organisation unit: \`${ou.id}\` not in hierarchy of current user: \`${user.id}\``, 'orgUnit')

        let value = dv.value === undefined ? null : dv.value.trim()
        if (value === '') value = null
        if (value !== null && (de.valueType === 'BOOLEAN' || de.valueType === 'TRUE_ONLY')) value = normaliseBoolean(value)
        const comment = dv.comment === undefined || dv.comment === '' ? null : dv.comment
        if (value === null && comment === null && !dv.deleted && strategy !== 'DELETE')
            return fail('E7618', { dataElement: de.id }, `Data value or comment not specified for data element: \`${de.id}\``, 'value')
        if (value !== null) {
            const reason = valueTypeError(String(de.valueType), value)
            if (reason) return fail('E7619', { dataElement: de.id, value: reason }, `Value must match value type of data element \`${de.id}\`: \`${VALUE_REASON_TEXT[reason] ?? reason}\``, 'value')
        }
        if (comment !== null && comment.length > 50000) return fail('E7620', { comment: 'comment_length_greater_than_max_length' }, 'Invalid comment: comment_length_greater_than_max_length', 'comment')
        const optionSet = refId(de.optionSet)
        if (value !== null && optionSet) {
            const codes = refIds(store.get('optionSets', optionSet)?.options).map((id) => store.get('options', id)?.code)
            if (codes.length && !codes.includes(value))
                return fail('E7621', { dataElement: de.id, value }, `Data value is not a valid option of the data element option set: \`${de.id}\``, 'value')
        }
        if (options.requireCategoryOptionCombo && !dv.categoryOptionCombo)
            return fail('E7630', {}, 'Category option combo is required but is not specified', 'categoryOptionCombo')
        if (options.requireAttributeOptionCombo && !rawAoc && !headerAoc)
            return fail('E7631', {}, 'Attribute option combo is required but is not specified', 'attributeOptionCombo')

        const deDataSets = store.dataSetsOfElement(de.id).map((id) => store.get('dataSets', id)!).filter(Boolean)
        if (options.strictPeriods && !deDataSets.some((ds) => ds.periodType === period.type))
            return fail('E7632', { period: period.iso, dataElement: de.id }, `Period type of period: \`${period.iso}\` not valid for data element: \`${de.id}\``, 'period')
        if (options.strictDataElements) {
            const sets = dataSet ? [dataSet] : deDataSets
            if (!sets.length || (dataSet && !store.dataSetsOfElement(de.id).includes(dataSet.id))) {
                const dsIds = (dataSet ? [dataSet.id] : []).join(', ')
                return fail('E7633', { dataElement: de.id, ...(dataSet ? { dataSet: dataSet.id } : {}) }, `Data element: \`${de.id}\` is not part of dataset(s): \`${dsIds}\``, 'dataElement')
            }
        }
        if (options.strictCategoryOptionCombos) {
            const combos = new Set([refId(de.categoryCombo) ?? DEFAULTS.categoryCombo])
            for (const ds of deDataSets)
                for (const e of (ds.dataSetElements as Array<Record<string, unknown>>) ?? []) if (refId(e.dataElement) === de.id && refId(e.categoryCombo)) combos.add(refId(e.categoryCombo)!)
            if (!combos.has(refId(coc.categoryCombo) ?? ''))
                return fail(
                    'E7634',
                    { categoryOptionCombo: coc.id, dataElement: de.id },
                    `Category option combo: \`${coc.id}\` must be part of category combo of data element: \`${de.id}\``,
                    'categoryOptionCombo'
                )
        }
        if (options.strictAttributeOptionCombos && !deDataSets.some((ds) => (refId(ds.categoryCombo) ?? DEFAULTS.categoryCombo) === refId(aoc.categoryCombo)))
            return fail(
                'E7635',
                { categoryOptionCombo: aoc.id, dataElement: de.id },
                `Attribute option combo: \`${aoc.id}\` must be part of category combo of data sets of data element: \`${de.id}\``,
                'attributeOptionCombo'
            )
        if (options.strictOrganisationUnits && !deDataSets.some((ds) => refIds(ds.organisationUnits).includes(ou.id)))
            return fail('E7636', { organisationUnit: ou.id, dataElement: de.id }, `Data element: \`${de.id}\` must be assigned through data sets to organisation unit: \`${ou.id}\``, 'orgUnit')
        if (dv.storedBy && dv.storedBy.length > 255) return fail('E7637', { storedBy: 'stored_by_length_greater_than_max_length' }, 'Invalid storedBy: stored_by_length_greater_than_max_length', 'storedBy')
        if (aoc.id !== DEFAULTS.categoryOptionCombo) {
            const aocOptions = refIds(aoc.categoryOptions).map((id) => store.get('categoryOptions', id)).filter((o): o is StoredObject => !!o)
            for (const o of aocOptions) {
                const start = typeof o.startDate === 'string' ? o.startDate.slice(0, 10) : null
                const end = typeof o.endDate === 'string' ? o.endDate.slice(0, 10) : null
                if ((start && period.start < start) || (end && period.end > end))
                    return fail('E7638', { period: period.iso, categoryOptionCombo: aoc.id }, `Period: \`${period.iso}\` is not within date range of attribute option combo: \`${aoc.id}\``, 'period')
            }
            for (const o of aocOptions) {
                const restricted = refIds(o.organisationUnits)
                if (restricted.length && !store.isDescendantOrSelf(ou.id, restricted))
                    return fail('E7639', { organisationUnit: ou.id, categoryOptionCombo: aoc.id }, `Organisation unit: \`${ou.id}\` is not valid for attribute option combo: \`${aoc.id}\``, 'orgUnit')
            }
        }

        // Data-set-bound checks: header data set, else the data sets containing the element,
        // assigned to the org unit, whose attribute combo is the AOC's combo.
        const targets = dataSet
            ? [dataSet]
            : deDataSets.filter((ds) => refIds(ds.organisationUnits).includes(ou.id) && (refId(ds.categoryCombo) ?? DEFAULTS.categoryCombo) === refId(aoc.categoryCombo))
        if (targets.length && !forced) {
            const locked = canEditExpired ? undefined : targets.find((ds) => isLocked(state, ds, period))
            if (locked)
                return fail(
                    'E7640',
                    { period: period.iso, dataSet: locked.id },
                    `Current date is past expiry days for period: \`${period.iso}\`  and data set: \`${locked.id}\``,
                    'period'
                )
            for (const ds of targets) {
                const latest = latestOpenPeriod(state, ds)
                if (latest && period.start > latest.end)
                    return fail(
                        'E7641',
                        { period: period.iso, dataElement: de.id, dataSet: ds.id },
                        `Period: \`${period.iso}\` is after latest open future period: \`${latest.iso}\` for data element: \`${de.id}\` and data set: \`${ds.id}\``,
                        'period'
                    )
            }
            const closed = targets.find((ds) => !inputPeriodOpen(state, ds, period))
            if (closed)
                return fail('E7643', { period: period.iso, dataSet: closed.id }, `Period: \`${period.iso}\` is not open for this data set at this time: \`${closed.id}\``, 'period')
        }

        // Counting (§4.5).
        const key = dataValueKey(de.id, period.iso, ou.id, coc.id, aoc.id)
        if (insertedNow.has(key)) return // same key twice in one payload: the second copy is dropped, uncounted
        const existing = current(key)
        const live = !!existing && !existing.deleted
        const followup = dv.followup ?? false
        const storedBy = dv.storedBy?.trim() || user.username
        const created = parseDateTime(dv.created) ?? now
        const lastUpdated = parseDateTime(dv.lastUpdated) ?? now
        if (strategy === 'DELETE' || dv.deleted) {
            if (live) {
                pending.set(key, { ...existing!, deleted: true, lastUpdated: now, storedBy })
                count.deleted++
            } else {
                count.ignored++
                if (strategy === 'DELETE') rejected.push(i)
            }
            return
        }
        if (live) {
            if (strategy === 'CREATE') {
                count.ignored++
                rejected.push(i)
                return
            }
            if (isZeroInsignificant(value, de)) {
                pending.set(key, { ...existing!, deleted: true, lastUpdated: now, storedBy })
                count.deleted++
                return
            }
            const unchanged = existing!.value === value && existing!.comment === comment && existing!.followup === followup
            if (unchanged && state.version.unchangedIgnored) {
                count.ignored++
                return
            }
            pending.set(key, { ...existing!, value, comment, followup, storedBy, lastUpdated })
            count.updated++
            return
        }
        if (strategy === 'UPDATE') {
            count.ignored++
            rejected.push(i)
            return
        }
        if (isZeroInsignificant(value, de)) {
            count.ignored++
            return
        }
        pending.set(key, {
            dataElement: de.id,
            period: period.iso,
            orgUnit: ou.id,
            categoryOptionCombo: coc.id,
            attributeOptionCombo: aoc.id,
            value,
            storedBy,
            created,
            lastUpdated,
            comment,
            followup,
            deleted: false,
        })
        insertedNow.add(key)
        count.imported++
    })

    if (!dryRun) for (const [k, v] of pending) state.dataValues.set(k, v)
    result.conflicts = conflicts.list
    if (result.rejectedIndexes) result.rejectedIndexes = rejected
    if (conflicts.list.length) result.status = 'WARNING'
    // Keep the serialised field order: dataSetComplete last.
    const { dataSetComplete, ...rest } = result
    return { ...rest, ...(result.rejectedIndexes ? { rejectedIndexes: result.rejectedIndexes } : {}), dataSetComplete }
}

