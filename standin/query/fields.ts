/**
 * The `fields` parameter: `a,b[c,d[e]]` (also `a(b)`), presets `*`, `:all`, `:owner`,
 * `:identifiable`, `:nameable`, `:simple`, exclusions `!x`, and the `~rename(n)`, `~size`,
 * `~isEmpty`, `~isNotEmpty` transformers. References rendered without sub-fields become `{id}`.
 */
import type { PropDef } from '../metadata/schema'
import type { StoredObject } from '../metadata/store'
import { refId } from '../metadata/store'
import type { Resolver } from '../metadata/views'

export interface FieldNode {
    name: string
    children: FieldNode[] | null
    exclude: boolean
    transformers: string[]
}

export function parseFields(input: string | string[] | undefined): FieldNode[] {
    const text = (Array.isArray(input) ? input : input === undefined ? [] : [input]).join(',')
    let i = 0
    const makeNode = (t: string): FieldNode => {
        const [head, ...tr] = t.split('~')
        const exclude = head.startsWith('!')
        return { name: exclude ? head.slice(1) : head, children: null, exclude, transformers: tr }
    }
    function list(): FieldNode[] {
        const out: FieldNode[] = []
        let token = ''
        let afterChildren: FieldNode | null = null
        const finish = () => {
            const t = token.trim()
            token = ''
            if (afterChildren) {
                if (t.startsWith('~')) afterChildren.transformers.push(...t.slice(1).split('~'))
                afterChildren = null
                return
            }
            if (t) out.push(makeNode(t))
        }
        while (i < text.length) {
            const ch = text[i++]
            if (ch === '(' && token.includes('~')) {
                const end = text.indexOf(')', i)
                const stop = end === -1 ? text.length : end
                token += `(${text.slice(i, stop)})`
                i = stop + 1
            } else if (ch === ',') finish()
            else if (ch === '[' || ch === '(') {
                const node = makeNode(token.trim())
                token = ''
                out.push(node)
                node.children = list()
                afterChildren = node
            } else if (ch === ']' || ch === ')') {
                finish()
                return out
            } else token += ch
        }
        finish()
        return out
    }
    return list()
}

export const STAR: FieldNode[] = [{ name: '*', children: null, exclude: false, transformers: [] }]

const IDENTIFIABLE_PRESET = ['id', 'name', 'code', 'created', 'lastUpdated', 'href']
const NAMEABLE_PRESET = ['id', 'name', 'shortName', 'code', 'description', 'created', 'lastUpdated', 'href']

interface Shape {
    all(): string[]
    owner(): string[]
    isSimple(name: string): boolean
}

/** Property names (with the node that selected them, when it has sub-fields) chosen by `nodes`. */
function select(shape: Shape, nodes: FieldNode[]): Array<[string, FieldNode | null]> {
    const picked = new Map<string, FieldNode | null>()
    const excluded = new Set<string>()
    for (const n of nodes) {
        let names: string[]
        if (n.name === '*' || n.name === ':all') names = shape.all()
        else if (n.name === ':owner' || n.name === ':persisted') names = shape.owner()
        else if (n.name === ':identifiable') names = IDENTIFIABLE_PRESET
        else if (n.name === ':nameable') names = NAMEABLE_PRESET
        else if (n.name === ':simple') names = shape.all().filter((p) => shape.isSimple(p))
        else names = [n.name]
        for (const name of names) {
            if (n.exclude) excluded.add(name)
            else if (n.name === name) picked.set(name, n)
            else if (!picked.has(name)) picked.set(name, null)
        }
    }
    return [...picked].filter(([name]) => !excluded.has(name))
}

function plainShape(obj: Record<string, unknown>): Shape {
    return { all: () => Object.keys(obj), owner: () => Object.keys(obj), isSimple: (n) => typeof obj[n] !== 'object' || obj[n] === null }
}

function renderRef(targetType: string, value: unknown, node: FieldNode | null, r: Resolver | null): unknown {
    const id = refId(value)
    if (!id) return value
    if (!node?.children) return { id }
    const target = r?.get(targetType, id)
    return render(targetType, target ?? { id }, node.children, r)
}

function renderValue(def: PropDef | undefined, v: unknown, node: FieldNode | null, r: Resolver | null): unknown {
    if (def?.kind === 'ref') return renderRef(def.type, v, node, r)
    if (def?.kind === 'refs') return Array.isArray(v) ? v.map((x) => renderRef(def.type, x, node, r)) : v
    if (def?.kind === 'embedded') return renderEmbedded(def.schema.props, v, node, r)
    if (def?.kind === 'embeddedList') return Array.isArray(v) ? v.map((x) => renderEmbedded(def.schema.props, x, node, r)) : v
    return node?.children ? renderPlain(v, node.children) : v
}

function renderEmbedded(props: Record<string, PropDef>, value: unknown, node: FieldNode | null, r: Resolver | null): unknown {
    if (!value || typeof value !== 'object') return value
    const item = value as Record<string, unknown>
    const nodes = node?.children ?? STAR
    const out: Record<string, unknown> = {}
    for (const [name, sub] of select(plainShape(item), nodes)) {
        const v = item[name]
        if (v === undefined || v === null) continue
        out[name] = renderValue(props[name], v, sub, r)
    }
    return applyTransformers(out, nodes)
}

/** Field selection on plain JSON (no schema): nested objects and arrays of objects. */
export function renderPlain(value: unknown, nodes: FieldNode[]): unknown {
    if (Array.isArray(value)) return value.map((v) => renderPlain(v, nodes))
    if (!value || typeof value !== 'object') return value
    const obj = value as Record<string, unknown>
    const out: Record<string, unknown> = {}
    for (const [name, node] of select(plainShape(obj), nodes)) {
        if (!(name in obj)) continue
        const v = obj[name]
        out[name] = node?.children ? renderPlain(v, node.children) : v
    }
    return applyTransformers(out, nodes)
}

function applyTransformers(out: Record<string, unknown>, nodes: FieldNode[]): Record<string, unknown> {
    for (const n of nodes) {
        if (!n.transformers.length || !(n.name in out)) continue
        for (const t of n.transformers) {
            const m = /^(\w+)(?:\(([^)]*)\))?$/.exec(t)
            if (!m) continue
            const v = out[n.name]
            if (m[1] === 'size') out[n.name] = Array.isArray(v) || typeof v === 'string' ? v.length : v
            else if (m[1] === 'isEmpty') out[n.name] = Array.isArray(v) ? v.length === 0 : !v
            else if (m[1] === 'isNotEmpty') out[n.name] = Array.isArray(v) ? v.length > 0 : !!v
            else if (m[1] === 'rename' && m[2]) {
                delete out[n.name]
                out[m[2]] = v
            }
        }
    }
    return out
}

/** Renders one metadata object with the selected fields. */
export function render(collection: string, obj: StoredObject, nodes: FieldNode[], r: Resolver | null): Record<string, unknown> {
    const shape: Shape = r
        ? {
              all: () => r.allProps(collection, obj),
              owner: () => r.ownerProps(collection, obj),
              isSimple: (p) => (r.propDef(collection, p)?.kind ?? 'simple') === 'simple',
          }
        : plainShape(obj)
    const out: Record<string, unknown> = {}
    for (const [name, node] of select(shape, nodes)) {
        const v = r ? r.prop(collection, obj, name) : obj[name]
        if (v === undefined || v === null) continue
        out[name] = renderValue(r?.propDef(collection, name), v, node, r)
    }
    return applyTransformers(out, nodes)
}
