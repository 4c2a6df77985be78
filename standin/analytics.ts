/**
 * Aggregate analytics (reference §8) over the analytics snapshot (never the raw values): dx (indicators: analytics-indicators.ts; data
 * elements, DE.COC operands), pe (ISO and relative periods, values aggregated upward into longer
 * periods), ou (UIDs, USER_ORGUNIT*, LEVEL-n with boundaries), co, category dimensions; filters;
 * response grid with headers, metaData.items/dimensions, rows of strings.
 */
import type { Request } from 'express'
import { type CompiledIndicator, compileIndicator, feedsIndicator, formatIndicatorNumber, indicatorValue } from './analytics-indicators'
import { aggregate, parseDimensionParams, roundValue } from './analytics-values'
import { hasAuthority } from './auth'
import { HttpError, qList, qOne } from './http'
import { DEFAULTS, type StoredObject, refId, refIds } from './metadata/store'
import { type Period, RELATIVE_PERIODS, parsePeriod, periodDays, periodName } from './periods'
import type { DataValueRecord, StandinState, UserRecord } from './state'

export const NOT_RUN = {
    httpStatus: 'Conflict',
    httpStatusCode: 409,
    status: 'ERROR',
    message: 'Query failed because a referenced table does not exist. Please ensure analytics job was run (SqlState: 42P01)',
    devMessage: 'SqlState: 42P01',
    errorCode: 'E7144',
}

const e409 = (code: string, message: string) => new HttpError(409, message, code)

/** One resolved item of a dimension: its output id, display name, and how values match it. */
interface Item {
    out: string
    name: string
    /** Data: element and optional COC. */
    de?: StoredObject
    coc?: string
    /** Data: an indicator (analytics-indicators.ts). */
    ind?: CompiledIndicator
    /** Period. */
    period?: Period
    /** Org unit: every unit of the subtree. */
    subtree?: Set<string>
    /** co / category: COC ids or option id. */
    cocId?: string
    optionId?: string
}

interface Dim {
    id: string
    column: string
    filter: boolean
    items: Item[]
    /** Category dimension: the category. */
    category?: StoredObject
}

function userOrgUnits(req: Request, user: UserRecord): string[] {
    const explicit = qList(req, 'userOrgUnit').flatMap((v) => v.split(';')).filter(Boolean)
    if (explicit.length) return explicit
    if ((qOne(req, 'userOrgUnitType') ?? '').toUpperCase() === 'DATA_OUTPUT') return user.dataViewOrganisationUnits
    return user.organisationUnits.length ? user.organisationUnits : user.dataViewOrganisationUnits
}

export function runAnalytics(req: Request, state: StandinState, user: UserRecord): Record<string, unknown> {
    if (!state.analytics.snapshot) throw Object.assign(new HttpError(409, NOT_RUN.message, 'E7144', { devMessage: NOT_RUN.devMessage }), {})
    const store = state.metadata
    const dims = parseDimensionParams(qList(req, 'dimension'), false)
    const filters = parseDimensionParams(qList(req, 'filter'), true)
    if (!dims.length) throw e409('E7101', 'At least one dimension must be specified')
    const dup = dims.find((d) => filters.some((f) => f.id === d.id))
    if (dup) throw e409('E7103', `Dimensions cannot be specified as dimension and filter simultaneously: \`${dup.id}\``)
    const all = [...dims, ...filters]
    const displayShort = (qOne(req, 'displayProperty') ?? 'NAME').toUpperCase() === 'SHORTNAME'
    const outScheme = (qOne(req, 'outputIdScheme') ?? 'UID').toUpperCase()
    const inScheme = (qOne(req, 'inputIdScheme') ?? 'UID').toUpperCase()
    const today = qOne(req, 'relativePeriodDate') ?? state.clock.today()
    const skipRounding = (qOne(req, 'skipRounding') ?? '').toLowerCase() === 'true'
    const v = state.version

    const nameOf = (o: StoredObject): string => {
        const tr = (prop: string) =>
            ((o.translations as Array<{ property?: string; locale?: string; value?: string }>) ?? []).find((t) => t.property === prop && t.locale === user.settings.keyDbLocale)?.value
        return displayShort ? (tr('SHORT_NAME') ?? (o.shortName as string) ?? (o.name as string) ?? o.id) : (tr('NAME') ?? (o.name as string) ?? o.id)
    }
    const outId = (o: StoredObject): string => (outScheme === 'CODE' ? ((o.code as string) ?? o.id) : outScheme === 'NAME' ? ((o.name as string) ?? o.id) : o.id)
    const find = (collection: string, ident: string) => (inScheme === 'CODE' ? store.byCode(collection, ident) : store.get(collection, ident))

    const extraItems: Record<string, unknown> = {}
    let hasPeriod = false
    const resolved: Dim[] = []
    for (const p of all) {
        if (p.id === 'dx') {
            const items: Item[] = []
            for (const raw of p.items) {
                const [deId, cocId] = raw.split('.')
                const de = find('dataElements', deId)
                const indicator = de || cocId !== undefined ? undefined : find('indicators', deId)
                if (indicator) items.push({ out: outId(indicator), name: nameOf(indicator), ind: compileIndicator(store, indicator) })
                if (!de) continue
                if (cocId !== undefined) {
                    const coc = find('categoryOptionCombos', cocId)
                    if (!coc) continue
                    items.push({ out: `${outId(de)}.${outId(coc)}`, name: `${nameOf(de)} ${nameOf(coc)}`, de, coc: coc.id })
                } else items.push({ out: outId(de), name: nameOf(de), de })
            }
            if (!items.length) throw e409('E7124', 'Dimension is present in query without any valid dimension options: `dx`')
            resolved.push({ id: 'dx', column: 'Data', filter: p.filter, items })
        } else if (p.id === 'pe') {
            const items: Item[] = []
            const seen = new Set<string>()
            for (const raw of p.items) {
                const rel = RELATIVE_PERIODS[raw.toUpperCase()]
                const periods = rel ? rel.resolve(today) : [parsePeriod(raw, { financialSep: v.v42 })].filter((x): x is Period => !!x)
                if (rel) extraItems[raw.toUpperCase()] = { name: rel.name }
                for (const period of periods) {
                    if (seen.has(period.iso)) continue
                    seen.add(period.iso)
                    items.push({ out: period.iso, name: periodName(period), period })
                }
            }
            if (!items.length) throw e409('E7104', 'At least one period as dimension or filter, or start and dates, must be specified')
            hasPeriod = true
            resolved.push({ id: 'pe', column: 'Period', filter: p.filter, items })
        } else if (p.id === 'ou') {
            const userUnits = userOrgUnits(req, user)
            const levels: number[] = []
            const ids: string[] = []
            const keyword: Array<[string, string[]]> = []
            for (const raw of p.items) {
                const up = raw.toUpperCase()
                if (up === 'USER_ORGUNIT') keyword.push(['USER_ORGUNIT', userUnits])
                else if (up === 'USER_ORGUNIT_CHILDREN')
                    keyword.push(['USER_ORGUNIT_CHILDREN', sortByName(state, userUnits.flatMap((u) => store.children(u)))])
                else if (up === 'USER_ORGUNIT_GRANDCHILDREN')
                    keyword.push(['USER_ORGUNIT_GRANDCHILDREN', sortByName(state, userUnits.flatMap((u) => store.children(u)).flatMap((c) => store.children(c)))])
                else if (up.startsWith('LEVEL-')) {
                    const ref = raw.slice(6)
                    const level = /^\d+$/.test(ref) ? Number(ref) : (store.get('organisationUnitLevels', ref)?.level as number | undefined)
                    if (level === undefined) continue
                    levels.push(level)
                    const lv = store.all('organisationUnitLevels').find((l) => l.level === level)
                    if (lv) extraItems[lv.id] = { uid: lv.id, name: lv.name }
                } else if (up.startsWith('OU_GROUP-')) continue
                else {
                    const ou = find('organisationUnits', raw)
                    if (ou) ids.push(ou.id)
                }
            }
            let units: string[] = []
            for (const [k, list] of keyword) {
                units.push(...list)
                if (v.modernJobs) extraItems[k] = { organisationUnits: list.map((id) => outId(store.get('organisationUnits', id) ?? { id })) }
            }
            if (levels.length) {
                const boundaries = ids.length ? ids : keyword.length ? units : user.dataViewOrganisationUnits.length ? user.dataViewOrganisationUnits : store.roots().map((r) => r.id)
                if (!ids.length && keyword.length) units = []
                for (const level of levels)
                    units.push(...sortByName(state, boundaries.flatMap((b) => store.subtree(b)).filter((id) => store.level(id) === level)))
            } else units.push(...ids)
            units = [...new Set(units)].filter((id) => store.get('organisationUnits', id))
            if (!units.length) throw e409('E7143', 'Organisation unit or organisation unit level is not valid')
            const view = user.dataViewOrganisationUnits.length ? user.dataViewOrganisationUnits : user.organisationUnits
            if (!hasAuthority(user, 'ALL') || view.length) {
                for (const id of units)
                    if (!store.isDescendantOrSelf(id, view)) throw e409('E7120', `User: \`${user.username}\` is not allowed to view org unit: \`${id}\``)
            }
            resolved.push({
                id: 'ou',
                column: 'Organisation unit',
                filter: p.filter,
                items: units.map((id) => {
                    const ou = store.get('organisationUnits', id)!
                    return { out: outId(ou), name: nameOf(ou), subtree: new Set(store.subtree(id)) }
                }),
            })
        } else if (p.id === 'co') {
            const dx = all.find((d) => d.id === 'dx')
            const combos = new Set<string>()
            for (const raw of dx?.items ?? []) {
                const de = find('dataElements', raw.split('.')[0])
                if (de) combos.add(refId(de.categoryCombo) ?? DEFAULTS.categoryCombo)
            }
            const cocs = [...combos].flatMap((cc) => store.cocsOfCombo(cc))
            const wanted = p.items.length ? new Set(p.items) : null
            resolved.push({
                id: 'co',
                column: 'Category option combo',
                filter: p.filter,
                items: cocs.filter((c) => !wanted || wanted.has(c.id)).map((c) => ({ out: outId(c), name: nameOf(c), cocId: c.id })),
            })
        } else {
            const category = find('categories', p.id)
            if (!category) throw e409('E7125', `Dimension identifier does not reference any dimension: \`${p.id}\``)
            const optionIds = p.items.length ? p.items.map((i) => find('categoryOptions', i)?.id).filter((x): x is string => !!x) : refIds(category.categoryOptions)
            resolved.push({
                id: outId(category),
                column: nameOf(category),
                filter: p.filter,
                category,
                items: optionIds.map((id) => store.get('categoryOptions', id)!).filter(Boolean).map((o) => ({ out: outId(o), name: nameOf(o), optionId: o.id })),
            })
        }
    }
    if (!all.some((d) => d.id === 'dx')) throw e409('E7102', 'At least one data dimension item or data element group set dimension item must be specified')
    if (!hasPeriod && !(qOne(req, 'startDate') && qOne(req, 'endDate')))
        throw e409('E7104', 'At least one period as dimension or filter, or start and dates, must be specified')
    if (!hasPeriod) {
        const start = qOne(req, 'startDate')!
        const end = qOne(req, 'endDate')!
        resolved.push({ id: 'pe', column: 'Period', filter: true, items: [{ out: `${start}_${end}`, name: `${start} - ${end}`, period: { iso: `${start}_${end}`, type: 'Daily', start, end } }] })
    }

    // Aggregate the snapshot.
    const dimensionDims = resolved.filter((d) => !d.filter)
    const filterDims = resolved.filter((d) => d.filter)
    const aggregationOverride = qOne(req, 'aggregationType')?.toUpperCase()
    const cocCache = new Map<string, Set<string>>()
    const optionsOf = (cocId: string) => {
        let s = cocCache.get(cocId)
        if (!s) {
            s = new Set(refIds(store.get('categoryOptionCombos', cocId)?.categoryOptions))
            cocCache.set(cocId, s)
        }
        return s
    }
    const matchingIndexes = (d: Dim, dv: DataValueRecord, pe: Period | null): number[] => {
        const out: number[] = []
        d.items.forEach((it, i) => {
            let ok = false
            if (d.id === 'dx')
                ok = it.ind ? feedsIndicator(it.ind, dv.dataElement, dv.categoryOptionCombo) : it.de!.id === dv.dataElement && (it.coc === undefined || it.coc === dv.categoryOptionCombo)
            else if (d.id === 'pe') ok = !!pe && pe.start >= it.period!.start && pe.start <= it.period!.end && periodDays(pe) <= periodDays(it.period!)
            else if (d.id === 'ou') ok = it.subtree!.has(dv.orgUnit)
            else if (d.id === 'co') ok = it.cocId === dv.categoryOptionCombo
            else ok = optionsOf(dv.categoryOptionCombo).has(it.optionId!) || optionsOf(dv.attributeOptionCombo).has(it.optionId!)
            if (ok) out.push(i)
        })
        return out
    }
    // What a value matches in a dimension depends on one or two of its fields only: one matcher per
    // dimension, remembering its answer per field values (a district of 200 facilities over 24
    // months holds ~200 000 values; the app asks two or three queries per view).
    const matcherOf = (d: Dim): ((dv: DataValueRecord) => number[]) => {
        if (d.id === 'pe' || d.id === 'ou' || d.id === 'co') {
            const field = d.id === 'pe' ? 'period' : d.id === 'ou' ? 'orgUnit' : 'categoryOptionCombo'
            const seen = new Map<string, number[]>()
            return (dv) => {
                const a = dv[field]
                let m = seen.get(a)
                if (!m) seen.set(a, (m = matchingIndexes(d, dv, d.id === 'pe' ? parsePeriod(dv.period, { financialSep: true }) : null)))
                return m
            }
        }
        // dx (data element and option combo) and category dimensions (option combo and attribute combo).
        const seen = new Map<string, Map<string, number[]>>()
        return (dv) => {
            const a = d.id === 'dx' ? dv.dataElement : dv.categoryOptionCombo
            const b = d.id === 'dx' ? dv.categoryOptionCombo : dv.attributeOptionCombo
            let byB = seen.get(a)
            if (!byB) seen.set(a, (byB = new Map()))
            let m = byB.get(b)
            if (!m) byB.set(b, (m = matchingIndexes(d, dv, null)))
            return m
        }
    }
    const filterMatchers = filterDims.map(matcherOf)
    const dimMatchers = dimensionDims.map(matcherOf)
    // A row is a tuple of item indexes, one per dimension dim; as a number (mixed radix) for the map.
    const radix = dimensionDims.map((d) => d.items.length)
    const cells = new Map<number, { idx: number[]; byDe: Map<string, number[]>; byOp: Map<string, number[]> }>()
    const add = (idx: number[], dv: DataValueRecord, num: number) => {
        let key = 0
        for (let k = 0; k < idx.length; k++) key = key * radix[k] + idx[k]
        let cell = cells.get(key)
        if (!cell) cells.set(key, (cell = { idx, byDe: new Map(), byOp: new Map() }))
        const l = cell.byDe.get(dv.dataElement)
        if (l) l.push(num)
        else cell.byDe.set(dv.dataElement, [num])
        const opKey = `${dv.dataElement}.${dv.categoryOptionCombo}`
        const o = cell.byOp.get(opKey)
        if (o) o.push(num)
        else cell.byOp.set(opKey, [num])
    }
    const snapshot = state.analytics.snapshot
    const numbers = snapshotNumbers(snapshot)
    const single: number[] = new Array(dimMatchers.length)
    values: for (let v = 0; v < snapshot.length; v++) {
        const num = numbers[v]
        if (Number.isNaN(num)) continue
        const dv = snapshot[v]
        for (const f of filterMatchers) if (f(dv).length === 0) continue values
        // Nearly always one item per dimension: the tuple without building every combination.
        let many = false
        for (let k = 0; k < dimMatchers.length; k++) {
            const m = dimMatchers[k](dv)
            if (m.length === 0) continue values
            if (m.length > 1) many = true
            single[k] = m[0]
        }
        if (!many) {
            add(single.slice(), dv, num)
            continue
        }
        let combos: number[][] = [[]]
        for (const match of dimMatchers) combos = combos.flatMap((c) => match(dv).map((i) => [...c, i]))
        for (const idx of combos) add(idx, dv, num)
    }
    const includeNumDen = (qOne(req, 'includeNumDen') ?? '').toLowerCase() === 'true'
    const skipData = (qOne(req, 'skipData') ?? '').toLowerCase() === 'true'
    const aggregateOf = (deId: string, values: number[]) => aggregate(aggregationOverride ?? String(store.get('dataElements', deId)?.aggregationType ?? 'SUM'), values)
    const dxAt = dimensionDims.findIndex((d) => d.id === 'dx')
    const dxFilterIndicator = filterDims.find((d) => d.id === 'dx')?.items.find((it) => it.ind)?.ind
    const rows: string[][] = skipData
        ? []
        : [...cells.values()]
              .sort((a, b) => {
                  for (let i = 0; i < a.idx.length; i++) if (a.idx[i] !== b.idx[i]) return a.idx[i] - b.idx[i]
                  return 0
              })
              .flatMap((cell) => {
                  const ind = dxAt >= 0 ? dimensionDims[dxAt].items[cell.idx[dxAt]].ind : dxFilterIndicator
                  if (ind) {
                      const r = indicatorValue(ind, (de, coc) => {
                          const values = coc ? cell.byOp.get(`${de}.${coc}`) : cell.byDe.get(de)
                          return values ? aggregateOf(de, values) : undefined
                      })
                      if (!r) return []
                      const fmt = (x: number) => formatIndicatorNumber(x, ind.decimals, skipRounding)
                      const row = [...cell.idx.map((i, k) => dimensionDims[k].items[i].out), fmt(r.value)]
                      if (includeNumDen) row.push(fmt(r.numerator), fmt(r.denominator), fmt(r.factor), String(r.factor), '1')
                      return [row]
                  }
                  let total = 0
                  for (const [deId, values] of cell.byDe) {
                      const de = store.get('dataElements', deId)
                      total += aggregate(aggregationOverride ?? String(de?.aggregationType ?? 'SUM'), values)
                  }
                  const row = cell.idx.map((i, k) => dimensionDims[k].items[i].out)
                  row.push(roundValue(total, skipRounding))
                  if (includeNumDen) row.push('', '', '', '', '')
                  return [row]
              })
    const maxLimit = Number(state.systemSettings.keyAnalyticsMaxLimit ?? 100000)
    if (maxLimit > 0 && rows.length > maxLimit) throw e409('E7128', `Query result set exceeded max limit: \`${maxLimit}\``)

    const header = (name: string, column: string) => ({ name, column, valueType: 'TEXT', type: 'java.lang.String', hidden: false, meta: true })
    const num = (name: string, column: string) => ({ name, column, valueType: 'NUMBER', type: 'java.lang.Double', hidden: false, meta: false })
    const headers = [...dimensionDims.map((d) => header(d.id, d.column)), num('value', 'Value')]
    if (includeNumDen) headers.push(num('numerator', 'Numerator'), num('denominator', 'Denominator'), num('factor', 'Factor'), num('multiplier', 'Multiplier'), num('divisor', 'Divisor'))

    let metaData: Record<string, unknown> = {}
    if ((qOne(req, 'skipMeta') ?? '').toLowerCase() !== 'true') {
        const items: Record<string, unknown> = {}
        const dimensions: Record<string, string[]> = {}
        const DIM_NAMES: Record<string, string> = { dx: 'Data', pe: 'Period', ou: 'Organisation unit', co: 'Category option combo' }
        for (const d of resolved) {
            for (const it of d.items) items[it.out] = { name: it.name }
            if (DIM_NAMES[d.id]) items[d.id] = { name: DIM_NAMES[d.id] }
            else if (d.category) items[d.id] = { name: nameOf(d.category) }
            dimensions[d.id] = d.items.map((it) => it.out)
            if (d.id === 'dx') {
                const cocs = d.items.filter((it) => it.coc).map((it) => store.get('categoryOptionCombos', it.coc!)!)
                for (const c of cocs) items[outId(c)] = { name: nameOf(c) }
                if (cocs.length && !all.some((x) => x.id === 'co')) dimensions.co = [...new Set(cocs.map(outId))]
            }
        }
        Object.assign(items, extraItems)
        dimensions.co ??= []
        metaData = { items, dimensions }
    }
    return {
        headers,
        metaData,
        rowContext: {},
        rows,
        height: rows.length,
        headerWidth: headers.length,
        width: rows.length ? headers.length : 0,
    }
}

function sortByName(state: StandinState, ids: string[]): string[] {
    const name = (id: string) => String(state.metadata.get('organisationUnits', id)?.name ?? id)
    return [...new Set(ids)].sort((a, b) => name(a).localeCompare(name(b)))
}

/**
 * The numeric value of every snapshot entry (NaN: deleted, empty or not a number), computed once
 * per snapshot: every analytics query reads all of them.
 */
const numbersBySnapshot = new WeakMap<DataValueRecord[], Float64Array>()
function snapshotNumbers(snapshot: DataValueRecord[]): Float64Array {
    let out = numbersBySnapshot.get(snapshot)
    if (!out) {
        out = new Float64Array(snapshot.length)
        snapshot.forEach((dv, i) => {
            const ok = !dv.deleted && dv.value !== null && /^-?\d+(\.\d+)?([eE]-?\d+)?$/.test(dv.value.trim())
            out![i] = ok ? Number(dv.value) : NaN
        })
        numbersBySnapshot.set(snapshot, out)
    }
    return out
}
