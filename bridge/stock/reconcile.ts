import { DateTime } from 'luxon'
import type { ResolvedConfig } from '../config/load'
import type { Bilingual } from '../domain/line'
import { Dhis2UnreachableError, type Dhis2Client } from '../dhis2/client'
import { OrgUnitResolver } from '../dhis2/org-units'
import { formatNumber, type Lang } from '../report/lang'
import type { StateDb } from '../state/db'
import { LMIS_VARIABLES, lmisTarget, productCatalog, type LmisVariable, type StockConfig } from './config'
import { configuredRefs, loadLmisMetadata } from './lmis'
import { monthSales, type MonthSalesMemo } from './month-sales'
import { RECONCILE_FLAGS, type LmisOperand, type ReconcileFlag } from '../../contract/stock-reconcile'

/**
 * Reconciliation (docs/contract.md §4): per facility × product × month, the quantity sold according to the
 * ledger against what the DHIS2 LMIS data set says was dispensed, the stock on hand and the
 * stock-out days.
 */

// The flags live with the published entry (the app reads them too).
export { RECONCILE_FLAGS, type ReconcileFlag }

export const FLAG_TEXT: Record<ReconcileFlag, Bilingual> = {
    SALE_DURING_STOCKOUT: { fr: 'vendu pendant une rupture de stock', en: 'sold during a stock-out' },
    SALES_EXCEED_AVAILABLE: { fr: 'vendu plus que stock initial + reçu', en: 'sold more than opening balance + received' },
    SALES_DISPENSED_GAP: { fr: 'écart ventes / quantité distribuée', en: 'gap between sales and quantity dispensed' },
    UNMAPPED_PRODUCT: { fr: 'produit sans correspondance LMIS', en: 'product without LMIS mapping' },
}

/** LMIS figures of one product, in LMIS units; null when not mapped or not reported. */
export type LmisFigures = Record<LmisVariable, number | null>

export interface ReconcileRow {
    facility: string
    orgUnit: string | null
    /** MEDEXIS product code (the ledger code when unmapped). */
    product: string
    productName: string | null
    ledgerCodes: string[]
    month: string
    /** Σ daily quantities, ledger units. */
    sold: number
    /** sold × factor, LMIS units (null when unmapped). */
    soldLmisUnits: number | null
    amountXof: number
    ledgerLines: number
    factor: number | null
    lmisUnit: string | null
    dispensed: number | null
    stockOnHand: number | null
    stockOutDays: number | null
    openingBalance: number | null
    received: number | null
    /** |sold − dispensed| / dispensed in %, one decimal; null when it cannot be computed. */
    gapPercent: number | null
    flags: ReconcileFlag[]
}

export interface ReconcileInput {
    month: string
    cfg: StockConfig
    /** Ledger-side totals per facility × MEDEXIS product of the month. */
    sales: Array<{ facility: string; product: string; productName: string | null; ledgerCodes: string[]; sold: number; amountXof: number; ledgerLines: number }>
    /** Facilities to report even without sales (those whose LMIS the configuration names). */
    facilities: string[]
    /** The LMIS value of (facility, variable, product mapping), or null; undefined when the LMIS could not be read at all. */
    lmisValue?: (facility: string, variable: LmisVariable, product: string) => number | null
    /** Products that have at least one LMIS value for a facility (reported even without sales). */
    lmisProducts?: (facility: string) => string[]
    orgUnitOf?: (facility: string) => string | null
}

const round = (n: number, digits = 6) => Math.round(n * 10 ** digits) / 10 ** digits

/** Pure: the rows and their flags. */
export function reconcileRows(input: ReconcileInput): ReconcileRow[] {
    const { cfg } = input
    const catalog = productCatalog(cfg)
    const threshold = cfg.reconcile.gapThresholdPercent
    const keys = new Map<string, ReconcileInput['sales'][number]>()
    for (const s of input.sales) keys.set(`${s.facility}\u0000${s.product}`, s)
    for (const f of input.facilities) {
        for (const product of input.lmisProducts?.(f) ?? []) {
            const k = `${f}\u0000${product}`
            if (!keys.has(k)) {
                const m = catalog.byMedexisCode(product)
                keys.set(k, { facility: f, product, productName: m?.name ?? null, ledgerCodes: m ? [m.ledgerCode] : [product], sold: 0, amountXof: 0, ledgerLines: 0 })
            }
        }
    }
    const rows: ReconcileRow[] = []
    for (const s of keys.values()) {
        const mapping = catalog.byMedexisCode(s.product)
        const factor = mapping?.lmis ? mapping.lmis.factor : null
        const figures = {} as LmisFigures
        for (const v of LMIS_VARIABLES) {
            figures[v] = mapping?.lmis && lmisTarget(cfg, mapping, v) && input.lmisValue ? input.lmisValue(s.facility, v, s.product) : null
        }
        const soldLmis = factor === null ? null : round(s.sold * factor)
        const flags: ReconcileFlag[] = []
        let gapPercent: number | null = null
        if (!mapping?.lmis) flags.push('UNMAPPED_PRODUCT')
        else {
            const sold = soldLmis!
            if (sold > 0 && figures.stockOutDays !== null && figures.stockOutDays > 0) flags.push('SALE_DURING_STOCKOUT')
            const availableMapped = lmisTarget(cfg, mapping, 'openingBalance') !== null && lmisTarget(cfg, mapping, 'received') !== null
            if (availableMapped && (figures.openingBalance !== null || figures.received !== null)) {
                if (sold > (figures.openingBalance ?? 0) + (figures.received ?? 0)) flags.push('SALES_EXCEED_AVAILABLE')
            }
            if (figures.dispensed !== null) {
                if (figures.dispensed > 0) {
                    gapPercent = round((Math.abs(sold - figures.dispensed) / figures.dispensed) * 100, 1)
                    if ((Math.abs(sold - figures.dispensed) / figures.dispensed) * 100 > threshold) flags.push('SALES_DISPENSED_GAP')
                } else if (sold > 0) flags.push('SALES_DISPENSED_GAP')
                else gapPercent = 0
            }
        }
        rows.push({
            facility: s.facility,
            orgUnit: input.orgUnitOf?.(s.facility) ?? null,
            product: s.product,
            productName: s.productName,
            ledgerCodes: s.ledgerCodes,
            month: input.month,
            sold: s.sold,
            soldLmisUnits: soldLmis,
            amountXof: s.amountXof,
            ledgerLines: s.ledgerLines,
            factor,
            lmisUnit: mapping?.lmis?.unit ?? null,
            ...figures,
            gapPercent,
            flags,
        })
    }
    rows.sort((a, b) => (a.facility < b.facility ? -1 : a.facility > b.facility ? 1 : a.product < b.product ? -1 : a.product > b.product ? 1 : 0))
    return rows
}

export interface ReconcileReport {
    command: 'stock reconcile'
    month: string
    dataSet: string | null
    /** Whether the LMIS data set was read. */
    lmisRead: boolean
    gapThresholdPercent: number
    rows: ReconcileRow[]
    flagged: number
    flagCounts: Record<ReconcileFlag, number>
    missingProduct: number
    warnings: Bilingual[]
    exitCode: number
    /** product → where each mapped LMIS variable lives (UIDs), when the LMIS was read: what the app asks analytics for. */
    lmisOperands?: Record<string, Partial<Record<LmisVariable, LmisOperand>>>
}

/**
 * Read the state and the LMIS data set, and build the report. `memo`: the month's sales the
 * stock leg of this run already computed, scope by scope (those scopes are not read again).
 */
export async function runReconcile(args: { db: StateDb; rc: ResolvedConfig; client: Dhis2Client | null; month: string; now: () => Date; memo?: MonthSalesMemo }): Promise<ReconcileReport> {
    const { db, rc, client, month } = args
    const cfg = rc.config.stock
    const catalog = productCatalog(cfg)
    const warnings: Bilingual[] = []
    let exitCode = 0
    const { sales, missingProduct } = monthSales(db, month, { zoneFor: rc.zoneFor, catalog }, rc.config.periodType, args.memo)
    const facilities = [...new Set([...sales.map((s) => s.facility), ...cfg.lmis.facilities])].sort()
    const orgUnits = new Map<string, { id: string; code: string | null } | null>()
    let lmisValue: ReconcileInput['lmisValue']
    let lmisProducts: ReconcileInput['lmisProducts']
    let lmisRead = false
    const lmisOperands: NonNullable<ReconcileReport['lmisOperands']> = {}
    if (!cfg.lmis.dataSet) {
        warnings.push({
            fr: 'Aucun jeu de données LMIS configuré (stock.lmis.dataSet) : seules les ventes sont présentées',
            en: 'No LMIS data set configured (stock.lmis.dataSet): only sales are shown',
        })
    } else if (!client) {
        warnings.push({ fr: 'DHIS2 non configuré : seules les ventes sont présentées', en: 'DHIS2 not configured: only sales are shown' })
    } else {
        try {
            const resolver = new OrgUnitResolver(client, db, rc.orgUnitRefFor, () => args.now().toISOString())
            await resolver.prefetch(facilities)
            for (const f of facilities) {
                const ou = await resolver.resolve(f)
                orgUnits.set(f, ou && ou !== 'unknown' ? { id: ou.id, code: ou.code ?? null } : null)
            }
            const meta = await loadLmisMetadata(client, cfg.lmis.dataSet, configuredRefs(cfg))
            if ('problem' in meta) {
                warnings.push(meta.problem)
                exitCode = 2
            } else {
                const ous = [...orgUnits.values()].filter((o): o is { id: string; code: string | null } => !!o)
                const values = new Map<string, number>()
                if (ous.length) {
                    const res = await client.get<{ dataValues?: Array<{ dataElement: string; orgUnit: string; categoryOptionCombo: string; value: string | null }> }>('dataValueSets', {
                        dataSet: meta.dataSet.id,
                        period: month.replace('-', ''),
                        orgUnit: ous.map((o) => o.id),
                    })
                    for (const v of res.data?.dataValues ?? []) {
                        const n = Number(v.value)
                        if (v.value !== null && v.value !== '' && Number.isFinite(n)) values.set(`${v.orgUnit}|${v.dataElement}|${v.categoryOptionCombo}`, n)
                    }
                }
                for (const f of facilities) {
                    if (!orgUnits.get(f)) {
                        warnings.push({ fr: `Établissement ${f} inconnu de DHIS2 : pas de données LMIS`, en: `Facility ${f} unknown to DHIS2: no LMIS data` })
                    }
                }
                const problems = new Set<string>()
                lmisValue = (facility, variable, product) => {
                    const ou = orgUnits.get(facility)
                    const target = lmisTarget(cfg, catalog.byMedexisCode(product), variable)
                    if (!ou || !target) return null
                    const resolved = meta.resolve(target)
                    if ('problem' in resolved) {
                        if (!problems.has(resolved.problem.en)) warnings.push(resolved.problem)
                        problems.add(resolved.problem.en)
                        return null
                    }
                    return values.get(`${ou.id}|${resolved.dataElement}|${resolved.categoryOptionCombo}`) ?? null
                }
                lmisProducts = (facility) => {
                    const out: string[] = []
                    for (const p of cfg.products) {
                        if (!p.lmis) continue
                        const product = p.medexisCode ?? p.ledgerCode
                        if (LMIS_VARIABLES.some((v) => lmisValue!(facility, v, product) !== null)) out.push(product)
                    }
                    return [...new Set(out)]
                }
                for (const p of cfg.products) {
                    const product = p.medexisCode ?? p.ledgerCode
                    if (!p.lmis || lmisOperands[product]) continue
                    const operands: Partial<Record<LmisVariable, LmisOperand>> = {}
                    for (const v of LMIS_VARIABLES) {
                        const target = lmisTarget(cfg, p, v)
                        const resolved = target ? meta.resolve(target) : null
                        if (resolved && !('problem' in resolved)) operands[v] = { dataElement: resolved.dataElement, categoryOptionCombo: resolved.categoryOptionCombo }
                    }
                    lmisOperands[product] = operands
                }
                lmisRead = true
            }
        } catch (e) {
            if (!(e instanceof Dhis2UnreachableError)) throw e
            warnings.push({ fr: `${e.reason.fr} — seules les ventes sont présentées`, en: `${e.reason.en} — only sales are shown` })
            exitCode = 4
        }
    }
    const rows = reconcileRows({
        month,
        cfg,
        sales,
        facilities,
        lmisValue,
        lmisProducts,
        orgUnitOf: (f) => orgUnits.get(f)?.id ?? null,
    })
    const flagCounts = Object.fromEntries(RECONCILE_FLAGS.map((f) => [f, rows.filter((r) => r.flags.includes(f)).length])) as Record<ReconcileFlag, number>
    if (missingProduct) {
        warnings.push({
            fr: `${missingProduct} ligne(s) de pharmacie du mois sans produit ou sans quantité : absentes des quantités vendues`,
            en: `${missingProduct} pharmacy line(s) of the month without product or quantity: not in the quantities sold`,
        })
    }
    return {
        command: 'stock reconcile',
        month,
        dataSet: cfg.lmis.dataSet ?? null,
        lmisRead,
        gapThresholdPercent: cfg.reconcile.gapThresholdPercent,
        rows,
        flagged: rows.filter((r) => r.flags.length > 0).length,
        flagCounts,
        missingProduct,
        warnings,
        exitCode,
        lmisOperands,
    }
}

const dash = '—'

/** The report for logistics staff. */
export function renderReconcile(r: ReconcileReport, lang: Lang): string {
    const fr = lang === 'fr'
    const n = (v: number | null) => (v === null ? dash : formatNumber(v, lang) + (Number.isInteger(v) ? '' : ` (${v})`))
    const out: string[] = []
    out.push(fr ? `Rapprochement ventes / stock — ${r.month}` : `Sales / stock reconciliation — ${r.month}`)
    out.push(
        r.lmisRead
            ? fr
                ? `Jeu de données LMIS : ${r.dataSet} ; seuil d'écart : ${r.gapThresholdPercent} %`
                : `LMIS data set: ${r.dataSet}; gap threshold: ${r.gapThresholdPercent} %`
            : fr
              ? 'Données LMIS non lues'
              : 'LMIS data not read'
    )
    out.push('')
    if (r.rows.length === 0) out.push(fr ? 'Aucune vente de pharmacie ce mois-ci.' : 'No pharmacy sales this month.')
    let facility: string | null = null
    for (const row of r.rows) {
        if (row.facility !== facility) {
            facility = row.facility
            out.push(`${fr ? 'Établissement' : 'Facility'} ${row.facility}${row.orgUnit ? ` (${row.orgUnit})` : ''}`)
        }
        const unit = row.lmisUnit ? ` ${row.lmisUnit}` : ''
        const soldText = row.soldLmisUnits !== null && row.factor !== 1 ? `${n(row.sold)} → ${n(row.soldLmisUnits)}${unit}` : `${n(row.sold)}${unit}`
        out.push(`  ${row.product}${row.productName ? ` — ${row.productName}` : ''}`)
        out.push(
            fr
                ? `    vendu ${soldText} ; distribué ${n(row.dispensed)} ; stock disponible ${n(row.stockOnHand)} ; jours de rupture ${n(row.stockOutDays)} ; stock initial ${n(row.openingBalance)} ; reçu ${n(row.received)}${row.gapPercent !== null ? ` ; écart ${row.gapPercent} %` : ''}`
                : `    sold ${soldText}; dispensed ${n(row.dispensed)}; stock on hand ${n(row.stockOnHand)}; stock-out days ${n(row.stockOutDays)}; opening ${n(row.openingBalance)}; received ${n(row.received)}${row.gapPercent !== null ? `; gap ${row.gapPercent} %` : ''}`
        )
        for (const f of row.flags) out.push(`    ⚠ ${f}: ${FLAG_TEXT[f][lang]}`)
    }
    out.push('')
    out.push(fr ? `${r.rows.length} ligne(s), ${r.flagged} signalée(s)` : `${r.rows.length} row(s), ${r.flagged} flagged`)
    for (const f of RECONCILE_FLAGS) if (r.flagCounts[f]) out.push(`  ${f} (${FLAG_TEXT[f][lang]}): ${r.flagCounts[f]}`)
    for (const w of r.warnings) out.push(`! ${w[lang]}`)
    return out.join('\n')
}

/** The last closed month in a time zone: what a monthly report is about by default. */
export function previousMonth(now: Date, zone: string): string {
    return DateTime.fromJSDate(now, { zone }).minus({ months: 1 }).toFormat('yyyy-MM')
}
