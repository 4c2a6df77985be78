import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { readCsvLedgerFromString, type LedgerItem } from '../bridge/ledger/csv-source'
import { DEMO_BAD_ROWS, DEMO_HEADER, demoLedgerCsv, demoStartDate, generateDemoLedger, generateLedgerCli, mulberry32, type DemoLedger } from './generate-ledger'

const OPTS = { seed: 42, endDate: '2026-10-31', months: 24 }
let ledger: DemoLedger
let csv: string

beforeAll(() => {
    ledger = generateDemoLedger(OPTS)
    csv = demoLedgerCsv(ledger)
})

const amount = (s: string) => Number(s.replace(/[\s\u00A0\u202F]/g, ''))
const MOBILE = new Set(['OM', 'Orange Money', 'orange money', 'Moov', 'Moov Money', 'Sama', 'Sama Money'])

test('mulberry32: reproducible, in [0, 1), roughly uniform', () => {
    const a = mulberry32(1)
    const b = mulberry32(1)
    const xs = Array.from({ length: 10_000 }, () => a())
    expect(Array.from({ length: 10_000 }, () => b())).toEqual(xs)
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true)
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.02)
    expect(new Set(xs).size).toBeGreaterThan(9_990)
    expect(mulberry32(2)()).not.toBe(mulberry32(1)())
})

test('deterministic: same options → same bytes; another seed → another ledger; no Math.random, host TZ irrelevant', () => {
    // The full ledger is generated once (beforeAll); a short one is enough to check the rest.
    const short = { seed: 42, endDate: '2025-03-31', months: 2 }
    const reference = demoLedgerCsv(generateDemoLedger(short))
    expect(demoLedgerCsv(generateDemoLedger(short))).toBe(reference)
    const spy = jest.spyOn(Math, 'random').mockImplementation(() => {
        throw new Error('Math.random used')
    })
    const saved = process.env.TZ
    try {
        for (const tz of ['Pacific/Kiritimati', 'America/St_Johns']) {
            process.env.TZ = tz
            expect(demoLedgerCsv(generateDemoLedger(short))).toBe(reference)
        }
    } finally {
        spy.mockRestore()
        if (saved === undefined) delete process.env.TZ
        else process.env.TZ = saved
    }
    expect(demoLedgerCsv(generateDemoLedger({ ...short, seed: 7 }))).not.toBe(reference)
})

test('volume and span: 30 000–60 000 rows over the 24 months, five facilities', () => {
    expect(ledger.rows.length).toBeGreaterThan(30_000)
    expect(ledger.rows.length).toBeLessThan(60_000)
    expect(ledger.header).toEqual([...DEMO_HEADER])
    const days = ledger.rows.map((r) => r.occurred_at.slice(0, 10)).filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)).sort()
    expect(days[0]).toBe('2024-11-01')
    expect(days[days.length - 1]).toBe('2026-10-31')
    expect(new Set(ledger.rows.map((r) => r.facility_code))).toEqual(new Set(['ML-BKO-HDB', 'ML-BKO-CHUGT', 'ML-BKO-CSREF4', 'ML-SIK-HRS', 'ML-KAY-HRK']))
})

test('what a real export holds: French spellings, both amount styles, statuses, refunds, products, personal columns', () => {
    const values = (col: string) => new Set(ledger.rows.map((r) => r[col]))
    for (const ch of ['Espèces', 'OM', 'Orange Money', 'Moov', 'Sama', 'TPE', 'Carte']) expect(values('channel')).toContain(ch)
    for (const sv of ['Consultation', 'Laboratoire', 'Pharmacie', 'Médicaments', 'Hospitalisation']) expect(values('service')).toContain(sv)
    for (const st of ['SUCCESS', 'FAILED', 'EXPIRED', 'PENDING', 'REVERSED']) expect(values('status')).toContain(st)
    expect(values('type')).toEqual(new Set(['PAYMENT', 'REFUND']))
    expect(ledger.rows.some((r) => /^\d{1,3}( \d{3})+$/.test(r.amount_xof))).toBe(true)
    expect(ledger.rows.some((r) => /^\d{1,3}(\u00A0\d{3})+$/.test(r.amount_xof))).toBe(true)
    expect(ledger.rows.some((r) => /^\d{4,}$/.test(r.amount_xof))).toBe(true)
    expect(ledger.rows.some((r) => r.amount_xof === '0' && r.status === 'SUCCESS')).toBe(true)
    expect(ledger.rows.some((r) => r.occurred_at.endsWith('Z'))).toBe(true)
    expect(ledger.rows.some((r) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(r.occurred_at))).toBe(true)
    expect(values('product_code').size).toBeGreaterThanOrEqual(11) // ten products and ''
    expect(ledger.rows.filter((r) => r.product_code).every((r) => r.quantity && r.unit && r.product_name)).toBe(true)
    expect(ledger.rows.some((r) => /^\+223 [679]\d \d{2} \d{2} \d{2}$/.test(r.payer_msisdn))).toBe(true)
    expect(ledger.rows.every((r) => /^P-/.test(r.patient_id))).toBe(true)
    // receipts with several lines
    expect(ledger.rows.some((r) => r.line_no === '3')).toBe(true)
})

test('failed mobile money attempts are retried in the same transaction, on the same or another channel', () => {
    const byTx = new Map<string, Record<string, string>[]>()
    for (const r of ledger.rows) byTx.set(r.transaction_id, [...(byTx.get(r.transaction_id) ?? []), r])
    let sameChannel = 0
    let otherChannel = 0
    for (const rows of byTx.values()) {
        const failed = rows.filter((r) => r.status === 'FAILED' || r.status === 'EXPIRED')
        const ok = rows.filter((r) => r.status === 'SUCCESS' && r.type === 'PAYMENT')
        if (!failed.length || !ok.length) continue
        const failedMobile = MOBILE.has(failed[0].channel)
        expect(failedMobile).toBe(true)
        if (MOBILE.has(ok[0].channel) && ok[0].channel.toLowerCase().slice(0, 2) === failed[0].channel.toLowerCase().slice(0, 2)) sameChannel++
        else otherChannel++
        // never the same line twice: the retry has its own line numbers
        expect(new Set(rows.map((r) => r.line_no)).size).toBeGreaterThan(1)
    }
    expect(sameChannel).toBeGreaterThan(10)
    expect(otherChannel).toBeGreaterThan(5)
})

test('the model hospital: mobile money share ~25 % → ~60 %, revenue about +30 % a year', () => {
    const hdb = ledger.rows.filter((r) => r.facility_code === 'ML-BKO-HDB' && r.type === 'PAYMENT' && r.status === 'SUCCESS' && /^\d{4}-/.test(r.occurred_at) && Number.isFinite(amount(r.amount_xof)))
    const receipts = (from: string, to: string) => {
        const tx = new Map<string, boolean>()
        for (const r of hdb) if (r.occurred_at >= from && r.occurred_at < to) tx.set(r.transaction_id, MOBILE.has(r.channel))
        const n = tx.size
        return [...tx.values()].filter(Boolean).length / n
    }
    const first = receipts('2024-11-01', '2025-02-01')
    const last = receipts('2026-08-01', '2026-11-01')
    expect(first).toBeGreaterThan(0.17)
    expect(first).toBeLessThan(0.33)
    expect(last).toBeGreaterThan(0.5)
    expect(last).toBeLessThan(0.7)
    const revenue = (from: string, to: string) => hdb.filter((r) => r.occurred_at >= from && r.occurred_at < to).reduce((s, r) => s + amount(r.amount_xof), 0)
    const growth = revenue('2025-11-01', '2026-11-01') / revenue('2024-11-01', '2025-11-01')
    expect(growth).toBeGreaterThan(1.15)
    expect(growth).toBeLessThan(1.45)
})

describe('read back through the bridge reader', () => {
    let items: LedgerItem[]
    beforeAll(async () => {
        items = []
        for await (const i of readCsvLedgerFromString(csv, 'demo.csv', { zoneFor: () => 'Africa/Bamako' })) items.push(i)
    })

    test('the CSV is a French Excel export: BOM, ";", CRLF', () => {
        expect(csv.startsWith('\uFEFFtransaction_id;line_no;occurred_at;')).toBe(true)
        expect(csv.split('\r\n').length).toBe(ledger.rows.length + 2)
    })

    test('every row is read; exactly the deliberately bad rows are quarantined, on the documented columns', () => {
        expect(items.length).toBe(ledger.rows.length)
        const q = items.flatMap((i) => (i.kind === 'quarantine' ? [i.entry] : []))
        expect(q.map((e) => e.column).sort()).toEqual(DEMO_BAD_ROWS.map((b) => b.column).sort())
        expect(q.map((e) => e.raw.transaction_id ?? '').sort()).toEqual(DEMO_BAD_ROWS.map((b) => b.transactionId).sort())
    })

    test('no personal data leaves the reader', () => {
        const out = JSON.stringify(items)
        expect(out).not.toMatch(/\+223/)
        expect(out).not.toMatch(/P-[A-Z0-9]{2}\d{6}|P-ERR/)
        expect(out).not.toMatch(/CAISSE-|REC-/)
    })
})

test('demoStartDate: the day after endDate minus N months', () => {
    expect(demoStartDate('2026-10-31', 24)).toBe('2024-11-01')
    expect(demoStartDate('2024-03-31', 1)).toBe('2024-03-01') // 31 March − 1 month → 29 February, then the next day
    expect(demoStartDate('2025-01-15', 24)).toBe('2023-01-16')
    expect(() => demoStartDate('2025-02-30', 1)).toThrow()
})

describe('CLI', () => {
    let dir: string
    beforeAll(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-ledger-'))
    })
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

    test('--out writes the same CSV as the function', () => {
        const out = path.join(dir, 'sub', 'ledger.csv')
        const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true)
        try {
            expect(generateLedgerCli(['--out', out, '--seed', '3', '--end', '2025-06-30', '--months', '2'])).toBe(0)
        } finally {
            err.mockRestore()
        }
        expect(fs.readFileSync(out, 'utf8')).toBe(demoLedgerCsv(generateDemoLedger({ seed: 3, endDate: '2025-06-30', months: 2 })))
    })

    test('bad arguments exit 2', () => {
        const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true)
        try {
            expect(generateLedgerCli([])).toBe(2)
            expect(generateLedgerCli(['--out', path.join(dir, 'x.csv'), '--months', 'zero'])).toBe(2)
            expect(generateLedgerCli(['--out', path.join(dir, 'x.csv'), '--end', '31/10/2026'])).toBe(2)
        } finally {
            err.mockRestore()
        }
    })
})
