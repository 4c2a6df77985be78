/**
 * `POST /api/metadata` (reference §3.2): identification (UID | CODE | AUTO), strategies,
 * validation (E4000 required, E4001 length, E5000/E5001 strategy, E5002 reference, E5003 unique),
 * atomic modes, commit, and the server-side generation of category option combos.
 */
import { formatLocal } from '../clock'
import { generateUid, isValidUid } from '../uid'
import { IMPORT_ORDER, type PropDef, klassOf, schemaFor, simpleNameOf } from './schema'
import type { ErrorReport, ImportReport, MetadataImportParams, Stats, TypeReport } from './import-report'
import { applyDefaults, assignOrgUnitToDataSets, regenerateOptionCombos } from './server-side'
import { type MetadataStore, type StoredObject, refId } from './store'

interface Entry {
    collection: string
    index: number
    input: Record<string, unknown>
    existing?: StoredObject
    uid: string
    errors: ErrorReport[]
    action: 'create' | 'update' | 'delete'
    normalised?: StoredObject
    /** Org unit side of the data set assignment, when the payload gives it. */
    orgUnitDataSets?: string[]
}

const emptyStats = (): Stats => ({ created: 0, updated: 0, deleted: 0, ignored: 0, total: 0 })

/** References to users are not checked (createdBy, lastUpdatedBy, user…): the stand-in has no user metadata. */
const UNCHECKED_REF_TYPES = new Set(['users', 'userGroups', 'userRoles'])

function describe(e: Entry): string {
    const name = typeof e.input.name === 'string' ? `${e.input.name} ` : ''
    return `${name}[${e.uid}] (${simpleNameOf(e.collection)})`
}

function emptyToNull(v: unknown): unknown {
    return v === '' ? null : v
}

export function importMetadata(store: MetadataStore, payload: Record<string, unknown>, params: MetadataImportParams): ImportReport {
    const collections = Object.keys(payload)
        .filter((k) => Array.isArray(payload[k]))
        .sort((a, b) => {
            const ia = IMPORT_ORDER.indexOf(a)
            const ib = IMPORT_ORDER.indexOf(b)
            return (ia < 0 ? 999 : ia) - (ib < 0 ? 999 : ib) || a.localeCompare(b)
        })

    // 1. Identify every object: existing match, final UID, action.
    const entries: Entry[] = []
    const byId = new Map<string, Map<string, Entry>>()
    const byCode = new Map<string, Map<string, Entry>>()
    for (const collection of collections) {
        const list = payload[collection] as unknown[]
        byId.set(collection, new Map())
        byCode.set(collection, new Map())
        list.forEach((raw, index) => {
            const input = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {}
            const id = typeof input.id === 'string' && input.id ? input.id : undefined
            const code = typeof input.code === 'string' && input.code ? input.code : undefined
            const existing =
                params.identifier === 'UID'
                    ? store.get(collection, id)
                    : params.identifier === 'CODE'
                      ? store.byCode(collection, code)
                      : (store.get(collection, id) ?? store.byCode(collection, code))
            const uid = existing?.id ?? id ?? generateUid()
            const action = params.importStrategy === 'DELETE' ? 'delete' : existing ? 'update' : 'create'
            const e: Entry = { collection, index, input, existing, uid, errors: [], action }
            const klass = klassOf(collection)
            if (id && !existing && !isValidUid(id)) {
                e.errors.push({ message: `Invalid UID \`${id}\` for property \`id\``, mainKlass: klass, errorKlass: 'java.lang.String', errorProperty: 'id', errorCode: 'E4014' })
            }
            if (params.importStrategy === 'CREATE' && existing) {
                e.errors.push({
                    message: `Found matching object for given reference, but import mode is CREATE. Identifier was ${params.identifier}, and object was ${describe(e)}.`,
                    mainKlass: klass,
                    errorCode: 'E5000',
                    mainId: uid,
                })
            }
            if ((params.importStrategy === 'UPDATE' || params.importStrategy === 'DELETE') && !existing) {
                e.errors.push({
                    message: `No matching object for given reference. Identifier was ${params.identifier}, and object was ${describe(e)}.`,
                    mainKlass: klass,
                    errorCode: 'E5001',
                    mainId: uid,
                })
            }
            entries.push(e)
            byId.get(collection)!.set(uid, e)
            if (id) byId.get(collection)!.set(id, e)
            if (code) byCode.get(collection)!.set(code, e)
        })
    }

    // 2. Validate and normalise.
    const resolveRef = (e: Entry, targetType: string, prop: string, value: unknown): { id: string } | null => {
        if (value === null || value === undefined) return null
        const ref = typeof value === 'string' ? { id: value } : (value as { id?: unknown; code?: unknown })
        const id = typeof ref.id === 'string' && ref.id ? ref.id : undefined
        const code = typeof ref.code === 'string' && ref.code ? ref.code : undefined
        if (UNCHECKED_REF_TYPES.has(targetType)) return id ? { id } : null
        if (id) {
            const hit = store.get(targetType, id)?.id ?? byId.get(targetType)?.get(id)?.uid
            if (hit) return { id: hit }
        }
        if (code && (params.identifier !== 'UID' || !id)) {
            const hit = params.identifier === 'UID' ? undefined : (store.byCode(targetType, code)?.id ?? byCode.get(targetType)?.get(code)?.uid)
            if (hit) return { id: hit }
        }
        e.errors.push({
            message: `Invalid reference [${id ?? code ?? '?'}] (${simpleNameOf(targetType)}) on object ${describe(e)} for association \`${prop}\`.`,
            mainKlass: klassOf(e.collection),
            errorKlass: klassOf(targetType),
            errorProperty: prop,
            errorCode: 'E5002',
            mainId: e.uid,
        })
        return null
    }

    const normaliseProp = (e: Entry, prop: string, def: PropDef, value: unknown): unknown => {
        value = emptyToNull(value)
        if (value === null || value === undefined) return null
        switch (def.kind) {
            case 'simple':
                return value
            case 'ref':
                return resolveRef(e, def.type, prop, value)
            case 'refs':
                return Array.isArray(value) ? value.map((v) => resolveRef(e, def.type, prop, v)).filter((x) => x !== null) : []
            case 'embedded':
            case 'embeddedList': {
                const items = def.kind === 'embedded' ? [value] : Array.isArray(value) ? value : []
                const out = items.map((item) => {
                    if (!item || typeof item !== 'object') return item
                    const copy: Record<string, unknown> = {}
                    for (const [k, v] of Object.entries(item as Record<string, unknown>)) {
                        const sub = def.schema.props[k]
                        if (!sub) continue
                        copy[k] = normaliseProp(e, `${prop}.${k}`, sub, v)
                        if (copy[k] === null) delete copy[k]
                    }
                    return copy
                })
                return def.kind === 'embedded' ? out[0] : out
            }
        }
    }

    const seenUnique = new Map<string, Map<string, string>>()
    for (const e of entries) {
        if (e.action === 'delete' || e.errors.some((x) => x.errorCode === 'E5000' || x.errorCode === 'E5001')) continue
        const schema = schemaFor(e.collection)
        const klass = klassOf(e.collection)
        if (!schema) {
            const obj: StoredObject = { ...structuredClone(e.input), id: e.uid }
            e.normalised = obj
            continue
        }
        const obj: StoredObject = { id: e.uid }
        for (const [prop, def] of Object.entries(schema.props)) {
            if (prop === 'id' || prop === 'created' || prop === 'lastUpdated' || prop === 'createdBy' || prop === 'lastUpdatedBy') continue
            if (!(prop in e.input)) continue
            const v = normaliseProp(e, prop, def, e.input[prop])
            if (v !== null && v !== undefined) obj[prop] = v
        }
        // The data set side of dataSetElements always points to the data set itself.
        if (e.collection === 'dataSets' && Array.isArray(obj.dataSetElements)) {
            obj.dataSetElements = (obj.dataSetElements as Array<Record<string, unknown>>)
                .filter((x) => refId(x.dataElement))
                .map((x) => ({ ...x, dataSet: { id: e.uid } }))
        }
        if (e.collection === 'dataSets' && Array.isArray(obj.dataInputPeriods)) {
            obj.dataInputPeriods = (obj.dataInputPeriods as Array<Record<string, unknown>>).map((x) => ({
                ...x,
                period: typeof x.period === 'string' ? { id: x.period } : x.period,
            }))
        }
        if (e.collection === 'organisationUnits' && Array.isArray(e.input.dataSets)) {
            e.orgUnitDataSets = (e.input.dataSets as unknown[]).map((v) => resolveRef(e, 'dataSets', 'dataSets', v)?.id).filter((x): x is string => !!x)
        }
        for (const [prop, def] of Object.entries(schema.props)) {
            if (def.kind === 'simple' && def.required && (obj[prop] === undefined || obj[prop] === null)) {
                e.errors.push({
                    message: `Missing required property \`${prop}\``,
                    mainKlass: klass,
                    errorKlass: def.errorKlass ?? 'java.lang.String',
                    errorProperty: prop,
                    errorCode: 'E4000',
                })
            }
            if (def.kind === 'simple' && def.maxLength && typeof obj[prop] === 'string' && (obj[prop] as string).length > def.maxLength) {
                e.errors.push({
                    message: `Maximum length of property \`${prop}\`is ${def.maxLength}, but given length was ${(obj[prop] as string).length}.`,
                    mainKlass: klass,
                    errorKlass: 'java.lang.String',
                    errorProperty: prop,
                    errorCode: 'E4001',
                })
            }
            if (def.kind === 'simple' && def.unique && typeof obj[prop] === 'string') {
                const value = obj[prop] as string
                const key = `${e.collection}.${prop}`
                const seen = seenUnique.get(key) ?? new Map<string, string>()
                seenUnique.set(key, seen)
                const clash =
                    store.all(e.collection).find((o) => o[prop] === value && o.id !== e.uid && !isReplacedInPayload(o.id, prop, value))?.id ??
                    (seen.has(value) && seen.get(value) !== e.uid ? seen.get(value) : undefined)
                if (clash) {
                    e.errors.push({
                        message: `Property \`${prop}\` with value \`${value}\` on object ${describe(e)} already exists on object ${clash}.`,
                        mainKlass: klass,
                        errorKlass: 'java.lang.String',
                        errorProperty: prop,
                        errorCode: 'E5003',
                        mainId: e.uid,
                    })
                }
                seen.set(value, e.uid)
            }
        }
        e.normalised = obj
    }

    // An existing object whose unique value changes in this same payload does not clash.
    function isReplacedInPayload(id: string, prop: string, value: string): boolean {
        for (const m of byId.values()) {
            const other = m.get(id)
            if (other && other.action !== 'delete' && other.input[prop] !== value) return true
        }
        return false
    }

    // 3. Commit (atomicMode ALL: nothing at all when any object failed).
    const failed = entries.some((e) => e.errors.length > 0)
    const commit = params.importMode === 'COMMIT' && !(failed && params.atomicMode === 'ALL')
    const counts = new Map<string, Stats>()
    const now = formatLocal(params.now)
    const userRef = params.userId ? { id: params.userId } : undefined
    const touchedCombos = new Set<string>()
    const touchedCategories = new Set<string>()
    const touchedOptions = new Set<string>()
    const ouAssignments: Entry[] = []
    for (const e of entries) {
        const stats = counts.get(e.collection) ?? emptyStats()
        counts.set(e.collection, stats)
        stats.total++
        const ok = e.errors.length === 0 && !(failed && params.atomicMode === 'ALL')
        if (!ok) {
            stats.ignored++
            continue
        }
        if (e.action === 'delete') stats.deleted++
        else if (e.action === 'update') stats.updated++
        else stats.created++
        if (!commit) continue
        if (e.action === 'delete') {
            store.remove(e.collection, e.uid)
            if (e.collection === 'categoryCombos') for (const coc of store.cocsOfCombo(e.uid)) store.remove('categoryOptionCombos', coc.id)
            continue
        }
        const obj = e.normalised!
        const stored: StoredObject =
            e.action === 'update'
                ? {
                      ...obj,
                      id: e.existing!.id,
                      created: e.existing!.created,
                      createdBy: e.existing!.createdBy,
                      lastUpdated: now,
                      lastUpdatedBy: userRef,
                  }
                : { ...obj, id: e.uid, created: typeof obj.created === 'string' && !schemaFor(e.collection) ? obj.created : now, lastUpdated: now, createdBy: userRef, lastUpdatedBy: userRef }
        applyDefaults(e.collection, stored)
        for (const k of Object.keys(stored)) if (stored[k] === undefined) delete stored[k]
        store.put(e.collection, stored)
        if (e.collection === 'categoryCombos') touchedCombos.add(stored.id)
        if (e.collection === 'categories') touchedCategories.add(stored.id)
        if (e.collection === 'categoryOptions' && e.action === 'update') touchedOptions.add(stored.id)
        if (e.orgUnitDataSets) ouAssignments.push(e)
    }
    if (commit) {
        for (const e of ouAssignments) assignOrgUnitToDataSets(store, e.uid, e.orgUnitDataSets!, now)
        for (const o of touchedOptions) for (const c of store.categoriesOfOption(o)) touchedCategories.add(c)
        for (const c of touchedCategories) for (const cc of store.combosOfCategory(c)) touchedCombos.add(cc)
        for (const cc of touchedCombos) regenerateOptionCombos(store, cc, params.now)
    }

    // 4. Report.
    const typeReports: TypeReport[] = []
    const total = emptyStats()
    for (const collection of collections) {
        const stats = counts.get(collection)
        if (!stats || stats.total === 0) continue
        for (const k of Object.keys(total) as Array<keyof Stats>) total[k] += stats[k]
        const klass = klassOf(collection)
        const objectReports = entries
            .filter((e) => e.collection === collection && (params.importReportMode !== 'ERRORS' || e.errors.length > 0))
            .map((e) => ({ klass, index: e.index, uid: e.uid, errorReports: e.errors }))
        typeReports.push({ klass, stats, objectReports })
    }
    const status = !failed ? 'OK' : params.atomicMode === 'ALL' ? 'ERROR' : 'WARNING'
    return { responseType: 'ImportReport', status, stats: total, typeReports }
}
