/**
 * In-memory metadata: one map per collection, objects as stored (owner properties, references as
 * `{id}`), plus derived indexes (org unit tree, data set memberships, option combos) rebuilt lazily
 * after each change.
 */

export interface StoredObject {
    id: string
    [property: string]: unknown
}

export interface Ref {
    id: string
}

export const DEFAULTS = {
    categoryCombo: 'bjDvmb4bfuf',
    category: 'GLevLNI9wkl',
    categoryOption: 'xYerKDKCefk',
    categoryOptionCombo: 'HllvX50cXC0',
} as const

export function refId(v: unknown): string | undefined {
    return v && typeof v === 'object' && typeof (v as Ref).id === 'string' ? (v as Ref).id : undefined
}

export function refIds(v: unknown): string[] {
    return Array.isArray(v) ? v.map(refId).filter((x): x is string => !!x) : []
}

interface Indexes {
    byCode: Map<string, Map<string, StoredObject>>
    children: Map<string, string[]>
    paths: Map<string, string[]>
    dataSetsByElement: Map<string, string[]>
    dataSetsByOrgUnit: Map<string, string[]>
    cocsByCombo: Map<string, StoredObject[]>
    categoriesByOption: Map<string, string[]>
    combosByCategory: Map<string, string[]>
    cocsByOption: Map<string, string[]>
}

export class MetadataStore {
    private readonly collections = new Map<string, Map<string, StoredObject>>()
    private idx: Indexes | null = null

    collection(name: string): Map<string, StoredObject> {
        let c = this.collections.get(name)
        if (!c) {
            c = new Map()
            this.collections.set(name, c)
        }
        return c
    }

    collectionNames(): string[] {
        return [...this.collections.keys()]
    }

    get(collection: string, id: string | undefined): StoredObject | undefined {
        return id === undefined ? undefined : this.collections.get(collection)?.get(id)
    }

    all(collection: string): StoredObject[] {
        return [...(this.collections.get(collection)?.values() ?? [])]
    }

    byCode(collection: string, code: string | undefined): StoredObject | undefined {
        if (code === undefined) return undefined
        return this.indexes().byCode.get(collection)?.get(code)
    }

    byName(collection: string, name: string): StoredObject | undefined {
        return this.all(collection).find((o) => o.name === name)
    }

    put(collection: string, obj: StoredObject): void {
        this.collection(collection).set(obj.id, obj)
        this.idx = null
    }

    remove(collection: string, id: string): void {
        this.collections.get(collection)?.delete(id)
        this.idx = null
    }

    /** Call after mutating a stored object in place. */
    touch(): void {
        this.idx = null
    }

    clone(): MetadataStore {
        const copy = new MetadataStore()
        for (const [name, c] of this.collections) copy.collections.set(name, new Map([...c].map(([k, v]) => [k, structuredClone(v)])))
        return copy
    }

    private indexes(): Indexes {
        if (this.idx) return this.idx
        const idx: Indexes = {
            byCode: new Map(),
            children: new Map(),
            paths: new Map(),
            dataSetsByElement: new Map(),
            dataSetsByOrgUnit: new Map(),
            cocsByCombo: new Map(),
            categoriesByOption: new Map(),
            combosByCategory: new Map(),
            cocsByOption: new Map(),
        }
        const push = (m: Map<string, string[]>, k: string, v: string) => {
            const l = m.get(k)
            if (l) {
                if (!l.includes(v)) l.push(v)
            } else m.set(k, [v])
        }
        for (const [name, c] of this.collections) {
            const codes = new Map<string, StoredObject>()
            for (const o of c.values()) if (typeof o.code === 'string') codes.set(o.code, o)
            idx.byCode.set(name, codes)
        }
        const ous = this.collections.get('organisationUnits') ?? new Map()
        for (const ou of ous.values()) {
            const parent = refId(ou.parent)
            if (parent) push(idx.children, parent, ou.id)
        }
        for (const ou of ous.values()) {
            const chain: string[] = []
            const seen = new Set<string>()
            let cur: StoredObject | undefined = ou
            while (cur && !seen.has(cur.id)) {
                seen.add(cur.id)
                chain.unshift(cur.id)
                cur = ous.get(refId(cur.parent) ?? '')
            }
            idx.paths.set(ou.id, chain)
        }
        for (const ds of this.collections.get('dataSets')?.values() ?? []) {
            for (const dse of (ds.dataSetElements as unknown[]) ?? []) {
                const de = refId((dse as Record<string, unknown>).dataElement)
                if (de) push(idx.dataSetsByElement, de, ds.id)
            }
            for (const ou of refIds(ds.organisationUnits)) push(idx.dataSetsByOrgUnit, ou, ds.id)
        }
        for (const coc of this.collections.get('categoryOptionCombos')?.values() ?? []) {
            const cc = refId(coc.categoryCombo)
            if (cc) {
                const l = idx.cocsByCombo.get(cc) ?? []
                l.push(coc)
                idx.cocsByCombo.set(cc, l)
            }
            for (const o of refIds(coc.categoryOptions)) push(idx.cocsByOption, o, coc.id)
        }
        for (const cat of this.collections.get('categories')?.values() ?? []) {
            for (const o of refIds(cat.categoryOptions)) push(idx.categoriesByOption, o, cat.id)
        }
        for (const cc of this.collections.get('categoryCombos')?.values() ?? []) {
            for (const c of refIds(cc.categories)) push(idx.combosByCategory, c, cc.id)
        }
        this.idx = idx
        return idx
    }

    // ---- org unit tree -------------------------------------------------------------------

    /** Ancestor chain ending with the unit itself (UIDs). */
    pathIds(ouId: string): string[] {
        return this.indexes().paths.get(ouId) ?? []
    }

    path(ouId: string): string {
        return `/${this.pathIds(ouId).join('/')}`
    }

    level(ouId: string): number {
        return this.pathIds(ouId).length
    }

    children(ouId: string): string[] {
        return this.indexes().children.get(ouId) ?? []
    }

    /** The unit and everything below it. */
    subtree(ouId: string): string[] {
        const out: string[] = []
        const stack = [ouId]
        while (stack.length) {
            const id = stack.pop()!
            out.push(id)
            stack.push(...this.children(id))
        }
        return out
    }

    isDescendantOrSelf(ouId: string, ancestors: string[]): boolean {
        const path = this.pathIds(ouId)
        return ancestors.some((a) => path.includes(a))
    }

    roots(): StoredObject[] {
        return this.all('organisationUnits').filter((o) => !refId(o.parent))
    }

    // ---- data sets and categories ----------------------------------------------------------

    dataSetsOfElement(deId: string): string[] {
        return this.indexes().dataSetsByElement.get(deId) ?? []
    }

    dataSetsOfOrgUnit(ouId: string): string[] {
        return this.indexes().dataSetsByOrgUnit.get(ouId) ?? []
    }

    cocsOfCombo(ccId: string): StoredObject[] {
        return this.indexes().cocsByCombo.get(ccId) ?? []
    }

    categoriesOfOption(optionId: string): string[] {
        return this.indexes().categoriesByOption.get(optionId) ?? []
    }

    combosOfCategory(categoryId: string): string[] {
        return this.indexes().combosByCategory.get(categoryId) ?? []
    }

    cocsOfOption(optionId: string): string[] {
        return this.indexes().cocsByOption.get(optionId) ?? []
    }
}
