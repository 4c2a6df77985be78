/**
 * POST/GET /api/dataValueSets against the reference (§4, §6): the request fixtures, Examples B–D,
 * counting, strategies, locking, future periods, id schemes, version matrix rows.
 */
import type { Standin } from '../../standin'
import { ADMIN, Api, BRIDGE, OFFICER, fixture, fixtureText, installDvsFixtureMetadata, installRevenueMetadata, revenueCoc, start } from './helpers'

const DEFAULT_COC = 'HllvX50cXC0'

describe('request fixtures (dhis2-core integration tests)', () => {
    let standin: Standin
    let api: Api
    beforeAll(async () => {
        ;({ standin, api } = await start())
        await installDvsFixtureMetadata(api)
    })
    afterAll(() => standin.close())

    test('minimal → imported 1; zero after it → deleted 1 (zero not significant); no value + DELETE → deleted 1; without DELETE → E7618', async () => {
        const first = await api.post('dataValueSets', fixture('dvs_request_minimal.json'))
        expect(first.status).toBe(200)
        expect(first.body).toMatchObject({ httpStatus: 'OK', httpStatusCode: 200, status: 'OK', message: 'Import was successful.' })
        expect(first.body.response.importCount).toEqual({ imported: 1, updated: 0, ignored: 0, deleted: 0 })
        expect(first.body.response.description).toBe('Import process completed successfully')

        const zero = await api.post('dataValueSets', fixture('dvs_request_zero_value.json'))
        expect(zero.body.response.importCount).toEqual({ imported: 0, updated: 0, ignored: 0, deleted: 1 })

        // A zero on a missing (soft-deleted) key is ignored, without conflict.
        const zeroAgain = await api.post('dataValueSets', fixture('dvs_request_zero_value.json'))
        expect(zeroAgain.status).toBe(200)
        expect(zeroAgain.body.response.importCount).toEqual({ imported: 0, updated: 0, ignored: 1, deleted: 0 })
        expect(zeroAgain.body.response.rejectedIndexes).toEqual([])

        // The soft-deleted key comes back as imported.
        const again = await api.post('dataValueSets', fixture('dvs_request_minimal.json'))
        expect(again.body.response.importCount.imported).toBe(1)

        const noValue = await api.post('dataValueSets', fixture('dvs_request_no_value_for_delete.json'))
        expect(noValue.status).toBe(409)
        expect(noValue.body.status).toBe('WARNING')
        expect(noValue.body.response.conflicts).toEqual([
            {
                object: 'f7n9E0hX8qk',
                objects: { dataElement: 'f7n9E0hX8qk' },
                value: 'Data value or comment not specified for data element: `f7n9E0hX8qk`',
                errorCode: 'E7618',
                property: 'value',
                indexes: [0],
            },
        ])
        const del = await api.post('dataValueSets?importStrategy=DELETE', fixture('dvs_request_no_value_for_delete.json'))
        expect(del.status).toBe(200)
        expect(del.body.response.importCount).toEqual({ imported: 0, updated: 0, ignored: 0, deleted: 1 })
        expect(del.body.response.importOptions.importStrategy).toBe('DELETE')

        const read = await api.get('dataValueSets?dataElement=f7n9E0hX8qk&period=201201&orgUnit=DiszpKrYNg8&includeDeleted=true')
        expect(read.body.dataValues).toHaveLength(1)
        expect(read.body.dataValues[0]).toMatchObject({ value: '10', deleted: true })
    })

    test('full value fields round-trip through GET /api/dataValueSets (created, lastUpdated, storedBy; comment written as null)', async () => {
        const res = await api.post('dataValueSets', fixture('dvs_request_full_value_fields.json'))
        expect(res.status).toBe(200)
        const read = await api.get('dataValueSets?dataElement=f7n9E0hX8qk&period=201201&orgUnit=DiszpKrYNg8')
        expect(read.body).toEqual({
            dataValues: [
                {
                    dataElement: 'f7n9E0hX8qk',
                    period: '201201',
                    orgUnit: 'DiszpKrYNg8',
                    categoryOptionCombo: DEFAULT_COC,
                    attributeOptionCombo: DEFAULT_COC,
                    value: '20',
                    storedBy: 'system',
                    created: '1988-12-21T23:59:38.000+0000',
                    lastUpdated: '1988-12-21T23:59:38.000+0000',
                    comment: null,
                    followup: false,
                },
            ],
        })
        expect(read.text).toContain('"comment":null')
    })

    test('header form: unknown header data set aborts (E7600); with its metadata the values import and `completedDate` (typo) does not complete', async () => {
        const body = fixture('dvs_request_header_form.json')
        const aborted = await api.post('dataValueSets', body)
        expect(aborted.status).toBe(409)
        expect(aborted.body.response.conflicts[0]).toEqual({
            object: 'VEM58nY22sO',
            objects: { dataSet: 'VEM58nY22sO' },
            value: 'Data set not found or not accessible: `VEM58nY22sO`',
            errorCode: 'E7600',
            property: 'dataSet',
        })
        const bo = (await api.get('organisationUnits?filter=code:eq:ML-BKO&fields=id')).body.organisationUnits[0].id
        const meta = await api.post('metadata', {
            organisationUnits: [{ id: 'O6uvpzGd5pu', name: 'Bo', shortName: 'Bo', openingDate: '1970-01-01', parent: { id: bo } }],
            categoryOptions: [
                { id: 'optFixA0001', name: 'Fixture A', shortName: 'Fixture A' },
                { id: 'optFixB0001', name: 'Fixture B', shortName: 'Fixture B' },
            ],
            categories: [{ id: 'catFix00001', name: 'Fixture category', shortName: 'Fixture category', categoryOptions: [{ id: 'optFixA0001' }, { id: 'optFixB0001' }] }],
            categoryCombos: [{ id: 'ccFix000001', name: 'Fixture combo', categories: [{ id: 'catFix00001' }] }],
            categoryOptionCombos: [
                { id: 'oPcWGgS2Liz', name: 'Fixture A', categoryCombo: { id: 'ccFix000001' }, categoryOptions: [{ id: 'optFixA0001' }] },
                { id: 'rtfSaMjPyq6', name: 'Fixture B', categoryCombo: { id: 'ccFix000001' }, categoryOptions: [{ id: 'optFixB0001' }] },
            ],
            dataElements: [
                { id: 'BjDrgVrkBI3', name: 'Fixture DE header', shortName: 'Fixture DE header', valueType: 'INTEGER', aggregationType: 'SUM', domainType: 'AGGREGATE', categoryCombo: { id: 'ccFix000001' } },
            ],
            dataSets: [{ id: 'VEM58nY22sO', name: 'Fixture set', shortName: 'Fixture set', periodType: 'Monthly', dataSetElements: [{ dataElement: { id: 'BjDrgVrkBI3' } }] }],
        })
        expect(meta.status).toBe(200)
        // The explicitly given COCs are kept (same option sets), none generated besides them.
        const cocs = await api.get('categoryOptionCombos?filter=categoryCombo.id:eq:ccFix000001&fields=id&paging=false')
        expect(cocs.body.categoryOptionCombos.map((c: any) => c.id).sort()).toEqual(['oPcWGgS2Liz', 'rtfSaMjPyq6'])

        const res = await api.post('dataValueSets', body)
        expect(res.status).toBe(200)
        expect(res.body.response.importCount).toEqual({ imported: 2, updated: 0, ignored: 0, deleted: 0 })
        expect(res.body.response.dataSetComplete).toBe('false')
        const read = await api.get('dataValueSets?dataSet=VEM58nY22sO&period=201911&orgUnit=O6uvpzGd5pu')
        expect(Object.keys(read.body)).toEqual(['dataSet', 'completeDate', 'period', 'orgUnit', 'dataValues'])
        expect(read.body.completeDate).toBeNull()
        expect(read.body.dataValues.map((v: any) => v.value).sort()).toEqual(['1000', '2000'])
    })

    test('CSV body (positional columns, header row skipped)', async () => {
        const res = await api.post('dataValueSets', fixtureText('dvs_request.csv'), { 'Content-Type': 'application/csv' })
        expect(res.status).toBe(200)
        const c = res.body.response.importCount
        expect(c.imported + c.updated).toBe(12)
        const read = await api.get('dataValueSets?dataElement=eY5ehpbEsB7&period=201202&orgUnit=BdfsJfj87js')
        expect(read.body.dataValues[0]).toMatchObject({ value: '10012', storedBy: 'john', comment: 'comment' })
    })

    test('DXF2 XML body is parsed (its header data set does not exist here: E7600 abort)', async () => {
        const res = await api.post('dataValueSets', fixtureText('dvs_request_dxf2.xml'), { 'Content-Type': 'application/xml' })
        expect(res.status).toBe(409)
        expect(res.body.response.conflicts[0].errorCode).toBe('E7600')
        expect(res.body.response.conflicts[0].object).toBe('pBOMPrpg1QX')
    })
})

describe('reference examples B, C, D (2.41)', () => {
    let standin: Standin
    let api: Api
    let ids: Record<string, string>
    beforeAll(async () => {
        ;({ standin, api } = await start({ version: '2.41.3' }))
        ids = await installRevenueMetadata(api)
    })
    afterAll(() => standin.close())

    test('Example B: 0 OK, 1 unknown element, 2 negative amount, 3 a month past expiry → 409 WARNING with exact conflicts', async () => {
        const coc = await revenueCoc(api, 'CH_CASH', 'SV_CONS')
        const ou = ids['ML-BKO-HDB']
        const res = await api.as(BRIDGE).post('dataValueSets?dataElementIdScheme=CODE', {
            dataSet: ids.REV_MONTHLY,
            dataValues: [
                { dataElement: 'REV', period: '202611', orgUnit: ou, categoryOptionCombo: coc, value: '125000' },
                { dataElement: 'REV_UNKNOWN', period: '202611', orgUnit: ou, categoryOptionCombo: coc, value: '5' },
                { dataElement: 'REV', period: '202609', orgUnit: ou, categoryOptionCombo: coc, value: '-300' },
                { dataElement: 'REV', period: '202301', orgUnit: ou, categoryOptionCombo: coc, value: '48000' },
            ],
        })
        expect(res.status).toBe(409)
        expect(res.body).toMatchObject({
            httpStatus: 'Conflict',
            httpStatusCode: 409,
            status: 'WARNING',
            message: 'One more conflicts encountered, please check import summary.',
        })
        expect(res.body.errorCode).toBeUndefined()
        const s = res.body.response
        expect(Object.keys(s)).toEqual(['responseType', 'status', 'importOptions', 'description', 'importCount', 'conflicts', 'rejectedIndexes', 'dataSetComplete'])
        expect(s).toMatchObject({ responseType: 'ImportSummary', status: 'WARNING', description: 'Import process completed successfully', dataSetComplete: 'false' })
        expect(s.importCount).toEqual({ imported: 1, updated: 0, ignored: 3, deleted: 0 })
        expect(s.conflicts).toEqual([
            {
                object: 'REV_UNKNOWN',
                objects: { dataElement: 'REV_UNKNOWN' },
                value: 'Data element not found or not accessible: `REV_UNKNOWN`',
                errorCode: 'E7610',
                property: 'dataElement',
                indexes: [1],
            },
            {
                object: ids.REV,
                objects: { dataElement: ids.REV, value: 'value_not_zero_or_positive_integer' },
                value: `Value must match value type of data element \`${ids.REV}\`: \`value_not_zero_or_positive_integer\``,
                errorCode: 'E7619',
                property: 'value',
                indexes: [2],
            },
            {
                object: '202301',
                objects: { period: '202301', dataSet: ids.REV_MONTHLY },
                value: `Current date is past expiry days for period: \`202301\`  and data set: \`${ids.REV_MONTHLY}\``,
                errorCode: 'E7640',
                property: 'period',
                indexes: [3],
            },
        ])
        expect(s.rejectedIndexes).toEqual([1, 2, 3])
        expect(s.importOptions.idSchemes).toEqual({ dataElementIdScheme: { type: 'CODE' } })
    })

    test('the importOptions echo has the reference field set', async () => {
        const res = await api.post('dataValueSets', {})
        expect(res.status).toBe(200)
        expect(res.body.response.importCount).toEqual({ imported: 0, updated: 0, ignored: 0, deleted: 0 })
        expect(res.body.response.importOptions).toEqual({
            idSchemes: {},
            dryRun: false,
            async: false,
            importStrategy: 'CREATE_AND_UPDATE',
            mergeMode: 'REPLACE',
            reportMode: 'FULL',
            skipExistingCheck: false,
            sharing: false,
            skipNotifications: false,
            skipAudit: false,
            datasetAllowsPeriods: false,
            strictPeriods: false,
            strictDataElements: false,
            strictCategoryOptionCombos: false,
            strictAttributeOptionCombos: false,
            strictOrganisationUnits: false,
            strictDataSetApproval: false,
            strictDataSetLocking: false,
            strictDataSetInputPeriods: false,
            requireCategoryOptionCombo: false,
            requireAttributeOptionCombo: false,
            skipPatternValidation: false,
            ignoreEmptyCollection: false,
            force: false,
            firstRowIsHeader: true,
            skipLastUpdated: false,
            mergeDataValues: false,
            skipCache: false,
        })
        const code = await api.post('dataValueSets?idScheme=code&preheatCache=true', {})
        expect(code.body.response.importOptions.idSchemes).toEqual({ idScheme: { type: 'CODE' } })
        expect(code.body.response.importOptions.preheatCache).toBe(true)
    })

    test('Example C: unknown header data set → 409 ERROR, aborted, no dataSetComplete', async () => {
        const res = await api.post('dataValueSets', { dataSet: 'NotADataSet', dataValues: [{ dataElement: ids.REV, period: '202610', orgUnit: ids['ML-BKO-HDB'], value: '1' }] })
        expect(res.status).toBe(409)
        expect(res.body).toMatchObject({ httpStatus: 'Conflict', httpStatusCode: 409, status: 'ERROR', message: 'An error occurred, please check import summary.' })
        expect(res.body.response).toEqual({
            responseType: 'ImportSummary',
            status: 'ERROR',
            importOptions: expect.any(Object),
            description: 'Import process was aborted',
            importCount: { imported: 0, updated: 0, ignored: 0, deleted: 0 },
            conflicts: [
                {
                    object: 'NotADataSet',
                    objects: { dataSet: 'NotADataSet' },
                    value: 'Data set not found or not accessible: `NotADataSet`',
                    errorCode: 'E7600',
                    property: 'dataSet',
                },
            ],
            rejectedIndexes: [],
        })
    })

    test('header org unit / attribute option combo not found abort with E7603 / E7604', async () => {
        const ou = await api.post('dataValueSets', { orgUnit: 'nopeOrgUnit', dataValues: [] })
        expect(ou.body.response.conflicts[0]).toMatchObject({ errorCode: 'E7603', objects: { organisationUnit: 'nopeOrgUnit' }, property: 'orgUnit' })
        const aoc = await api.post('dataValueSets', { attributeOptionCombo: 'nopeAoc0001', dataValues: [] })
        expect(aoc.body.response.conflicts[0]).toMatchObject({
            errorCode: 'E7604',
            objects: { categoryOptionCombo: 'nopeAoc0001' },
            property: 'attributeOptionCombo',
            value: 'Attribute option combo not found or not accessible: `nopeAoc0001`',
        })
    })

    test('Example D: unparsable body → 409 ERROR "The import process failed: …"', async () => {
        const res = await api.post('dataValueSets', '{"dataValues": [ {"dataElement": ')
        expect(res.status).toBe(409)
        expect(res.body.status).toBe('ERROR')
        expect(res.body.response.status).toBe('ERROR')
        expect(res.body.response.description).toMatch(/^The import process failed: /)
        expect(res.body.response.importCount).toEqual({ imported: 0, updated: 0, ignored: 0, deleted: 0 })
        expect(res.body.response.conflicts).toEqual([])
    })

    test('identical conflicts merge into one entry listing every index', async () => {
        const ou = ids['ML-BKO-HDB']
        const res = await api.post('dataValueSets', {
            dataValues: [
                { dataElement: 'noSuchDe001', period: '202610', orgUnit: ou, value: '1' },
                { dataElement: ids.REV_TOTAL, period: '2026W54', orgUnit: ou, value: '1' },
                { dataElement: 'noSuchDe001', period: '202609', orgUnit: ou, value: '2' },
                { dataElement: ids.REV_TOTAL, period: '2026W53', orgUnit: ou, value: '1' },
            ],
        })
        const c = res.body.response.conflicts
        expect(c).toHaveLength(3)
        expect(c[0]).toMatchObject({ errorCode: 'E7610', indexes: [0, 2] })
        expect(c[1]).toMatchObject({ errorCode: 'E7611', object: '2026W54', value: 'Period not valid: `2026W54`', property: 'period', indexes: [1] })
        // 2026 has 53 ISO weeks: 2026W53 parses (and starts after the latest open month, 202611); 2025W53 does not.
        expect(c[2]).toMatchObject({ errorCode: 'E7641', object: '2026W53', indexes: [3] })
        expect(res.body.response.rejectedIndexes).toEqual([0, 1, 2, 3])
        const w = await api.post('dataValueSets', { dataValues: [{ dataElement: ids.REV_TOTAL, period: '2025W53', orgUnit: ou, value: '1' }] })
        expect(w.body.response.conflicts[0].errorCode).toBe('E7611')
    })

    test('value type checks: translated text when a translation exists, raw key otherwise', async () => {
        const ou = ids['ML-BKO-HDB']
        const res = await api.post('dataValueSets', {
            dataValues: [
                { dataElement: ids.REV_TOTAL, period: '202610', orgUnit: ou, value: 'douze' },
                { dataElement: ids.REV_TOTAL, period: '202610', orgUnit: ou, value: '012' },
                { dataElement: ids.REV_TOTAL, period: '202610', orgUnit: ou, value: ' 12.50 ' },
            ],
        })
        const c = res.body.response.conflicts
        expect(c).toHaveLength(1)
        expect(c[0]).toMatchObject({
            errorCode: 'E7619',
            objects: { dataElement: ids.REV_TOTAL, value: 'value_not_numeric' },
            value: `Value must match value type of data element \`${ids.REV_TOTAL}\`: \`Data value is not numeric\``,
            indexes: [0, 1],
        })
        const read = await api.get(`dataValueSets?dataElement=${ids.REV_TOTAL}&period=202610&orgUnit=${ou}`)
        expect(read.body.dataValues[0].value).toBe('12.50')
    })
})

describe('counting semantics (§4.5)', () => {
    let standin: Standin
    let api: Api
    let ids: Record<string, string>
    let coc: string
    beforeAll(async () => {
        ;({ standin, api } = await start({ version: '2.41.3' }))
        ids = await installRevenueMetadata(api)
        coc = await revenueCoc(api, 'CH_OM', 'SV_PHARM')
    })
    afterAll(() => standin.close())
    const value = (period: string, v: string | undefined, extra: Record<string, unknown> = {}) => ({
        dataElement: ids.REV,
        period,
        orgUnit: ids['ML-BKO-HDB'],
        categoryOptionCombo: coc,
        ...(v === undefined ? {} : { value: v }),
        ...extra,
    })

    test('new → imported; changed → updated; unchanged → ignored (2.41); zero is significant here → stored', async () => {
        expect((await api.post('dataValueSets', { dataValues: [value('202610', '100')] })).body.response.importCount).toEqual({ imported: 1, updated: 0, ignored: 0, deleted: 0 })
        expect((await api.post('dataValueSets', { dataValues: [value('202610', '150')] })).body.response.importCount).toEqual({ imported: 0, updated: 1, ignored: 0, deleted: 0 })
        const same = await api.post('dataValueSets', { dataValues: [value('202610', '150')] })
        expect(same.status).toBe(200)
        expect(same.body.response.importCount).toEqual({ imported: 0, updated: 0, ignored: 1, deleted: 0 })
        expect(same.body.response.rejectedIndexes).toEqual([])
        expect((await api.post('dataValueSets', { dataValues: [value('202610', '150', { comment: 'corrigé' })] })).body.response.importCount.updated).toBe(1)
        expect((await api.post('dataValueSets', { dataValues: [value('202610', '0')] })).body.response.importCount.updated).toBe(1)
        const read = await api.get(`dataValueSets?dataElement=${ids.REV}&period=202610&orgUnit=${ids['ML-BKO-HDB']}`)
        expect(read.body.dataValues[0]).toMatchObject({ value: '0', comment: null, storedBy: 'admin' })
    })

    test('strategies: CREATE on existing, UPDATE/DELETE on missing → ignored and rejected without conflict; deleted:true → deleted', async () => {
        const create = await api.post('dataValueSets?importStrategy=CREATE', { dataValues: [value('202610', '5')] })
        expect(create.status).toBe(200)
        expect(create.body.response).toMatchObject({ status: 'SUCCESS', importCount: { imported: 0, updated: 0, ignored: 1, deleted: 0 }, conflicts: [], rejectedIndexes: [0] })
        const update = await api.post('dataValueSets?importStrategy=UPDATES', { dataValues: [value('202609', '5')] })
        expect(update.body.response).toMatchObject({ importCount: { ignored: 1 }, rejectedIndexes: [0] })
        expect(update.body.response.importOptions.importStrategy).toBe('UPDATES')
        const delMissing = await api.post('dataValueSets', { strategy: 'DELETE', dataValues: [value('202608', '5')] })
        expect(delMissing.body.response).toMatchObject({ importCount: { ignored: 1 }, rejectedIndexes: [0] })
        const flagged = await api.post('dataValueSets', { dataValues: [value('202610', '1', { deleted: true })] })
        expect(flagged.body.response.importCount).toEqual({ imported: 0, updated: 0, ignored: 0, deleted: 1 })
    })

    test('the same key twice in one payload: first counted, second dropped uncounted', async () => {
        const res = await api.post('dataValueSets', { dataValues: [value('202607', '10'), value('202607', '20')] })
        expect(res.body.response.importCount).toEqual({ imported: 1, updated: 0, ignored: 0, deleted: 0 })
        const read = await api.get(`dataValueSets?dataElement=${ids.REV}&period=202607&orgUnit=${ids['ML-BKO-HDB']}`)
        expect(read.body.dataValues.map((v: any) => v.value)).toEqual(['10'])
    })

    test('dryRun (URL or payload) counts without storing', async () => {
        const url = await api.post('dataValueSets?dryRun=true', { dataValues: [value('202606', '7')] })
        expect(url.body.response.importCount.imported).toBe(1)
        const payload = await api.post('dataValueSets', { dryRun: true, dataValues: [value('202606', '7')] })
        expect(payload.body.response.importCount.imported).toBe(1)
        expect(payload.body.response.importOptions.dryRun).toBe(false)
        const read = await api.get(`dataValueSets?dataElement=${ids.REV}&period=202606&orgUnit=${ids['ML-BKO-HDB']}`)
        expect(read.body.dataValues).toEqual([])
    })

    test('header period / orgUnit override the per-value ones; completeDate completes (future date clamped)', async () => {
        const res = await api.post('dataValueSets', {
            dataSet: ids.REV_MONTHLY,
            period: '202611',
            orgUnit: ids['ML-SIK-HRS'],
            completeDate: '2027-01-05',
            dataValues: [value('201001', '42')],
        })
        expect(res.status).toBe(200)
        expect(res.body.response.dataSetComplete).toBe('2026-11-23')
        const read = await api.get(`dataValueSets?dataSet=${ids.REV_MONTHLY}&period=202611&orgUnit=${ids['ML-SIK-HRS']}`)
        expect(read.body.completeDate).toBe('2026-11-23T00:00:00.000+0000')
        expect(read.body.dataValues).toHaveLength(1)
        expect(read.body.dataValues[0]).toMatchObject({ period: '202611', orgUnit: ids['ML-SIK-HRS'], value: '42' })
        const missing = await api.post('dataValueSets', { dataSet: ids.REV_MONTHLY, period: '202611', completeDate: '2026-11-20', dataValues: [] })
        expect(missing.status).toBe(409)
        expect(missing.body.response.conflicts).toEqual([{ object: 'OrganisationUnit', value: 'Must be provided to complete data set' }])
    })

    test('id schemes: URL orgUnitIdScheme=CODE, payload idScheme=CODE (payload beats URL), unknown code → E7612', async () => {
        const url = await api.post('dataValueSets?orgUnitIdScheme=CODE', { dataValues: [{ ...value('202605', '3'), orgUnit: 'ML-BKO-HDB' }] })
        expect(url.body.response.importCount.imported).toBe(1)
        const payload = await api.post('dataValueSets?idScheme=UID', {
            idScheme: 'CODE',
            dataValues: [{ dataElement: 'REV_TOTAL', period: '202605', orgUnit: 'ML-SIK-HRS', value: '9' }],
        })
        expect(payload.body.response.importCount.imported).toBe(1)
        const bad = await api.post('dataValueSets?orgUnitIdScheme=CODE', { dataValues: [{ ...value('202605', '3'), orgUnit: 'ML-NOPE' }] })
        expect(bad.body.response.conflicts[0]).toMatchObject({ errorCode: 'E7612', object: 'ML-NOPE', value: 'Organisation unit not found or not accessible: `ML-NOPE`' })
        const codes = await api.get(`dataValueSets?dataSet=${ids.REV_MONTHLY}&period=202605&orgUnit=ML&inputOrgUnitIdScheme=CODE&children=true&idScheme=CODE`)
        expect(codes.body.dataValues.map((v: any) => `${v.dataElement}@${v.orgUnit}`).sort()).toEqual(['REV@ML-BKO-HDB', 'REV_TOTAL@ML-SIK-HRS'])
        // COCs generated by the server have no code: written as null.
        expect(codes.body.dataValues.find((v: any) => v.dataElement === 'REV').categoryOptionCombo).toBeNull()
        expect(codes.body.dataValues.find((v: any) => v.dataElement === 'REV_TOTAL').categoryOptionCombo).toBe('default')
    })
})

describe('locking, future periods, input periods, hierarchy, authorities', () => {
    let standin: Standin
    let api: Api
    let ids: Record<string, string>
    beforeAll(async () => {
        ;({ standin, api } = await start({ version: '2.41.3' }))
        ids = await installRevenueMetadata(api, { openFuturePeriods: 0, expiryDays: 0 })
    })
    afterAll(() => standin.close())
    const v = (period: string, ou = 'ML-BKO-HDB') => ({ dataElement: ids.REV_TOTAL, period, orgUnit: ids[ou] ?? ou, value: '1' })

    test('openFuturePeriods 0: the running month is rejected (E7641); the previous month is open', async () => {
        const res = await api.as(BRIDGE).post('dataValueSets', { dataValues: [v('202611'), v('202610')] })
        expect(res.status).toBe(409)
        expect(res.body.response.importCount.imported).toBe(1)
        expect(res.body.response.conflicts).toEqual([
            {
                object: '202611',
                objects: { period: '202611', dataElement: ids.REV_TOTAL, dataSet: ids.REV_MONTHLY },
                value: `Period: \`202611\` is after latest open future period: \`202610\` for data element: \`${ids.REV_TOTAL}\` and data set: \`${ids.REV_MONTHLY}\``,
                errorCode: 'E7641',
                property: 'period',
                indexes: [0],
            },
        ])
        await api.post('metadata', { dataSets: [{ ...(await api.get(`dataSets/${ids.REV_MONTHLY}?fields=:owner`)).body, openFuturePeriods: 1 }] })
        const open = await api.as(BRIDGE).post('dataValueSets', { dataValues: [v('202611')] })
        expect(open.status).toBe(200)
    })

    test('expiry: locked for a non-superuser, not for ALL; no target data set (org unit not assigned) → no check', async () => {
        standin.hooks.patchDataSet('REV_MONTHLY', { expiryDays: 10 })
        const bridge = await api.as(BRIDGE).post('dataValueSets', { dataValues: [v('202609')] })
        expect(bridge.body.response.conflicts[0].errorCode).toBe('E7640')
        const admin = await api.post('dataValueSets', { dataValues: [v('202609')] })
        expect(admin.status).toBe(200)
        const unassigned = await api.as(BRIDGE).post('dataValueSets', { dataValues: [v('202609', 'ML-BKO-CHUGT')] })
        expect(unassigned.status).toBe(200)
        // …unless strictOrganisationUnits
        const strict = await api.as(BRIDGE).post('dataValueSets?strictOrganisationUnits=true', { dataValues: [v('202609', 'ML-BKO-CHUGT')] })
        expect(strict.body.response.conflicts[0]).toMatchObject({ errorCode: 'E7636', objects: { organisationUnit: ids['ML-BKO-CHUGT'], dataElement: ids.REV_TOTAL } })
        expect(strict.body.response.importOptions.strictOrganisationUnits).toBe(true)
        standin.hooks.patchDataSet('REV_MONTHLY', { expiryDays: 0 })
    })

    test('data input periods: a closed window → E7643', async () => {
        const ds = (await api.get(`dataSets/${ids.REV_MONTHLY}?fields=:owner`)).body
        await api.post('metadata', { dataSets: [{ ...ds, dataInputPeriods: [{ period: { id: '202610' }, openingDate: '2026-11-01', closingDate: '2026-11-10' }] }] })
        const res = await api.as(BRIDGE).post('dataValueSets', { dataValues: [v('202610')] })
        expect(res.body.response.conflicts[0]).toMatchObject({
            errorCode: 'E7643',
            value: `Period: \`202610\` is not open for this data set at this time: \`${ids.REV_MONTHLY}\``,
        })
        await api.post('metadata', { dataSets: [{ ...ds, dataInputPeriods: [] }] })
    })

    test('org unit outside the capture hierarchy → E7617 (user uid as second argument)', async () => {
        const me = (await api.as(BRIDGE).get('me?fields=id')).body.id
        const res = await api.as(BRIDGE).post('dataValueSets', { dataValues: [v('202610', 'inVD5SdytkT')] })
        expect(res.body.response.conflicts[0]).toEqual({
            object: 'inVD5SdytkT',
            objects: { organisationUnit: 'inVD5SdytkT', user: me },
            value: `Organisation unit: \`inVD5SdytkT\` not in hierarchy of current user: \`${me}\``,
            errorCode: 'E7617',
            property: 'orgUnit',
            indexes: [0],
        })
    })

    test('missing authority → 403 "Access is denied" (no errorCode)', async () => {
        const res = await api.as(OFFICER).post('dataValueSets', { dataValues: [] })
        expect(res.status).toBe(403)
        expect(res.body).toEqual({ httpStatus: 'Forbidden', httpStatusCode: 403, status: 'ERROR', message: 'Access is denied' })
    })

    test('/api/37/dataValueSets answers the bare summary before 2.42; /api/41 wraps', async () => {
        const bare = await api.post('/api/37/dataValueSets', { dataValues: [v('202610')] })
        expect(bare.body.responseType).toBe('ImportSummary')
        expect(bare.body.httpStatusCode).toBeUndefined()
        const wrapped = await api.post('/api/41/dataValueSets', { dataValues: [v('202610')] })
        expect(wrapped.body.response.responseType).toBe('ImportSummary')
    })
})

describe('version matrix', () => {
    const cases: Array<[string, boolean, 'updated' | 'ignored']> = [
        ['2.39.1', false, 'updated'],
        ['2.39.2', true, 'updated'],
        ['2.39.4', true, 'updated'],
        ['2.39.5', true, 'ignored'],
        ['2.40.0', false, 'updated'],
        ['2.40.1', true, 'updated'],
        ['2.40.2', true, 'updated'],
        ['2.40.3', true, 'ignored'],
        ['2.41.0', true, 'ignored'],
        ['2.42.1', true, 'ignored'],
    ]
    test.each(cases)('%s: rejectedIndexes present=%s, unchanged re-post counted as %s', async (version, rejected, unchanged) => {
        const { standin, api } = await start({ version, seedFixtures: false })
        try {
            await installDvsFixtureMetadata(api)
            await api.post('dataValueSets', fixture('dvs_request_minimal.json'))
            const again = await api.post('dataValueSets', fixture('dvs_request_minimal.json'))
            expect(again.status).toBe(200)
            expect(again.body.response.importCount[unchanged]).toBe(1)
            expect('rejectedIndexes' in again.body.response).toBe(rejected)
        } finally {
            await standin.close()
        }
    })

    test('2.42: 403 names the authority; expiry compares one day later', async () => {
        const { standin, api } = await start({ version: '2.42.1' })
        try {
            const denied = await api.as(OFFICER).post('dataValueSets', { dataValues: [] })
            expect(denied.body.message).toBe('Access is denied, requires one Authority from [F_DATAVALUE_ADD]')
            // 202610 ends 2026-10-31; with expiryDays 23 it locks on 2026-11-23 before 2.42, on 2026-11-24 in 2.42.
            const ids = await installRevenueMetadata(api, { expiryDays: 23 })
            const res = await api.as(BRIDGE).post('dataValueSets', { dataValues: [{ dataElement: ids.REV_TOTAL, period: '202610', orgUnit: ids['ML-BKO-HDB'], value: '1' }] })
            expect(res.status).toBe(200)
            standin.hooks.setToday('2026-11-24')
            const later = await api.as(BRIDGE).post('dataValueSets', { dataValues: [{ dataElement: ids.REV_TOTAL, period: '202610', orgUnit: ids['ML-BKO-HDB'], value: '2' }] })
            expect(later.body.response.conflicts[0].errorCode).toBe('E7640')
        } finally {
            await standin.close()
        }
        const old = await start({ version: '2.41.3' })
        try {
            const ids = await installRevenueMetadata(old.api, { expiryDays: 23 })
            const res = await old.api.as(BRIDGE).post('dataValueSets', { dataValues: [{ dataElement: ids.REV_TOTAL, period: '202610', orgUnit: ids['ML-BKO-HDB'], value: '1' }] })
            expect(res.body.response.conflicts[0].errorCode).toBe('E7640')
        } finally {
            await old.standin.close()
        }
    })
})

describe('GET /api/dataValueSets errors (§6)', () => {
    let standin: Standin
    let api: Api
    beforeAll(async () => {
        ;({ standin, api } = await start())
    })
    afterAll(() => standin.close())

    test.each([
        ['dataValueSets?period=202401&orgUnit=x', 'E2001', 'At least one data element, data set or data element group must be specified'],
        ['dataValueSets?dataSet=tS4D4c2HiTk&orgUnit=x', 'E2002', 'At least one period, start/end dates, last updated or last updated duration must be specified'],
        ['dataValueSets?dataSet=tS4D4c2HiTk&period=202401&startDate=2024-01-01&endDate=2024-02-01&orgUnit=x', 'E2003', 'Both periods and start/end date cannot be specified'],
        ['dataValueSets?dataSet=tS4D4c2HiTk&startDate=2024-03-01&endDate=2024-02-01&orgUnit=x', 'E2004', 'Start date must be before end date'],
        ['dataValueSets?dataSet=tS4D4c2HiTk&period=202401', 'E2006', 'At least one organisation unit or organisation unit group must be specified'],
    ])('%s → 409 %s', async (path, code, message) => {
        const res = await api.get(path)
        expect(res.status).toBe(409)
        expect(res.body).toEqual({ httpStatus: 'Conflict', httpStatusCode: 409, status: 'ERROR', message, errorCode: code })
    })

    test('E2012 for an org unit outside the user hierarchy', async () => {
        const res = await api.as(BRIDGE).get('dataValueSets?dataSet=tS4D4c2HiTk&period=202401&orgUnit=inVD5SdytkT')
        expect(res.status).toBe(409)
        expect(res.body).toMatchObject({ errorCode: 'E2012', message: 'User is not allowed to view org unit: `inVD5SdytkT`' })
    })

    test('plain form when several org units are asked for', async () => {
        const res = await api.get(`dataValueSets?dataSet=tS4D4c2HiTk&period=202401&orgUnit=inVD5SdytkT&orgUnit=${(await api.get('organisationUnits?filter=code:eq:ML&fields=id')).body.organisationUnits[0].id}`)
        expect(res.status).toBe(200)
        expect(res.body).toEqual({ dataValues: [] })
        void ADMIN
    })
})
