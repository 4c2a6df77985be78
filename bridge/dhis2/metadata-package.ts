import {
    CATCOMBO_CHANNEL,
    CATCOMBO_CHANNEL_SERVICE,
    CATEGORY_CHANNEL,
    CATEGORY_SERVICE,
    CHANNELS,
    DATASET_CODE,
    SERVICES,
    channelOptionCode,
    serviceOptionCode,
    type DataElementCode,
    type PeriodType,
} from '../../contract/codes'
import { CATCOMBO_NAMES, CATEGORY_NAMES, CHANNEL_NAMES, DATA_ELEMENT_NAMES, DATASET_NAMES, SERVICE_NAMES, type Names } from '../../contract/labels'
import { reconPackage } from './metadata-recon'

// Names (French first, English translation) come from contract/labels.ts, which the app shows too.

export { METADATA_TYPES, type MetadataPackage, type MetadataType, type PackageObject, type Ref } from './package-object'
import type { MetadataPackage, MetadataType, PackageObject, Ref } from './package-object'

export const translations = (n: Names) => [
    { property: 'NAME', locale: 'en', value: n.en },
    { property: 'SHORT_NAME', locale: 'en', value: (n.shortEn ?? n.en).slice(0, 50) },
]
export const nameable = (code: string, n: Names) => ({
    code,
    name: n.fr,
    shortName: (n.shortFr ?? n.fr).slice(0, 50),
    translations: translations(n),
})

export interface PackageInput {
    /** UID for each code: existing objects keep theirs, new ones get fresh UIDs. */
    idFor(type: MetadataType, code: string): string
    periodType: PeriodType
    defaultCategoryComboId: string
    /** Org units the data set must be assigned to (existing assignments included). */
    orgUnitIds: string[]
    /** The same for PAYREV_RECON_MONTHLY (its own existing assignments added); default orgUnitIds. */
    reconOrgUnitIds?: string[]
}

/** The metadata package of docs/contract.md §3. Category option combos are not in it: the server makes them. */
export function buildPackage(input: PackageInput): MetadataPackage {
    const id = input.idFor
    const chOptions = CHANNELS.map((c) => ({ id: id('categoryOptions', channelOptionCode(c)), ...nameable(channelOptionCode(c), CHANNEL_NAMES[c]) }))
    const svOptions = SERVICES.map((s) => ({ id: id('categoryOptions', serviceOptionCode(s)), ...nameable(serviceOptionCode(s), SERVICE_NAMES[s]) }))
    const category = (code: typeof CATEGORY_CHANNEL | typeof CATEGORY_SERVICE, options: PackageObject[]) => ({
        id: id('categories', code),
        ...nameable(code, CATEGORY_NAMES[code]),
        dataDimensionType: 'DISAGGREGATION',
        dataDimension: true,
        categoryOptions: options.map((o) => ({ id: o.id })),
    })
    const categories = [category(CATEGORY_CHANNEL, chOptions), category(CATEGORY_SERVICE, svOptions)]
    // A category combo is not "nameable" in DHIS2: no short name, so no SHORT_NAME translation.
    const combo = (code: typeof CATCOMBO_CHANNEL_SERVICE | typeof CATCOMBO_CHANNEL, cats: PackageObject[]) => ({
        id: id('categoryCombos', code),
        code,
        name: CATCOMBO_NAMES[code].fr,
        translations: translations(CATCOMBO_NAMES[code]).filter((t) => t.property === 'NAME'),
        dataDimensionType: 'DISAGGREGATION',
        skipTotal: false,
        categories: cats.map((c) => ({ id: c.id })),
    })
    const comboChannelService = combo(CATCOMBO_CHANNEL_SERVICE, categories)
    const comboChannel = combo(CATCOMBO_CHANNEL, [categories[0]])
    const dataElement = (code: DataElementCode, cc: PackageObject) => ({
        id: id('dataElements', code),
        ...nameable(code, DATA_ELEMENT_NAMES[code]),
        formName: DATA_ELEMENT_NAMES[code].fr,
        domainType: 'AGGREGATE',
        valueType: 'INTEGER_ZERO_OR_POSITIVE',
        aggregationType: 'SUM',
        zeroIsSignificant: true,
        categoryCombo: { id: cc.id },
    })
    const dataElements = [
        dataElement('PAYREV_GROSS', comboChannelService),
        dataElement('PAYREV_REFUNDS', comboChannelService),
        dataElement('PAYREV_PAYMENTS', comboChannel),
        dataElement('PAYREV_FAILED', comboChannel),
    ]
    const dsId = id('dataSets', DATASET_CODE)
    const dataSet = {
        id: dsId,
        ...nameable(DATASET_CODE, DATASET_NAMES),
        periodType: input.periodType,
        // ≥ 1 so that the running month can be reported (0 would reject it with E7641).
        openFuturePeriods: 1,
        expiryDays: 0,
        timelyDays: 15,
        categoryCombo: { id: input.defaultCategoryComboId },
        dataSetElements: dataElements.map((de) => ({ dataElement: { id: de.id }, dataSet: { id: dsId } })),
        organisationUnits: [...new Set(input.orgUnitIds)].sort().map((ouId) => ({ id: ouId })),
    }
    // docs/contract.md §7: the reconciliation data set and its data elements (metadata-recon.ts).
    const recon = reconPackage({ idFor: id, channelComboId: comboChannel.id, defaultCategoryComboId: input.defaultCategoryComboId, orgUnitIds: input.reconOrgUnitIds ?? input.orgUnitIds })
    return {
        categoryOptions: [...chOptions, ...svOptions],
        categories,
        categoryCombos: [comboChannelService, comboChannel],
        dataElements: [...dataElements, ...recon.dataElements],
        dataSets: [dataSet, recon.dataSet],
    }
}

/** Properties the bridge owns on each object; anything else an administrator set is left alone. */
const COMPARED: Record<MetadataType, string[]> = {
    categoryOptions: ['name', 'shortName', 'translations'],
    categories: ['name', 'shortName', 'dataDimensionType', 'categoryOptions', 'translations'],
    categoryCombos: ['name', 'dataDimensionType', 'categories', 'translations'],
    dataElements: ['name', 'shortName', 'domainType', 'valueType', 'aggregationType', 'zeroIsSignificant', 'categoryCombo', 'translations'],
    dataSets: ['name', 'shortName', 'periodType', 'openFuturePeriods', 'dataSetElements', 'organisationUnits', 'translations'],
}

function normalise(prop: string, v: unknown): unknown {
    if (v === undefined || v === null) return null
    if (prop === 'translations' && Array.isArray(v)) {
        return v
            .map((t) => `${t.property}|${t.locale}|${t.value}`)
            .sort()
            .join('\n')
    }
    if (prop === 'dataSetElements' && Array.isArray(v)) {
        return v.map((e) => e.dataElement?.id).sort().join(',')
    }
    // Visualizations and dashboards (metadata-dashboard.ts): embedded objects without UIDs.
    if (prop === 'dataDimensionItems' && Array.isArray(v)) return v.map((d) => `${d.dataDimensionItemType}:${d.indicator?.id ?? d.dataElement?.id}`).join(',')
    if (prop === 'categoryDimensions' && Array.isArray(v)) return v.map((d) => `${d.category?.id}:${(d.categoryOptions ?? []).map((o: Ref) => o.id).join(';')}`).join(',')
    if (prop === 'dashboardItems' && Array.isArray(v)) return v.map((d) => `${d.id}:${d.type}:${d.visualization?.id}`).join(',')
    if (prop === 'relativePeriods' && typeof v === 'object') return Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] === true).sort().join(',')
    if (Array.isArray(v)) {
        const ids = v.map((x) => (x && typeof x === 'object' ? (x as Ref).id : x))
        // Category order matters (channel, then service); option order is display order.
        return ids.join(',')
    }
    if (typeof v === 'object') return (v as Ref).id ?? JSON.stringify(v)
    return v
}

export interface ObjectChange {
    /** A package type, or an indicator / dashboard type (metadata-indicators.ts, metadata-dashboard.ts). */
    type: MetadataType | string
    code: string
    id: string
    action: 'create' | 'update' | 'unchanged'
    /** Properties that differ, for --dry-run. */
    changed: string[]
}

/** What posting `desired` would do to the objects the server holds now (matched by code). */
export function diffPackage(desired: MetadataPackage, existing: Record<MetadataType, Array<Record<string, unknown>>>): ObjectChange[] {
    return diffObjects(desired, existing, COMPARED)
}

/** The same for any types: `compared` names, per type in posting order, the properties the bridge owns. */
export function diffObjects(
    desired: Record<string, PackageObject[]>,
    existing: Record<string, Array<Record<string, unknown>>>,
    compared: Record<string, string[]>
): ObjectChange[] {
    const changes: ObjectChange[] = []
    for (const type of Object.keys(compared)) {
        const byCode = new Map((existing[type] ?? []).map((o) => [String(o.code), o]))
        for (const obj of desired[type] ?? []) {
            const current = byCode.get(obj.code)
            if (!current) {
                changes.push({ type, code: obj.code, id: obj.id, action: 'create', changed: [] })
                continue
            }
            const changed = compared[type].filter((p) => {
                const want = normalise(p, obj[p])
                const have = normalise(p, current[p])
                // Assignments the administrator added are kept, so only missing ones count.
                if (p === 'organisationUnits') {
                    const haveSet = new Set(String(have ?? '').split(','))
                    return String(want ?? '')
                        .split(',')
                        .filter(Boolean)
                        .some((x) => !haveSet.has(x))
                }
                return JSON.stringify(want) !== JSON.stringify(have)
            })
            changes.push({ type, code: obj.code, id: obj.id, action: changed.length ? 'update' : 'unchanged', changed })
        }
    }
    return changes
}

/** The fields to read back for comparison, per type. */
export const FIELDS_FOR_DIFF: Record<MetadataType, string> = {
    categoryOptions: 'id,code,name,shortName,translations',
    categories: 'id,code,name,shortName,dataDimensionType,categoryOptions[id],translations',
    categoryCombos: 'id,code,name,dataDimensionType,categories[id],translations',
    dataElements: 'id,code,name,shortName,domainType,valueType,aggregationType,zeroIsSignificant,categoryCombo[id],translations',
    dataSets: 'id,code,name,shortName,periodType,openFuturePeriods,dataSetElements[dataElement[id]],organisationUnits[id],translations',
}
