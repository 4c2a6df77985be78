/**
 * What the metadata import does on the server's side once an object is accepted (reference §3.2):
 * default properties, the data set side of an org unit's assignment, and the category option
 * combos generated for a category combo.
 */
import { formatLocal } from '../clock'
import { generateUid } from '../uid'
import { schemaFor } from './schema'
import { DEFAULTS, type MetadataStore, type StoredObject, refIds } from './store'

export function applyDefaults(collection: string, o: StoredObject): void {
    if (schemaFor(collection) && collection !== 'users') {
        o.translations ??= []
        o.attributeValues ??= []
    }
    switch (collection) {
        case 'dataElements':
            o.categoryCombo ??= { id: DEFAULTS.categoryCombo }
            o.zeroIsSignificant ??= false
            o.aggregationLevels ??= []
            o.legendSets ??= []
            break
        case 'dataSets':
            o.categoryCombo ??= { id: DEFAULTS.categoryCombo }
            o.expiryDays ??= 0
            o.openFuturePeriods ??= 0
            o.timelyDays ??= 15
            o.dataSetElements ??= []
            o.organisationUnits ??= []
            o.dataInputPeriods ??= []
            o.indicators ??= []
            o.legendSets ??= []
            break
        case 'categories':
            o.categoryOptions ??= []
            o.dataDimensionType ??= 'DISAGGREGATION'
            o.dataDimension ??= true
            break
        case 'categoryCombos':
            o.categories ??= []
            o.dataDimensionType ??= 'DISAGGREGATION'
            o.skipTotal ??= false
            break
        case 'categoryOptions':
            o.organisationUnits ??= []
            break
        case 'categoryOptionCombos':
            o.categoryOptions ??= []
            o.ignoreApproval ??= false
            break
    }
}

/** The org unit side of the data set ↔ org unit association: the given list becomes the truth. */
export function assignOrgUnitToDataSets(store: MetadataStore, ouId: string, dataSetIds: string[], now: string): void {
    const wanted = new Set(dataSetIds)
    for (const ds of store.all('dataSets')) {
        const ous = refIds(ds.organisationUnits)
        const has = ous.includes(ouId)
        if (wanted.has(ds.id) && !has) store.put('dataSets', { ...ds, organisationUnits: [...ous.map((id) => ({ id })), { id: ouId }], lastUpdated: now })
        if (!wanted.has(ds.id) && has) store.put('dataSets', { ...ds, organisationUnits: ous.filter((id) => id !== ouId).map((id) => ({ id })), lastUpdated: now })
    }
}

/**
 * Category option combos of a combo: the cartesian product of its categories' options (in
 * category order), named by the option names joined by ", ". Existing combos keep their UIDs when
 * their option set still occurs; combos for option sets that no longer occur are removed.
 */
export function regenerateOptionCombos(store: MetadataStore, comboId: string, when: Date): void {
    const combo = store.get('categoryCombos', comboId)
    if (!combo) return
    const categories = refIds(combo.categories).map((id) => store.get('categories', id))
    if (!categories.length || categories.some((c) => !c)) return
    const optionLists = categories.map((c) => refIds(c!.categoryOptions))
    if (optionLists.some((l) => l.length === 0)) return
    let product: string[][] = [[]]
    for (const list of optionLists) product = product.flatMap((prefix) => list.map((o) => [...prefix, o]))
    const keyOf = (ids: string[]) => [...ids].sort().join('|')
    const existing = new Map(store.cocsOfCombo(comboId).map((c) => [keyOf(refIds(c.categoryOptions)), c]))
    const now = formatLocal(when)
    const keep = new Set<string>()
    for (const options of product) {
        const name = options.map((o) => (store.get('categoryOptions', o)?.name as string) ?? o).join(', ')
        const found = existing.get(keyOf(options))
        if (found) {
            keep.add(found.id)
            if (found.name !== name) store.put('categoryOptionCombos', { ...found, name, lastUpdated: now })
        } else {
            const id = generateUid()
            keep.add(id)
            store.put('categoryOptionCombos', {
                id,
                name,
                created: now,
                lastUpdated: now,
                translations: [],
                attributeValues: [],
                ignoreApproval: false,
                categoryCombo: { id: comboId },
                categoryOptions: options.map((o) => ({ id: o })),
            })
        }
    }
    for (const c of existing.values()) if (!keep.has(c.id)) store.remove('categoryOptionCombos', c.id)
}
