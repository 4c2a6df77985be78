import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { configSchema } from '../bridge/config/schema'
import { matchStage } from '../bridge/reconcile/run'
import { readReconInputs } from '../bridge/reconcile/sources'
import { openState } from '../bridge/state/db'
import { generateDemoLedger } from './generate-ledger'
import { demoLines, generateDemoRecon, writeDemoRecon } from './generate-recon'
import { LineStore } from '../bridge/state/lines'
import { scopeId } from '../bridge/aggregate/keys'
import { periodOf } from '../bridge/aggregate/periods'

/**
 * The demo's statements and cash counts, reconciled by the real code against the demo ledger:
 * exactly the planted discrepancies come out (planted.json), nothing else, and the earlier
 * months reconcile cleanly.
 */
const END = '2026-12-01'
const ZONE = 'Africa/Bamako'

test('the planted discrepancies, and only they, are found', async () => {
    const ledger = generateDemoLedger({ seed: 42, endDate: END, months: 24 })
    const recon = generateDemoRecon(ledger, END)
    expect(recon.months).toEqual(['2026-09', '2026-10', '2026-11'])
    expect(recon.planted.items.map((i) => i.category).sort()).toEqual(['AMOUNT_MISMATCH', 'AMOUNT_MISMATCH', 'DUPLICATE_STATEMENT', 'LEDGER_ONLY', 'LEDGER_ONLY', 'LEDGER_ONLY', 'STATEMENT_ONLY', 'STATUS_MISMATCH'])
    expect(recon.planted.cash.map((c) => [c.facility, c.variance])).toEqual([
        ['ML-BKO-CHUGT', -5000],
        ['ML-BKO-HDB', -2500],
    ])

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-recon-'))
    try {
        const block = writeDemoRecon(dir, recon)
        const config = configSchema.parse({ reconciliation: block })
        const inputs = await readReconInputs(config.reconciliation, { statements: [], cashCounts: [] }, { zoneFor: () => ZONE })
        expect(inputs.statements.quarantine).toEqual([])
        expect(inputs.counts.quarantine).toEqual([])
        // The demo's lines in a state, with operator_ref and cashier kept in clear (test key: identity).
        const db = openState(path.join(dir, 'state'))
        const store = new LineStore(db)
        for (const l of demoLines(ledger)) store.ingest(l, scopeId(l.facilityCode, periodOf(l.occurredAt, ZONE, 'Monthly')), 1)
        const { items, cash } = matchStage(db, { config, zoneFor: () => ZONE }, inputs, recon.months, (v) => v.trim())
        db.close()
        const flagged = items.filter((i) => i.category !== 'MATCHED')
        const key = (x: { category: string; transactionId: string | null; reference: string | null; amount?: number }) => `${x.category}|${x.transactionId ?? '-'}|${x.reference ?? '-'}`
        expect(flagged.map((i) => key({ category: i.category, transactionId: i.attempt?.transactionId ?? null, reference: i.row?.reference ?? null })).sort()).toEqual(recon.planted.items.map((p) => key(p)).sort())
        expect(new Set(flagged.map((i) => i.month))).toEqual(new Set([recon.planted.month]))
        expect(items.filter((i) => i.category === 'MATCHED').length).toBeGreaterThan(500)
        expect(cash.filter((c) => c.flag !== 'OK')).toEqual(recon.planted.cash)
        expect(JSON.parse(fs.readFileSync(path.join(dir, 'planted.json'), 'utf8'))).toEqual(recon.planted)
    } finally {
        fs.rmSync(dir, { recursive: true, force: true })
    }
})
