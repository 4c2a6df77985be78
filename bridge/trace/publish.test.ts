import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { facilityLineageSchema } from '../../contract/lineage'
import { openState, setMeta, type StateDb } from '../state/db'
import { RunStore } from '../state/runs'
import { facilitiesSentBy, lineageOfFacilities, LAST_VERIFY_META, type VerifyMeta } from './publish'

/** The dashboards' lineage entry built from a real state: each family's values, runs and drift apart. */
describe('lineageOfFacilities', () => {
    let dir: string
    let db: StateDb
    const HDB = 'ML-BKO-HDB'
    const OU = { id: 'ouHDB000001', code: HDB }

    /** A value DHIS2 accepted, and its send by a run. */
    const accepted = (family: string, key: string, period: string, runId: number, at: string) => {
        db.prepare(`INSERT INTO dhis2_values (family, key, scope, facility, data_element, period, desired, accepted) VALUES (?, ?, ?, ?, 'DE', ?, 5, 5)`).run(family, key, `${HDB}|${period}`, HDB, period)
        db.prepare(`INSERT INTO value_sends (family, key, run_id, at, value, outcome) VALUES (?, ?, ?, ?, 5, 'ACCEPTED')`).run(family, key, runId, at)
    }

    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lineage-publish-'))
        db = openState(dir)
        const runs = new RunStore(db)
        const sync = runs.start('sync', '2026-11-03T06:00:00.000Z')
        runs.finish(sync, '2026-11-03T06:01:00.000Z', 0, { linesRead: 120, quarantined: 2 })
        const recon = runs.start('reconcile', '2026-11-04T06:00:00.000Z')
        runs.finish(recon, '2026-11-04T06:01:00.000Z', 0, { valuesSent: 1, quarantined: 0 })
        accepted('revenue', 'r1', '202610', sync, '2026-11-03T06:00:30.000Z')
        accepted('revenue', 'r2', '202610', sync, '2026-11-03T06:00:30.000Z')
        accepted('lmis', 'l1', '202610', sync, '2026-11-03T06:00:40.000Z')
        accepted('recon', 'c1', '202610', recon, '2026-11-04T06:00:30.000Z')
        // A month of LMIS values only.
        accepted('lmis', 'l2', '202609', sync, '2026-11-03T06:00:40.000Z')
    })
    afterEach(() => {
        db.close()
        fs.rmSync(dir, { recursive: true, force: true })
    })

    const entry = () => facilityLineageSchema.parse(lineageOfFacilities(db, [HDB])(HDB, OU, '2026-11-05T00:00:00.000Z'))

    test('revenue at the top level, LMIS and reconciliation apart, each with the runs that sent them', () => {
        const october = entry().periods['202610']
        expect(october).toMatchObject({ values: 2, drifted: 0, runs: [expect.objectContaining({ runId: 1, valuesSent: 2, linesRead: 120, quarantined: 2 })] })
        expect(october.lmis).toEqual({ values: 1, drifted: 0, runs: [expect.objectContaining({ runId: 1, valuesSent: 1 })] })
        expect(october.recon).toEqual({ values: 1, drifted: 0, runs: [expect.objectContaining({ runId: 2, valuesSent: 1, linesRead: null })] })
        // September: LMIS only; empty revenue fields, no reconciliation part.
        const september = entry().periods['202609']
        expect(september).toMatchObject({ runs: [], values: 0, lmis: { values: 1 } })
        expect(september.recon).toBeUndefined()
        expect(facilitiesSentBy(db, 2)).toEqual([HDB])
    })

    test("each family's drift from the last verify; a verify of an earlier bridge leaves LMIS and reconciliation drift unknown (null), revenue's known", () => {
        const verify: VerifyMeta = { at: '2026-11-05T03:00:00.000Z', runId: 3, checked: 4, drifted: 3, left: 3, repaired: 0, leftByScope: { [`${HDB}|202610`]: 1 }, lmisLeftByScope: { [`${HDB}|202610`]: 1 }, reconLeftByScope: {} }
        setMeta(db, LAST_VERIFY_META, JSON.stringify(verify))
        const now = entry()
        expect([now.periods['202610'].drifted, now.periods['202610'].lmis?.drifted, now.periods['202610'].recon?.drifted]).toEqual([1, 1, 0])
        expect(now.verify).toMatchObject({ checked: 2, drifted: 1 })

        const { lmisLeftByScope: _l, reconLeftByScope: _r, ...older } = verify
        setMeta(db, LAST_VERIFY_META, JSON.stringify(older))
        const before = entry()
        expect([before.periods['202610'].drifted, before.periods['202610'].lmis?.drifted, before.periods['202610'].recon?.drifted]).toEqual([1, null, null])
    })
})
