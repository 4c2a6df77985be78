/**
 * Indicator and dashboard types (docs/dhis2-native.md): indicator types, indicators, indicator
 * groups, visualizations and dashboards, with the owner properties DHIS2 2.39–2.42 import and
 * export (dhis2-core Indicator, IndicatorType, IndicatorGroup, Visualization, Dashboard).
 * Visualizations and dashboards are stored and returned, never rendered.
 */
import type { EmbeddedSchema, PropDef, TypeSchema } from './schema-types'

export interface SchemaParts {
    S: (extra?: Partial<Extract<PropDef, { kind: 'simple' }>>) => PropDef
    IDENTIFIABLE: Record<string, PropDef>
    NAMEABLE: Record<string, PropDef>
    IDENTIFIABLE_COMPUTED: string[]
    NAMEABLE_COMPUTED: string[]
}

const STR = 'java.lang.String'

export function analyticsSchemas({ S, IDENTIFIABLE, NAMEABLE, IDENTIFIABLE_COMPUTED, NAMEABLE_COMPUTED }: SchemaParts): TypeSchema[] {
    const DATA_DIMENSION_ITEM: EmbeddedSchema = {
        name: 'dataDimensionItem',
        props: {
            dataDimensionItemType: S(),
            indicator: { kind: 'ref', type: 'indicators' },
            dataElement: { kind: 'ref', type: 'dataElements' },
            dataElementOperand: S(),
            reportingRate: S(),
            programIndicator: S(),
            programDataElement: S(),
            programAttribute: S(),
            expressionDimensionItem: S(),
        },
    }
    const CATEGORY_DIMENSION: EmbeddedSchema = {
        name: 'categoryDimension',
        props: { category: { kind: 'ref', type: 'categories' }, categoryOptions: { kind: 'refs', type: 'categoryOptions' } },
    }
    const DASHBOARD_ITEM: EmbeddedSchema = {
        name: 'dashboardItem',
        props: {
            id: S(),
            type: S(),
            visualization: { kind: 'ref', type: 'visualizations' },
            // Maps, event visualizations, apps: stored as given (the stand-in does not model them).
            map: S(),
            eventVisualization: S(),
            eventChart: S(),
            eventReport: S(),
            text: S(),
            appKey: S(),
            users: S(),
            reports: S(),
            resources: S(),
            x: S(),
            y: S(),
            width: S(),
            height: S(),
            shape: S(),
        },
    }
    const simple = (names: string[]) => Object.fromEntries(names.map((n) => [n, S()]))
    return [
        {
            collection: 'indicatorTypes',
            singular: 'indicatorType',
            klass: 'org.hisp.dhis.indicator.IndicatorType',
            simpleName: 'IndicatorType',
            nameable: false,
            props: {
                ...IDENTIFIABLE,
                name: S({ required: true, maxLength: 230, unique: true, errorKlass: STR }),
                factor: S({ required: true, errorKlass: 'java.lang.Integer' }),
                number: S(),
            },
            computed: IDENTIFIABLE_COMPUTED,
        },
        {
            collection: 'indicators',
            singular: 'indicator',
            klass: 'org.hisp.dhis.indicator.Indicator',
            simpleName: 'Indicator',
            nameable: true,
            props: {
                ...NAMEABLE,
                name: S({ required: true, maxLength: 230, unique: true, errorKlass: STR }),
                shortName: S({ required: true, maxLength: 50, unique: true, errorKlass: STR }),
                formName: S(),
                annualized: S({ required: true, errorKlass: 'boolean' }),
                decimals: S(),
                indicatorType: { kind: 'ref', type: 'indicatorTypes', required: true },
                numerator: S({ required: true, errorKlass: STR }),
                numeratorDescription: S(),
                denominator: S({ required: true, errorKlass: STR }),
                denominatorDescription: S(),
                url: S(),
                style: S(),
                legendSets: { kind: 'refs', type: 'legendSets' },
                aggregateExportCategoryOptionCombo: S(),
                aggregateExportAttributeOptionCombo: S(),
            },
            computed: [...NAMEABLE_COMPUTED, 'displayFormName', 'indicatorGroups', 'dataSets', 'dimensionItem', 'dimensionItemType'],
        },
        {
            collection: 'indicatorGroups',
            singular: 'indicatorGroup',
            klass: 'org.hisp.dhis.indicator.IndicatorGroup',
            simpleName: 'IndicatorGroup',
            nameable: false,
            props: {
                ...IDENTIFIABLE,
                name: S({ required: true, maxLength: 230, unique: true, errorKlass: STR }),
                description: S(),
                indicators: { kind: 'refs', type: 'indicators' },
            },
            computed: IDENTIFIABLE_COMPUTED,
        },
        {
            collection: 'visualizations',
            singular: 'visualization',
            klass: 'org.hisp.dhis.visualization.Visualization',
            simpleName: 'Visualization',
            nameable: false,
            props: {
                ...IDENTIFIABLE,
                type: S({ required: true, errorKlass: 'org.hisp.dhis.visualization.VisualizationType' }),
                dataDimensionItems: { kind: 'embeddedList', schema: DATA_DIMENSION_ITEM },
                categoryDimensions: { kind: 'embeddedList', schema: CATEGORY_DIMENSION },
                organisationUnits: { kind: 'refs', type: 'organisationUnits' },
                ...simple([
                    'description',
                    'title',
                    'subtitle',
                    'columnDimensions',
                    'rowDimensions',
                    'filterDimensions',
                    'periods',
                    'relativePeriods',
                    'organisationUnitLevels',
                    'itemOrganisationUnitGroups',
                    'userOrganisationUnit',
                    'userOrganisationUnitChildren',
                    'userOrganisationUnitGrandChildren',
                    'aggregationType',
                    'digitGroupSeparator',
                    'displayDensity',
                    'fontSize',
                    'sortOrder',
                    'topLimit',
                    'rowTotals',
                    'colTotals',
                    'rowSubTotals',
                    'colSubTotals',
                    'hideEmptyRows',
                    'hideEmptyColumns',
                    'showHierarchy',
                    'showData',
                    'hideLegend',
                    'hideTitle',
                    'skipRounding',
                    'regressionType',
                    'series',
                    'axes',
                    'legend',
                    'yearlySeries',
                ]),
            },
            computed: [...IDENTIFIABLE_COMPUTED, 'columns', 'rows', 'filters'],
        },
        {
            collection: 'dashboards',
            singular: 'dashboard',
            klass: 'org.hisp.dhis.dashboard.Dashboard',
            simpleName: 'Dashboard',
            nameable: false,
            props: {
                ...IDENTIFIABLE,
                description: S(),
                dashboardItems: { kind: 'embeddedList', schema: DASHBOARD_ITEM },
                restrictFilters: S(),
                allowedFilters: S(),
                layout: S(),
                itemConfig: S(),
            },
            computed: [...IDENTIFIABLE_COMPUTED, 'itemCount'],
        },
    ]
}
