import { StockStore } from '../../bridge/stock/store'
import { line, StockHarness } from './helpers'

/** Recomputation inside the state, without sinks: revisions, scopes, periods and zones. */

let h: StockHarness
afterEach(() => h.close())

const snapshot = () =>
    new StockStore(h.db)
        .list()
        .map((r) => `${r.id} r${r.revision} q${r.quantity}`)

describe('stock leg recomputation', () => {
    it('keeps records of other periods out of a scope’s recomputation (one payment across two months)', async () => {
        h = new StockHarness({ stock: {} })
        // One receipt paid across midnight of the month's end: line 1 in March, line 2 in April.
        const t1 = line({ transactionId: 'R-1', lineNo: 1, occurredAt: '2025-03-31T23:50:00.000Z', quantity: 2 })
        const t2 = line({ transactionId: 'R-1', lineNo: 2, occurredAt: '2025-04-01T00:10:00.000Z', quantity: 3 })
        const april = line({ occurredAt: '2025-04-01T10:00:00.000Z', quantity: 5 })
        h.ingest([t1, t2, april])
        await h.run()
        expect(snapshot()).toEqual(['ML-BKO-HDB:AMOX500C:2025-03-31 r1 q2', 'ML-BKO-HDB:AMOX500C:2025-04-01 r1 q8'])
        // Only March changes: April's record must not be recomputed from March's partial view.
        h.ingest([line({ occurredAt: '2025-03-31T10:00:00.000Z', quantity: 1 })])
        const r = await h.run()
        expect(r).toMatchObject({ records: 1, changed: 1 })
        expect(snapshot()).toEqual(['ML-BKO-HDB:AMOX500C:2025-03-31 r2 q3', 'ML-BKO-HDB:AMOX500C:2025-04-01 r1 q8'])
    })

    it('moves a corrected line from one day to another: the old day falls to 0, the new day goes up', async () => {
        h = new StockHarness({ stock: {} })
        const wrong = line({ occurredAt: '2025-03-14T08:00:00.000Z', quantity: 4, updatedAt: '2025-03-14T08:00:00.000Z' })
        h.ingest([wrong, line({ occurredAt: '2025-03-20T08:00:00.000Z', quantity: 1 })])
        await h.run()
        h.ingest([{ ...wrong, occurredAt: '2025-04-20T08:00:00.000Z', updatedAt: '2025-04-21T08:00:00.000Z' }])
        const r = await h.run()
        expect(r.changed).toBe(2)
        expect(snapshot()).toEqual(['ML-BKO-HDB:AMOX500C:2025-03-14 r2 q0', 'ML-BKO-HDB:AMOX500C:2025-03-20 r1 q1', 'ML-BKO-HDB:AMOX500C:2025-04-20 r1 q4'])
    })

    it('works with weekly and daily period cuts and per-facility time zones', async () => {
        for (const periodType of ['Weekly', 'Daily'] as const) {
            h = new StockHarness({ periodType, facilities: [{ code: 'JP-TKY', timeZone: 'Asia/Tokyo' }, { code: 'US-NYC', timeZone: 'America/New_York' }], stock: {} })
            h.ingest([
                line({ facilityCode: 'JP-TKY', occurredAt: '2025-03-16T16:00:00.000Z', quantity: 1 }),
                line({ facilityCode: 'JP-TKY', occurredAt: '2025-03-16T14:00:00.000Z', quantity: 2 }),
                line({ facilityCode: 'US-NYC', occurredAt: '2025-03-17T02:00:00.000Z', quantity: 3 }),
            ])
            await h.run()
            // Tokyo: 16:00Z is Monday the 17th (a new ISO week), 14:00Z Sunday the 16th. New York: 02:00Z is the 16th, 22:00.
            expect(snapshot()).toEqual(['JP-TKY:AMOX500C:2025-03-16 r1 q2', 'JP-TKY:AMOX500C:2025-03-17 r1 q1', 'US-NYC:AMOX500C:2025-03-16 r1 q3'])
            h.close()
        }
        h = new StockHarness({ stock: {} })
    })

    it('bumps the revision only when the content changes, one step per change', async () => {
        h = new StockHarness({ stock: {} })
        const sale = line({ occurredAt: '2025-03-14T08:00:00.000Z', quantity: 4, updatedAt: '2025-03-14T08:00:00.000Z' })
        h.ingest([sale])
        await h.run()
        // Pending, then success: the line starts counting → revision 2 (from 0 to 4).
        const pending = line({ occurredAt: '2025-03-14T09:00:00.000Z', quantity: 6, status: 'PENDING', updatedAt: '2025-03-14T09:00:00.000Z' })
        h.ingest([pending])
        const unchanged = await h.run()
        expect(unchanged).toMatchObject({ records: 1, changed: 0 })
        expect(snapshot()).toEqual(['ML-BKO-HDB:AMOX500C:2025-03-14 r1 q4'])
        h.ingest([{ ...pending, status: 'SUCCESS', updatedAt: '2025-03-14T10:00:00.000Z' }])
        await h.run()
        expect(snapshot()).toEqual(['ML-BKO-HDB:AMOX500C:2025-03-14 r2 q10'])
        const body = new StockStore(h.db).get('ML-BKO-HDB:AMOX500C:2025-03-14')!.body
        expect(body).toMatchObject({ revision: 2, quantity: 10, ledgerLines: 2, amountXof: 2000 })
    })
})
