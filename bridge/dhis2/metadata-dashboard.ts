/**
 * The optional standard dashboard « Recettes hospitalières » (`setup --with-dashboard`,
 * docs/dhis2-native.md): three visualizations on the indicators and the data elements, in the
 * shape DHIS2 2.39–2.42 export and import through /api/metadata (`columnDimensions`,
 * `rowDimensions`, `filterDimensions`, `dataDimensionItems`, `relativePeriods`, user org unit
 * flags), and a dashboard whose items are `type: VISUALIZATION`.
 */
import { DASHBOARD_CODE, DASHBOARD_NAME, type VisualizationCode } from '../../contract/indicators'
import type { Names } from '../../contract/labels'
import { translations, type PackageObject } from './metadata-package'

export const DASHBOARD_COMPARED: Record<string, string[]> = {
    visualizations: [
        'name',
        'type',
        'columnDimensions',
        'rowDimensions',
        'filterDimensions',
        'dataDimensionItems',
        'categoryDimensions',
        'relativePeriods',
        'userOrganisationUnit',
        'userOrganisationUnitChildren',
        'translations',
    ],
    dashboards: ['name', 'dashboardItems', 'translations'],
}

export const DASHBOARD_FIELDS: Record<string, string> = {
    visualizations:
        'id,code,name,type,columnDimensions,rowDimensions,filterDimensions,dataDimensionItems[dataDimensionItemType,indicator[id],dataElement[id]],categoryDimensions[category[id],categoryOptions[id]],relativePeriods,userOrganisationUnit,userOrganisationUnitChildren,translations',
    dashboards: 'id,code,name,dashboardItems[id,type,visualization[id],x,y,width,height],translations',
}

export interface DashboardInput {
    idFor(type: string, code: string): string
    indicatorIds: Record<string, string>
    grossId: string
    /** The payment channel category (package or national) and its options, for the trend's series. */
    channelCategory: { id: string; optionIds: string[] }
    /** Dashboard item UIDs already on the server, by visualization UID (kept: a second run changes nothing). */
    itemIdFor(visualizationId: string): string
}

const indicatorItem = (id: string) => ({ dataDimensionItemType: 'INDICATOR', indicator: { id } })
const nameTranslation = (n: Names) => translations(n).filter((t) => t.property === 'NAME')

interface VizSpec {
    code: VisualizationCode
    name: Names
    body: Record<string, unknown>
}

export function buildDashboardPackage(input: DashboardInput): Record<string, PackageObject[]> {
    const ind = (code: string) => indicatorItem(input.indicatorIds[code])
    const last12 = { last12Months: true }
    const specs: VizSpec[] = [
        {
            code: 'PAYREV_VIZ_DISTRICT_LEAGUE',
            name: { fr: 'Recettes : classement des districts (12 derniers mois)', en: 'Revenue: district league (last 12 months)' },
            body: {
                type: 'PIVOT_TABLE',
                columnDimensions: ['dx'],
                rowDimensions: ['ou'],
                filterDimensions: ['pe'],
                dataDimensionItems: ['PAYREV_IND_NET', 'PAYREV_IND_DIGITAL_SHARE_VALUE', 'PAYREV_IND_AVG_TICKET', 'PAYREV_IND_FAILURE_RATE', 'PAYREV_IND_REFUND_RATE'].map(ind),
                categoryDimensions: [],
                relativePeriods: last12,
                userOrganisationUnit: false,
                userOrganisationUnitChildren: true,
            },
        },
        {
            code: 'PAYREV_VIZ_TREND_CHANNEL',
            name: { fr: 'Recettes par moyen de paiement, 12 derniers mois', en: 'Revenue by payment channel, last 12 months' },
            body: {
                type: 'LINE',
                columnDimensions: [input.channelCategory.id],
                rowDimensions: ['pe'],
                filterDimensions: ['dx', 'ou'],
                // Indicators carry no disaggregation: the trend by channel reads the gross data element.
                dataDimensionItems: [{ dataDimensionItemType: 'DATA_ELEMENT', dataElement: { id: input.grossId } }],
                categoryDimensions: [{ category: { id: input.channelCategory.id }, categoryOptions: input.channelCategory.optionIds.map((id) => ({ id })) }],
                relativePeriods: last12,
                userOrganisationUnit: true,
                userOrganisationUnitChildren: false,
            },
        },
        {
            code: 'PAYREV_VIZ_DIGITAL_SHARE',
            name: { fr: 'Part numérique des recettes par unité (12 derniers mois)', en: 'Digital share of revenue by unit (last 12 months)' },
            body: {
                type: 'COLUMN',
                columnDimensions: ['dx'],
                rowDimensions: ['ou'],
                filterDimensions: ['pe'],
                dataDimensionItems: [ind('PAYREV_IND_DIGITAL_SHARE_VALUE')],
                categoryDimensions: [],
                relativePeriods: last12,
                userOrganisationUnit: false,
                userOrganisationUnitChildren: true,
            },
        },
    ]
    const visualizations = specs.map((s) => ({
        id: input.idFor('visualizations', s.code),
        code: s.code,
        name: s.name.fr,
        translations: nameTranslation(s.name),
        ...s.body,
    }))
    // Two items per row on the Dashboard app's 60-column grid.
    const dashboardItems = visualizations.map((v, i) => ({
        id: input.itemIdFor(v.id),
        type: 'VISUALIZATION',
        visualization: { id: v.id },
        x: (i % 2) * 29,
        y: Math.floor(i / 2) * 20,
        width: 29,
        height: 20,
    }))
    const dashboard = {
        id: input.idFor('dashboards', DASHBOARD_CODE),
        code: DASHBOARD_CODE,
        name: DASHBOARD_NAME.fr,
        translations: nameTranslation(DASHBOARD_NAME),
        dashboardItems,
    }
    return { visualizations, dashboards: [dashboard] }
}
