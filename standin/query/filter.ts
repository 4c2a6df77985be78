/**
 * Metadata `filter=property:operator:value` (nested paths through references, embedded objects and
 * collections; "any element matches" semantics), `rootJunction`, `order`, and paging.
 */
import { HttpError } from '../http'
import type { StoredObject } from '../metadata/store'
import { refId } from '../metadata/store'
import type { Resolver } from '../metadata/views'

export interface Filter {
    path: string[]
    op: string
    value: string | undefined
}

const OPS = new Set([
    'eq', '!eq', 'ne', 'neq', 'ieq', 'like', '!like', '$like', '!$like', 'like$', '!like$', 'ilike', '!ilike', '$ilike', '!$ilike', 'ilike$', '!ilike$',
    'gt', 'ge', 'lt', 'le', 'null', '!null', 'empty', '!empty', 'token', '!token', 'in', '!in',
])

export function parseFilter(text: string): Filter {
    const parts = text.split(':')
    if (parts.length < 2) throw new HttpError(400, `Invalid filter: \`${text}\``, 'E1003')
    const op = parts[1]
    if (!OPS.has(op)) throw new HttpError(400, `\`${op}\` is not a valid operator`, 'E1003')
    const value = parts.length > 2 ? parts.slice(2).join(':') : undefined
    return { path: parts[0].split('.'), op, value }
}

type Item = { collection: string | null; value: unknown }

/** Terminal values reached by `path`; the final property is returned as is (arrays not flattened). */
function valuesAt(collection: string, obj: StoredObject, path: string[], r: Resolver): unknown[] {
    let items: Item[] = [{ collection, value: obj }]
    for (let i = 0; i < path.length; i++) {
        const name = path[i]
        const last = i === path.length - 1
        const next: Item[] = []
        for (const it of items) {
            if (!it.value || typeof it.value !== 'object') continue
            let v: unknown
            let targetType: string | null = null
            let isEmbedded = false
            if (it.collection) {
                if (name === 'identifiable') {
                    const o = it.value as StoredObject
                    next.push({ collection: null, value: [o.id, o.code, o.name].filter((x) => x != null) })
                    continue
                }
                if (i === 0 && !r.knows(it.collection, name)) throw new HttpError(400, `Unknown path property: \`${name}\` (${it.collection})`, 'E1003')
                v = r.prop(it.collection, it.value as StoredObject, name)
                const def = r.propDef(it.collection, name)
                if (def?.kind === 'ref' || def?.kind === 'refs') targetType = def.type
                if (def?.kind === 'embedded' || def?.kind === 'embeddedList') isEmbedded = true
            } else v = (it.value as Record<string, unknown>)[name]
            if (last) {
                next.push({ collection: null, value: v })
                continue
            }
            const list = Array.isArray(v) ? v : [v]
            for (const el of list) {
                if (targetType) {
                    const id = refId(el)
                    const target = id ? r.get(targetType, id) : undefined
                    next.push({ collection: target ? targetType : null, value: target ?? el })
                } else if (isEmbedded) {
                    // embedded objects: their references resolve through the embedded schema's ref props
                    next.push({ collection: null, value: resolveEmbeddedRefs(el, r) })
                } else next.push({ collection: null, value: el })
            }
        }
        items = next
    }
    return items.map((it) => it.value)
}

/** Embedded objects keep `{id}` references; expand them so `dataSetElements.dataSet.name` works. */
function resolveEmbeddedRefs(el: unknown, r: Resolver): unknown {
    if (!el || typeof el !== 'object') return el
    const out: Record<string, unknown> = { ...(el as Record<string, unknown>) }
    for (const [k, v] of Object.entries(out)) {
        const id = refId(v)
        if (!id) continue
        const collection = ({ dataElement: 'dataElements', dataSet: 'dataSets', categoryCombo: 'categoryCombos' } as Record<string, string>)[k]
        const target = collection ? r.get(collection, id) : undefined
        if (target && collection) out[k] = { ...target, displayName: r.prop(collection, target, 'displayName') }
    }
    return out
}

function str(v: unknown): string {
    return typeof v === 'string' ? v : JSON.stringify(v)
}

function compare(a: unknown, b: string): number {
    const na = typeof a === 'number' ? a : Number(a)
    const nb = Number(b)
    if (a !== '' && b !== '' && !Number.isNaN(na) && !Number.isNaN(nb)) return na - nb
    const sa = str(a)
    return sa < b ? -1 : sa > b ? 1 : 0
}

function tokenMatch(v: unknown, value: string): boolean {
    const words = str(v).toLowerCase().split(/\s+/)
    return value
        .toLowerCase()
        .split(/\s+/)
        .filter(Boolean)
        .every((t) => words.some((w) => w.startsWith(t)))
}

function listValue(value: string | undefined): string[] {
    if (!value) return []
    const inner = value.startsWith('[') && value.endsWith(']') ? value.slice(1, -1) : value
    return inner.split(',').map((s) => s.trim())
}

export function matches(collection: string, obj: StoredObject, f: Filter, r: Resolver): boolean {
    const raw = valuesAt(collection, obj, f.path, r)
    const flat = raw.flatMap((v) => (Array.isArray(v) ? v : [v])).filter((v) => v !== undefined && v !== null)
    const val = f.value ?? ''
    const any = (pred: (v: unknown) => boolean) => flat.some(pred)
    switch (f.op) {
        case 'eq':
            return any((v) => str(v) === val)
        case 'ieq':
            return any((v) => str(v).toLowerCase() === val.toLowerCase())
        case '!eq':
        case 'ne':
        case 'neq':
            return !any((v) => str(v) === val)
        case 'like':
            return any((v) => str(v).includes(val))
        case '!like':
            return !any((v) => str(v).includes(val))
        case '$like':
            return any((v) => str(v).startsWith(val))
        case '!$like':
            return !any((v) => str(v).startsWith(val))
        case 'like$':
            return any((v) => str(v).endsWith(val))
        case '!like$':
            return !any((v) => str(v).endsWith(val))
        case 'ilike':
            return any((v) => str(v).toLowerCase().includes(val.toLowerCase()))
        case '!ilike':
            return !any((v) => str(v).toLowerCase().includes(val.toLowerCase()))
        case '$ilike':
            return any((v) => str(v).toLowerCase().startsWith(val.toLowerCase()))
        case '!$ilike':
            return !any((v) => str(v).toLowerCase().startsWith(val.toLowerCase()))
        case 'ilike$':
            return any((v) => str(v).toLowerCase().endsWith(val.toLowerCase()))
        case '!ilike$':
            return !any((v) => str(v).toLowerCase().endsWith(val.toLowerCase()))
        case 'gt':
            return any((v) => compare(v, val) > 0)
        case 'ge':
            return any((v) => compare(v, val) >= 0)
        case 'lt':
            return any((v) => compare(v, val) < 0)
        case 'le':
            return any((v) => compare(v, val) <= 0)
        case 'null':
            return flat.length === 0
        case '!null':
            return flat.length > 0
        case 'empty':
            return raw.every((v) => v === undefined || v === null || (Array.isArray(v) && v.length === 0))
        case '!empty':
            return raw.some((v) => Array.isArray(v) && v.length > 0)
        case 'token':
            return any((v) => tokenMatch(v, val))
        case '!token':
            return !any((v) => tokenMatch(v, val))
        case 'in': {
            const set = new Set(listValue(f.value))
            return any((v) => set.has(str(v)))
        }
        case '!in': {
            const set = new Set(listValue(f.value))
            return !any((v) => set.has(str(v)))
        }
    }
    return false
}

export function applyFilters(collection: string, objs: StoredObject[], filters: string[], rootJunction: string | undefined, r: Resolver): StoredObject[] {
    if (!filters.length) return objs
    const parsed = filters.map(parseFilter)
    const or = (rootJunction ?? 'AND').toUpperCase() === 'OR'
    return objs.filter((o) => (or ? parsed.some((f) => matches(collection, o, f, r)) : parsed.every((f) => matches(collection, o, f, r))))
}

export function applyOrder(collection: string, objs: StoredObject[], orders: string[], r: Resolver): StoredObject[] {
    const specs = orders
        .flatMap((o) => o.split(','))
        .filter(Boolean)
        .map((o) => {
            const [prop, dir = 'asc'] = o.split(':')
            return { prop, dir: dir.toLowerCase() }
        })
    // Default: name (case-insensitive), then id.
    if (!specs.length) specs.push({ prop: 'name', dir: 'iasc' }, { prop: 'id', dir: 'asc' })
    const key = (o: StoredObject, p: string) => {
        const v = r.prop(collection, o, p)
        return v === undefined || v === null ? null : v
    }
    return [...objs].sort((a, b) => {
        for (const s of specs) {
            let va = key(a, s.prop)
            let vb = key(b, s.prop)
            if (va === vb) continue
            if (va === null) return 1
            if (vb === null) return -1
            const ci = s.dir === 'iasc' || s.dir === 'idesc'
            if (ci) {
                va = str(va).toLowerCase()
                vb = str(vb).toLowerCase()
            }
            const c = typeof va === 'number' && typeof vb === 'number' ? va - vb : str(va) < str(vb) ? -1 : str(va) > str(vb) ? 1 : 0
            if (c !== 0) return s.dir.endsWith('desc') ? -c : c
        }
        return 0
    })
}

export interface Pager {
    page: number
    total: number
    pageSize: number
    pageCount: number
    prevPage?: string
    nextPage?: string
}

/** DHIS2 pager; links carry `page` (and `pageSize` when not the default 50) only. */
export function paginate<T>(items: T[], page: number, pageSize: number, linkBase: string): { pager: Pager; items: T[] } {
    const size = pageSize > 0 ? pageSize : 50
    const total = items.length
    const pageCount = Math.max(1, Math.ceil(total / size))
    const p = Math.max(1, page)
    const suffix = size === 50 ? '' : `&pageSize=${size}`
    const pager: Pager = { page: p, total, pageSize: size, pageCount }
    if (p > 1) pager.prevPage = `${linkBase}?page=${Math.min(p - 1, pageCount)}${suffix}`
    if (p < pageCount) pager.nextPage = `${linkBase}?page=${p + 1}${suffix}`
    return { pager, items: items.slice((p - 1) * size, p * size) }
}
