import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { configSchema } from '../config/schema'
import { checkReconciliation, renderReconCheck } from './check'

test('config check reads the statements and counts as reconcile would, and says what it cannot read', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recon-check-'))
    const s = path.join(dir, 's.csv')
    fs.writeFileSync(s, 'reference,occurred_at,amount_xof,channel,facility_code\nA,2026-10-01T10:00,100,OM,F1\nB,2026-10-01T10:00,-5,OM,F1\nC,2026-10-01T10:00,-7,OM,F1\nD,2026-10-01T10:00,9,CASH,F1\n')
    const c = path.join(dir, 'c.csv')
    fs.writeFileSync(c, 'facility_code,date,counted_xof\nF1,2026-10-01,1000\n')
    const config = configSchema.parse({ reconciliation: { statements: [{ paths: [s] }], cashCounts: [{ paths: [c] }] } })
    const r = (await checkReconciliation({ config, zoneFor: () => 'Africa/Bamako' }))!
    expect(r).toMatchObject({ files: 2, statementRows: 1, cashCountRows: 1, error: null })
    expect(r.problems.map((p) => [p.count, p.first])).toEqual([
        [2, `${s}:3`],
        [1, `${s}:5`],
    ])
    const text = renderReconCheck(r, 'en').join('\n')
    expect(text).toMatch(/Reconciliation: 2 file\(s\), 1 statement row\(s\), 1 cash count\(s\), 3 unreadable row\(s\)/)
    expect(text).toMatch(/cannot be on a statement/)
    const missing = await checkReconciliation({ config: configSchema.parse({ reconciliation: { statements: [{ paths: [path.join(dir, 'nope')] }] } }), zoneFor: () => 'Africa/Bamako' })
    expect(missing?.error?.en).toMatch(/nope/)
    expect(await checkReconciliation({ config: configSchema.parse({}), zoneFor: () => 'Africa/Bamako' })).toBeNull()
    fs.rmSync(dir, { recursive: true, force: true })
})

test('two sources that cannot be read, the same way, are two problems, each naming its source', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recon-check-'))
    const source = (name: string) => ({ type: 'sql', name, driver: 'sqlite', file: path.join(dir, `${name}.db`), query: 'SELECT * FROM releve WHERE d >= :from AND d < :to', preset: 'orange-money', facility: 'F1' })
    const config = configSchema.parse({ reconciliation: { statements: [source('om-a'), source('om-b')] } })
    const r = (await checkReconciliation({ config, zoneFor: () => 'Africa/Bamako' }))!
    expect(r.problems.map((p) => [p.count, p.first])).toEqual([
        [1, 'om-a:0'],
        [1, 'om-b:0'],
    ])
    fs.rmSync(dir, { recursive: true, force: true })
})
