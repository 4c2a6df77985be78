/**
 * Reconciliation keeps personal data in the hospital (docs/reconciliation.md). The demo ledger
 * (cashier ids, phone numbers, operator references) is synced, then reconciled against the demo's
 * operator statements (payers' phone numbers) and per-cashier cash counts. No request DHIS2
 * received carries a phone number, a cashier id, a patient id or a receipt number; the state
 * holds none of them (nor the operator references of the ledger: keyed hashes only); the detail
 * export shows phone numbers masked to their last four digits.
 */
import fs from 'node:fs'
import path from 'node:path'
import { generateDemoLedger, demoLedgerCsv } from '../../demo/generate-ledger'
import { generateDemoRecon, writeDemoRecon } from '../../demo/generate-recon'
import { ensureFreshBuild, runCli, setup, tempDir, world, type World } from '../faults/helpers'
import { stateFiles } from './helpers'

const END = '2026-10-31'
let w: World
let dir: string
let out: { code: number; stdout: string; stderr: string }
const phones = new Set<string>()
const ids = new Set<string>()
const opRefs = new Set<string>()

function found(text: string): string[] {
    const hits = new Set<string>()
    for (const m of text.matchAll(/\+?223[ \u00a0]?\d{2}(?:[ \u00a0]?\d{2}){3}/g)) if (phones.has(m[0].replace(/\D/g, ''))) hits.add(m[0])
    for (const m of text.matchAll(/P-[A-Z0-9]{2}\d{6}|REC-[A-Z0-9]{2}-[A-Z0-9]+-\d+|CAISSE-\d{2}/g)) if (ids.has(m[0])) hits.add(m[0])
    for (const m of text.matchAll(/\b(?:MP|MM|SM-|RT)[0-9A-F]{12}\b/g)) if (opRefs.has(m[0])) hits.add(m[0])
    return [...hits]
}

beforeAll(async () => {
    ensureFreshBuild()
    dir = tempDir('recon-personal-')
    const ledger = generateDemoLedger({ seed: 42, endDate: END, months: 4 })
    const ledgerFile = path.join(dir, 'export-caisse.csv')
    fs.writeFileSync(ledgerFile, demoLedgerCsv(ledger))
    for (const r of ledger.rows) {
        if (r.payer_msisdn) phones.add(r.payer_msisdn.replace(/\D/g, ''))
        for (const c of ['patient_id', 'cashier_id', 'receipt_no']) if (r[c]) ids.add(r[c])
        if (r.operator_ref) opRefs.add(r.operator_ref)
    }
    const recon = generateDemoRecon(ledger, END)
    for (const s of recon.statements) if (s.msisdn) phones.add(s.msisdn.replace(/\D/g, ''))
    w = await world({ batchSize: 2000 })
    const config = JSON.parse(fs.readFileSync(w.config, 'utf8'))
    config.reconciliation = writeDemoRecon(path.join(dir, 'recon'), recon)
    fs.writeFileSync(w.config, JSON.stringify(config))
    await setup(w, ledgerFile)
    const s = await runCli(['sync', '--config', w.config, '--json', '--ledger', ledgerFile], w.env)
    expect([0, 3]).toContain(s.code)
    out = await runCli(['reconcile', '--config', w.config, '--json', '--out', path.join(dir, 'detail.csv')], w.env)
}, 240_000)
afterAll(() => w?.close())

test('the inputs really hold personal data, and reconcile ran', () => {
    expect(phones.size).toBeGreaterThan(500)
    expect(opRefs.size).toBeGreaterThan(200)
    expect([...ids].some((i) => i.startsWith('CAISSE-'))).toBe(true)
    expect(out.code).toBe(0)
    const report = JSON.parse(out.stdout)
    expect(report.items.length).toBeGreaterThan(100)
    expect(report.cash.some((c: { cashier: string | null }) => c.cashier?.startsWith('CAISSE-'))).toBe(true)
})

test('no request DHIS2 received carries a phone number, a cashier, patient or receipt id, or an operator reference', () => {
    const leaked = w.standin.hooks.requests().flatMap((r) => found(`${r.method} ${r.path} ${JSON.stringify(r.query)} ${JSON.stringify(r.headers)} ${r.body}`).map((v) => `${r.method} ${r.path}: ${v}`))
    expect(leaked).toEqual([])
})

test('no byte of the state directory holds them (operator_ref and cashier_id as keyed hashes only)', () => {
    const leaked = stateFiles(w.stateDir).flatMap((f) => found(f.bytes.toString('utf8')).map((v) => `${f.name}: ${v}`))
    expect(leaked).toEqual([])
})

test('the detail export masks phone numbers to their last four digits', () => {
    const csv = fs.readFileSync(path.join(dir, 'detail.csv'), 'utf8')
    expect(csv).toMatch(/••••\d{4}/)
    // (Operator references are in it on purpose: the finance office looks them up at the operator.)
    expect(found(csv).filter((v) => v.startsWith('+') || v.startsWith('223'))).toEqual([])
    expect(csv).not.toMatch(/CAISSE-\d{2}|P-[A-Z0-9]{2}\d{6}/)
})
