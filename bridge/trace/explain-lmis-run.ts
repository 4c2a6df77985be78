import { scopeId } from '../aggregate'
import { periodsOfMonth } from '../aggregate/periods'
import type { LocalConfig } from '../config/load'
import type { Bilingual } from '../domain/line'
import type { StateDb } from '../state/db'
import { replacedLinesForScope, SendLog, tracedLinesForScope } from '../state/lineage'
import { lmisTarget, productCatalog } from '../stock/config'
import { explainLmisValue, type LmisExplainResult, type LmisProduct, type LmisStateValue } from './explain-lmis'
import type { ExplainArgs, ExplainHead, ExplainReport } from './explain'

/**
 * `explain` of an LMIS value from the state (docs/traceability.md): the data element is one the
 * configuration maps products to (stock.products[].lmis.dataElement, the quantity dispensed),
 * the period a month (YYYYMM). Its values, sends, daily records and pharmacy lines.
 */

/** The configured LMIS data element the argument names (as configured; case aside), or null. */
export function lmisElementOf(lc: LocalConfig, given: string): string | null {
    const cfg = lc.config.stock
    const wanted = given.trim().toUpperCase()
    for (const p of cfg.products) {
        const target = lmisTarget(cfg, p, 'dispensed')
        if (target && target.dataElement.toUpperCase() === wanted) return target.dataElement
    }
    return null
}

/** Every configured LMIS data element, for the message that names what is expected. */
export function lmisElements(lc: LocalConfig): string[] {
    const cfg = lc.config.stock
    return [...new Set(cfg.products.map((p) => lmisTarget(cfg, p, 'dispensed')?.dataElement).filter((d): d is string => !!d))].sort()
}

export type LmisExplainReport = ExplainReport & LmisExplainResult

export function explainLmis(
    db: StateDb,
    lc: LocalConfig,
    args: ExplainArgs,
    dataElement: string,
    facilities: string[],
    fail: (why: Bilingual) => Error
): { head: ExplainHead; result: LmisExplainResult; notes: Bilingual[] } {
    if (args.channel || args.service) {
        throw fail({ fr: `${dataElement} est une valeur LMIS : elle ne se ventile ni par moyen de paiement ni par service (retirez --channel / --service)`, en: `${dataElement} is an LMIS value: it has no payment channel or service (drop --channel / --service)` })
    }
    const period = args.period.trim()
    if (!/^\d{4}(0[1-9]|1[0-2])$/.test(period)) {
        throw fail({ fr: `Période « ${period} » : une valeur LMIS est mensuelle (AAAAMM, p. ex. 202610)`, en: `Period "${period}": an LMIS value is monthly (YYYYMM, e.g. 202610)` })
    }
    const select = db.prepare(
        `SELECT key, coc, desired, accepted FROM dhis2_values WHERE family = 'lmis' AND data_element = ? AND period = ? AND facility = ? ORDER BY key`
    )
    let facility = facilities[0]
    let values: LmisStateValue[] = []
    for (const f of facilities) {
        facility = f
        values = select.all(dataElement, period, f) as LmisStateValue[]
        if (values.length) break
    }
    if (!values.length) {
        const known = db.prepare(`SELECT DISTINCT period FROM dhis2_values WHERE family = 'lmis' AND facility = ? ORDER BY period`).pluck().all(facilities[0]) as string[]
        const hint = known.length ? { fr: `mois connus : ${known[0]} … ${known[known.length - 1]}`, en: `known months: ${known[0]} … ${known[known.length - 1]}` } : { fr: 'aucune valeur LMIS pour cet établissement (est-il dans stock.lmis.facilities ?)', en: 'no LMIS value for this facility (is it in stock.lmis.facilities?)' }
        throw fail({
            fr: `Clé inconnue : l'état ${lc.stateDir} n'a aucune valeur ${dataElement} ${period} ${facilities[0]} (${hint.fr})`,
            en: `Unknown key: the state in ${lc.stateDir} has no value ${dataElement} ${period} ${facilities[0]} (${hint.en})`,
        })
    }
    const cfg = lc.config.stock
    const catalog = productCatalog(cfg)
    const cocs = new Set(values.map((v) => v.coc))
    // The products lmisMonthTotals sums into these values: each MEDEXIS code through its mapping.
    const products = new Map<string, LmisProduct>()
    for (const p of cfg.products) {
        const product = p.medexisCode ?? p.ledgerCode
        const mapping = catalog.byMedexisCode(product)
        const target = lmisTarget(cfg, mapping, 'dispensed')
        if (target && mapping?.lmis && target.dataElement === dataElement && cocs.has(target.categoryOptionCombo)) products.set(product, { product, factor: mapping.lmis.factor })
    }
    const month = `${period.slice(0, 4)}-${period.slice(4)}`
    const scopes = periodsOfMonth(month, lc.config.periodType).map((p) => scopeId(facility, p))
    const result = explainLmisValue({
        facility,
        month,
        values,
        products: [...products.values()],
        traced: scopes.flatMap((s) => tracedLinesForScope(db, s)),
        replaced: scopes.flatMap((s) => replacedLinesForScope(db, s)),
        sends: new SendLog(db, 'lmis').forKeys(values.map((v) => v.key)),
        ctx: { zoneFor: lc.zoneFor, catalog },
    })
    // Lines without quantity are the one thing an LMIS explanation adds to the notes explain-run.ts gives every value.
    const notes: Bilingual[] = result.withoutQuantity
        ? [
              {
                  fr: `${result.withoutQuantity} ligne(s) de ces produits sans quantité : comptées dans les recettes, absentes des sorties de stock`,
                  en: `${result.withoutQuantity} line(s) of these products without quantity: counted as revenue, left out of the stock outflows`,
              },
          ]
        : []
    return { head: { family: 'lmis', dataElement, period, facility, channel: null, service: null }, result, notes }
}
