/**
 * Faults that come from the DHIS2 administrator rather than the network: a period locked by
 * expiryDays (set through /api/metadata as admin), an org unit taken out of the data set between
 * two runs or in the middle of one. The bridge reports each refusal or repair, keeps what was
 * refused waiting, and converges once the server is put right.
 */
import { api } from '../integration/dhis2-reader'
import { cleanDemoLedger, ensureFreshBuild, expectSameAsUninterrupted, hook, referenceState, runCli, said, setup, sync, tempDir, world, writeLedger, type World } from './helpers'

let ledger: string
let reference: Record<string, string>
const worlds: World[] = []
async function open(): Promise<World> {
    const w = await world()
    worlds.push(w)
    await setup(w, ledger)
    return w
}

async function dataSet(w: World): Promise<any> {
    const ds = await api(w.standin.url, 'dataSets?filter=code:eq:PAYREV_MONTHLY&fields=:owner,organisationUnits[id,code]')
    return ds.body.dataSets[0]
}
async function orgUnitId(w: World, code: string): Promise<string> {
    return (await api(w.standin.url, `organisationUnits?filter=code:eq:${code}&fields=id`)).body.organisationUnits[0].id
}
async function unassign(w: World, code: string): Promise<void> {
    const ds = await dataSet(w)
    const res = await api(w.standin.url, `dataSets/${ds.id}/organisationUnits/${await orgUnitId(w, code)}`, { method: 'DELETE' })
    expect(res.status).toBeLessThan(300)
    expect((await dataSet(w)).organisationUnits.map((o: any) => o.code)).not.toContain(code)
}

beforeAll(async () => {
    ensureFreshBuild()
    ledger = writeLedger(tempDir('faults-ledger-'), 'export-2026-10.csv', cleanDemoLedger(3))
    reference = await referenceState([[ledger]])
}, 120_000)
afterEach(async () => {
    while (worlds.length) await worlds.pop()!.close()
})

test('a locked period: refused values are reported one by one and wait; once reopened, the next run sends them', async () => {
    const w = await open()
    // The administrator locks periods 30 days after they end: on 2026-11-23, August and September are locked, October is open.
    const { organisationUnits: _ous, ...ds } = await dataSet(w)
    const full = (await api(w.standin.url, `dataSets/${ds.id}?fields=:owner`)).body
    expect((await api(w.standin.url, 'metadata', { method: 'POST', body: JSON.stringify({ dataSets: [{ ...full, expiryDays: 30 }] }) })).status).toBe(200)

    const locked = await sync(w, [ledger])
    expect(locked.code).toBe(3)
    const r = locked.report
    expect(r.valuesRejected).toBeGreaterThan(0)
    expect(r.valuesAccepted + r.valuesRejected).toBe(r.valuesSent)
    expect(new Set(r.conflicts.map((c: any) => c.errorCode))).toEqual(new Set(['E7640']))
    expect(new Set(r.conflicts.map((c: any) => c.period))).toEqual(new Set(['202608', '202609']))
    expect(r.conflicts).toHaveLength(r.valuesRejected)
    for (const c of r.conflicts) expect(c.dataElement).toMatch(/^PAYREV_/)
    expect(said(r).en).toMatch(/Period 202609 locked since 2026-10-30 \(expiryDays = 30/)
    expect(said(r).fr).toMatch(/Période 202609 verrouillée depuis le 2026-10-30/)
    expect(r.valuesWaiting).toBe(r.valuesRejected)
    const october = Object.entries(reference).filter(([k]) => k.includes('|202610|'))
    const now = await import('../integration/dhis2-reader').then((m) => m.readPayrevValues(w.standin.url))
    expect(Object.keys(now).sort()).toEqual(october.map(([k]) => k).sort())

    // The outbox lists each waiting value with DHIS2's reason.
    const outbox = (await runCli(['outbox', 'list', '--config', w.config, '--json'], w.env)).json<any>().outbox
    expect(outbox).toHaveLength(r.valuesRejected)
    expect(outbox.every((e: any) => e.lastErrorCode === 'E7640')).toBe(true)

    expect((await api(w.standin.url, 'metadata', { method: 'POST', body: JSON.stringify({ dataSets: [{ ...full, expiryDays: 0 }] }) })).status).toBe(200)
    const reopened = await runCli(['outbox', 'retry', '--config', w.config, '--json'], w.env)
    expect(reopened.code).toBe(0)
    expect(reopened.json<any>().valuesSent).toBe(r.valuesRejected)
    await expectSameAsUninterrupted(w.standin, reference)
})

test('an org unit taken out of the data set between runs: the next run assigns it again and says so', async () => {
    const w = await open()
    await unassign(w, 'ML-KAY-HRK')
    const { code, report } = await sync(w, [ledger])
    expect(code).toBe(0)
    expect(report.assignedOrgUnits).toEqual(['ML-KAY-HRK'])
    expect(said(report).en).toMatch(/Assigned data set PAYREV_MONTHLY to facility ML-KAY-HRK/)
    expect(said(report).fr).toMatch(/Affecté le jeu PAYREV_MONTHLY à l'établissement ML-KAY-HRK/)
    expect((await dataSet(w)).organisationUnits.map((o: any) => o.code)).toContain('ML-KAY-HRK')
    await expectSameAsUninterrupted(w.standin, reference)
})

test('an org unit taken out of the data set during a run: the next run, with nothing new to send, still puts it back', async () => {
    const w = await open()
    const held = w.proxy.hold({ method: 'POST', path: '/api/dataValueSets' })
    const run = sync(w, [ledger])
    const h = await held
    await unassign(w, 'ML-KAY-HRK')
    await h.release()
    const first = await run
    expect(first.code).toBe(0)
    await expectSameAsUninterrupted(w.standin, reference)

    const next = await sync(w, [ledger])
    expect(next.code).toBe(0)
    expect(next.report.valuesSent).toBe(0)
    expect(next.report.assignedOrgUnits).toEqual(['ML-KAY-HRK'])
    expect((await dataSet(w)).organisationUnits.map((o: any) => o.code)).toContain('ML-KAY-HRK')
})

test('DHIS2 refuses to assign facilities: the run stops at the first in the plan\'s order, as one request at a time did; the next run assigns them', async () => {
    const w = await open()
    await unassign(w, 'ML-KAY-HRK')
    await unassign(w, 'ML-SIK-HRS')
    // Assignments go a few at a time (dhis2.concurrency); the collection endpoint and the fallback both fail.
    await hook(w.standin, { failNext: { count: 100, status: 500, path: '/api/dataSets/' } })
    const refused = await sync(w, [ledger])
    expect(refused.code).not.toBe(0)
    expect(refused.report.assignedOrgUnits).toHaveLength(1)
    expect(['ML-KAY-HRK', 'ML-SIK-HRS']).toContain(refused.report.assignedOrgUnits[0])
    expect(said(refused.report).en).not.toMatch(/Assigned data set/)

    await hook(w.standin, { clear: true })
    const next = await sync(w, [ledger])
    expect(next.code).toBe(0)
    expect([...next.report.assignedOrgUnits].sort()).toEqual(['ML-KAY-HRK', 'ML-SIK-HRS'])
    expect((await dataSet(w)).organisationUnits.map((o: any) => o.code)).toEqual(expect.arrayContaining(['ML-KAY-HRK', 'ML-SIK-HRS']))
    await expectSameAsUninterrupted(w.standin, reference)
})
