/**
 * Operator paths no test reached before issue 16, with the built CLI against the stand-in:
 * `quarantine reingest` in both modes (a corrected file; the stored rows once the facility exists
 * in DHIS2), `outbox drop`, a ledger folder without ledger file, and a run with nothing to send.
 */
import fs from 'node:fs'
import path from 'node:path'
import { startStandin, type Standin } from '../../standin'
import { key, readPayrevValues } from './dhis2-reader'
import { ensureBuilt, runCli, tempStateDir } from './harness'

const HEADER = 'transaction_id;line_no;occurred_at;facility_code;channel;service;amount_xof;type;status'
const ROWS = [
    'Q1;1;2026-09-03 09:15;ML-BKO-HDB;Espèces;Consultation;3 000;PAYMENT;SUCCESS',
    // A typo in the amount: quarantined, then corrected in the exported file.
    'Q2;1;2026-09-04 10:00;ML-BKO-HDB;Orange Money;Examens;12 5O0;PAYMENT;SUCCESS',
    // A facility DHIS2 does not know yet: quarantined, then re-ingested as stored once it exists.
    'Q3;1;2026-09-05 11:00;ML-BKO-NEWC;Carte;Consultation;7 000;PAYMENT;SUCCESS',
]

let standin: Standin
let env: Record<string, string>
let dir: string

beforeAll(async () => {
    ensureBuilt()
    standin = await startStandin({ version: '2.41.3', today: '2026-11-23' })
    dir = tempStateDir()
    env = { DHIS2_BASE_URL: standin.url, DHIS2_USERNAME: 'bridge', DHIS2_PASSWORD: 'Bridge-2024!', BRIDGE_STATE_DIR: path.join(dir, 'state'), LANG: 'en_GB.UTF-8' }
    fs.mkdirSync(path.join(dir, 'exports'))
    fs.writeFileSync(path.join(dir, 'exports', 'caisse.csv'), [HEADER, ...ROWS].join('\n'))
    expect((await runCli(['setup', '--json'], env)).code).toBe(0)
})
afterAll(() => standin.close())

test('a run with nothing to send reports 0 waiting, not null', async () => {
    fs.mkdirSync(path.join(dir, 'none'))
    const r = await runCli(['sync', '--json', '--ledger', path.join(dir, 'none')], { ...env, BRIDGE_STATE_DIR: path.join(dir, 'state-empty') })
    const report = r.json<{ valuesWaiting: number | null; valuesSent: number }>()
    expect(report.valuesWaiting).toBe(0)
    const status = (await runCli(['status', '--json'], { ...env, BRIDGE_STATE_DIR: path.join(dir, 'state-empty') })).json<{ values: { pending: number | null } }>()
    expect(status.values.pending).toBe(0)
    // status speaks the health words too: a run that reached DHIS2 with nothing waiting is a delivery.
    const text = (await runCli(['status', '--lang', 'en'], { ...env, BRIDGE_STATE_DIR: path.join(dir, 'state-empty') })).stdout
    expect(text).toMatch(/^Last delivery: 20\d\d-/m)
    expect(text).toMatch(/^Last fully clean run: 20\d\d-/m)
    // …and the empty folder it was pointed at is a problem to look at.
    expect(text).toMatch(/^New problems: 1 — still quarantined 0$/m)
    expect(text).toContain(`- Folder "${path.join(dir, 'none')}": no ledger file (.csv .xlsx) at its top level, 0 lines read — it is empty`)
})

test('a ledger folder with the exports one level down: a warning naming the folder and what it holds', async () => {
    const top = path.join(dir, 'top')
    fs.mkdirSync(path.join(top, '2026'), { recursive: true })
    fs.copyFileSync(path.join(dir, 'exports', 'caisse.csv'), path.join(top, '2026', 'caisse.csv'))
    fs.writeFileSync(path.join(top, 'LISEZMOI.txt'), 'exports')
    const stateDir = path.join(dir, 'state-top')
    const r = await runCli(['sync', '--json', '--ledger', top], { ...env, BRIDGE_STATE_DIR: stateDir })
    const report = r.json<{ linesRead: number; warnings: Array<{ fr: string; en: string; code?: string }> }>()
    expect(report.linesRead).toBe(0)
    const w = report.warnings.find((x) => x.code === 'LEDGER_FOLDER_EMPTY')
    expect(w?.en).toBe(`Folder "${top}": no ledger file (.csv .xlsx) at its top level, 0 lines read — 1 sub-folder(s) (2026) and 1 other file(s) (LISEZMOI.txt); ledgers sit in 2026: point at that sub-folder`)
    expect(w?.fr).toMatch(/aucun fichier de registre .* des registres sont dans 2026/)
    // The text report shows it too.
    const text = await runCli(['sync', '--ledger', top, '--lang', 'fr'], { ...env, BRIDGE_STATE_DIR: stateDir })
    expect(text.stdout + text.stderr).toContain(`Dossier « ${top} » : aucun fichier de registre`)
})

test('quarantine reingest: a corrected file, then the stored rows once the facility exists in DHIS2', async () => {
    const first = await runCli(['sync', '--json', '--ledger', path.join(dir, 'exports')], env)
    expect(first.code).toBe(3)
    expect(first.json<{ quarantined: number; quarantinedNew: number }>()).toMatchObject({ quarantined: 2, quarantinedNew: 2 })
    // The same export again: the two rows are still quarantined, none is new.
    const again = await runCli(['sync', '--json', '--ledger', path.join(dir, 'exports')], env)
    expect(again.json<{ quarantined: number; quarantinedNew: number }>()).toMatchObject({ quarantined: 2, quarantinedNew: 0 })
    expect((await runCli(['sync', '--ledger', path.join(dir, 'exports'), '--lang', 'en'], env)).stdout).toMatch(/Rows quarantined: 2 \(new 0, still quarantined 2\)/)

    // Mode 1: export, correct the amount, reingest the file.
    const out = path.join(dir, 'to-correct.csv')
    expect((await runCli(['quarantine', 'export', '--out', out], env)).code).toBe(0)
    const exported = fs.readFileSync(out, 'utf8')
    expect(exported).toContain('12 5O0')
    const corrected = exported.replace('12 5O0', '12 500')
    fs.writeFileSync(out, corrected)
    const fixed = await runCli(['quarantine', 'reingest', '--file', out, '--json'], env)
    const fr = fixed.json<{ linesNew: number; quarantined: number; valuesSent: number }>()
    expect(fr.linesNew).toBe(1)
    // Q3's facility is still unknown: quarantined again, the run says so (exit 3).
    expect(fr.quarantined).toBe(1)
    expect(fixed.code).toBe(3)
    let values = await readPayrevValues(standin.url)
    expect(values[key('PAYREV_GROSS', '202609', 'ML-BKO-HDB', 'ORANGE_MONEY', 'EXAM')]).toBe('12500')

    // Mode 2: the administrator creates the facility; the stored rows are read again as they are.
    standin.hooks.addOrgUnits([{ code: 'ML-BKO-NEWC', name: 'Centre de santé nouveau', parent: 'ML-BKO' }])
    const stored = await runCli(['quarantine', 'reingest', '--json'], env)
    const sr = stored.json<{ linesNew: number; quarantined: number; assignedOrgUnits: string[] }>()
    expect(stored.code).toBe(0)
    expect(sr).toMatchObject({ linesNew: 1, quarantined: 0 })
    expect(sr.assignedOrgUnits).toContain('ML-BKO-NEWC')
    values = await readPayrevValues(standin.url)
    expect(values[key('PAYREV_GROSS', '202609', 'ML-BKO-NEWC', 'CARD', 'CONSULTATION')]).toBe('7000')
})

test('outbox drop: refused without confirmation, then the value stops waiting', async () => {
    // Lock September: a changed September total is refused (E7640) and waits.
    const ds = ((await (await fetch(`${standin.url}/api/dataSets?filter=code:eq:PAYREV_MONTHLY&fields=:owner`, { headers: { Authorization: `Basic ${Buffer.from('admin:district').toString('base64')}` } })).json()) as { dataSets: Array<{ id: string }> }).dataSets[0]
    standin.hooks.patchDataSet(ds.id, { expiryDays: 30 })
    fs.writeFileSync(path.join(dir, 'late.csv'), [HEADER, 'Q4;1;2026-09-06 08:00;ML-BKO-HDB;Espèces;Consultation;1 000;PAYMENT;SUCCESS'].join('\n'))
    const late = await runCli(['sync', '--json', '--ledger', path.join(dir, 'late.csv')], env)
    expect(late.code).toBe(3)
    const outbox = (await runCli(['outbox', 'list', '--json'], env)).json<{ outbox: Array<{ key: string; lastErrorCode: string }> }>().outbox
    expect(outbox.length).toBeGreaterThan(0)
    expect(outbox.every((e) => e.lastErrorCode === 'E7640')).toBe(true)

    const unconfirmed = await runCli(['outbox', 'drop', outbox[0].key, '--lang', 'en'], env)
    expect(unconfirmed.code).toBe(2)
    expect(unconfirmed.stderr).toMatch(/Confirmation needed: add --yes/)
    for (const e of outbox) {
        const r = await runCli(['outbox', 'drop', e.key, '--yes', '--lang', 'en'], env)
        expect(r.stdout).toBe(`${e.key} dropped from the outbox\n`)
        expect(r.code).toBe(0)
    }
    expect((await runCli(['outbox', 'list', '--json'], env)).json<{ outbox: unknown[] }>().outbox).toEqual([])
    const again = await runCli(['outbox', 'drop', outbox[0].key, '--yes', '--lang', 'en'], env)
    expect(again.code).toBe(2)
    expect(again.stdout).toMatch(/is not waiting/)
    // Nothing is sent for it any more: the next run has nothing waiting.
    const next = await runCli(['sync', '--json'], env)
    expect(next.json<{ valuesSent: number; valuesWaiting: number }>()).toMatchObject({ valuesSent: 0, valuesWaiting: 0 })
})
