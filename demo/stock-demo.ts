/**
 * The stock leg in the demo: the product mapping and LMIS configuration for the demo facilities,
 * the stand-in's LMIS data set filled with figures that agree with the demo ledger (apart from the
 * seeded anomalies), and a recording MEDEXIS endpoint.
 *
 *   const stock = await prepareStockDemo({ standin, workDir, endDate, seed: 42, months: 24 })
 *   env = { ...env, ...stock.env }                  // MEDEXIS_BASE_URL, MEDEXIS_TOKEN
 *   revenue-bridge setup|sync … --config stock.configFile
 *   revenue-bridge stock reconcile --config stock.configFile
 *   await stock.close()
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Standin } from '../standin'
import { startMedexisRecorder, type MedexisRecorder } from '../standin/medexis'
import { LMIS_DATA_SET_CODE, LMIS_PRODUCTS, LMIS_VARIABLE_OPTIONS, seedLmis, type LmisSeedResult } from '../standin/seed-lmis'
import { DEMO_FACILITIES, DEMO_PRODUCTS, generateDemoLedger, type DemoLedger } from './generate-ledger'

/** The Bamako dermatology hospital writes its dispensed totals to DHIS2 (the pharmacy directorate agreed); the others only read. */
export const DEMO_LMIS_WRITERS = ['ML-BKO-HDB'] as const

export const DEMO_MEDEXIS_TOKEN = 'demo-medexis-token'

const optionName = (variable: string) => LMIS_VARIABLE_OPTIONS.find((o) => o.variable === variable)!.name

/**
 * The `stock` section of the bridge configuration for the demo. Every demo product is mapped to its
 * LMIS data element except HYDROC1 (a dermatology cream that is not on the national list): it goes
 * to MEDEXIS under its ledger code and shows up as "unmapped" in the reconciliation.
 */
export function demoStockConfig(opts: { lmisFacilities?: readonly string[] } = {}) {
    const inLmis = new Map(LMIS_PRODUCTS.map((p) => [p.product, p]))
    return {
        stock: {
            products: DEMO_PRODUCTS.map((p) => {
                const lmis = inLmis.get(p.code)
                return lmis
                    ? { ledgerCode: p.code, name: p.name, unit: p.unit, lmis: { dataElement: lmis.dataElement, unit: lmis.unit } }
                    : { ledgerCode: p.code, name: p.name, unit: p.unit }
            }),
            medexis: { retries: 2, retryBaseDelayMs: 200, timeoutMs: 10_000 },
            lmis: {
                dataSet: LMIS_DATA_SET_CODE,
                facilities: [...(opts.lmisFacilities ?? DEMO_LMIS_WRITERS)],
                categoryOptionCombos: {
                    openingBalance: optionName('openingBalance'),
                    received: optionName('received'),
                    dispensed: optionName('dispensed'),
                    stockOnHand: optionName('stockOnHand'),
                    stockOutDays: optionName('stockOutDays'),
                },
            },
            reconcile: { gapThresholdPercent: 10 },
        },
    }
}

/** A recording MEDEXIS endpoint and the environment that points the bridge at it. */
export async function startDemoMedexis(): Promise<{ recorder: MedexisRecorder; env: { MEDEXIS_BASE_URL: string; MEDEXIS_TOKEN: string } }> {
    const recorder = await startMedexisRecorder({ token: DEMO_MEDEXIS_TOKEN })
    return { recorder, env: { MEDEXIS_BASE_URL: recorder.url, MEDEXIS_TOKEN: DEMO_MEDEXIS_TOKEN } }
}

/**
 * What the ledger's pharmacy lines add up to (ledger units), per `facility|product|day` or
 * `facility|product|month`: the latest version of each line (transaction, line number) that is a
 * SUCCESS PAYMENT, minus the SUCCESS REFUND lines, on the local day (the demo's facilities are all
 * in Bamako, UTC+0). Independent of the bridge's own code, so tests can check it.
 */
export function pharmacySales(ledger: DemoLedger, by: 'day' | 'month'): Map<string, number> {
    const latest = new Map<string, Record<string, string>>()
    for (const row of ledger.rows) {
        if (!row.product_code || !row.transaction_id) continue
        latest.set(`${row.transaction_id}\u0000${row.line_no}`, row)
    }
    const out = new Map<string, number>()
    for (const row of latest.values()) {
        const q = Number(row.quantity)
        const date = row.occurred_at.slice(0, 10)
        if (row.status !== 'SUCCESS' || !Number.isInteger(q) || q <= 0 || !/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) continue
        if (new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date) continue // 2025-02-30
        const sign = row.type === 'PAYMENT' ? 1 : row.type === 'REFUND' ? -1 : 0
        const key = `${row.facility_code}|${row.product_code}|${by === 'day' ? date : date.slice(0, 7)}`
        out.set(key, (out.get(key) ?? 0) + sign * q)
    }
    return out
}

export interface StockDemo {
    configFile: string
    env: { MEDEXIS_BASE_URL: string; MEDEXIS_TOKEN: string }
    recorder: MedexisRecorder
    lmis: LmisSeedResult
    close(): Promise<void>
}

/**
 * Everything the demo needs for the stock leg: seeds the stand-in's LMIS data set with figures
 * matching the demo ledger of these options, starts the MEDEXIS recorder and writes the
 * configuration file (`bridge.json` in workDir).
 */
export async function prepareStockDemo(args: { standin: Standin; workDir: string; endDate: string; seed: number; months: number; ledger?: DemoLedger }): Promise<StockDemo> {
    const ledger = args.ledger ?? generateDemoLedger({ seed: args.seed, endDate: args.endDate, months: args.months })
    const monthly = pharmacySales(ledger, 'month')
    const lmis = seedLmis(args.standin.state, {
        facilities: DEMO_FACILITIES.map((f) => f.code),
        sold: (facility, product, month) => monthly.get(`${facility}|${product}|${month}`),
    })
    const { recorder, env } = await startDemoMedexis()
    const configFile = path.join(args.workDir, 'bridge.json')
    fs.mkdirSync(args.workDir, { recursive: true })
    fs.writeFileSync(configFile, JSON.stringify(demoStockConfig(), null, 2) + '\n')
    return { configFile, env, recorder, lmis, close: () => recorder.close() }
}
