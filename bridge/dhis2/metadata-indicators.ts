/**
 * The indicators of docs/contract.md §8, their indicator types and their group, built from the
 * data element and category option combo UIDs the server holds (never guessed): the package's, or
 * the national ones the configuration maps the figures to.
 *
 * Expressions use `#{dataElement.categoryOptionCombo}` operands and `#{dataElement}` totals. That
 * syntax means the same thing on every DHIS2 from 2.39 to 2.42 (and long before); the digital
 * share lists the combos of the four digital channels explicitly (for PAYREV_GROSS: 4 channels ×
 * 5 services), so a reader of the indicator in the Maintenance app sees exactly what is summed.
 */
import {
    DIGITAL_CHANNELS,
    INDICATORS,
    INDICATOR_CODES,
    INDICATOR_GROUP_CODE,
    INDICATOR_GROUP_NAME,
    INDICATOR_TYPES,
    type IndicatorCode,
    type IndicatorKind,
} from '../../contract/indicators'
import { SERVICES, type DataElementCode, type Service } from '../../contract/codes'
import { BridgeError, EXIT } from '../errors'
import type { LiveMetadata } from './metadata'
import { nameable, translations, type PackageObject } from './metadata-package'

export const INDICATOR_TYPES_ORDER = ['indicatorTypes', 'indicators', 'indicatorGroups'] as const

/** Properties the bridge owns on each object (anything else an administrator set is kept). */
export const INDICATOR_COMPARED: Record<string, string[]> = {
    indicatorTypes: ['name', 'factor', 'number', 'translations'],
    indicators: ['name', 'shortName', 'numerator', 'denominator', 'numeratorDescription', 'denominatorDescription', 'indicatorType', 'annualized', 'translations'],
    indicatorGroups: ['name', 'indicators', 'translations'],
}

export const INDICATOR_FIELDS: Record<string, string> = {
    indicatorTypes: 'id,code,name,factor,number,translations',
    indicators: 'id,code,name,shortName,numerator,denominator,numeratorDescription,denominatorDescription,indicatorType[id],annualized,translations',
    indicatorGroups: 'id,code,name,indicators[id],translations',
}

export interface ExistingIndicatorType {
    id: string
    code?: string
    name?: string
    factor?: number
}

/**
 * The indicator type to use for each kind: ours when it exists (by code), else one the server
 * already has with the right factor (so a national "Percent" type is reused), else a new one.
 */
export function pickIndicatorTypes(all: ExistingIndicatorType[]): Record<IndicatorKind, { id: string | null; create: boolean }> {
    const pick = (kind: IndicatorKind) => {
        const def = INDICATOR_TYPES[kind]
        const ours = all.find((t) => t.code === def.code)
        if (ours) return { id: ours.id, create: true }
        const same = all.filter((t) => Number(t.factor) === def.factor).sort((a, b) => String(a.name).localeCompare(String(b.name)))
        return same.length ? { id: same[0].id, create: false } : { id: null, create: true }
    }
    return { percent: pick('percent'), number: pick('number') }
}

const op = (de: string, coc?: string) => (coc ? `#{${de}.${coc}}` : `#{${de}}`)

export interface Expressions {
    numerator: string
    denominator: string
}

/**
 * Numerator and denominator of every indicator, from the live metadata. Throws, in both
 * languages, when a data element or a digital channel's combo is missing on the server.
 */
export function buildExpressions(live: Pick<LiveMetadata, 'dataElementIds' | 'coc'>): Record<IndicatorCode, Expressions> {
    const missing: string[] = []
    const de = (code: DataElementCode) => {
        const id = live.dataElementIds.get(code)
        if (!id) missing.push(code)
        return id ?? '?'
    }
    const digital = (code: DataElementCode, services: Array<Service | null>) =>
        DIGITAL_CHANNELS.flatMap((ch) =>
            services.map((sv) => {
                const coc = live.coc(code, ch, sv)
                if (!coc) missing.push(`${code} ${ch}${sv ? ` × ${sv}` : ''}`)
                return op(de(code), coc?.id ?? '?')
            })
        ).join('+')
    const gross = op(de('PAYREV_GROSS'))
    const refunds = op(de('PAYREV_REFUNDS'))
    const payments = op(de('PAYREV_PAYMENTS'))
    const failed = op(de('PAYREV_FAILED'))
    const out: Record<IndicatorCode, Expressions> = {
        PAYREV_IND_NET: { numerator: `${gross}-${refunds}`, denominator: '1' },
        PAYREV_IND_DIGITAL_SHARE_VALUE: { numerator: digital('PAYREV_GROSS', [...SERVICES]), denominator: gross },
        PAYREV_IND_DIGITAL_SHARE_COUNT: { numerator: digital('PAYREV_PAYMENTS', [null]), denominator: payments },
        PAYREV_IND_AVG_TICKET: { numerator: gross, denominator: payments },
        PAYREV_IND_FAILURE_RATE: { numerator: failed, denominator: `${payments}+${failed}` },
        PAYREV_IND_REFUND_RATE: { numerator: refunds, denominator: gross },
    }
    if (missing.length) throw new IndicatorSourceError([...new Set(missing)])
    return out
}

/** A data element or a digital channel's combo the indicators need is not on the server (setup exits 3). */
export class IndicatorSourceError extends BridgeError {
    constructor(readonly missing: string[]) {
        super(
            {
                fr: `Indicateurs non installés : DHIS2 n'a pas ${missing.join(', ')}`,
                en: `Indicators not installed: DHIS2 has no ${missing.join(', ')}`,
            },
            EXIT.PARTIAL,
            {
                fr: 'installez le paquet (setup) ou corrigez la correspondance « metadata » de la configuration',
                en: 'install the package (setup) or fix the configuration\'s "metadata" mapping',
            }
        )
    }
}

export interface IndicatorPackageInput {
    idFor(type: string, code: string): string
    expressions: Record<IndicatorCode, Expressions>
    types: Record<IndicatorKind, { id: string | null; create: boolean }>
    /** Indicators an administrator put in the group: kept. */
    groupMembers: string[]
}

/** indicatorTypes (only those the bridge owns), indicators and the group, shaped for POST /api/metadata. */
export function buildIndicatorPackage(input: IndicatorPackageInput): Record<string, PackageObject[]> {
    const typeIds = {} as Record<IndicatorKind, string>
    const indicatorTypes: PackageObject[] = []
    for (const kind of ['percent', 'number'] as const) {
        const def = INDICATOR_TYPES[kind]
        const chosen = input.types[kind]
        typeIds[kind] = chosen.id ?? input.idFor('indicatorTypes', def.code)
        if (!chosen.create) continue
        indicatorTypes.push({
            id: typeIds[kind],
            code: def.code,
            name: def.name.fr,
            factor: def.factor,
            number: def.number,
            translations: translations(def.name).filter((t) => t.property === 'NAME'),
        })
    }
    const indicators = INDICATOR_CODES.map((code) => {
        const l = INDICATORS[code]
        return {
            id: input.idFor('indicators', code),
            ...nameable(code, l.name),
            numerator: input.expressions[code].numerator,
            numeratorDescription: l.numerator.fr,
            denominator: input.expressions[code].denominator,
            denominatorDescription: l.denominator.fr,
            indicatorType: { id: typeIds[l.kind] },
            annualized: false,
        }
    })
    const members = [...input.groupMembers, ...indicators.map((i) => i.id).filter((id) => !input.groupMembers.includes(id))]
    const group = {
        id: input.idFor('indicatorGroups', INDICATOR_GROUP_CODE),
        code: INDICATOR_GROUP_CODE,
        name: INDICATOR_GROUP_NAME.fr,
        translations: translations(INDICATOR_GROUP_NAME).filter((t) => t.property === 'NAME'),
        indicators: members.map((id) => ({ id })),
    }
    return { indicatorTypes, indicators, indicatorGroups: [group] }
}
