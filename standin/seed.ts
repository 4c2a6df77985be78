/**
 * Seed data: the Mali org unit hierarchy, levels, default category model, users. Data-driven so a
 * benchmark can add facilities (hooks.addOrgUnits).
 */
import { uidFromSeed } from './uid'
import { DEFAULTS } from './metadata/store'

export interface SeedOrgUnit {
    code: string
    name: string
    shortName?: string
    /** Parent's code; absent for a root. */
    parent?: string
    openingDate?: string
    /** Optional fixed UID; otherwise derived from the code (stable across starts). */
    id?: string
}

export const SEED_ORG_UNITS: SeedOrgUnit[] = [
    { code: 'ML', name: 'Mali' },
    { code: 'ML-BKO', name: 'District de Bamako', parent: 'ML' },
    { code: 'ML-SIK', name: 'Région de Sikasso', parent: 'ML' },
    { code: 'ML-KAY', name: 'Région de Kayes', parent: 'ML' },
    { code: 'ML-BKO-HDB', name: 'Hôpital de Dermatologie de Bamako', shortName: 'Hôp. Dermatologie Bamako', parent: 'ML-BKO' },
    { code: 'ML-BKO-CHUGT', name: 'CHU Gabriel Touré', parent: 'ML-BKO' },
    { code: 'ML-BKO-CHUPG', name: 'CHU du Point G', parent: 'ML-BKO' },
    { code: 'ML-BKO-CSREF4', name: 'CSRéf Commune IV', parent: 'ML-BKO' },
    { code: 'ML-SIK-HRS', name: 'Hôpital régional de Sikasso', shortName: 'Hôp. régional Sikasso', parent: 'ML-SIK' },
    { code: 'ML-KAY-HRK', name: 'Hôpital régional Fousseyni Daou de Kayes', shortName: 'Hôp. régional Kayes', parent: 'ML-KAY' },
]

export const SEED_LEVELS = [
    { level: 1, name: 'Pays' },
    { level: 2, name: 'Région' },
    { level: 3, name: 'Établissement' },
]

export const orgUnitUid = (code: string): string => uidFromSeed(`ou:${code}`)
export const levelUid = (level: number): string => uidFromSeed(`level:${level}`)

/** `POST /api/metadata`-shaped org units for the given seed rows. */
export function orgUnitPayload(units: SeedOrgUnit[], idOf: (code: string) => string | undefined = orgUnitUid): Array<Record<string, unknown>> {
    return units.map((u) => ({
        id: u.id ?? orgUnitUid(u.code),
        code: u.code,
        name: u.name,
        shortName: (u.shortName ?? u.name).slice(0, 50),
        openingDate: u.openingDate ?? '1990-01-01T00:00:00.000',
        ...(u.parent ? { parent: { id: idOf(u.parent) ?? orgUnitUid(u.parent) } } : {}),
    }))
}

export function defaultCategoryPayload(): Record<string, unknown[]> {
    return {
        categoryOptions: [{ id: DEFAULTS.categoryOption, code: 'default', name: 'default', shortName: 'default' }],
        categories: [
            {
                id: DEFAULTS.category,
                code: 'default',
                name: 'default',
                shortName: 'default',
                dataDimensionType: 'DISAGGREGATION',
                dataDimension: false,
                categoryOptions: [{ id: DEFAULTS.categoryOption }],
            },
        ],
        categoryCombos: [
            { id: DEFAULTS.categoryCombo, code: 'default', name: 'default', dataDimensionType: 'DISAGGREGATION', skipTotal: false, categories: [{ id: DEFAULTS.category }] },
        ],
        categoryOptionCombos: [
            {
                id: DEFAULTS.categoryOptionCombo,
                code: 'default',
                name: 'default',
                ignoreApproval: false,
                categoryCombo: { id: DEFAULTS.categoryCombo },
                categoryOptions: [{ id: DEFAULTS.categoryOption }],
            },
        ],
    }
}

export interface SeedUser {
    username: string
    password: string
    firstName: string
    surname: string
    authorities: string[]
    roleName: string
    /** Codes of the capture / data view org units. */
    capture: string[]
    view: string[]
    settings: Record<string, string>
}

export const SEED_USERS: SeedUser[] = [
    {
        username: 'admin',
        password: 'district',
        firstName: 'Admin',
        surname: 'Système',
        authorities: ['ALL'],
        roleName: 'Superuser',
        capture: ['ML'],
        view: ['ML'],
        settings: { keyUiLocale: 'en' },
    },
    {
        username: 'bridge',
        password: 'Bridge-2024!',
        firstName: 'Passerelle',
        surname: 'Recettes',
        authorities: ['F_DATAVALUE_ADD', 'F_DATAVALUE_DELETE', 'F_METADATA_IMPORT', 'F_PERFORM_MAINTENANCE'],
        roleName: 'Passerelle de synchronisation',
        capture: ['ML'],
        view: ['ML'],
        settings: { keyUiLocale: 'fr' },
    },
    {
        username: 'district-officer',
        password: 'District-2024!',
        firstName: 'Awa',
        surname: 'Traoré',
        authorities: ['M_dhis-web-dashboard', 'M_recettes-hospitalieres'],
        roleName: 'Lecture district',
        capture: [],
        view: ['ML-BKO'],
        settings: { keyUiLocale: 'fr' },
    },
]

export const userUid = (username: string): string => uidFromSeed(`user:${username}`)
