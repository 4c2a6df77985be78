import { startMedexisRecorder, type MedexisRecorder, type RecordedPut } from '../../standin/medexis'
import { StockStore } from '../../bridge/stock/store'
import { line, StockHarness } from './helpers'

/** The MEDEXIS sink over real HTTP against the recording endpoint. */

const TOKEN = 'medexis-test-token-5f2a'
const fast = { retries: 2, retryBaseDelayMs: 1, timeoutMs: 2_000, concurrency: 1 }

let rec: MedexisRecorder
let h: StockHarness

function config(extra: { medexis?: object; products?: unknown[] } = {}) {
    return {
        facilities: [{ code: 'ML-BKO-HDB' }, { code: 'JP-TKY', timeZone: 'Asia/Tokyo' }],
        stock: { ...extra, medexis: { ...fast, ...(extra.medexis ?? {}) } },
    }
}

beforeEach(async () => {
    rec = await startMedexisRecorder({ token: TOKEN })
    h = new StockHarness(config(), { MEDEXIS_BASE_URL: rec.url, MEDEXIS_TOKEN: TOKEN })
})

afterEach(async () => {
    // Whatever happened: never two different bodies for one id and revision.
    expectOneBodyPerKey(rec.records)
    h.close()
    await rec.close()
})

function expectOneBodyPerKey(records: RecordedPut[]): void {
    const bodies = new Map<string, string>()
    for (const r of records) {
        const key = r.headers['idempotency-key']
        const body = JSON.stringify(r.body)
        if (bodies.has(key)) expect(body).toBe(bodies.get(key))
        bodies.set(key, body)
    }
}

const puts = () => rec.records.map((r) => `${r.headers['idempotency-key']} ${(r.body as { quantity: number }).quantity} ${r.status}`)

describe('MEDEXIS sink', () => {
    it('PUTs one record per facility × product × local day, with the contract body and headers', async () => {
        h.ingest([
            line({ occurredAt: '2025-03-14T08:00:00.000Z', quantity: 200, amountXof: 30000, payerMsisdn: '+22370000000' } as never),
            line({ occurredAt: '2025-03-14T19:00:00.000Z', quantity: 40, amountXof: 6000 }),
            line({ facilityCode: 'JP-TKY', occurredAt: '2025-03-14T19:00:00.000Z', quantity: 3, amountXof: 450 }),
            line({ occurredAt: '2025-03-14T10:00:00.000Z', service: 'CONSULTATION', productCode: null, quantity: null }),
        ])
        const report = await h.run()
        expect(report).toMatchObject({ records: 2, changed: 2, sent: 2, rejected: [], waiting: 0, medexisUnreachable: false, exitCode: 0 })
        expect(rec.records.map((r) => [r.method, r.path, r.status])).toEqual([
            ['PUT', '/stock-outflows/ML-BKO-HDB:AMOX500C:2025-03-14', 201],
            ['PUT', '/stock-outflows/JP-TKY:AMOX500C:2025-03-15', 201],
        ])
        const sent = rec.records[0]
        expect(sent.headers['idempotency-key']).toBe('ML-BKO-HDB:AMOX500C:2025-03-14:1')
        expect(sent.headers['content-type']).toMatch(/application\/json/)
        expect(sent.body).toEqual({
            id: 'ML-BKO-HDB:AMOX500C:2025-03-14',
            revision: 1,
            facility: { code: 'ML-BKO-HDB', orgUnit: null },
            product: { code: 'AMOX500C', name: 'Amoxicilline 500 mg gélule' },
            date: '2025-03-14',
            quantity: 240,
            unit: 'gélule',
            reason: 'DISPENSED_SALE',
            amountXof: 36000,
            ledgerLines: 2,
        })
        expect(JSON.stringify(rec.records)).not.toContain('22370000000')
        expect(JSON.stringify(report)).not.toContain(TOKEN)
    })

    it('sends nothing again for an unchanged recomputation, and the next revision for a change', async () => {
        const sale = line({ occurredAt: '2025-03-14T08:00:00.000Z', quantity: 30 })
        h.ingest([sale])
        await h.run()
        // The same line again, and a forced recomputation of its scope: same content, same revision, no PUT.
        h.ingest([sale])
        const again = await h.run()
        expect(again).toMatchObject({ records: 0, sent: 0 })
        const scope = 'ML-BKO-HDB|202503'
        const { runStockLeg } = await import('../../bridge/stock/leg')
        const forced = await runStockLeg({ db: h.db, rc: h.rc, client: null, scopes: [scope], pharmacyLines: (s) => h.lines.pharmacyLines(s), dryRun: false, now: () => new Date(), env: { MEDEXIS_BASE_URL: rec.url, MEDEXIS_TOKEN: TOKEN } })
        expect(forced).toMatchObject({ records: 1, changed: 0, sent: 0 })
        expect(rec.records).toHaveLength(1)

        // Goods returned the same day: revision 2 with the lower quantity.
        h.ingest([line({ occurredAt: '2025-03-14T12:00:00.000Z', type: 'REFUND', quantity: 6, amountXof: 900 })])
        const changed = await h.run()
        expect(changed).toMatchObject({ records: 1, changed: 1, sent: 1 })
        expect(puts()).toEqual(['ML-BKO-HDB:AMOX500C:2025-03-14:1 30 201', 'ML-BKO-HDB:AMOX500C:2025-03-14:2 24 200'])
        expect((rec.records[1].body as { revision: number }).revision).toBe(2)
    })

    it('sends a sent record that falls to 0 (reversal) with quantity 0, and never a never-sent 0', async () => {
        const sale = line({ occurredAt: '2025-03-14T08:00:00.000Z', quantity: 12 })
        // Another day: sold and returned the same day → 0, never sent.
        h.ingest([sale, line({ occurredAt: '2025-03-16T08:00:00.000Z', quantity: 4 }), line({ occurredAt: '2025-03-16T09:00:00.000Z', type: 'REFUND', quantity: 4 })])
        const first = await h.run()
        expect(first).toMatchObject({ records: 2, sent: 1 })
        expect(puts()).toEqual(['ML-BKO-HDB:AMOX500C:2025-03-14:1 12 201'])

        h.ingest([{ ...sale, status: 'REVERSED', updatedAt: '2025-03-20T10:00:00.000Z' }])
        const second = await h.run()
        expect(second).toMatchObject({ changed: 1, sent: 1 })
        expect(puts()).toEqual(['ML-BKO-HDB:AMOX500C:2025-03-14:1 12 201', 'ML-BKO-HDB:AMOX500C:2025-03-14:2 0 200'])
        expect(rec.records[1].body).toMatchObject({ quantity: 0, amountXof: 0, ledgerLines: 0, revision: 2 })
        const store = new StockStore(h.db)
        expect(store.get('ML-BKO-HDB:AMOX500C:2025-03-16')).toMatchObject({ quantity: 0, revision: 1, deliveredRevision: null })
    })

    it('flags a day whose returns exceed its sales and does not send that never-sent 0', async () => {
        h.ingest([line({ occurredAt: '2025-03-14T08:00:00.000Z', quantity: 2 }), line({ occurredAt: '2025-03-14T09:00:00.000Z', type: 'REFUND', quantity: 5 })])
        const r = await h.run()
        expect(r).toMatchObject({ records: 1, negativeDays: 1, sent: 0 })
        expect(r.warnings.map((w) => w.en).join('\n')).toContain('clamped to 0')
    })

    it('treats 409 (already held) as success', async () => {
        h.ingest([line({ occurredAt: '2025-03-14T08:00:00.000Z', quantity: 5 })])
        rec.hooks.failNext(1, 409)
        const r = await h.run()
        expect(r).toMatchObject({ sent: 1, rejected: [], waiting: 0, exitCode: 0 })
        h.ingest([line({ occurredAt: '2025-03-01T08:00:00.000Z', quantity: 1 })])
        await h.run()
        // The 409'd record is not sent again.
        expect(puts()).toEqual(['ML-BKO-HDB:AMOX500C:2025-03-14:1 5 409', 'ML-BKO-HDB:AMOX500C:2025-03-01:1 1 201'])
    })

    it('rejects a record on another 4xx: reported, not retried, sent again only once its content changes', async () => {
        h.ingest([line({ occurredAt: '2025-03-14T08:00:00.000Z', quantity: 5 }), line({ occurredAt: '2025-03-15T08:00:00.000Z', quantity: 6 })])
        rec.hooks.failNext(1, 422)
        const r = await h.run()
        expect(r.sent).toBe(1)
        expect(r.rejected).toEqual([{ id: 'ML-BKO-HDB:AMOX500C:2025-03-14', revision: 1, status: 422, reason: expect.objectContaining({ en: expect.stringContaining('HTTP 422') }) }])
        expect(r.rejected[0].reason.fr).toContain('HTTP 422')
        expect(r.exitCode).toBe(3)
        expect(rec.records).toHaveLength(2)

        h.ingest([line({ occurredAt: '2025-03-20T08:00:00.000Z', quantity: 1 })])
        const next = await h.run()
        expect(next).toMatchObject({ sent: 1, rejected: [] })
        expect(rec.records.filter((x) => x.headers['idempotency-key'] === 'ML-BKO-HDB:AMOX500C:2025-03-14:1')).toHaveLength(1)

        h.ingest([line({ occurredAt: '2025-03-14T18:00:00.000Z', quantity: 1 })])
        const fixed = await h.run()
        expect(fixed).toMatchObject({ sent: 1, rejected: [] })
        expect(puts().at(-1)).toBe('ML-BKO-HDB:AMOX500C:2025-03-14:2 6 201')
    })

    it('retries 5xx, keeps what still fails in the outbox, and sends it first at the next run (latest revision)', async () => {
        h.ingest([line({ occurredAt: '2025-03-14T08:00:00.000Z', quantity: 5 }), line({ occurredAt: '2025-03-15T08:00:00.000Z', quantity: 6 })])
        // 1 try + 2 retries for the first record, all 503: MEDEXIS counts as down, the second is not even tried.
        rec.hooks.failNext(3, 503)
        const down = await h.run()
        expect(down).toMatchObject({ sent: 0, rejected: [], waiting: 2, medexisUnreachable: true, exitCode: 4 })
        expect(puts()).toEqual(['ML-BKO-HDB:AMOX500C:2025-03-14:1 5 503', 'ML-BKO-HDB:AMOX500C:2025-03-14:1 5 503', 'ML-BKO-HDB:AMOX500C:2025-03-14:1 5 503'])

        // Meanwhile the 15th changes, and a new day appears.
        h.ingest([line({ occurredAt: '2025-03-15T09:00:00.000Z', quantity: 1 }), line({ occurredAt: '2025-03-01T09:00:00.000Z', quantity: 2 })])
        const back = await h.run()
        expect(back).toMatchObject({ sent: 3, waiting: 0, medexisUnreachable: false, exitCode: 0 })
        expect(puts().slice(3)).toEqual([
            'ML-BKO-HDB:AMOX500C:2025-03-14:1 5 201',
            'ML-BKO-HDB:AMOX500C:2025-03-15:2 7 201',
            'ML-BKO-HDB:AMOX500C:2025-03-01:1 2 201',
        ])
    })

    it('retries a 5xx that clears within the run', async () => {
        h.ingest([line({ occurredAt: '2025-03-14T08:00:00.000Z', quantity: 5 })])
        rec.hooks.failNext(2, 502)
        const r = await h.run()
        expect(r).toMatchObject({ sent: 1, waiting: 0, exitCode: 0 })
        expect(rec.records.map((x) => x.status)).toEqual([502, 502, 201])
    })

    it('retries a dropped connection and a time-out; a record that may have arrived is sent again as 0', async () => {
        h.reconfigure(config({ medexis: { timeoutMs: 300 } }))
        h.ingest([line({ occurredAt: '2025-03-14T08:00:00.000Z', quantity: 5 })])
        rec.hooks.dropNext(1)
        const dropped = await h.run()
        expect(dropped).toMatchObject({ sent: 1 })
        expect(rec.records.map((x) => x.status)).toEqual([null, 201])

        const sale = line({ occurredAt: '2025-03-15T08:00:00.000Z', quantity: 3 })
        h.ingest([sale])
        rec.hooks.setLatency(600)
        const slow = await h.run()
        expect(slow).toMatchObject({ sent: 0, waiting: 1, medexisUnreachable: true, exitCode: 4 })
        rec.hooks.setLatency(0)
        await new Promise((r) => setTimeout(r, 700))
        // The recorder did receive (and store) it: unknown to the bridge, so a fall to 0 must be sent.
        const arrived = rec.records.filter((x) => x.headers['idempotency-key'] === 'ML-BKO-HDB:AMOX500C:2025-03-15:1')
        expect(arrived.map((x) => x.status)).toEqual([201, 409, 409])
        const store = new StockStore(h.db)
        expect(store.get('ML-BKO-HDB:AMOX500C:2025-03-15')).toMatchObject({ maybeDelivered: true, inOutbox: true })
        h.ingest([{ ...sale, status: 'REVERSED', updatedAt: '2025-03-16T08:00:00.000Z' }])
        const zero = await h.run()
        expect(zero).toMatchObject({ sent: 1, waiting: 0, exitCode: 0 })
        expect(puts().at(-1)).toBe('ML-BKO-HDB:AMOX500C:2025-03-15:2 0 200')
    })

    it('keeps records waiting when MEDEXIS refuses the credentials, and never writes the token anywhere', async () => {
        h.setEnv({ MEDEXIS_BASE_URL: rec.url, MEDEXIS_TOKEN: 'wrong-token' })
        h.ingest([line({ occurredAt: '2025-03-14T08:00:00.000Z', quantity: 5 })])
        const refused = await h.run()
        expect(refused).toMatchObject({ sent: 0, rejected: [], waiting: 1, medexisUnreachable: true, exitCode: 4 })
        expect(refused.warnings.map((w) => w.en).join()).toContain('MEDEXIS_TOKEN')
        expect(rec.records.every((r) => !('authorization' in r.headers))).toBe(true)
        h.setEnv({ MEDEXIS_BASE_URL: rec.url, MEDEXIS_TOKEN: TOKEN })
        const ok = await h.run()
        expect(ok).toMatchObject({ sent: 1, waiting: 0 })
        const dump = JSON.stringify(h.db.prepare('SELECT * FROM stock_records').all()) + JSON.stringify(h.db.prepare('SELECT * FROM stock_outbox').all())
        expect(dump).not.toContain('wrong-token')
        expect(dump).not.toContain(TOKEN)
    })

    it('sends Basic credentials when configured so, and refuses to start without them', async () => {
        const basic = await startMedexisRecorder({ basic: { username: 'passerelle', password: 'p@ss:wörd' } })
        try {
            h.reconfigure(config({ medexis: { auth: 'basic' } }))
            h.setEnv({ MEDEXIS_BASE_URL: basic.url, MEDEXIS_TOKEN: TOKEN, MEDEXIS_USERNAME: 'passerelle', MEDEXIS_PASSWORD: 'p@ss:wörd' })
            h.ingest([line({ occurredAt: '2025-03-14T08:00:00.000Z', quantity: 5 })])
            expect(await h.run()).toMatchObject({ sent: 1 })
            expect(basic.records.map((r) => r.status)).toEqual([201])
            h.setEnv({ MEDEXIS_BASE_URL: basic.url })
            h.ingest([line({ occurredAt: '2025-03-15T08:00:00.000Z', quantity: 5 })])
            const missing = await h.run()
            expect(missing).toMatchObject({ exitCode: 2, sent: 0 })
            expect(missing.configError?.fr).toContain('MEDEXIS_USERNAME')
        } finally {
            await basic.close()
        }
    })

    it('uses the configured path and sends nothing without MEDEXIS_BASE_URL', async () => {
        h.reconfigure(config({ medexis: { path: '/api/v2/outflows/{id}/put' } }))
        h.setEnv({})
        h.ingest([line({ occurredAt: '2025-03-14T08:00:00.000Z', quantity: 5 })])
        const off = await h.run()
        expect(off).toMatchObject({ records: 1, sent: 0, waiting: 0, medexisEnabled: false, exitCode: 0 })
        expect(rec.records).toHaveLength(0)
        h.setEnv({ MEDEXIS_BASE_URL: `${rec.url}/`, MEDEXIS_TOKEN: TOKEN })
        const on = await h.run()
        expect(on).toMatchObject({ records: 0, sent: 1 })
        expect(rec.records.map((r) => [r.path, r.status])).toEqual([['/api/v2/outflows/ML-BKO-HDB:AMOX500C:2025-03-14/put', 201]])
    })

    it('sends several records at once (default concurrency) and stops everyone when MEDEXIS is down', async () => {
        h.reconfigure(config({ medexis: { concurrency: 4 } }))
        h.ingest(Array.from({ length: 12 }, (_, i) => line({ occurredAt: `2025-03-${String(i + 1).padStart(2, '0')}T08:00:00.000Z`, quantity: i + 1 })))
        rec.hooks.setLatency(20)
        const r = await h.run()
        expect(r).toMatchObject({ records: 12, sent: 12, waiting: 0 })
        expect(new Set(rec.records.map((x) => x.headers['idempotency-key'])).size).toBe(12)

        h.ingest(Array.from({ length: 12 }, (_, i) => line({ occurredAt: `2025-03-${String(i + 1).padStart(2, '0')}T09:00:00.000Z`, quantity: 1 })))
        rec.hooks.failNext(1000, 500)
        const down = await h.run()
        expect(down).toMatchObject({ sent: 0, waiting: 12, medexisUnreachable: true, exitCode: 4 })
        // At most the four in flight tried (with their retries); the rest waited without a request.
        expect(rec.records.length - 12).toBeLessThanOrEqual(4 * 3)
        rec.hooks.reset()
        const back = await h.run()
        expect(back).toMatchObject({ sent: 12, waiting: 0 })
        expect(rec.records.filter((x) => x.status === 200).map((x) => (x.body as { revision: number }).revision)).toEqual(Array(12).fill(2))
    })

    it('dry run: reports what would be sent, sends and keeps nothing', async () => {
        h.ingest([line({ occurredAt: '2025-03-14T08:00:00.000Z', quantity: 5 })])
        const dry = await h.run({ dryRun: true })
        expect(dry).toMatchObject({ records: 1, changed: 1, sent: 0, wouldSend: [{ id: 'ML-BKO-HDB:AMOX500C:2025-03-14', revision: 1, quantity: 5 }] })
        expect(rec.records).toHaveLength(0)
        expect(h.db.prepare('SELECT COUNT(*) AS n FROM stock_records').get()).toEqual({ n: 0 })
    })

    it('reports pharmacy lines without product and products without LMIS mapping', async () => {
        h.reconfigure(config({ products: [{ ledgerCode: 'AMOX500C', lmis: { dataElement: 'LMIS_AMOX', categoryOptionCombo: 'default' } }] }))
        h.ingest([
            line({ occurredAt: '2025-03-14T08:00:00.000Z', quantity: 5 }),
            line({ occurredAt: '2025-03-14T08:00:00.000Z', productCode: 'IBU400', quantity: 2 }),
            line({ occurredAt: '2025-03-14T08:00:00.000Z', productCode: null, productName: null, quantity: null, unit: null }),
        ])
        const r = await h.run()
        expect(r).toMatchObject({ records: 2, sent: 2, missingProduct: 1, unmappedProducts: ['IBU400'] })
        // Unmapped is reported, never dropped: MEDEXIS gets it under the ledger code.
        expect(rec.records.map((x) => (x.body as { product: { code: string } }).product.code).sort()).toEqual(['AMOX500C', 'IBU400'])
    })
})
