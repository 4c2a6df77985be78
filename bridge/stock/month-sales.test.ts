import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { DateTime } from 'luxon'
import { lineScope } from '../aggregate'
import type { PeriodType } from '../../contract/codes'
import type { LedgerLine } from '../domain/line'
import { openState, type StateDb } from '../state/db'
import { LineStore, scopesWithLines } from '../state/lines'
import { productCatalog, stockConfigSchema } from './config'
import { MonthSalesMemo, monthSales, type MonthSale } from './month-sales'
import { computeRecords, localDate } from './records'

// 'JP' and 'JP|TKY': the second's scopes sort among the first's ('JP|202503' < 'JP|TKY|202503' < 'JP|W…').
const ZONES: Record<string, string> = { 'ML-BKO-HDB': 'Africa/Bamako', JP: 'Asia/Tokyo', 'JP|TKY': 'Asia/Tokyo', 'US-NYC': 'America/New_York', 'IN-DEL': 'Asia/Kolkata' }
const zoneFor = (f: string) => ZONES[f]
// Two ledger codes merged into one MEDEXIS product; the others pass through.
const catalog = productCatalog(stockConfigSchema.parse({ products: [{ ledgerCode: 'PARA-BOX', medexisCode: 'PARA500' }, { ledgerCode: 'PARA-BTE', medexisCode: 'PARA500' }] }))
const ctx = { zoneFor, catalog }
const PRODUCTS = ['AMOX500C', 'PARA-BOX', 'PARA-BTE', 'SRO']

/** Every fifth line a consultation, every seventh a refund, every thirteenth without product; fractional quantities, names now and then. */
function line(n: number, facilityCode: string, occurredAt: string): LedgerLine {
    return {
        transactionId: `TX-${n}`,
        lineNo: 1,
        occurredAt,
        updatedAt: null,
        facilityCode,
        channel: 'CASH',
        service: n % 5 === 0 ? 'CONSULTATION' : 'PHARMACY',
        amountXof: 100 + (n % 7) * 25,
        type: n % 7 === 0 ? 'REFUND' : 'PAYMENT',
        status: n % 11 === 0 ? 'FAILED' : 'SUCCESS',
        productCode: n % 13 === 0 ? null : PRODUCTS[n % PRODUCTS.length],
        productName: n % 3 === 0 ? `Produit ${n % 4}` : null,
        quantity: [1, 0.1, 0.2, 2.5, 1 / 3][n % 5],
        unit: null,
    }
}

/** A state holding these lines, ingested as a sync does (scopes cut with the period type). */
function stateWith(lines: LedgerLine[], periodType: PeriodType): StateDb {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'month-sales-'))
    const db = openState(dir)
    const store = new LineStore(db)
    db.transaction(() => lines.forEach((l) => store.ingest(l, lineScope(l, { periodType, zoneFor }), 1)))()
    return db
}

/** The month's sales as one pass over every line of the month gives them (the reconciliation before sales were assembled by scope). */
function onePass(lines: LedgerLine[], month: string): { sales: MonthSale[]; missingProduct: number } {
    const ofMonth = lines.filter((l) => l.service === 'PHARMACY' && DateTime.fromISO(l.occurredAt, { zone: 'utc' }).setZone(zoneFor(l.facilityCode)).toISODate()!.startsWith(month))
    const { records, missingProduct } = computeRecords(ofMonth, ctx)
    const round = (n: number) => Math.round(n * 1e6) / 1e6
    const sales = new Map<string, MonthSale>()
    for (const r of records) {
        const k = `${r.facility}\u0000${r.product}`
        const s = sales.get(k) ?? { facility: r.facility, product: r.product, productName: r.productName, ledgerCodes: [], sold: 0, amountXof: 0, ledgerLines: 0 }
        s.sold = round(s.sold + r.quantity)
        s.amountXof += r.amountXof
        s.ledgerLines += r.ledgerLines
        s.ledgerCodes = [...new Set([...s.ledgerCodes, ...r.ledgerCodes])].sort()
        if (r.productName) s.productName = r.productName
        sales.set(k, s)
    }
    return { sales: sorted([...sales.values()]), missingProduct }
}
const sorted = (sales: MonthSale[]) => [...sales].sort((a, b) => (a.facility + '\u0000' + a.product < b.facility + '\u0000' + b.product ? -1 : 1))

/** What the stock leg leaves: the memo of the given scopes, each computed from all its pharmacy lines. */
function legMemo(db: StateDb, scopes: string[]): MonthSalesMemo {
    const memo = new MonthSalesMemo(zoneFor, 26)
    const store = new LineStore(db)
    for (const scope of scopes) {
        const lines = store.pharmacyLines(scope)
        memo.remember(scope, lines, computeRecords(lines, ctx))
    }
    return memo
}

describe('monthSales reads a month through the scopes, and gives what a pass over every line gives', () => {
    // Every 7 hours from mid-February to mid-April 2025, in four zones (one facility code holds a '|'):
    // weeks straddle the month's ends, and so do local dates.
    const lines: LedgerLine[] = []
    let n = 0
    for (let t = Date.UTC(2025, 1, 14); t < Date.UTC(2025, 3, 14); t += 7 * 3_600_000) {
        for (const f of Object.keys(ZONES)) lines.push(line(n++, f, new Date(t).toISOString()))
    }
    const MONTHS = ['2025-02', '2025-03', '2025-04', '2025-05']

    test.each(['Monthly', 'Weekly', 'Daily'] as PeriodType[])('%s periods: read from the state, from the stock leg\'s memo, or half and half', (periodType) => {
        const db = stateWith(lines, periodType)
        try {
            const everyScope = [...new Set(lines.map((l) => lineScope(l, { periodType, zoneFor })))].sort()
            const full = legMemo(db, everyScope)
            const half = legMemo(db, everyScope.filter((_, i) => i % 2 === 0))
            for (const month of MONTHS) {
                const expected = onePass(lines, month)
                for (const memo of [undefined, full, half]) {
                    const got = monthSales(db, month, ctx, periodType, memo)
                    expect([month, { sales: sorted(got.sales), missingProduct: got.missingProduct }]).toEqual([month, expected])
                }
            }
            const march = onePass(lines, '2025-03')
            expect(march.sales.length).toBeGreaterThan(8)
            expect(march.missingProduct).toBeGreaterThan(5)
            expect(march.sales.some((s) => !Number.isInteger(s.sold))).toBe(true)
        } finally {
            db.close()
        }
    })

    test('a share is taken once; a month the memo forgot (older than it keeps) is read from the state', () => {
        const db = stateWith(lines, 'Monthly')
        try {
            const scopes = scopesWithLines(db, ['202502', '202503', '202504'])
            const memo = new MonthSalesMemo(zoneFor, 1)
            const store = new LineStore(db)
            for (const scope of scopes) {
                const l = store.pharmacyLines(scope)
                memo.remember(scope, l, computeRecords(l, ctx))
            }
            // Only April is kept: February and March are read again, and still right.
            expect(memo.take(scopes.find((s) => s.endsWith('202503'))!, '2025-03')).toBeUndefined()
            for (const month of ['2025-02', '2025-03', '2025-04']) {
                const got = monthSales(db, month, ctx, 'Monthly', memo)
                expect({ sales: sorted(got.sales), missingProduct: got.missingProduct }).toEqual(onePass(lines, month))
            }
            const april = scopes.find((s) => s.endsWith('202504'))!
            // Taken by the April reconciliation above: an empty share now, not a second copy.
            expect(memo.take(april, '2025-04')).toEqual({ parts: new Map(), missingProduct: 0 })
        } finally {
            db.close()
        }
    })

    test('scopesWithLines walks every scope, a facility code holding "|" included', () => {
        const db = stateWith(lines, 'Monthly')
        try {
            expect(scopesWithLines(db, ['2025W10']).length).toBe(0)
            expect(scopesWithLines(db, ['202503', '202506']).sort()).toEqual(['IN-DEL|202503', 'JP|202503', 'JP|TKY|202503', 'ML-BKO-HDB|202503', 'US-NYC|202503'])
            expect(scopesWithLines(db, ['202412'])).toEqual([])
        } finally {
            db.close()
        }
    })
})

describe('localDate by arithmetic equals luxon', () => {
    const fc = require('fast-check') as typeof import('fast-check')
    test('random instants in zones with DST, half hours and seconds offsets', () => {
        const zones = ['Africa/Bamako', 'Europe/Paris', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Africa/Monrovia', 'Pacific/Kiritimati']
        fc.assert(
            fc.property(fc.constantFrom(...zones), fc.integer({ min: -2_208_988_800_000, max: 4_102_444_800_000 }), (zone, ms) => {
                const iso = new Date(ms).toISOString()
                expect(localDate(iso, zone)).toBe(DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone).toISODate())
            }),
            { numRuns: 3000 }
        )
        expect(() => localDate('not a date', 'Africa/Bamako')).toThrow(/invalid instant/)
        expect(() => localDate('2025-03-01T00:00:00.000Z', 'Mars/Olympus')).toThrow(/invalid instant/)
    })
})
