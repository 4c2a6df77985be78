/**
 * Payment reconciliation against the DHIS2 stand-in over HTTP (docs/reconciliation.md): `setup`
 * installs PAYREV_RECON_MONTHLY idempotently; `reconcile` sends the §7 totals, read back from the
 * server with the public API; a late statement changes its month's values, and only those.
 * Expected values worked out by hand from the small ledger and statements below.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startStandin, type Standin } from '../../standin'
import { api, readPayrevValues } from './dhis2-reader'
import { ensureBuilt, runCli, tempStateDir } from './harness'

const HDB = 'ML-BKO-HDB'
const LEDGER = [
    'transaction_id,line_no,occurred_at,facility_code,channel,service,amount_xof,type,status,operator_ref,cashier_id',
    `T1,1,2026-10-10T10:00,${HDB},ORANGE_MONEY,CONSULTATION,5000,PAYMENT,SUCCESS,OM-1,C1`,
    `T2,1,2026-10-10T11:00,${HDB},ORANGE_MONEY,EXAM,12000,PAYMENT,SUCCESS,om-2 ,C1`,
    `T3,1,2026-10-11T09:00,${HDB},MOOV_MONEY,PHARMACY,3000,PAYMENT,SUCCESS,,C2`,
    `T4,1,2026-10-10T12:00,${HDB},CASH,CONSULTATION,20000,PAYMENT,SUCCESS,,C1`,
    `T5,1,2026-09-15T10:00,${HDB},ORANGE_MONEY,CONSULTATION,7000,PAYMENT,SUCCESS,OM-5,C1`,
    `T6,1,2026-10-20T16:00,${HDB},ORANGE_MONEY,EXAM,8000,PAYMENT,SUCCESS,OM-6,C2`,
].join('\n')
const STATEMENTS = [
    'reference,occurred_at,amount_xof,fee_xof,type,status,channel,facility_code,msisdn',
    `OM-1,2026-10-10T10:01,5000,50,PAYMENT,SUCCESS,ORANGE_MONEY,${HDB},+22376001234`,
    `OM-2,2026-10-10T11:02,1200,12,PAYMENT,SUCCESS,ORANGE_MONEY,${HDB},`,
    `MV-77,2026-10-11T09:05,3000,30,PAYMENT,SUCCESS,MOOV_MONEY,${HDB},`,
    `OM-9,2026-10-12T09:00,4000,40,PAYMENT,SUCCESS,ORANGE_MONEY,${HDB},`,
    `OM-5,2026-09-15T10:03,7000,70,PAYMENT,SUCCESS,ORANGE_MONEY,${HDB},`,
].join('\n')
const LATE = ['reference,occurred_at,amount_xof,fee_xof,channel,facility_code', `OM-6,2026-10-20T16:04,8000,80,ORANGE_MONEY,${HDB}`].join('\n')
const COUNTS = ['facility_code,date,counted_xof,cashier_id', `${HDB},2026-10-10,19500,C1`].join('\n')

/** PAYREV_RECON_MONTHLY values as "DE|period|OU|option codes" → value (default combo: its option's code). */
async function reconValues(base: string): Promise<Record<string, string>> {
    return readPayrevValues(base, 'PAYREV_RECON_MONTHLY')
}
const k = (de: string, period: string, channel: string | null) => `${de}|${period}|${HDB}|${channel ? `PAYREV_CH_${channel}` : 'default'}`

describe('reconcile against the DHIS2 stand-in over HTTP', () => {
    let standin: Standin
    let env: Record<string, string>
    let dir: string
    const file = (name: string, text: string) => {
        const f = path.join(dir, name)
        fs.writeFileSync(f, text + '\n')
        return f
    }

    beforeAll(async () => {
        ensureBuilt()
        standin = await startStandin({ version: '2.41.3', today: '2026-11-23' })
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recon-int-'))
        env = { DHIS2_BASE_URL: standin.url, DHIS2_USERNAME: 'bridge', DHIS2_PASSWORD: 'Bridge-2024!', BRIDGE_STATE_DIR: tempStateDir(), LANG: 'C' }
    })
    afterAll(() => standin.close())

    test('setup installs PAYREV_RECON_MONTHLY and its data elements, FR names with EN translations; a second setup changes nothing', async () => {
        const ledger = file('ledger.csv', LEDGER)
        const first = await runCli(['setup', '--json', '--ledger', ledger], env)
        expect(first.code).toBe(0)
        const ds = await api<{ dataSets: Array<{ name: string; periodType: string; dataSetElements: unknown[]; organisationUnits: Array<{ id: string }>; translations: Array<{ locale: string; property: string; value: string }> }> }>(
            standin.url,
            'dataSets?filter=code:eq:PAYREV_RECON_MONTHLY&fields=name,periodType,dataSetElements,organisationUnits[id],translations'
        )
        expect(ds.body.dataSets).toHaveLength(1)
        expect(ds.body.dataSets[0]).toMatchObject({ name: 'Rapprochement des paiements', periodType: 'Monthly' })
        expect(ds.body.dataSets[0].dataSetElements).toHaveLength(7)
        expect(ds.body.dataSets[0].organisationUnits).toHaveLength(1)
        expect(ds.body.dataSets[0].translations).toEqual(expect.arrayContaining([{ locale: 'en', property: 'NAME', value: 'Payment reconciliation' }]))
        const des = await api<{ dataElements: Array<{ code: string; name: string }> }>(standin.url, 'dataElements?filter=code:in:[PAYREV_CASH_SHORT,PAYREV_FEES]&fields=code,name')
        expect(des.body.dataElements.map((d) => [d.code, d.name]).sort()).toEqual([
            ['PAYREV_CASH_SHORT', 'Caisse - manquant (FCFA)'],
            ['PAYREV_FEES', 'Frais et commissions opérateur (FCFA)'],
        ])
        const again = await runCli(['setup', '--json', '--ledger', ledger], env)
        expect(again.code).toBe(0)
        const changes = again.json<{ changes: Array<{ code: string; action: string }> }>().changes
        expect(changes.filter((c) => c.action !== 'unchanged')).toEqual([])
        expect(changes.map((c) => c.code)).toEqual(expect.arrayContaining(['PAYREV_RECON_MONTHLY', 'PAYREV_RECON_MATCHED', 'PAYREV_CASH_OVER']))
    })

    test('reconcile sends the §7 totals per facility × month (by channel, and cash on the default combo)', async () => {
        const sync = await runCli(['sync', '--json', '--ledger', path.join(dir, 'ledger.csv')], env)
        expect(sync.code).toBe(0)
        standin.hooks.clearRequests()
        const r = await runCli(['reconcile', '--json', '--month', '2026-10', '--statements', file('statements.csv', STATEMENTS), '--cash-counts', file('counts.csv', COUNTS)], env)
        expect(r.code).toBe(0)
        const report = r.json<{ month: string; months: string[]; valuesSent: number; channels: Array<{ channel: string; categories: Record<string, { amount: number }> }> }>()
        expect(report.month).toBe('2026-10')
        expect(report.months).toEqual(['2026-09', '2026-10'])
        expect(report.valuesSent).toBeGreaterThan(0)
        const v = await reconValues(standin.url)
        expect(v).toEqual({
            [k('PAYREV_RECON_MATCHED', '202610', 'ORANGE_MONEY')]: '5000',
            [k('PAYREV_RECON_LEDGER_ONLY', '202610', 'ORANGE_MONEY')]: '8000',
            [k('PAYREV_RECON_STATEMENT_ONLY', '202610', 'ORANGE_MONEY')]: '4000',
            [k('PAYREV_RECON_AMOUNT_GAP', '202610', 'ORANGE_MONEY')]: '10800',
            [k('PAYREV_FEES', '202610', 'ORANGE_MONEY')]: '102',
            [k('PAYREV_RECON_MATCHED', '202610', 'MOOV_MONEY')]: '3000',
            [k('PAYREV_RECON_LEDGER_ONLY', '202610', 'MOOV_MONEY')]: '0',
            [k('PAYREV_RECON_STATEMENT_ONLY', '202610', 'MOOV_MONEY')]: '0',
            [k('PAYREV_RECON_AMOUNT_GAP', '202610', 'MOOV_MONEY')]: '0',
            [k('PAYREV_FEES', '202610', 'MOOV_MONEY')]: '30',
            [k('PAYREV_CASH_SHORT', '202610', null)]: '500',
            [k('PAYREV_CASH_OVER', '202610', null)]: '0',
            [k('PAYREV_RECON_MATCHED', '202609', 'ORANGE_MONEY')]: '7000',
            [k('PAYREV_RECON_LEDGER_ONLY', '202609', 'ORANGE_MONEY')]: '0',
            [k('PAYREV_RECON_STATEMENT_ONLY', '202609', 'ORANGE_MONEY')]: '0',
            [k('PAYREV_RECON_AMOUNT_GAP', '202609', 'ORANGE_MONEY')]: '0',
            [k('PAYREV_FEES', '202609', 'ORANGE_MONEY')]: '70',
        })
        // Judged by the import summary, sent in one batch to the reconciliation data set.
        const posts = standin.hooks.requests().filter((q) => q.method === 'POST' && q.path.endsWith('/dataValueSets'))
        expect(posts.length).toBeGreaterThan(0)
        // A run of its own, whose 17 sends are in the send history (docs/traceability.md), and counts only in its summary.
        const runs = (await runCli(['runs', '--json'], env)).json<{ runs: Array<{ id: number; command: string; valuesSent: number | null; exitCode: number | null }> }>().runs
        const recon = runs.find((x) => x.command === 'reconcile')!
        expect(recon).toMatchObject({ valuesSent: 17, exitCode: 0 })
        const detail = (await runCli(['runs', 'show', String(recon.id), '--json'], env)).json<{ sent: { values: number; accepted: number }; summary: Record<string, unknown> }>()
        expect(detail.sent).toMatchObject({ values: 17, accepted: 17 })
        expect(detail.summary).toMatchObject({ month: '2026-10', discrepancies: expect.any(Number), valuesSent: 17 })
        expect(JSON.stringify(detail.summary)).not.toMatch(/OM-1|\+2237/)
        const text = await runCli(['runs', 'show', String(recon.id)], env)
        expect(text.stdout).toMatch(/Rapprochement de 2026-10 \(mois couverts : 2026-09, 2026-10\) : \d+ élément\(s\), \d+ écart\(s\) de paiement, 1 écart\(s\) de caisse/)
        expect((await runCli(['runs'], env)).stdout).toMatch(new RegExp(`#${recon.id} reconcile .* exit=0 quarantaine=0 valeurs=17`))
        expect((await runCli(['status'], env)).stdout).toMatch(new RegExp(`#${recon.id} reconcile .* exit=0 valeurs=17 quarantine=0 conflicts=0`))
        // Run again unchanged: nothing to send.
        standin.hooks.clearRequests()
        const same = await runCli(['reconcile', '--json', '--statements', path.join(dir, 'statements.csv'), '--cash-counts', path.join(dir, 'counts.csv')], env)
        expect(same.json<{ valuesSent: number }>().valuesSent).toBe(0)
        // A dry run records no run.
        const before = (await runCli(['runs', '--json'], env)).json<{ runs: unknown[] }>().runs.length
        expect((await runCli(['reconcile', '--json', '--dry-run', '--statements', path.join(dir, 'statements.csv')], env)).code).toBe(0)
        expect((await runCli(['runs', '--json'], env)).json<{ runs: unknown[] }>().runs).toHaveLength(before)
        expect(standin.hooks.requests().filter((q) => q.method === 'POST' && q.path.endsWith('/dataValueSets'))).toEqual([])
    })

    test('a late statement changes its month’s values, and only those', async () => {
        const before = await reconValues(standin.url)
        standin.hooks.clearRequests()
        const r = await runCli(['reconcile', '--json', '--statements', path.join(dir, 'statements.csv'), file('late.csv', LATE), '--cash-counts', path.join(dir, 'counts.csv')], env)
        expect(r.code).toBe(0)
        const after = await reconValues(standin.url)
        const changed = Object.keys(after).filter((key) => after[key] !== before[key]).sort()
        expect(changed).toEqual([k('PAYREV_FEES', '202610', 'ORANGE_MONEY'), k('PAYREV_RECON_LEDGER_ONLY', '202610', 'ORANGE_MONEY'), k('PAYREV_RECON_MATCHED', '202610', 'ORANGE_MONEY')].sort())
        expect(after[k('PAYREV_RECON_MATCHED', '202610', 'ORANGE_MONEY')]).toBe('13000')
        expect(after[k('PAYREV_RECON_LEDGER_ONLY', '202610', 'ORANGE_MONEY')]).toBe('0')
        expect(after[k('PAYREV_FEES', '202610', 'ORANGE_MONEY')]).toBe('182')
        // Only October's changed values went out.
        const bodies = standin.hooks
            .requests()
            .filter((q) => q.method === 'POST' && q.path.endsWith('/dataValueSets'))
            .flatMap((q) => (JSON.parse(q.body || '{}').dataValues ?? []) as Array<{ period: string }>)
        expect(bodies).toHaveLength(3)
        expect(new Set(bodies.map((b) => b.period))).toEqual(new Set(['202610']))
    })

    test('a late ledger change (a payment reversed) changes its month’s values, and only those', async () => {
        const before = await reconValues(standin.url)
        const late = file('ledger-late.csv', ['transaction_id,line_no,occurred_at,updated_at,facility_code,channel,service,amount_xof,type,status,operator_ref', `T6,1,2026-10-20T16:00,2026-11-02T09:00,${HDB},ORANGE_MONEY,EXAM,8000,PAYMENT,REVERSED,OM-6`].join('\n'))
        expect((await runCli(['sync', '--json', '--ledger', path.join(dir, 'ledger.csv'), late], env)).code).toBe(0)
        standin.hooks.clearRequests()
        const r = await runCli(['reconcile', '--json', '--statements', path.join(dir, 'statements.csv'), path.join(dir, 'late.csv'), '--cash-counts', path.join(dir, 'counts.csv')], env)
        expect(r.code).toBe(0)
        // Paired by reference with the operator's SUCCESS row: a status mismatch now, no longer matched money.
        expect(r.json<{ items: Array<{ category: string; transactionId: string | null }> }>().items.find((i) => i.transactionId === 'T6')?.category).toBe('STATUS_MISMATCH')
        const after = await reconValues(standin.url)
        expect(Object.keys(after).filter((key) => after[key] !== before[key])).toEqual([k('PAYREV_RECON_MATCHED', '202610', 'ORANGE_MONEY')])
        expect(after[k('PAYREV_RECON_MATCHED', '202610', 'ORANGE_MONEY')]).toBe('5000')
    })
})
