/**
 * Data store (reference §10): verbs, exact messages, verbatim values, query API.
 */
import type { Standin } from '../../standin'
import { Api, BRIDGE, fixture, start } from './helpers'

describe('data store', () => {
    let standin: Standin
    let api: Api
    beforeAll(async () => {
        ;({ standin, api } = await start())
    })
    afterAll(() => standin.close())

    test('the USE_CASES/stockUseCases fixture is seeded verbatim', async () => {
        const res = await api.get('dataStore/USE_CASES/stockUseCases')
        expect(res.body).toEqual(fixture('datastore_USE_CASES_stockUseCases.json'))
    })

    test('POST creates (201), POST again conflicts (409 E1004), PUT updates (200) or upserts (201), DELETE, 404s', async () => {
        const created = await api.post('dataStore/revenue-dashboard/settings', { currency: 'XOF', nullable: null })
        expect(created.status).toBe(201)
        expect(created.body).toEqual({ httpStatus: 'Created', httpStatusCode: 201, status: 'OK', message: "Key created: 'settings'" })
        const dup = await api.post('dataStore/revenue-dashboard/settings', { currency: 'XOF' })
        expect(dup.status).toBe(409)
        expect(dup.body).toEqual({
            httpStatus: 'Conflict',
            httpStatusCode: 409,
            status: 'ERROR',
            message: "Key 'settings' already exists in namespace 'revenue-dashboard'",
            errorCode: 'E1004',
        })
        const read = await api.get('dataStore/revenue-dashboard/settings')
        expect(read.text).toBe('{"currency":"XOF","nullable":null}')
        const upd = await api.put('dataStore/revenue-dashboard/settings', [1, 2])
        expect(upd.status).toBe(200)
        expect(upd.body.message).toBe("Key updated: 'settings'")
        const upsert = await api.put('dataStore/revenue-dashboard/theme', '"clair"')
        expect(upsert.status).toBe(201)
        expect(upsert.body.message).toBe("Key created: 'theme'")
        expect((await api.get('dataStore/revenue-dashboard/theme')).body).toBe('clair')
        expect((await api.get('dataStore/revenue-dashboard')).body).toEqual(['settings', 'theme'])
        expect((await api.get('dataStore')).body).toEqual(expect.arrayContaining(['USE_CASES', 'revenue-dashboard']))
        const meta = await api.get('dataStore/revenue-dashboard/theme/metaData')
        expect(meta.body).toMatchObject({ namespace: 'revenue-dashboard', key: 'theme' })
        expect(meta.body.value).toBeUndefined()

        const bad = await api.post('dataStore/revenue-dashboard/broken', '{not json')
        expect(bad.status).toBe(400)
        expect(bad.body.message).toBe("Invalid JSON value for key 'broken'")

        const missing = await api.get('dataStore/revenue-dashboard/nope')
        expect(missing.body).toEqual({ httpStatus: 'Not Found', httpStatusCode: 404, status: 'ERROR', message: "Key 'nope' not found in namespace 'revenue-dashboard'", errorCode: 'E1005' })
        expect((await api.get('dataStore/no-such-ns')).body.message).toBe("Namespace not found: 'no-such-ns'")

        const del = await api.delete('dataStore/revenue-dashboard/theme')
        expect(del.body.message).toBe("Key 'theme' deleted from namespace 'revenue-dashboard'")
        const delNs = await api.delete('dataStore/revenue-dashboard')
        expect(delNs.body.message).toBe("Namespace deleted: 'revenue-dashboard'")
        expect((await api.get('dataStore/revenue-dashboard')).status).toBe(404)
    })

    test('query API: fields=. with pager, fields extraction, filter, order, paging=false', async () => {
        for (const [k, v] of [
            ['facility-a', { orgUnit: 'A', total: 300, meta: { ok: true } }],
            ['facility-b', { orgUnit: 'B', total: 100, meta: { ok: false } }],
            ['facility-c', { orgUnit: 'C', total: 200, meta: { ok: true } }],
        ] as const)
            await api.as(BRIDGE).put(`dataStore/revenue-bridge/${k}`, v)
        const all = await api.get('dataStore/revenue-bridge?fields=.')
        expect(all.body.pager).toEqual({ page: 1, pageSize: 50 })
        expect(all.body.entries[0]).toEqual({ key: 'facility-a', value: { orgUnit: 'A', total: 300, meta: { ok: true } } })
        const some = await api.get('dataStore/revenue-bridge?fields=total,meta[ok]&filter=total:gt:150&order=total:desc&paging=false')
        expect(some.body).toEqual([
            { key: 'facility-a', total: 300, meta: { ok: true } },
            { key: 'facility-c', total: 200, meta: { ok: true } },
        ])
        const eq = await api.get('dataStore/revenue-bridge?fields=orgUnit&filter=meta.ok:eq:false&headless=true')
        expect(eq.body).toEqual([{ key: 'facility-b', orgUnit: 'B' }])
    })

    test('user data store is per user', async () => {
        await api.put('userDataStore/prefs/view', { chart: 'bar' })
        expect((await api.get('userDataStore/prefs/view')).body).toEqual({ chart: 'bar' })
        expect((await api.as(BRIDGE).get('userDataStore/prefs/view')).status).toBe(404)
    })
})
