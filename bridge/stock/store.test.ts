import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pharmacyLine } from '../../tests/fixtures/ledger-line'
import { openState } from '../state/db'
import { productCatalog, stockConfigSchema } from './config'
import { computeRecords } from './records'
import { StockStore } from './store'

const ctx = { zoneFor: () => 'Africa/Bamako', catalog: productCatalog(stockConfigSchema.parse({})) }
const SCOPE = 'HDB|202610'

describe('the stock store: records of a scope and the MEDEXIS outbox', () => {
    test('a record that waits in the outbox, never sent, leaves it when it falls to 0; another one waiting stays', () => {
        const store = new StockStore(openState(fs.mkdtempSync(path.join(os.tmpdir(), 'stock-store-'))))
        const apply = (lines: ReturnType<typeof pharmacyLine>[]) => store.applyPlan(store.planScope(SCOPE, computeRecords(lines, ctx).records, () => 'OU1'), '2026-10-06T00:00:00.000Z')
        const amox = pharmacyLine({ occurredAt: '2026-10-05T10:00:00.000Z' })
        const sro = pharmacyLine({ transactionId: 'T2', productCode: 'SRO', occurredAt: '2026-10-05T11:00:00.000Z' })
        apply([amox, sro])
        const ids = store.pending().map((r) => r.id)
        expect(ids).toHaveLength(2)
        for (const id of ids) store.queue(id, '2026-10-06T00:00:00.000Z', { status: 503, error: 'down', attempts: 1, maybeDelivered: false })
        expect(store.outboxSize()).toBe(2)

        // The AMOX sale is reversed: its record falls to 0, and a 0 MEDEXIS never saw is not sent.
        apply([{ ...amox, status: 'REVERSED', updatedAt: '2026-10-06T08:00:00.000Z' }, sro])
        expect(store.outboxSize()).toBe(1)
        expect(store.pending().map((r) => [r.product, r.quantity, r.inOutbox])).toEqual([['SRO', 2, true]])
    })

    test('with nothing waiting, applying a plan writes the records and leaves the outbox empty', () => {
        const store = new StockStore(openState(fs.mkdtempSync(path.join(os.tmpdir(), 'stock-store-'))))
        store.applyPlan(store.planScope(SCOPE, computeRecords([pharmacyLine()], ctx).records, () => null), '2026-10-06T00:00:00.000Z')
        expect(store.counts()).toEqual({ records: 1, rejected: 0, waiting: 0, pending: 1 })
    })

    test('a record stored by an earlier run under another scope keeps its history: its revision goes up (a first sync skips that lookup)', () => {
        const db = openState(fs.mkdtempSync(path.join(os.tmpdir(), 'stock-store-')))
        const first = new StockStore(db)
        first.applyPlan(first.planScope(SCOPE, computeRecords([pharmacyLine()], ctx).records, () => null), '2026-10-06T00:00:00.000Z')
        expect(first.pending().map((r) => r.revision)).toEqual([1])
        // The next run cuts periods another way (a mapping change): the same record, in another scope, with another quantity.
        const next = new StockStore(db)
        const plan = next.planScope('HDB|2026W41', computeRecords([pharmacyLine({ quantity: 3 })], ctx).records, () => null)
        expect(plan.upserts.map((u) => [u.row.revision, u.isNew, u.bumped])).toEqual([[2, false, true]])
        next.applyPlan(plan, '2026-10-07T00:00:00.000Z')
        expect(next.pending().map((r) => [r.scope, r.revision, r.quantity])).toEqual([['HDB|2026W41', 2, 3]])
    })
})
