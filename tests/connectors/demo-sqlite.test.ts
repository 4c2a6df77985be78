import path from 'node:path'
import { buildBillingDb, demoConfigYaml } from '../../demo/sqlite-billing'
import { DEMO_BAD_ROWS, generateDemoLedger } from '../../demo/generate-ledger'
import { collect, open, stateDb, tmpDir } from './helpers'

/** The SQLite demo database holds the synthetic ledger; the SQL source reads it back whole. */
test('the demo billing database reads back as the demo ledger: every line once, the bad rows quarantined', async () => {
    const dir = tmpDir('demo-sqlite-')
    const opts = { seed: 7, endDate: '2025-03-31', months: 1 }
    const file = path.join(dir, 'caisse.sqlite')
    buildBillingDb(file, opts)
    const ledger = generateDemoLedger(opts)
    const keys = new Set(ledger.rows.map((r) => `${r.transaction_id}|${Number(r.line_no) || 1}`))
    const db = stateDb()
    const [src] = await open(demoConfigYaml(file, dir), db)
    const r = await collect(src)
    expect(r.lines.length + r.quarantine.length).toBe(keys.size)
    const quarantined = new Set(r.quarantine.map((q) => q.raw.transaction_id ?? ''))
    for (const bad of DEMO_BAD_ROWS) expect(quarantined.has(bad.transactionId)).toBe(true)
    expect(r.quarantine.length).toBe(DEMO_BAD_ROWS.length)
    // Pending payments in the export are confirmed later: the database holds the latest version.
    const last = new Map<string, string>()
    for (const row of ledger.rows) last.set(`${row.transaction_id}|${Number(row.line_no) || 1}`, row.status || 'SUCCESS')
    for (const l of r.lines) expect(l.status).toBe(last.get(`${l.transactionId}|${l.lineNo}`)!.toUpperCase())
    // Committed: the next run reads nothing.
    src.commit(db)
    const [next] = await open(demoConfigYaml(file, dir), db)
    expect((await collect(next)).lines).toEqual([])
})
