/**
 * Read-side view of stored metadata: owner properties as stored, plus the computed ones
 * (displayName, path/level, inverse associations such as `dataElement.dataSetElements` or
 * `categoryCombo.categoryOptionCombos`). Used by the `fields` renderer and the `filter` engine.
 */
import { DATA_SET_ELEMENT, type PropDef, schemaFor } from './schema'
import { DEFAULTS, type MetadataStore, type StoredObject, refId, refIds } from './store'

export interface ViewContext {
    store: MetadataStore
    /** Server root for `href` (no /api). */
    base: string
    /** Locale for displayName (`?locale=` or the user's db locale). */
    locale?: string
    /** Extra objects that are not in the metadata store (the users). */
    extra?: (collection: string, id: string) => StoredObject | undefined
}

const COMPUTED_DEFS: Record<string, Record<string, PropDef>> = {
    organisationUnits: {
        children: { kind: 'refs', type: 'organisationUnits' },
        dataSets: { kind: 'refs', type: 'dataSets' },
        ancestors: { kind: 'refs', type: 'organisationUnits' },
    },
    categoryOptions: {
        categories: { kind: 'refs', type: 'categories' },
        categoryOptionCombos: { kind: 'refs', type: 'categoryOptionCombos' },
    },
    categories: { categoryCombos: { kind: 'refs', type: 'categoryCombos' } },
    categoryCombos: { categoryOptionCombos: { kind: 'refs', type: 'categoryOptionCombos' } },
    dataElements: { dataSetElements: { kind: 'embeddedList', schema: DATA_SET_ELEMENT } },
    indicators: { indicatorGroups: { kind: 'refs', type: 'indicatorGroups' } },
}

function translated(obj: StoredObject, property: string, locale: string | undefined): string | undefined {
    if (!locale || !Array.isArray(obj.translations)) return undefined
    const lang = locale.split(/[_-]/)[0]
    const list = obj.translations as Array<{ property?: string; locale?: string; value?: string }>
    return (
        list.find((t) => t.property === property && t.locale === locale)?.value ?? list.find((t) => t.property === property && t.locale === lang)?.value
    )
}

export class Resolver {
    constructor(readonly ctx: ViewContext) {}

    get store(): MetadataStore {
        return this.ctx.store
    }

    get(collection: string, id: string): StoredObject | undefined {
        return this.ctx.store.get(collection, id) ?? this.ctx.extra?.(collection, id)
    }

    propDef(collection: string, name: string): PropDef | undefined {
        return schemaFor(collection)?.props[name] ?? COMPUTED_DEFS[collection]?.[name]
    }

    /** Every property `*` shows, owner first. */
    allProps(collection: string, obj: StoredObject): string[] {
        const s = schemaFor(collection)
        if (!s) return Object.keys(obj)
        return [...Object.keys(s.props), ...s.computed]
    }

    ownerProps(collection: string, obj: StoredObject): string[] {
        const s = schemaFor(collection)
        return s ? Object.keys(s.props) : Object.keys(obj)
    }

    knows(collection: string, name: string): boolean {
        const s = schemaFor(collection)
        if (!s) return true
        return name in s.props || s.computed.includes(name)
    }

    prop(collection: string, obj: StoredObject, name: string): unknown {
        const store = this.ctx.store
        switch (name) {
            case 'displayName':
                return translated(obj, 'NAME', this.ctx.locale) ?? obj.name
            case 'displayShortName':
                return translated(obj, 'SHORT_NAME', this.ctx.locale) ?? obj.shortName
            case 'displayDescription':
                return translated(obj, 'DESCRIPTION', this.ctx.locale) ?? obj.description
            case 'displayFormName':
                return translated(obj, 'FORM_NAME', this.ctx.locale) ?? obj.formName ?? this.prop(collection, obj, 'displayName')
            case 'href':
                return `${this.ctx.base}/api/${collection}/${obj.id}`
        }
        if (!(schemaFor(collection)?.computed.includes(name) ?? false)) return obj[name]
        switch (`${collection}.${name}`) {
            case 'organisationUnits.path':
                return store.path(obj.id)
            case 'organisationUnits.level':
                return store.level(obj.id)
            case 'organisationUnits.children':
                return store.children(obj.id).map((id) => ({ id }))
            case 'organisationUnits.leaf':
                return store.children(obj.id).length === 0
            case 'organisationUnits.ancestors':
                return store
                    .pathIds(obj.id)
                    .slice(0, -1)
                    .map((id) => ({ id }))
            case 'organisationUnits.dataSets':
                return store.dataSetsOfOrgUnit(obj.id).map((id) => ({ id }))
            case 'categoryOptions.categories':
                return store.categoriesOfOption(obj.id).map((id) => ({ id }))
            case 'categoryOptions.categoryOptionCombos':
                return store.cocsOfOption(obj.id).map((id) => ({ id }))
            case 'categories.categoryCombos':
                return store.combosOfCategory(obj.id).map((id) => ({ id }))
            case 'categoryCombos.categoryOptionCombos':
                return store.cocsOfCombo(obj.id).map((c) => ({ id: c.id }))
            case 'categoryCombos.isDefault':
                return obj.id === DEFAULTS.categoryCombo
            case 'categoryOptions.isDefault':
                return obj.id === DEFAULTS.categoryOption
            case 'categoryOptionCombos.isDefault':
                return obj.id === DEFAULTS.categoryOptionCombo
            case 'dataElements.dataSetElements':
                return store.dataSetsOfElement(obj.id).flatMap((dsId) => {
                    const ds = store.get('dataSets', dsId)
                    const list = (ds?.dataSetElements as Array<Record<string, unknown>>) ?? []
                    return list.filter((e) => refId(e.dataElement) === obj.id)
                })
            case 'dataElements.optionSetValue':
                return !!refId(obj.optionSet)
            case 'dataElements.dimensionItem':
            case 'dataSets.dimensionItem':
                return obj.id
            case 'dataElements.dimensionItemType':
                return 'DATA_ELEMENT'
            case 'indicators.dimensionItem':
                return obj.id
            case 'indicators.dimensionItemType':
                return 'INDICATOR'
            case 'indicators.indicatorGroups':
                return store
                    .all('indicatorGroups')
                    .filter((g) => refIds(g.indicators).includes(obj.id))
                    .map((g) => ({ id: g.id }))
            case 'visualizations.columns':
            case 'visualizations.rows':
            case 'visualizations.filters': {
                const dims = obj[`${name === 'columns' ? 'column' : name === 'rows' ? 'row' : 'filter'}Dimensions`]
                return Array.isArray(dims) ? dims.map((id) => ({ id })) : []
            }
            case 'dashboards.itemCount':
                return Array.isArray(obj.dashboardItems) ? obj.dashboardItems.length : 0
        }
        return obj[name]
    }

    /** The data set's data element ids. */
    dataSetElementIds(ds: StoredObject): string[] {
        return ((ds.dataSetElements as Array<Record<string, unknown>>) ?? []).map((e) => refId(e.dataElement)).filter((x): x is string => !!x)
    }

    orgUnitIds(ds: StoredObject): string[] {
        return refIds(ds.organisationUnits)
    }
}
