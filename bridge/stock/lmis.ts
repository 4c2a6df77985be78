import { z } from 'zod'
import type { Bilingual } from '../domain/line'
import type { Dhis2Client } from '../dhis2/client'
import { findDataSet, listByFilter, type LiveDataSet } from '../dhis2/metadata'
import { isUid } from '../dhis2/uid'
import { LMIS_VARIABLES, lmisTarget, type LmisVariable, type ProductCatalog, type StockConfig } from './config'

/**
 * The DHIS2 LMIS side: resolving the configured data elements and option combos (codes, UIDs
 * or, for option combos, names) to the server's UIDs by reading them, and the monthly totals.
 */

export interface LmisRef {
    dataElement: string
    categoryOptionCombo: string | null
}

export interface ResolvedRef {
    dataElement: string
    categoryOptionCombo: string
    /** For people: codes where the server has them. */
    dataElementCode: string
    cocCode: string
}

export interface LmisMetadata {
    dataSet: LiveDataSet
    resolve(ref: LmisRef): ResolvedRef | { problem: Bilingual }
}

const refSchema = z.object({ id: z.string() })
const dataElementSchema = z.object({ id: z.string(), code: z.string().optional(), name: z.string().optional(), categoryCombo: refSchema })
const cocSchema = z.object({ id: z.string(), code: z.string().optional(), name: z.string().optional(), categoryCombo: refSchema })

/** Every reference the configuration names, for one read of the server. */
export function configuredRefs(cfg: StockConfig): LmisRef[] {
    const out: LmisRef[] = []
    for (const p of cfg.products) {
        for (const v of LMIS_VARIABLES) {
            const t = lmisTarget(cfg, p, v)
            if (t) out.push(t)
        }
    }
    return out
}

export async function loadLmisMetadata(client: Dhis2Client, dataSetRef: string, refs: LmisRef[]): Promise<LmisMetadata | { problem: Bilingual }> {
    const dataSet = await findDataSet(client, dataSetRef)
    if (!dataSet) {
        return {
            problem: {
                fr: `Jeu de données LMIS « ${dataSetRef} » introuvable dans DHIS2 (stock.lmis.dataSet)`,
                en: `LMIS data set "${dataSetRef}" not found in DHIS2 (stock.lmis.dataSet)`,
            },
        }
    }
    const deRefs = [...new Set(refs.map((r) => r.dataElement))]
    const fields = 'id,code,name,categoryCombo[id]'
    const des = [
        ...(await listByFilter(client, 'dataElements', 'code', deRefs, fields, dataElementSchema)),
        ...(await listByFilter(client, 'dataElements', 'id', deRefs.filter(isUid), fields, dataElementSchema)),
    ]
    const deByRef = new Map<string, z.infer<typeof dataElementSchema>>()
    for (const d of des) if (d.code) deByRef.set(d.code, d)
    for (const d of des) deByRef.set(d.id, d)
    // A data set element may override the element's category combo.
    const comboOf = (deId: string, own: string) => dataSet.dataSetElements.find((e) => e.dataElement.id === deId)?.categoryCombo?.id ?? own
    const comboIds = [...new Set(des.map((d) => comboOf(d.id, d.categoryCombo.id)))]
    const cocs = await listByFilter(client, 'categoryOptionCombos', 'categoryCombo.id', comboIds, 'id,code,name,categoryCombo[id]', cocSchema)
    const cocsByCombo = new Map<string, Array<z.infer<typeof cocSchema>>>()
    for (const c of cocs) cocsByCombo.set(c.categoryCombo.id, [...(cocsByCombo.get(c.categoryCombo.id) ?? []), c])
    return {
        dataSet,
        resolve(ref) {
            const de = deByRef.get(ref.dataElement)
            if (!de) {
                return { problem: { fr: `Élément de données LMIS « ${ref.dataElement} » introuvable dans DHIS2`, en: `LMIS data element "${ref.dataElement}" not found in DHIS2` } }
            }
            const options = cocsByCombo.get(comboOf(de.id, de.categoryCombo.id)) ?? []
            let coc: z.infer<typeof cocSchema> | undefined
            if (ref.categoryOptionCombo === null) {
                if (options.length === 1) coc = options[0]
                else {
                    return {
                        problem: {
                            fr: `L'élément ${ref.dataElement} a ${options.length} combinaisons de catégories : indiquez laquelle (categoryOptionCombo)`,
                            en: `Element ${ref.dataElement} has ${options.length} category option combos: name one (categoryOptionCombo)`,
                        },
                    }
                }
            } else {
                const want = ref.categoryOptionCombo
                coc = options.find((c) => c.id === want) ?? options.find((c) => c.code === want) ?? options.find((c) => c.name === want)
                if (!coc) {
                    return {
                        problem: {
                            fr: `Combinaison « ${want} » absente de la combinaison de catégories de l'élément ${ref.dataElement}`,
                            en: `Option combo "${want}" is not in the category combo of element ${ref.dataElement}`,
                        },
                    }
                }
            }
            return { dataElement: de.id, categoryOptionCombo: coc.id, dataElementCode: de.code ?? de.id, cocCode: coc.code ?? coc.name ?? coc.id }
        },
    }
}

const round = (n: number) => Math.round(n * 1e6) / 1e6

export interface MonthProductTotal {
    product: string
    quantity: number
    ledgerLines: number
    ledgerCodes: string[]
}

export interface LmisTotal {
    dataElement: string
    coc: string | null
    /** In LMIS units: Σ quantity × factor. */
    value: number
    products: string[]
}

/**
 * Monthly dispensed totals per LMIS target of one facility. Products with lines count even at 0;
 * products without an LMIS mapping are returned apart (reported, never dropped).
 */
export function lmisMonthTotals(cfg: StockConfig, catalog: ProductCatalog, products: MonthProductTotal[]): { totals: LmisTotal[]; unmapped: string[] } {
    const byKey = new Map<string, LmisTotal>()
    const unmapped = new Set<string>()
    for (const p of products) {
        if (p.ledgerLines === 0) continue
        const mapping = catalog.byMedexisCode(p.product)
        const target = lmisTarget(cfg, mapping, 'dispensed')
        if (!target || !mapping?.lmis) {
            p.ledgerCodes.forEach((c) => unmapped.add(c))
            continue
        }
        const key = JSON.stringify([target.dataElement, target.categoryOptionCombo])
        const t = byKey.get(key) ?? { dataElement: target.dataElement, coc: target.categoryOptionCombo, value: 0, products: [] }
        t.value = round(t.value + p.quantity * mapping.lmis.factor)
        t.products.push(p.product)
        byKey.set(key, t)
    }
    return { totals: [...byKey.values()], unmapped: [...unmapped].sort() }
}

export const isWhole = (n: number) => Math.abs(n - Math.round(n)) < 1e-6

/** YYYY-MM → DHIS2 monthly period YYYYMM. */
export const monthlyPeriod = (month: string) => month.replace('-', '')

export type { LmisVariable }
