/**
 * Analytics (reference §8): E7144 before the first table run, the refresh job, response shape
 * compared with the two reconstructed fixtures, aggregation over periods/org units/categories.
 */
import type { Standin } from '../../standin'
import { Api, OFFICER, fixture, installRevenueMetadata, revenueCoc, sleep, start } from './helpers'

async function waitForJob(api: Api, type: string, id: string): Promise<any[]> {
    for (let i = 0; i < 200; i++) {
        const res = await api.get(`system/tasks/${type}/${id}`)
        if (res.body.length && res.body[0].completed) return res.body
        await sleep(10)
    }
    throw new Error('job did not complete')
}

function shapeOf(grid: any) {
    return {
        keys: Object.keys(grid),
        headerKeys: grid.headers.map((h: any) => Object.keys(h)),
        metaKeys: Object.keys(grid.metaData),
        dimensionKeys: Object.keys(grid.metaData.dimensions).sort(),
    }
}

describe('analytics', () => {
    let standin: Standin
    let api: Api
    let ids: Record<string, string>
    const coc: Record<string, string> = {}
    beforeAll(async () => {
        ;({ standin, api } = await start({ version: '2.41.3' }))
        ids = await installRevenueMetadata(api)
        for (const ch of ['CH_CASH', 'CH_OM', 'CH_CARD']) for (const sv of ['SV_CONS', 'SV_PHARM']) coc[`${ch}|${sv}`] = await revenueCoc(api, ch, sv)
        const v = (period: string, ou: string, ch: string, sv: string, value: string) => ({
            dataElement: ids.REV,
            period,
            orgUnit: ids[ou],
            categoryOptionCombo: coc[`${ch}|${sv}`],
            value,
        })
        const res = await api.post('dataValueSets', {
            dataValues: [
                v('202609', 'ML-BKO-HDB', 'CH_CASH', 'SV_CONS', '1000'),
                v('202609', 'ML-BKO-HDB', 'CH_OM', 'SV_CONS', '2500'),
                v('202610', 'ML-BKO-HDB', 'CH_OM', 'SV_PHARM', '4000'),
                v('202610', 'ML-SIK-HRS', 'CH_CARD', 'SV_CONS', '7000'),
                v('202510', 'ML-BKO-HDB', 'CH_CASH', 'SV_CONS', '300'),
                { dataElement: ids.REV_TOTAL, period: '202610', orgUnit: ids['ML-BKO-HDB'], value: '10.005' },
                { dataElement: ids.REV_TOTAL, period: '202610', orgUnit: ids['ML-SIK-HRS'], value: '2.5' },
            ],
        })
        expect(res.body.response.importCount.imported).toBe(7)
    })
    afterAll(() => standin.close())

    test('before any analytics run: 409 E7144 exact body; system/info has no lastAnalyticsTableSuccess', async () => {
        const res = await api.get(`analytics?dimension=dx:${ids.REV}&dimension=pe:LAST_12_MONTHS&filter=ou:${ids['ML-BKO-HDB']}`)
        expect(res.status).toBe(409)
        expect(res.body).toEqual({
            httpStatus: 'Conflict',
            httpStatusCode: 409,
            status: 'ERROR',
            message: 'Query failed because a referenced table does not exist. Please ensure analytics job was run (SqlState: 42P01)',
            devMessage: 'SqlState: 42P01',
            errorCode: 'E7144',
        })
        expect((await api.get('system/info')).body.lastAnalyticsTableSuccess).toBeUndefined()
    })

    test('POST /api/resourceTables/analytics: job WebMessage (2.41 text), poll to completion, then figures', async () => {
        const res = await api.post('resourceTables/analytics')
        expect(res.status).toBe(200)
        expect(res.body.message).toMatch(/^Initiated ANALYTICS_TABLE \(\d+\)$/)
        expect(res.body.response).toMatchObject({ jobType: 'ANALYTICS_TABLE', relativeNotifierEndpoint: `/api/system/tasks/ANALYTICS_TABLE/${res.body.response.id}` })
        expect(res.body.response.responseType).toBeUndefined()
        const notes = await waitForJob(api, 'ANALYTICS_TABLE', res.body.response.id)
        expect(notes[0].message).toMatch(/^Analytics tables updated/)
        expect((await api.get('system/info')).body.lastAnalyticsTableSuccess).toMatch(/^2026-11-23T\d{2}:\d{2}:\d{2}\.\d{3}$/)
    })

    test('LAST_12_MONTHS by dx × pe with an ou filter: shape of the reconstructed fixture', async () => {
        const res = await api.get(`analytics?dimension=dx:${ids.REV};${ids.REV_TOTAL},pe:LAST_12_MONTHS&filter=ou:${ids['ML-BKO-HDB']}&displayProperty=NAME`)
        expect(res.status).toBe(200)
        const expected = fixture('analytics_response_last12months_reconstructed.json')
        expect(shapeOf(res.body)).toEqual(shapeOf(expected))
        expect(res.body.headers).toEqual(expected.headers)
        expect(res.body.metaData.dimensions.pe).toEqual(['202511', '202512', '202601', '202602', '202603', '202604', '202605', '202606', '202607', '202608', '202609', '202610'])
        expect(res.body.metaData.dimensions.ou).toEqual([ids['ML-BKO-HDB']])
        expect(res.body.metaData.dimensions.co).toEqual([])
        const items = res.body.metaData.items
        expect(items.LAST_12_MONTHS).toEqual({ name: 'Last 12 months' })
        expect(items['202609']).toEqual({ name: 'September 2026' })
        expect(items[ids.REV]).toEqual({ name: 'Recettes' })
        expect(items.dx).toEqual({ name: 'Data' })
        expect(items.pe).toEqual({ name: 'Period' })
        expect(items.ou).toEqual({ name: 'Organisation unit' })
        expect(items[ids['ML-BKO-HDB']]).toEqual({ name: 'Hôpital de Dermatologie de Bamako' })
        expect(res.body.rows).toEqual([
            [ids.REV, '202609', '3500'],
            [ids.REV, '202610', '4000'],
            [ids.REV_TOTAL, '202610', '10.01'],
        ])
        expect(res.body).toMatchObject({ rowContext: {}, height: 3, headerWidth: 3, width: 3 })
    })

    test('USER_ORGUNIT / USER_ORGUNIT_CHILDREN: shape of the reconstructed fixture; items from 2.41', async () => {
        const res = await api.get(`analytics?dimension=dx:${ids.REV},ou:USER_ORGUNIT;USER_ORGUNIT_CHILDREN&filter=pe:THIS_YEAR&relativePeriodDate=2026-06-01`)
        const expected = fixture('analytics_response_user_orgunit_reconstructed.json')
        expect(shapeOf(res.body)).toEqual(shapeOf(expected))
        expect(res.body.headers).toEqual(expected.headers)
        const root = (await api.get('organisationUnits?filter=code:eq:ML&fields=id')).body.organisationUnits[0].id
        const regions = (await api.get('organisationUnits?filter=level:eq:2&filter=parent.code:eq:ML&fields=id&order=name:asc&paging=false')).body.organisationUnits.map((o: any) => o.id)
        expect(res.body.metaData.items.USER_ORGUNIT).toEqual({ organisationUnits: [root] })
        expect(res.body.metaData.items.USER_ORGUNIT_CHILDREN).toEqual({ organisationUnits: regions })
        expect(res.body.metaData.items.THIS_YEAR).toEqual({ name: 'This year' })
        expect(res.body.metaData.items['2026']).toEqual({ name: '2026' })
        expect(res.body.metaData.dimensions.pe).toEqual(['2026'])
        expect(res.body.metaData.dimensions.ou).toEqual([root, ...regions])
        const byOu = Object.fromEntries(res.body.rows.map((r: string[]) => [r[1], r[2]]))
        expect(byOu[root]).toBe('14500')
        expect(byOu[ids['ML-BKO']]).toBe('7500')

        const { standin: old, api: oldApi } = await start({ version: '2.40.3' })
        try {
            const meta = await oldApi.post('resourceTables/analytics')
            expect(meta.body.message).toBe('Initiated inMemoryAnalyticsJob')
            await waitForJob(oldApi, 'ANALYTICS_TABLE', meta.body.response.id)
            const r = await oldApi.get('analytics?dimension=dx:IjXDFHSWw8n,ou:USER_ORGUNIT&filter=pe:THIS_YEAR')
            expect(r.body.metaData.items.USER_ORGUNIT).toBeUndefined()
            expect(r.body.rows).toEqual([])
            expect(r.body).toMatchObject({ height: 0, width: 0, headerWidth: 3 })
        } finally {
            await old.close()
        }
    })

    test('category dimension split (channel) with a service filter; co dimension; operands', async () => {
        const channel = await api.get(`analytics?dimension=dx:${ids.REV}&dimension=${ids.CAT_CHANNEL}&dimension=pe:202609;202610&filter=ou:${ids.ML}&filter=${ids.CAT_SERVICE}:${ids.SV_CONS}`)
        expect(channel.status).toBe(200)
        expect(channel.body.headers.map((h: any) => [h.name, h.column])).toEqual([
            ['dx', 'Data'],
            [ids.CAT_CHANNEL, 'Canal'],
            ['pe', 'Period'],
            ['value', 'Value'],
        ])
        expect(channel.body.rows).toEqual([
            [ids.REV, ids.CH_CASH, '202609', '1000'],
            [ids.REV, ids.CH_OM, '202609', '2500'],
            [ids.REV, ids.CH_CARD, '202610', '7000'],
        ])
        expect(channel.body.metaData.dimensions[ids.CAT_CHANNEL]).toEqual([ids.CH_CASH, ids.CH_OM, ids.CH_CARD])
        expect(channel.body.metaData.dimensions[ids.CAT_SERVICE]).toEqual([ids.SV_CONS])
        expect(channel.body.metaData.items[ids.CAT_CHANNEL]).toEqual({ name: 'Canal' })
        expect(channel.body.metaData.items[ids.CH_OM]).toEqual({ name: 'Orange Money' })

        const co = await api.get(`analytics?dimension=dx:${ids.REV},co&dimension=pe:2026Q4&filter=ou:${ids['ML-BKO-HDB']}`)
        expect(co.body.headers[1]).toMatchObject({ name: 'co', column: 'Category option combo' })
        expect(co.body.rows).toEqual([[ids.REV, coc['CH_OM|SV_PHARM'], '2026Q4', '4000']])
        expect(co.body.metaData.items.co).toEqual({ name: 'Category option combo' })
        expect(co.body.metaData.dimensions.co).toHaveLength(6)

        const operand = `${ids.REV}.${coc['CH_CASH|SV_CONS']}`
        const op = await api.get(`analytics?dimension=dx:${operand},pe:2025;2026&filter=ou:${ids['ML-BKO-HDB']}`)
        expect(op.body.rows).toEqual([
            [operand, '2025', '300'],
            [operand, '2026', '1000'],
        ])
        expect(op.body.metaData.items[operand]).toEqual({ name: 'Recettes Espèces, Consultation' })
        expect(op.body.metaData.dimensions.co).toEqual([coc['CH_CASH|SV_CONS']])
    })

    test('LEVEL-n with a boundary, outputIdScheme=CODE, SHORTNAME, numerator headers', async () => {
        const res = await api.get(`analytics?dimension=dx:${ids.REV},ou:${ids['ML-BKO']};LEVEL-3&filter=pe:THIS_YEAR&outputIdScheme=CODE&displayProperty=SHORTNAME&includeNumDen=true`)
        expect(res.body.rows).toEqual([['REV', 'ML-BKO-HDB', '7500', '', '', '', '', '']])
        expect(res.body.metaData.dimensions.ou).toEqual(['ML-BKO-CHUPG', 'ML-BKO-CHUGT', 'ML-BKO-CSREF4', 'ML-BKO-HDB'])
        expect(res.body.metaData.items['ML-BKO-HDB']).toEqual({ name: 'Hôp. Dermatologie Bamako' })
        expect(res.body.headers.map((h: any) => h.name)).toEqual(['dx', 'ou', 'value', 'numerator', 'denominator', 'factor', 'multiplier', 'divisor'])
        expect(res.body.metaData.items[(await api.get('organisationUnitLevels?filter=level:eq:3&fields=id')).body.organisationUnitLevels[0].id]).toMatchObject({
            name: 'Établissement',
        })
    })

    test('the snapshot is frozen: new values are invisible until the next run', async () => {
        await api.post('dataValueSets', { dataValues: [{ dataElement: ids.REV_TOTAL, period: '202611', orgUnit: ids['ML-BKO-HDB'], value: '99' }] })
        const q = `analytics?dimension=dx:${ids.REV_TOTAL},pe:202611&filter=ou:${ids['ML-BKO-HDB']}`
        expect((await api.get(q)).body.rows).toEqual([])
        const hook = await fetch(`${standin.url}/__standin/analytics`, { method: 'POST' })
        expect(hook.status).toBe(200)
        expect((await api.get(q)).body.rows).toEqual([[ids.REV_TOTAL, '202611', '99']])
    })

    test('query errors: E7101, E7102, E7104, E7103, E7143, E7120 (outside the data view org units)', async () => {
        const err = async (q: string) => (await api.get(`analytics?${q}`)).body
        expect(await err(`filter=dx:${ids.REV}`)).toMatchObject({ httpStatusCode: 409, errorCode: 'E7101', message: 'At least one dimension must be specified' })
        expect((await err('dimension=pe:THIS_YEAR')).errorCode).toBe('E7102')
        expect((await err(`dimension=dx:${ids.REV}`)).errorCode).toBe('E7104')
        expect((await err(`dimension=dx:${ids.REV}&filter=dx:${ids.REV}&filter=pe:THIS_YEAR`)).errorCode).toBe('E7103')
        expect(await err(`dimension=dx:${ids.REV},ou:nopeOrgUnit&filter=pe:THIS_YEAR`)).toMatchObject({ errorCode: 'E7143', message: 'Organisation unit or organisation unit level is not valid' })
        const officer = await api.as(OFFICER).get(`analytics?dimension=dx:${ids.REV},ou:${ids['ML-SIK-HRS']}&filter=pe:THIS_YEAR`)
        expect(officer.status).toBe(409)
        expect(officer.body).toMatchObject({ errorCode: 'E7120', message: `User: \`district-officer\` is not allowed to view org unit: \`${ids['ML-SIK-HRS']}\`` })
        const own = await api.as(OFFICER).get(`analytics?dimension=dx:${ids.REV},ou:USER_ORGUNIT&filter=pe:THIS_YEAR`)
        expect(own.body.rows).toEqual([[ids.REV, ids['ML-BKO'], '7500']])
    })

    test('skipMeta, skipData, relative weeks and quarters', async () => {
        const meta = await api.get(`analytics?dimension=dx:${ids.REV},pe:LAST_4_QUARTERS&filter=ou:${ids['ML-BKO-HDB']}&skipMeta=true`)
        expect(meta.body.metaData).toEqual({})
        expect(meta.body.rows).toEqual([
            [ids.REV, '2025Q4', '300'],
            [ids.REV, '2026Q3', '3500'],
        ])
        const data = await api.get(`analytics?dimension=dx:${ids.REV},pe:LAST_52_WEEKS&filter=ou:${ids['ML-BKO-HDB']}&skipData=true`)
        expect(data.body.rows).toEqual([])
        expect(data.body.metaData.dimensions.pe).toHaveLength(52)
        expect(data.body.metaData.dimensions.pe[51]).toBe('2026W47')
        expect(data.body.metaData.items['2026W47']).toEqual({ name: 'Week 47 2026-11-16 - 2026-11-22' })
    })
})
