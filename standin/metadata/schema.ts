/**
 * The metadata types the stand-in knows in detail: their Java class (for import reports), owner
 * properties (stored, accepted on import), references (resolved and checked on import, expandable
 * in `fields`), required/unique properties, and embedded objects. Types not listed here
 * (programs, programStages, …) are stored as posted, without validation.
 */

import { analyticsSchemas } from './schema-analytics'
import type { EmbeddedSchema, PropDef, TypeSchema } from './schema-types'

export type { EmbeddedSchema, PropDef, TypeSchema }

const S = (extra: Partial<Extract<PropDef, { kind: 'simple' }>> = {}): PropDef => ({ kind: 'simple', ...extra })
const STR = 'java.lang.String'

const IDENTIFIABLE: Record<string, PropDef> = {
    id: S(),
    code: S({ maxLength: 50, unique: true, errorKlass: STR }),
    name: S({ required: true, maxLength: 230, errorKlass: STR }),
    created: S(),
    lastUpdated: S(),
    createdBy: { kind: 'ref', type: 'users' },
    lastUpdatedBy: { kind: 'ref', type: 'users' },
    sharing: S(),
    translations: S(),
    attributeValues: S(),
}

const NAMEABLE: Record<string, PropDef> = {
    ...IDENTIFIABLE,
    shortName: S({ required: true, maxLength: 50, errorKlass: STR }),
    description: S(),
}

const IDENTIFIABLE_COMPUTED = ['displayName', 'href']
const NAMEABLE_COMPUTED = [...IDENTIFIABLE_COMPUTED, 'displayShortName', 'displayDescription']

export const DATA_SET_ELEMENT: EmbeddedSchema = {
    name: 'dataSetElement',
    props: {
        dataElement: { kind: 'ref', type: 'dataElements' },
        dataSet: { kind: 'ref', type: 'dataSets' },
        categoryCombo: { kind: 'ref', type: 'categoryCombos' },
    },
}

const DATA_INPUT_PERIOD: EmbeddedSchema = {
    name: 'dataInputPeriod',
    props: { period: S(), openingDate: S(), closingDate: S() },
}

const SCHEMAS: TypeSchema[] = [
    ...analyticsSchemas({ S, IDENTIFIABLE, NAMEABLE, IDENTIFIABLE_COMPUTED, NAMEABLE_COMPUTED }),
    {
        collection: 'organisationUnits',
        singular: 'organisationUnit',
        klass: 'org.hisp.dhis.organisationunit.OrganisationUnit',
        simpleName: 'OrganisationUnit',
        nameable: true,
        props: {
            ...NAMEABLE,
            name: S({ required: true, maxLength: 230, errorKlass: STR }),
            parent: { kind: 'ref', type: 'organisationUnits' },
            openingDate: S({ required: true, errorKlass: 'java.util.Date' }),
            closedDate: S(),
            comment: S(),
            url: S(),
            contactPerson: S(),
            address: S(),
            email: S(),
            phoneNumber: S(),
            featureType: S(),
            geometry: S(),
            image: S(),
        },
        computed: [...NAMEABLE_COMPUTED, 'path', 'level', 'children', 'dataSets', 'ancestors', 'leaf'],
    },
    {
        collection: 'organisationUnitLevels',
        singular: 'organisationUnitLevel',
        klass: 'org.hisp.dhis.organisationunit.OrganisationUnitLevel',
        simpleName: 'OrganisationUnitLevel',
        nameable: false,
        props: { ...IDENTIFIABLE, level: S({ required: true, errorKlass: 'java.lang.Integer' }), offlineLevels: S() },
        computed: IDENTIFIABLE_COMPUTED,
    },
    {
        collection: 'categoryOptions',
        singular: 'categoryOption',
        klass: 'org.hisp.dhis.category.CategoryOption',
        simpleName: 'CategoryOption',
        nameable: true,
        props: {
            ...NAMEABLE,
            name: S({ required: true, maxLength: 230, unique: true, errorKlass: STR }),
            formName: S(),
            startDate: S(),
            endDate: S(),
            style: S(),
            organisationUnits: { kind: 'refs', type: 'organisationUnits' },
        },
        computed: [...NAMEABLE_COMPUTED, 'displayFormName', 'categories', 'categoryOptionCombos', 'isDefault'],
    },
    {
        collection: 'categories',
        singular: 'category',
        klass: 'org.hisp.dhis.category.Category',
        simpleName: 'Category',
        nameable: true,
        props: {
            ...NAMEABLE,
            name: S({ required: true, maxLength: 230, unique: true, errorKlass: STR }),
            dataDimensionType: S(),
            dataDimension: S(),
            categoryOptions: { kind: 'refs', type: 'categoryOptions' },
        },
        computed: [...NAMEABLE_COMPUTED, 'categoryCombos'],
    },
    {
        collection: 'categoryCombos',
        singular: 'categoryCombo',
        klass: 'org.hisp.dhis.category.CategoryCombo',
        simpleName: 'CategoryCombo',
        nameable: false,
        props: {
            ...IDENTIFIABLE,
            name: S({ required: true, maxLength: 230, unique: true, errorKlass: STR }),
            dataDimensionType: S(),
            skipTotal: S(),
            categories: { kind: 'refs', type: 'categories' },
        },
        computed: [...IDENTIFIABLE_COMPUTED, 'categoryOptionCombos', 'isDefault'],
    },
    {
        collection: 'categoryOptionCombos',
        singular: 'categoryOptionCombo',
        klass: 'org.hisp.dhis.category.CategoryOptionCombo',
        simpleName: 'CategoryOptionCombo',
        nameable: false,
        props: {
            ...IDENTIFIABLE,
            name: S(),
            ignoreApproval: S(),
            categoryCombo: { kind: 'ref', type: 'categoryCombos' },
            categoryOptions: { kind: 'refs', type: 'categoryOptions' },
        },
        computed: [...IDENTIFIABLE_COMPUTED, 'isDefault'],
    },
    {
        collection: 'dataElements',
        singular: 'dataElement',
        klass: 'org.hisp.dhis.dataelement.DataElement',
        simpleName: 'DataElement',
        nameable: true,
        props: {
            ...NAMEABLE,
            name: S({ required: true, maxLength: 230, unique: true, errorKlass: STR }),
            shortName: S({ required: true, maxLength: 50, unique: true, errorKlass: STR }),
            formName: S(),
            valueType: S({ required: true, errorKlass: 'org.hisp.dhis.common.ValueType' }),
            aggregationType: S({ required: true, errorKlass: 'org.hisp.dhis.analytics.AggregationType' }),
            domainType: S({ required: true, errorKlass: 'org.hisp.dhis.dataelement.DataElementDomain' }),
            zeroIsSignificant: S(),
            categoryCombo: { kind: 'ref', type: 'categoryCombos' },
            optionSet: { kind: 'ref', type: 'optionSets' },
            commentOptionSet: { kind: 'ref', type: 'optionSets' },
            legendSets: { kind: 'refs', type: 'legendSets' },
            aggregationLevels: S(),
            url: S(),
            fieldMask: S(),
            style: S(),
        },
        computed: [...NAMEABLE_COMPUTED, 'displayFormName', 'dataSetElements', 'optionSetValue', 'dimensionItem', 'dimensionItemType'],
    },
    {
        collection: 'dataSets',
        singular: 'dataSet',
        klass: 'org.hisp.dhis.dataset.DataSet',
        simpleName: 'DataSet',
        nameable: true,
        props: {
            ...NAMEABLE,
            shortName: S({ maxLength: 50, errorKlass: STR }),
            formName: S(),
            periodType: S({ required: true, errorKlass: 'org.hisp.dhis.period.PeriodType' }),
            categoryCombo: { kind: 'ref', type: 'categoryCombos' },
            expiryDays: S(),
            openFuturePeriods: S(),
            timelyDays: S(),
            dataSetElements: { kind: 'embeddedList', schema: DATA_SET_ELEMENT },
            organisationUnits: { kind: 'refs', type: 'organisationUnits' },
            dataInputPeriods: { kind: 'embeddedList', schema: DATA_INPUT_PERIOD },
            indicators: { kind: 'refs', type: 'indicators' },
            legendSets: { kind: 'refs', type: 'legendSets' },
            workflow: { kind: 'ref', type: 'dataApprovalWorkflows' },
            validCompleteOnly: S(),
            noValueRequiresComment: S(),
            skipOffline: S(),
            dataElementDecoration: S(),
            renderAsTabs: S(),
            renderHorizontally: S(),
            compulsoryFieldsCompleteOnly: S(),
            fieldCombinationRequired: S(),
            mobile: S(),
            version: S(),
            notifyCompletingUser: S(),
            style: S(),
        },
        computed: [...NAMEABLE_COMPUTED, 'displayFormName', 'dimensionItem'],
    },
    {
        collection: 'users',
        singular: 'user',
        klass: 'org.hisp.dhis.user.User',
        simpleName: 'User',
        nameable: false,
        props: {
            id: S(),
            code: S(),
            username: S(),
            firstName: S(),
            surname: S(),
            name: S(),
            email: S(),
            created: S(),
            lastUpdated: S(),
            organisationUnits: { kind: 'refs', type: 'organisationUnits' },
            dataViewOrganisationUnits: { kind: 'refs', type: 'organisationUnits' },
            teiSearchOrganisationUnits: { kind: 'refs', type: 'organisationUnits' },
            userRoles: S(),
            userGroups: S(),
            settings: S(),
            authorities: S(),
            userCredentials: S(),
            dataSets: S(),
            programs: S(),
            disabled: S(),
            avatar: S(),
            access: S(),
        },
        computed: ['displayName', 'href'],
    },
]

const BY_COLLECTION = new Map(SCHEMAS.map((s) => [s.collection, s]))

export function schemaFor(collection: string): TypeSchema | undefined {
    return BY_COLLECTION.get(collection)
}

export const KNOWN_COLLECTIONS = SCHEMAS.map((s) => s.collection)

/** Order in which a metadata package is imported (dependencies first), and of its type reports. */
export const IMPORT_ORDER = [
    'organisationUnitLevels',
    'organisationUnits',
    'categoryOptions',
    'categories',
    'categoryCombos',
    'categoryOptionCombos',
    'optionSets',
    'options',
    'dataElements',
    'indicatorTypes',
    'indicators',
    'indicatorGroups',
    'dataSets',
    'trackedEntityAttributes',
    'trackedEntityTypes',
    'programs',
    'programStages',
    'visualizations',
    'dashboards',
]

/** Java class names for generically stored types (type reports), best effort. */
const GENERIC_KLASS: Record<string, string> = {
    programs: 'org.hisp.dhis.program.Program',
    programStages: 'org.hisp.dhis.program.ProgramStage',
    optionSets: 'org.hisp.dhis.option.OptionSet',
    options: 'org.hisp.dhis.option.Option',
    trackedEntityAttributes: 'org.hisp.dhis.trackedentity.TrackedEntityAttribute',
    trackedEntityTypes: 'org.hisp.dhis.trackedentity.TrackedEntityType',
    dataElementGroups: 'org.hisp.dhis.dataelement.DataElementGroup',
    organisationUnitGroups: 'org.hisp.dhis.organisationunit.OrganisationUnitGroup',
    userRoles: 'org.hisp.dhis.user.UserRole',
    userGroups: 'org.hisp.dhis.user.UserGroup',
    attributes: 'org.hisp.dhis.attribute.Attribute',
}

export function klassOf(collection: string): string {
    return schemaFor(collection)?.klass ?? GENERIC_KLASS[collection] ?? `org.hisp.dhis.${collection.replace(/s$/, '')}`
}

export function simpleNameOf(collection: string): string {
    const k = klassOf(collection)
    return k.slice(k.lastIndexOf('.') + 1)
}

/** Owner properties of a type, in schema order (`:owner`). */
export function ownerProps(s: TypeSchema): string[] {
    return Object.keys(s.props)
}
