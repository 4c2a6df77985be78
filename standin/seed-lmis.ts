/**
 * An LMIS data set for the demo and the stock tests: the monthly pharmacy stock report of a
 * Malian hospital (SIGL — Système d'information de gestion logistique), in the shape of the DHIS2
 * "monthly stock report" template (reference stock-elmis.md §2.1): one aggregate data element per
 * product, all sharing one category combo whose options are the stock variables.
 *
 *   SIGL_PHARMA_MENSUEL  data set, Monthly, assigned to the six seeded hospitals
 *   SIGL_<product>       one data element per product (AMOX500C, PARA500T, … — not HYDROC1,
 *                        which is not on the national list: the demo's unmapped product)
 *   SIGL_VARIABLE_STOCK  category: Stock initial, Quantité reçue, Quantité distribuée,
 *                        Stock disponible utilisable, Jours de rupture
 *
 * Values: the `months` closed months before the stand-in's today, for the given facilities. When
 * the caller knows what the ledger sold (the demo does), "distribué" is that plus a little free
 * care, so a normal month reconciles; otherwise volumes are synthetic. Three deliberate anomalies
 * (LMIS_SEED_EVENTS) give the reconciliation something to find: a stock-out in a month the
 * pharmacy sold the product, a receipt not recorded, a report not brought up to date.
 *
 * Opt-in (`seedLmis(standin.state)`), not part of the default seed: other tests count metadata
 * and analytics rows of a bare stand-in. A `hooks.reset()` removes it again.
 */
import { importMetadata } from './metadata/import'
import { DEFAULT_METADATA_PARAMS } from './metadata/import-report'
import { DEFAULTS } from './metadata/store'
import { orgUnitUid } from './seed'
import { dataValueKey, type StandinState } from './state'
import { uidFromSeed } from './uid'

export const LMIS_DATA_SET_CODE = 'SIGL_PHARMA_MENSUEL'
export const LMIS_CATEGORY_CODE = 'SIGL_VARIABLE_STOCK'
export const LMIS_CATEGORY_COMBO_CODE = 'SIGL_CC_VARIABLE_STOCK'

export type LmisSeedVariable = 'openingBalance' | 'received' | 'dispensed' | 'stockOnHand' | 'stockOutDays'

/** The stock variables, in the order of the paper form. `name` is also the option combo's name. */
export const LMIS_VARIABLE_OPTIONS: ReadonlyArray<{ variable: LmisSeedVariable; code: string; name: string; en: string }> = [
    { variable: 'openingBalance', code: 'SIGL_SI', name: 'Stock initial', en: 'Opening balance' },
    { variable: 'received', code: 'SIGL_QR', name: 'Quantité reçue', en: 'Quantity received' },
    { variable: 'dispensed', code: 'SIGL_QD', name: 'Quantité distribuée', en: 'Quantity dispensed' },
    { variable: 'stockOnHand', code: 'SIGL_SDU', name: 'Stock disponible utilisable', en: 'Usable stock on hand' },
    { variable: 'stockOutDays', code: 'SIGL_JR', name: 'Jours de rupture', en: 'Stock-out days' },
]

export interface LmisSeedProduct {
    /** The product code the hospital's cash register uses (the demo ledger's `product_code`). */
    product: string
    dataElement: string
    name: string
    en: string
    unit: string
    /** Delivery pack: receipts are whole packs. */
    pack: number
    /** Synthetic dispensing of a facility of scale 1, per month (when the ledger is not known). */
    perScale: number
}

export const LMIS_PRODUCTS: readonly LmisSeedProduct[] = [
    { product: 'AMOX500C', dataElement: 'SIGL_AMOX500C', name: 'Amoxicilline 500 mg gélule', en: 'Amoxicillin 500 mg capsule', unit: 'gélule', pack: 100, perScale: 50 },
    { product: 'PARA500T', dataElement: 'SIGL_PARA500T', name: 'Paracétamol 500 mg comprimé', en: 'Paracetamol 500 mg tablet', unit: 'comprimé', pack: 100, perScale: 45 },
    { product: 'ARTLUM20', dataElement: 'SIGL_ARTLUM20', name: 'Artéméther-luméfantrine 20/120 mg comprimé', en: 'Artemether-lumefantrine 20/120 mg tablet', unit: 'comprimé', pack: 100, perScale: 40 },
    { product: 'SRO1L', dataElement: 'SIGL_SRO1L', name: 'Sels de réhydratation orale (SRO) sachet', en: 'Oral rehydration salts (ORS) sachet', unit: 'sachet', pack: 50, perScale: 10 },
    { product: 'CEFTRI1G', dataElement: 'SIGL_CEFTRI1G', name: 'Ceftriaxone 1 g poudre injectable', en: 'Ceftriaxone 1 g powder for injection', unit: 'ampoule', pack: 10, perScale: 7 },
    { product: 'METRO250', dataElement: 'SIGL_METRO250', name: 'Métronidazole 250 mg comprimé', en: 'Metronidazole 250 mg tablet', unit: 'comprimé', pack: 100, perScale: 55 },
    { product: 'IBU400T', dataElement: 'SIGL_IBU400T', name: 'Ibuprofène 400 mg comprimé', en: 'Ibuprofen 400 mg tablet', unit: 'comprimé', pack: 100, perScale: 40 },
    { product: 'COTRI480', dataElement: 'SIGL_COTRI480', name: 'Cotrimoxazole 480 mg comprimé', en: 'Cotrimoxazole 480 mg tablet', unit: 'comprimé', pack: 100, perScale: 55 },
    { product: 'SERGLU5', dataElement: 'SIGL_SERGLU5', name: 'Sérum glucosé 5 % 500 ml', en: 'Glucose 5 % infusion 500 ml', unit: 'flacon', pack: 10, perScale: 6 },
]

/** Facilities that report the LMIS data set, with a size (≈ pharmacy receipts per day). */
export const LMIS_FACILITIES: ReadonlyArray<{ code: string; scale: number }> = [
    { code: 'ML-BKO-HDB', scale: 16 },
    { code: 'ML-BKO-CHUGT', scale: 9 },
    { code: 'ML-BKO-CHUPG', scale: 8 },
    { code: 'ML-BKO-CSREF4', scale: 5 },
    { code: 'ML-SIK-HRS', scale: 4 },
    { code: 'ML-KAY-HRK', scale: 3 },
]

export type LmisSeedEventKind = 'STOCK_OUT' | 'RECEIPT_NOT_RECORDED' | 'REPORT_NOT_UPDATED'

export interface LmisSeedEvent {
    kind: LmisSeedEventKind
    facility: string
    product: string
    /** 1 = the last closed month before today. */
    monthsBack: number
    /** STOCK_OUT only. */
    stockOutDays?: number
}

/**
 * The anomalies of the demo, all in recent months so the dashboards' default period shows them:
 * an antimalarial stock-out at the Bamako dermatology hospital (sales went on: the flag
 * "sold during a stock-out"), a ceftriaxone delivery not entered at Sikasso ("sold more than
 * opening + received"), a paracetamol report filled in before the month ended at Gabriel Touré
 * ("gap between sales and quantity dispensed").
 */
export const LMIS_SEED_EVENTS: readonly LmisSeedEvent[] = [
    { kind: 'STOCK_OUT', facility: 'ML-BKO-HDB', product: 'ARTLUM20', monthsBack: 1, stockOutDays: 6 },
    { kind: 'RECEIPT_NOT_RECORDED', facility: 'ML-SIK-HRS', product: 'CEFTRI1G', monthsBack: 1 },
    { kind: 'REPORT_NOT_UPDATED', facility: 'ML-BKO-CHUGT', product: 'PARA500T', monthsBack: 2 },
]

export interface LmisSeedOptions {
    /** Closed months to fill before the stand-in's today (default 24). */
    months?: number
    /** Facility codes with values (default: every facility of LMIS_FACILITIES). */
    facilities?: string[]
    /**
     * What the ledger sold (LMIS units) per facility, product and month `YYYY-MM`, when known.
     * Undefined → synthetic volumes for that facility and product.
     */
    sold?: (facility: string, product: string, month: string) => number | undefined
    events?: readonly LmisSeedEvent[]
}

export interface LmisSeedResult {
    dataSet: { id: string; code: string }
    /** product → data element UID */
    dataElements: Record<string, string>
    /** variable → option combo UID */
    categoryOptionCombos: Record<LmisSeedVariable, string>
    /** `YYYY-MM`, oldest first. */
    months: string[]
    /** The stored figures, for tests: `${facility}|${product}|${month}` → figures. */
    figures: Map<string, Record<LmisSeedVariable, number>>
    events: Array<LmisSeedEvent & { month: string }>
    values: number
}

const uid = (what: string) => uidFromSeed(`lmis:${what}`)

/** FNV-1a → [0, 1): the same "random" figure for the same facility, product and month. */
function noise(key: string): number {
    let h = 0x811c9dc5
    for (let i = 0; i < key.length; i++) {
        h ^= key.charCodeAt(i)
        h = Math.imul(h, 0x01000193) >>> 0
    }
    return h / 4294967296
}

/** `YYYY-MM` of the month `back` months before the month of `today` (`YYYY-MM-DD`). */
export function monthBefore(today: string, back: number): string {
    const y = Number(today.slice(0, 4))
    const m = Number(today.slice(5, 7)) - 1 - back
    const d = new Date(Date.UTC(y, m, 1))
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`
}

/** The metadata, as a POST /api/metadata payload with fixed UIDs. */
export function lmisMetadataPayload(facilities: readonly string[] = LMIS_FACILITIES.map((f) => f.code)): Record<string, unknown[]> {
    const tr = (en: string) => [
        { property: 'NAME', locale: 'en', value: en },
        { property: 'SHORT_NAME', locale: 'en', value: en.slice(0, 50) },
    ]
    return {
        categoryOptions: LMIS_VARIABLE_OPTIONS.map((o) => ({ id: uid(`co:${o.code}`), code: o.code, name: o.name, shortName: o.name, translations: tr(o.en) })),
        categories: [
            {
                id: uid('cat'),
                code: LMIS_CATEGORY_CODE,
                name: 'Variable de stock (SIGL)',
                shortName: 'Variable de stock',
                dataDimensionType: 'DISAGGREGATION',
                dataDimension: true,
                categoryOptions: LMIS_VARIABLE_OPTIONS.map((o) => ({ id: uid(`co:${o.code}`) })),
                translations: tr('Stock variable (LMIS)'),
            },
        ],
        categoryCombos: [
            {
                id: uid('cc'),
                code: LMIS_CATEGORY_COMBO_CODE,
                name: 'Variables de stock (SIGL)',
                dataDimensionType: 'DISAGGREGATION',
                skipTotal: false,
                categories: [{ id: uid('cat') }],
            },
        ],
        dataElements: LMIS_PRODUCTS.map((p) => ({
            id: uid(`de:${p.dataElement}`),
            code: p.dataElement,
            name: p.name,
            shortName: p.name.slice(0, 50),
            formName: p.name,
            description: `Unité de distribution : ${p.unit}`,
            valueType: 'INTEGER_ZERO_OR_POSITIVE',
            aggregationType: 'SUM',
            domainType: 'AGGREGATE',
            zeroIsSignificant: true,
            categoryCombo: { id: uid('cc') },
            translations: tr(p.en),
        })),
        dataSets: [
            {
                id: uid('ds'),
                code: LMIS_DATA_SET_CODE,
                name: 'SIGL — Rapport mensuel de gestion des stocks (pharmacie)',
                shortName: 'SIGL pharmacie mensuel',
                periodType: 'Monthly',
                openFuturePeriods: 0,
                expiryDays: 0,
                categoryCombo: { id: DEFAULTS.categoryCombo },
                dataSetElements: LMIS_PRODUCTS.map((p) => ({ dataElement: { id: uid(`de:${p.dataElement}`) } })),
                organisationUnits: facilities.map((f) => ({ id: orgUnitUid(f) })),
                translations: tr('LMIS — Monthly pharmacy stock report'),
            },
        ],
    }
}

type Figures = Record<LmisSeedVariable, number>

/**
 * The figures of one facility and product over the months (pure). A monthly requisition brings the
 * stock back to about two months of dispensing, in whole packs; the events bend that chain.
 */
export function lmisFigures(
    facility: { code: string; scale: number },
    product: LmisSeedProduct,
    months: string[],
    sold: ((month: string) => number | undefined) | undefined,
    events: ReadonlyArray<LmisSeedEvent & { month: string }>
): Figures[] {
    const roundUp = (n: number) => Math.ceil(n / product.pack) * product.pack
    const dispensedOf = (month: string, i: number): number => {
        const s = sold?.(month)
        const key = `${facility.code}|${product.product}|${month}`
        // Free care and ward issues leave the pharmacy without a cash receipt: 1–6 % more than sold.
        if (s !== undefined) return Math.round(s * (1.01 + 0.05 * noise(key)))
        const trend = 1 + 0.1 * (i / Math.max(1, months.length))
        return Math.max(1, Math.round(product.perScale * facility.scale * trend * (0.85 + 0.3 * noise(key))))
    }
    const dispensed = months.map(dispensedOf)
    const out: Figures[] = []
    let opening = roundUp(1.5 * (dispensed[0] ?? 0))
    months.forEach((month, i) => {
        const event = events.find((e) => e.month === month)
        const next = months[i + 1] ? events.find((e) => e.month === months[i + 1]) : undefined
        const d = dispensed[i]
        let received = roundUp(Math.max(0, 2 * d - opening))
        let stockOnHand = opening + received - d
        // The month before a stock-out or an unrecorded receipt: the requisition came short and
        // expired stock was withdrawn, so the month ends low.
        if (next && (next.kind === 'STOCK_OUT' || next.kind === 'RECEIPT_NOT_RECORDED')) {
            const short = Math.round((next.kind === 'STOCK_OUT' ? 0.3 : 0.5) * dispensed[i + 1])
            received = Math.max(0, d + short - opening)
            stockOnHand = Math.min(opening + received - d, short)
        }
        let reportedDispensed = d
        let stockOutDays = 0
        let reportedReceived = received
        if (event?.kind === 'STOCK_OUT') {
            // The delivery came late in the month: days without stock, then enough for the rest.
            received = Math.max(0, roundUp(d - opening + 0.1 * d))
            reportedReceived = received
            stockOnHand = opening + received - d
            stockOutDays = event.stockOutDays ?? 5
        } else if (event?.kind === 'RECEIPT_NOT_RECORDED') {
            // The delivery reached the shelves (the count says so) but not the report.
            received = Math.max(0, roundUp(2 * d - opening))
            reportedReceived = 0
            stockOnHand = opening + received - d
        } else if (event?.kind === 'REPORT_NOT_UPDATED') {
            // Filled in on the 20th and never updated: about 60 % of the month.
            reportedDispensed = Math.round(0.6 * d)
        }
        out.push({ openingBalance: opening, received: reportedReceived, dispensed: reportedDispensed, stockOnHand: Math.max(0, stockOnHand), stockOutDays })
        opening = Math.max(0, stockOnHand)
    })
    return out
}

/** Create the LMIS data set and its values in a running stand-in (in-process). */
export function seedLmis(state: StandinState, opts: LmisSeedOptions = {}): LmisSeedResult {
    const facilityCodes = opts.facilities ?? LMIS_FACILITIES.map((f) => f.code)
    const now = state.clock.now()
    const report = importMetadata(state.metadata, lmisMetadataPayload(LMIS_FACILITIES.map((f) => f.code)), { ...DEFAULT_METADATA_PARAMS, now })
    if (report.status !== 'OK') {
        const errors = report.typeReports.flatMap((t) => t.objectReports.flatMap((o) => o.errorReports.map((e) => e.message)))
        throw new Error(`DHIS2 stand-in: seeding the LMIS data set failed: ${errors.join('; ')}`)
    }
    const cocs = {} as Record<LmisSeedVariable, string>
    for (const coc of state.metadata.cocsOfCombo(uid('cc'))) {
        const optionId = (coc.categoryOptions as Array<{ id: string }>)[0]?.id
        const option = LMIS_VARIABLE_OPTIONS.find((o) => uid(`co:${o.code}`) === optionId)
        if (option) cocs[option.variable] = coc.id
    }
    const count = opts.months ?? 24
    const today = state.clock.today()
    const months = Array.from({ length: count }, (_, i) => monthBefore(today, count - i))
    const events = (opts.events ?? LMIS_SEED_EVENTS).map((e) => ({ ...e, month: monthBefore(today, e.monthsBack) }))
    const figures = new Map<string, Figures>()
    let values = 0
    for (const code of facilityCodes) {
        const facility = LMIS_FACILITIES.find((f) => f.code === code) ?? { code, scale: 4 }
        const ou = state.metadata.byCode('organisationUnits', code)?.id ?? orgUnitUid(code)
        for (const p of LMIS_PRODUCTS) {
            const mine = events.filter((e) => e.facility === code && e.product === p.product)
            const sold = opts.sold ? (month: string) => opts.sold!(code, p.product, month) : undefined
            const series = lmisFigures(facility, p, months, sold, mine)
            series.forEach((f, i) => {
                figures.set(`${code}|${p.product}|${months[i]}`, f)
                for (const v of LMIS_VARIABLE_OPTIONS) {
                    const de = uid(`de:${p.dataElement}`)
                    const pe = months[i].replace('-', '')
                    const coc = cocs[v.variable]
                    state.dataValues.set(dataValueKey(de, pe, ou, coc, DEFAULTS.categoryOptionCombo), {
                        dataElement: de,
                        period: pe,
                        orgUnit: ou,
                        categoryOptionCombo: coc,
                        attributeOptionCombo: DEFAULTS.categoryOptionCombo,
                        value: String(f[v.variable]),
                        storedBy: 'admin',
                        created: now,
                        lastUpdated: now,
                        comment: null,
                        followup: false,
                        deleted: false,
                    })
                    values++
                }
            })
        }
    }
    return {
        dataSet: { id: uid('ds'), code: LMIS_DATA_SET_CODE },
        dataElements: Object.fromEntries(LMIS_PRODUCTS.map((p) => [p.product, uid(`de:${p.dataElement}`)])),
        categoryOptionCombos: cocs,
        months,
        figures,
        events,
        values,
    }
}
