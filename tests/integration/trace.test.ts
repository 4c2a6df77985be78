/**
 * Traceability over HTTP (docs/traceability.md): explain reads the state, verify finds what was
 * changed in DHIS2 behind the bridge's back — a value typed over, a value deleted, a whole period
 * lost — and --repair puts it back through the normal send path; a locked period is reported,
 * never retried in a loop. DHIS2 is changed through its Web API, as an administrator would.
 */
import path from 'node:path'
import { startStandin, type Standin } from '../../standin'
import { api, key, readPayrevValues } from './dhis2-reader'
import { ensureBuilt, LEDGERS, runCli, tempStateDir } from './harness'

const LEDGER_A = path.join(LEDGERS, 'a-september-october.csv')
const LEDGER_B = path.join(LEDGERS, 'b-late-changes.csv')

interface DriftJson {
    dataElement: string
    period: string
    orgUnit: string
    categoryOptionCombo: string
    channel: string
    service: string | null
    expected: number
    actual: number | string | null
}
interface VerifyJson {
    checked: number
    matching: number
    drifted: DriftJson[]
    repaired: DriftJson[]
    refused: Array<DriftJson & { errorCode: string | null }>
    readRequests: number
    exitCode: number
}

describe('explain and verify against the DHIS2 stand-in', () => {
    let standin: Standin
    let env: Record<string, string>
    let ids: { dataSet: string; ou: Record<string, string>; de: Record<string, string>; coc: Map<string, string> }
    let before: Record<string, string>

    /** The UIDs of a key, from the server (independent of the bridge). */
    const uidsOf = (de: string, period: string, ou: string, channel: string, service?: string) => {
        const options = [`PAYREV_CH_${channel}`, ...(service ? [`PAYREV_SV_${service}`] : [])].sort().join('+')
        return { dataElement: ids.de[de], period, orgUnit: ids.ou[ou], categoryOptionCombo: ids.coc.get(options)! }
    }
    /** An administrator's manual import: a value typed over, or deleted (importStrategy=DELETE). */
    const adminImport = async (values: Array<Record<string, string>>, strategy = 'CREATE_AND_UPDATE') => {
        const r = await api(standin.url, `dataValueSets?importStrategy=${strategy}`, { method: 'POST', body: JSON.stringify({ dataValues: values }) })
        expect(r.body.response?.status ?? r.body.status).toBe('SUCCESS')
    }
    const verify = async (...args: string[]) => {
        const r = await runCli(['verify', '--json', ...args], env)
        return { code: r.code, report: r.json<VerifyJson>() }
    }
    const setExpiryDays = async (days: number) => {
        const ds = await api(standin.url, `dataSets/${ids.dataSet}?fields=:owner`)
        const r = await api(standin.url, 'metadata', { method: 'POST', body: JSON.stringify({ dataSets: [{ ...ds.body, expiryDays: days }] }) })
        expect(r.status).toBe(200)
    }

    beforeAll(async () => {
        ensureBuilt()
        standin = await startStandin({ version: '2.41.3', today: '2026-11-23' })
        env = { DHIS2_BASE_URL: standin.url, DHIS2_USERNAME: 'bridge', DHIS2_PASSWORD: 'Bridge-2024!', BRIDGE_STATE_DIR: tempStateDir(), LANG: 'fr_FR.UTF-8' }
        await runCli(['setup', '--ledger', LEDGER_A], env)
        expect((await runCli(['sync', '--ledger', LEDGER_A], env)).code).toBe(3) // its bad rows
        expect((await runCli(['sync', '--ledger', LEDGER_B], env)).code).toBe(0)
        const ds = await api(standin.url, 'dataSets?filter=code:eq:PAYREV_MONTHLY&fields=id')
        const ous = await api(standin.url, 'organisationUnits?fields=id,code&paging=false')
        const des = await api(standin.url, 'dataElements?fields=id,code&paging=false')
        const cocs = await api(standin.url, 'categoryOptionCombos?fields=id,categoryOptions[code]&paging=false')
        ids = {
            dataSet: ds.body.dataSets[0].id,
            ou: Object.fromEntries(ous.body.organisationUnits.map((o: any) => [o.code, o.id])),
            de: Object.fromEntries(des.body.dataElements.map((d: any) => [d.code, d.id])),
            coc: new Map(cocs.body.categoryOptionCombos.map((c: any) => [c.categoryOptions.map((o: any) => o.code).sort().join('+'), c.id])),
        }
        before = await readPayrevValues(standin.url)
    }, 120_000)
    afterAll(() => standin.close())

    test('explain --json: the value, its sends, the lines that count and those that do not, with why', async () => {
        const r = await runCli(['explain', '--json', '--data-element', 'PAYREV_GROSS', '--period', '202610', '--facility', 'ML-BKO-HDB', '--channel', 'Carte', '--service', 'HOSPITALISATION'], env)
        expect(r.code).toBe(0)
        const doc = r.json<any>()
        expect(doc).toMatchObject({ dataElement: 'PAYREV_GROSS', period: '202610', facility: 'ML-BKO-HDB', orgUnit: 'ML-BKO-HDB', channel: 'CARD', service: 'HOSPITALISATION', value: 0, lines: [] })
        // Sent 75 000 by the first sync, then 0 by the second after the reversal.
        expect(doc.sends.map((s: any) => [s.runId, s.value, s.outcome])).toEqual([
            [1, 75000, 'ACCEPTED'],
            [2, 0, 'ACCEPTED'],
        ])
        expect(doc.sends[1].linesBrought).toBe(1)
        expect(doc.excluded.map((l: any) => [l.transactionId, l.status, l.reason.code, l.source && path.basename(l.source), l.position])).toEqual([
            ['T4', 'REVERSED', 'REVERSED', 'b-late-changes.csv', 4],
            ['T4', 'SUCCESS', 'REPLACED', 'a-september-october.csv', 7],
        ])
        const text = await runCli(['explain', '--data-element', 'PAYREV_GROSS', '--period', '202610', '--facility', 'ML-BKO-HDB', '--channel', 'CARD', '--service', 'HOSPITALISATION'], env)
        expect(text.stdout).toMatch(/envoyé 75\u202f000 le .* par l'exécution 1 \(accepté\)/)
        expect(text.stdout).toMatch(/puis 0 le .* par l'exécution 2 \(accepté\) après 1 ligne/)
        expect(text.stdout).toMatch(/extourné \(REVERSED\)/)
    })

    test('explain of a count lists attempts whose number is the value; an unknown key exits 2 in French and English', async () => {
        const r = await runCli(['explain', '--json', '--data-element', 'PAYREV_PAYMENTS', '--period', '202609', '--facility', 'ML-BKO-HDB', '--channel', 'OM'], env)
        const doc = r.json<any>()
        expect(doc.value).toBe(1)
        expect(new Set(doc.lines.map((l: any) => `${l.transactionId}|${l.channel}`)).size).toBe(1)
        expect(doc.excluded.map((l: any) => [l.transactionId, l.lineNo, l.reason.code])).toEqual([['T2', 1, 'FAILED']])
        const unknown = await runCli(['explain', '--json', '--data-element', 'PAYREV_GROSS', '--period', '202612', '--facility', 'ML-BKO-HDB'], env)
        expect(unknown.code).toBe(2)
        const err = unknown.json<{ error: { fr: string; en: string } }>().error
        expect(err.fr).toMatch(/Clé inconnue.*202612/)
        expect(err.en).toMatch(/Unknown key.*202612/)
    })

    test('verify after a clean sync: nothing drifted, one read request, exit 0', async () => {
        const { code, report } = await verify()
        expect(code).toBe(0)
        expect(report.drifted).toEqual([])
        expect(report.checked).toBe(Object.keys(before).length)
        expect(report.readRequests).toBe(1)
    })

    test('a value typed over, a value deleted, a whole period lost: each is drift with its key, expected and actual; --repair restores', async () => {
        await adminImport([{ ...uidsOf('PAYREV_GROSS', '202609', 'ML-BKO-HDB', 'CASH', 'CONSULTATION'), value: '3100' }])
        await adminImport([{ ...uidsOf('PAYREV_GROSS', '202609', 'ML-BKO-HDB', 'ORANGE_MONEY', 'EXAM'), value: '12500' }], 'DELETE')
        // A restore that lost October: every value of 202610 gone.
        const october = await api(standin.url, `dataValueSets?dataSet=${ids.dataSet}&period=202610&orgUnit=${ids.ou['ML-BKO-HDB']}&orgUnit=${ids.ou['ML-SIK-HRS']}`)
        expect(october.body.dataValues.length).toBeGreaterThan(3)
        await adminImport(october.body.dataValues.map((v: any) => ({ dataElement: v.dataElement, period: v.period, orgUnit: v.orgUnit, categoryOptionCombo: v.categoryOptionCombo, value: v.value })), 'DELETE')

        // explain --check sees it too, for that one key.
        const checked = await runCli(['explain', '--json', '--check', '--data-element', 'PAYREV_GROSS', '--period', '202609', '--facility', 'ML-BKO-HDB', '--channel', 'CASH', '--service', 'CONSULTATION'], env)
        expect(checked.json<any>().dhis2).toMatchObject({ current: 3100, matches: false })
        expect(checked.json<any>().value).toBe(3000)

        const found = await verify()
        expect(found.code).toBe(3)
        const d = found.report.drifted
        expect(d).toContainEqual(expect.objectContaining({ dataElement: 'PAYREV_GROSS', period: '202609', orgUnit: 'ML-BKO-HDB', channel: 'CASH', service: 'CONSULTATION', expected: 3000, actual: 3100 }))
        expect(d).toContainEqual(expect.objectContaining({ dataElement: 'PAYREV_GROSS', period: '202609', orgUnit: 'ML-BKO-HDB', channel: 'ORANGE_MONEY', service: 'EXAM', expected: 12500, actual: null }))
        expect(d.filter((x) => x.period === '202610')).toHaveLength(october.body.dataValues.length)
        expect(d.filter((x) => x.period === '202610').every((x) => x.actual === null)).toBe(true)
        expect(d).toHaveLength(2 + october.body.dataValues.length)
        expect(d[0].categoryOptionCombo).toBeTruthy()

        const repaired = await verify('--repair')
        expect(repaired.code).toBe(0)
        expect(repaired.report.repaired).toHaveLength(d.length)
        expect(repaired.report.refused).toEqual([])
        expect(await readPayrevValues(standin.url)).toEqual(before)

        const again = await verify()
        expect(again.code).toBe(0)
        expect(again.report.drifted).toEqual([])
    }, 60_000)

    test('a locked period: the repair DHIS2 refuses is reported (E7640), not retried by every sync; reopened, it is repaired', async () => {
        const cash = uidsOf('PAYREV_GROSS', '202609', 'ML-BKO-HDB', 'CASH', 'CONSULTATION')
        await adminImport([{ ...cash, value: '3100' }]) // the administrator may edit a locked period…
        await setExpiryDays(10) // …which the bridge's user then cannot
        const refused = await verify('--repair')
        expect(refused.code).toBe(3)
        expect(refused.report.refused).toEqual([expect.objectContaining({ dataElement: 'PAYREV_GROSS', period: '202609', expected: 3000, actual: 3100, errorCode: 'E7640' })])
        expect((await readPayrevValues(standin.url))[key('PAYREV_GROSS', '202609', 'ML-BKO-HDB', 'CASH', 'CONSULTATION')]).toBe('3100')

        // Not looped: a sync sends nothing for it; the next verify still reports the drift.
        const sync = await runCli(['sync', '--json'], env)
        expect(sync.json<{ valuesSent: number }>().valuesSent).toBe(0)
        const still = await verify()
        expect(still.code).toBe(3)
        expect(still.report.drifted).toHaveLength(1)

        await setExpiryDays(0)
        const fixed = await verify('--repair')
        expect(fixed.code).toBe(0)
        expect(fixed.report.repaired).toHaveLength(1)
        expect(await readPayrevValues(standin.url)).toEqual(before)
    }, 60_000)

    test('a replay that sends nothing adds nothing to the lineage', async () => {
        const Database = (await import('better-sqlite3')).default
        const counts = () => {
            const db = new Database(path.join(env.BRIDGE_STATE_DIR, 'bridge.sqlite'), { readonly: true })
            try {
                return ['line_sources', 'line_history', 'scope_sources', 'value_sends'].map((t) => db.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get())
            } finally {
                db.close()
            }
        }
        const before = counts()
        // The last export read again (ledger A again would not be a replay: its rows carry no
        // updated_at, so as the later read they would win over B's — docs/contract.md §2).
        const r = await runCli(['sync', '--json', '--ledger', LEDGER_B], env)
        expect(r.json<{ valuesSent: number; linesUnchanged: number }>()).toMatchObject({ valuesSent: 0, linesUnchanged: 5 })
        expect(counts()).toEqual(before)
    })

    test('runs lists the syncs and verifies; runs show tells what one read and sent', async () => {
        const list = (await runCli(['runs', '--json'], env)).json<{ runs: Array<{ id: number; command: string }> }>().runs
        expect(list.map((r) => r.command)).toEqual(expect.arrayContaining(['sync', 'verify']))
        const second = await runCli(['runs', 'show', '2', '--json'], env)
        const detail = second.json<any>()
        expect(detail.sources.map((s: string) => path.basename(s))).toEqual(['b-late-changes.csv'])
        expect(detail.lines).toMatchObject({ read: 6, new: 1, changed: 3, unchanged: 1, stale: 1, quarantined: 0 })
        expect(detail.sent.values).toBeGreaterThan(0)
        expect(detail.sent.accepted).toBe(detail.sent.values)
        const missing = await runCli(['runs', 'show', '999'], env)
        expect(missing.code).toBe(2)
        expect(missing.stderr).toMatch(/Exécution n° 999 inconnue/)
    })

    test('the dashboards get, per facility, the runs, sources and drift of each period — no line', async () => {
        const entry = await api(standin.url, `dataStore/payrev/lineage-${ids.ou['ML-BKO-HDB']}`)
        expect(entry.status).toBe(200)
        const sept = entry.body.periods['202609']
        expect(sept.sources).toEqual(['a-september-october.csv', 'b-late-changes.csv'])
        expect(sept.runs.map((r: any) => r.runId)).toEqual(expect.arrayContaining([1, 2]))
        expect(sept.drifted).toBe(0)
        expect(entry.body.verify).toMatchObject({ drifted: 0 })
        expect(JSON.stringify(entry.body)).not.toMatch(/T[1-6]\b|R1\b/)
    })
})
