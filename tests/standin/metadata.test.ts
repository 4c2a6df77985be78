/**
 * Metadata import (reference §3.2) and reads (§3.1): fixtures, generated category option combos,
 * identifiers, validation envelopes, fields/filter/paging/order.
 */
import type { Standin } from '../../standin'
import { ADMIN, Api, BRIDGE, fixture, installRevenueMetadata, start } from './helpers'

describe('POST /api/metadata', () => {
    let standin: Standin
    let api: Api
    beforeAll(async () => {
        ;({ standin, api } = await start({ seedFixtures: false }))
    })
    afterAll(() => standin.close())

    test('the data set / element / combo fixture imports; COCs are generated with distinct UIDs and option names', async () => {
        const res = await api.post('metadata', fixture('metadata_dataset_dataelement_catcombo.json'))
        expect(res.status).toBe(200)
        expect(res.body).toEqual({
            httpStatus: 'OK',
            httpStatusCode: 200,
            status: 'OK',
            response: {
                responseType: 'ImportReport',
                status: 'OK',
                stats: { created: 7, updated: 0, deleted: 0, ignored: 0, total: 7 },
                typeReports: expect.any(Array),
            },
        })
        const klasses = res.body.response.typeReports.map((t: any) => [t.klass, t.stats.created])
        expect(klasses).toEqual([
            ['org.hisp.dhis.category.CategoryOption', 2],
            ['org.hisp.dhis.category.Category', 1],
            ['org.hisp.dhis.category.CategoryCombo', 2],
            ['org.hisp.dhis.dataelement.DataElement', 1],
            ['org.hisp.dhis.dataset.DataSet', 1],
        ])
        const combo = await api.get('categoryCombos/UBCZTtKoxWg?fields=id,name,categories[id,name,categoryOptions[id,code,name]],categoryOptionCombos[id,code,name,categoryOptions[id,code]]')
        const cocs = combo.body.categoryOptionCombos
        expect(cocs.map((c: any) => c.name).sort()).toEqual(['Female3', 'Male3'])
        expect(cocs.every((c: any) => /^[a-zA-Z][a-zA-Z0-9]{10}$/.test(c.id))).toBe(true)
        const other = await api.get('categoryOptionCombos?filter=categoryCombo.id:eq:UBCZTtKoxWh&fields=id,name,categoryOptions[code]&paging=false')
        const all = [...cocs, ...other.body.categoryOptionCombos].map((c: any) => c.id)
        expect(new Set(all).size).toBe(4)
        // Re-posting identical content counts as updated and keeps the COC UIDs.
        const again = await api.post('metadata', fixture('metadata_dataset_dataelement_catcombo.json'))
        expect(again.body.response.stats).toEqual({ created: 0, updated: 7, deleted: 0, ignored: 0, total: 7 })
        const after = await api.get('categoryCombos/UBCZTtKoxWg?fields=categoryOptionCombos[id]')
        expect(after.body.categoryOptionCombos.map((c: any) => c.id).sort()).toEqual(cocs.map((c: any) => c.id).sort())
    })

    test('org units with parent given before the parent (fixture): paths and levels', async () => {
        const res = await api.post('metadata', fixture('metadata_orgunits_with_parent.json'))
        expect(res.body.response.stats.created).toBe(4)
        const ous = await api.get('organisationUnits?filter=parent.id:eq:inVD5SdytkT&fields=name,level,path&order=name:desc&paging=false')
        expect(ous.body.organisationUnits.map((o: any) => o.name)).toEqual(['OrgUnitD', 'OrgUnitC', 'OrgUnitB'])
        for (const o of ous.body.organisationUnits) {
            expect(o.level).toBe(2)
            expect(o.path).toMatch(/^\/inVD5SdytkT\/[a-zA-Z][a-zA-Z0-9]{10}$/)
        }
    })

    test('the event program fixture is stored generically', async () => {
        const res = await api.post('metadata', fixture('metadata_event_program.json'))
        expect(res.status).toBe(200)
        const p = await api.get('programs/BJ42SUrAvHo?fields=id,name,programType')
        expect(p.body).toEqual({ id: 'BJ42SUrAvHo', name: 'Program with user assignment', programType: 'WITHOUT_REGISTRATION' })
    })

    test('validation: E4000, E5002, E5003 → 409 WARNING, everything ignored under atomicMode=ALL', async () => {
        const res = await api.post('metadata', {
            dataElements: [
                { name: 'Valide', shortName: 'Valide', valueType: 'NUMBER', aggregationType: 'SUM', domainType: 'AGGREGATE' },
                { name: 'Sans nom court', valueType: 'NUMBER', aggregationType: 'SUM', domainType: 'AGGREGATE' },
                { name: 'Mauvaise référence', shortName: 'Mauvaise ref', valueType: 'NUMBER', aggregationType: 'SUM', domainType: 'AGGREGATE', categoryCombo: { id: 'noSuchCombo' } },
                { name: 'NB_INSUREES', shortName: 'Doublon', code: 'NB_INSUREES', valueType: 'NUMBER', aggregationType: 'SUM', domainType: 'AGGREGATE' },
            ],
        })
        expect(res.status).toBe(409)
        expect(res.body).toMatchObject({ httpStatus: 'Conflict', httpStatusCode: 409, status: 'WARNING', message: 'One or more errors occurred, please see full details in import report.' })
        const report = res.body.response
        expect(report.status).toBe('ERROR')
        expect(report.stats).toEqual({ created: 0, updated: 0, deleted: 0, ignored: 4, total: 4 })
        const objectReports = report.typeReports[0].objectReports
        expect(objectReports.map((o: any) => o.index)).toEqual([1, 2, 3])
        expect(objectReports[0].errorReports).toEqual([
            {
                message: 'Missing required property `shortName`',
                mainKlass: 'org.hisp.dhis.dataelement.DataElement',
                errorKlass: 'java.lang.String',
                errorProperty: 'shortName',
                errorCode: 'E4000',
            },
        ])
        expect(objectReports[1].errorReports[0]).toMatchObject({ errorCode: 'E5002', errorKlass: 'org.hisp.dhis.category.CategoryCombo', errorProperty: 'categoryCombo' })
        expect(objectReports[2].errorReports.map((e: any) => [e.errorCode, e.errorProperty])).toEqual([
            ['E5003', 'code'],
            ['E5003', 'name'],
        ])
        expect((await api.get('dataElements?filter=name:eq:Valide')).body.dataElements).toEqual([])

        const none = await api.post('metadata?atomicMode=NONE', { dataElements: [{ name: 'Valide', shortName: 'Valide', valueType: 'NUMBER', aggregationType: 'SUM', domainType: 'AGGREGATE' }, { name: 'X' }] })
        expect(none.status).toBe(409)
        expect(none.body.status).toBe('WARNING')
        expect(none.body.response.status).toBe('WARNING')
        expect(none.body.response.stats).toEqual({ created: 1, updated: 0, deleted: 0, ignored: 1, total: 2 })
        expect((await api.get('dataElements?filter=name:eq:Valide')).body.dataElements).toHaveLength(1)
    })

    test('identifier=CODE updates the object with that code and keeps its UID; importReportMode=FULL lists every object', async () => {
        const before = (await api.get('dataElements?filter=code:eq:NB_INSUREES&fields=id')).body.dataElements[0].id
        const res = await api.post('metadata?identifier=CODE&importReportMode=FULL', {
            dataElements: [{ code: 'NB_INSUREES', name: 'Assurés', shortName: 'Assurés', valueType: 'INTEGER', aggregationType: 'SUM', domainType: 'AGGREGATE' }],
        })
        expect(res.body.response.stats.updated).toBe(1)
        expect(res.body.response.typeReports[0].objectReports).toEqual([{ klass: 'org.hisp.dhis.dataelement.DataElement', index: 0, uid: before, errorReports: [] }])
        const after = await api.get(`dataElements/${before}?fields=id,name,valueType,categoryCombo`)
        // An update overwrites every property: the category combo falls back to default.
        expect(after.body).toEqual({ id: before, name: 'Assurés', valueType: 'INTEGER', categoryCombo: { id: 'bjDvmb4bfuf' } })
        // Under UID (default) the same payload without id is a duplicate.
        const dup = await api.post('metadata', { dataElements: [{ code: 'NB_INSUREES', name: 'Autre', shortName: 'Autre', valueType: 'INTEGER', aggregationType: 'SUM', domainType: 'AGGREGATE' }] })
        expect(dup.body.response.typeReports[0].objectReports[0].errorReports[0].errorCode).toBe('E5003')
    })

    test('strategies CREATE / UPDATE / DELETE: E5000, E5001, deleted', async () => {
        const create = await api.post('metadata?importStrategy=CREATE', { categoryOptions: [{ id: 'j8ft17oIEID', name: 'Male3', shortName: 'M' }] })
        expect(create.body.response.typeReports[0].objectReports[0].errorReports[0].errorCode).toBe('E5000')
        const update = await api.post('metadata?importStrategy=UPDATE', { categoryOptions: [{ id: 'abcdefghijk', name: 'Nope', shortName: 'Nope' }] })
        expect(update.body.response.typeReports[0].objectReports[0].errorReports[0].errorCode).toBe('E5001')
        await api.post('metadata', { categoryOptions: [{ id: 'tmpOption01', name: 'Temporaire', shortName: 'Temp' }] })
        const del = await api.post('metadata?importStrategy=DELETE', { categoryOptions: [{ id: 'tmpOption01' }] })
        expect(del.body.response.stats).toEqual({ created: 0, updated: 0, deleted: 1, ignored: 0, total: 1 })
        expect((await api.get('categoryOptions/tmpOption01')).status).toBe(404)
    })

    test('adding an option to a category regenerates COCs without changing existing UIDs', async () => {
        const ids = await installRevenueMetadata(api)
        const before = (await api.get(`categoryCombos/${ids.CC_CH_SV}?fields=categoryOptionCombos[id,name]`)).body.categoryOptionCombos
        expect(before).toHaveLength(6)
        expect(before.map((c: any) => c.name)).toContain('Espèces, Consultation')
        const cat = (await api.get(`categories/${ids.CAT_CHANNEL}?fields=:owner`)).body
        const res = await api.post('metadata', {
            categoryOptions: [{ id: 'optMoovMon1', code: 'CH_MOOV', name: 'Moov Money', shortName: 'Moov Money' }],
            categories: [{ ...cat, categoryOptions: [...cat.categoryOptions, { id: 'optMoovMon1' }] }],
        })
        expect(res.status).toBe(200)
        const after = (await api.get(`categoryCombos/${ids.CC_CH_SV}?fields=categoryOptionCombos[id,name]`)).body.categoryOptionCombos
        expect(after).toHaveLength(8)
        for (const c of before) expect(after).toContainEqual(c)
        expect(after.map((c: any) => c.name)).toEqual(expect.arrayContaining(['Moov Money, Consultation', 'Moov Money, Pharmacie']))
    })

    test('translations are stored; displayName follows ?locale=', async () => {
        await api.post('metadata', {
            dataElements: [
                {
                    id: 'trDataElem1',
                    code: 'TR_DE',
                    name: 'Recettes encaissées (FCFA)',
                    shortName: 'Recettes encaissées',
                    valueType: 'NUMBER',
                    aggregationType: 'SUM',
                    domainType: 'AGGREGATE',
                    translations: [{ property: 'NAME', locale: 'en', value: 'Revenue collected (FCFA)' }],
                },
            ],
        })
        const fr = await api.get('dataElements/trDataElem1?fields=name,displayName,translations')
        expect(fr.body).toEqual({ name: 'Recettes encaissées (FCFA)', displayName: 'Recettes encaissées (FCFA)', translations: [{ property: 'NAME', locale: 'en', value: 'Revenue collected (FCFA)' }] })
        const en = await api.get('dataElements/trDataElem1?fields=displayName,displayShortName&locale=en')
        expect(en.body).toEqual({ displayName: 'Revenue collected (FCFA)', displayShortName: 'Recettes encaissées' })
    })

    test('data set ↔ org unit: POST /api/dataSets/{uid}/organisationUnits/{ou} (204) and the org unit side `dataSets`', async () => {
        const ids = await installRevenueMetadata(api)
        const add = await api.as(BRIDGE).post(`dataSets/${ids.REV_MONTHLY}/organisationUnits/${ids['ML-BKO-CHUGT']}`)
        expect(add.status).toBe(204)
        const ds = await api.get(`dataSets/${ids.REV_MONTHLY}?fields=organisationUnits[code]`)
        expect(ds.body.organisationUnits.map((o: any) => o.code).sort()).toEqual(['ML-BKO-CHUGT', 'ML-BKO-HDB', 'ML-SIK-HRS'])
        const ou = (await api.get(`organisationUnits/${ids['ML-SIK-HRS']}?fields=:owner`)).body
        await api.post('metadata', { organisationUnits: [{ ...ou, dataSets: [] }] })
        const after = await api.get(`organisationUnits/${ids['ML-SIK-HRS']}?fields=dataSets`)
        expect(after.body.dataSets).toEqual([])
        const de = await api.get(`dataElements/${ids.REV}?fields=dataSetElements[dataSet[code]],categoryCombo[code]`)
        expect(de.body).toEqual({ dataSetElements: [{ dataSet: { code: 'REV_MONTHLY' } }], categoryCombo: { code: 'CC_CH_SV' } })
    })

    test('the bridge (F_METADATA_IMPORT) may import; a :owner read re-posts unchanged', async () => {
        const ds = (await api.get('dataSets?filter=code:eq:REV_MONTHLY&fields=:owner')).body.dataSets[0]
        expect(ds.displayName).toBeUndefined()
        expect(ds.href).toBeUndefined()
        const res = await api.as(BRIDGE).post('metadata', { dataSets: [{ ...ds, expiryDays: 10 }] })
        expect(res.status).toBe(200)
        expect(res.body.response.stats.updated).toBe(1)
        expect((await api.get(`dataSets/${ds.id}?fields=expiryDays`)).body.expiryDays).toBe(10)
    })
})

describe('metadata reads', () => {
    let standin: Standin
    let api: Api
    beforeAll(async () => {
        ;({ standin, api } = await start())
    })
    afterAll(() => standin.close())

    test('default list fields id,displayName; pager with absolute prev/next links; paging=false', async () => {
        const page2 = await api.get('organisationUnits?pageSize=5&page=2')
        expect(page2.body.pager).toEqual({
            page: 2,
            total: 14,
            pageSize: 5,
            pageCount: 3,
            prevPage: `${standin.url}/api/organisationUnits?page=1&pageSize=5`,
            nextPage: `${standin.url}/api/organisationUnits?page=3&pageSize=5`,
        })
        expect(Object.keys(page2.body.organisationUnits[0])).toEqual(['id', 'displayName'])
        const first = await api.get('organisationUnits')
        expect(first.body.pager.prevPage).toBeUndefined()
        expect(first.body.pager.nextPage).toBeUndefined()
        const all = await api.get('organisationUnits?paging=false&fields=code')
        expect(Object.keys(all.body)).toEqual(['organisationUnits'])
    })

    test('filters: eq, in, like, ilike, nested paths, null, level, rootJunction=OR, order', async () => {
        const q = async (f: string) =>
            (await api.get(`organisationUnits?paging=false&fields=code&${f}`)).body.organisationUnits.map((o: any) => o.code ?? null)
        expect(await q('filter=code:eq:ML-BKO')).toEqual(['ML-BKO'])
        expect(await q('filter=code:in:[ML-SIK,ML-KAY]&order=code:asc')).toEqual(['ML-KAY', 'ML-SIK'])
        expect(await q('filter=name:like:Hôpital&order=code:asc')).toEqual(['ML-BKO-HDB', 'ML-KAY-HRK', 'ML-SIK-HRS'])
        expect(await q('filter=name:ilike:chu&order=code:desc')).toEqual(['ML-BKO-CHUPG', 'ML-BKO-CHUGT'])
        expect(await q('filter=parent.code:eq:ML&order=code:asc')).toEqual(['ML-BKO', 'ML-KAY', 'ML-SIK'])
        expect(await q('filter=level:eq:3&filter=parent.code:eq:ML-SIK')).toEqual(['ML-SIK-HRS'])
        expect(await q('filter=code:eq:ML-SIK&filter=code:eq:ML-KAY&rootJunction=OR&order=code:asc')).toEqual(['ML-KAY', 'ML-SIK'])
        expect(await q('filter=code:null')).toEqual([null, null, null, null])
        expect(await q('filter=code:$like:ML-BKO-&filter=code:!eq:ML-BKO-HDB&order=code:asc')).toEqual(['ML-BKO-CHUGT', 'ML-BKO-CHUPG', 'ML-BKO-CSREF4'])
        const dataSetFilter = await api.get('dataElements?filter=dataSetElements.dataSet.id:eq:tS4D4c2HiTk&fields=code')
        expect(dataSetFilter.body.dataElements).toEqual([{ code: 'NB_INSUREES' }])
        const def = await api.get('categoryOptionCombos?filter=name:eq:default&fields=id')
        expect(def.body.categoryOptionCombos).toEqual([{ id: 'HllvX50cXC0' }])
    })

    test('fields: nesting, presets, exclusion, rename', async () => {
        const ds = await api.get(
            'dataSets/tS4D4c2HiTk?fields=id,code,name,periodType,expiryDays,openFuturePeriods,categoryCombo[id,name],dataInputPeriods,dataSetElements[dataElement[id,code,valueType,categoryCombo[id]]],organisationUnits'
        )
        expect(ds.body).toEqual({
            id: 'tS4D4c2HiTk',
            code: 'Enrolment',
            name: 'Enrolment',
            periodType: 'Monthly',
            expiryDays: 0,
            openFuturePeriods: 0,
            categoryCombo: { id: 'UBCZTtKoxWg', name: 'ageGroup_sex' },
            dataInputPeriods: [],
            dataSetElements: [{ dataElement: { id: 'IjXDFHSWw8n', code: 'NB_INSUREES', valueType: 'NUMBER', categoryCombo: { id: 'UBCZTtKoxWh' } } }],
            organisationUnits: [],
        })
        const ident = await api.get('categoryOptions/j8ft17oIEID?fields=:identifiable,!created,!lastUpdated')
        expect(ident.body).toEqual({ id: 'j8ft17oIEID', name: 'Male3', code: 'M', href: `${standin.url}/api/categoryOptions/j8ft17oIEID` })
        const star = await api.get('categoryOptions/j8ft17oIEID')
        expect(star.body).toMatchObject({ id: 'j8ft17oIEID', displayName: 'Male3', shortName: 'M', categories: [{ id: 'Tv9b9dYOHMG' }] })
        const renamed = await api.get('categories/Tv9b9dYOHMG?fields=id~rename(uid),categoryOptions~size')
        expect(renamed.body).toEqual({ uid: 'Tv9b9dYOHMG', categoryOptions: 2 })
    })

    test('unknown UID → 404 E1005 "<Klass> with id X could not be found."', async () => {
        const res = await api.get('dataSets/abc')
        expect(res.status).toBe(404)
        expect(res.body).toEqual({ httpStatus: 'Not Found', httpStatusCode: 404, status: 'ERROR', message: 'DataSet with id abc could not be found.', errorCode: 'E1005' })
    })

    test('single-object CRUD: POST 201 ObjectReport + Location, PUT 200, DELETE 200, validation 409', async () => {
        const created = await api.post('categoryOptions', { name: 'Wave', shortName: 'Wave', code: 'CH_WAVE' })
        expect(created.status).toBe(201)
        expect(created.body.response).toMatchObject({ responseType: 'ObjectReport', klass: 'org.hisp.dhis.category.CategoryOption', errorReports: [] })
        const uid = created.body.response.uid
        expect(created.headers.get('location')).toBe(`${standin.url}/api/categoryOptions/${uid}`)
        const put = await api.put(`categoryOptions/${uid}`, { name: 'Wave Mobile Money', shortName: 'Wave', code: 'CH_WAVE' })
        expect(put.status).toBe(200)
        expect((await api.get(`categoryOptions/${uid}?fields=name`)).body).toEqual({ name: 'Wave Mobile Money' })
        const invalid = await api.post('categoryOptions', { name: 'Sans nom court' })
        expect(invalid.status).toBe(409)
        expect(invalid.body.response.errorReports[0].errorCode).toBe('E4000')
        expect((await api.delete(`categoryOptions/${uid}`)).status).toBe(200)
        expect((await api.get(`categoryOptions/${uid}`)).status).toBe(404)
    })

    test('organisationUnitLevels', async () => {
        const res = await api.get('organisationUnitLevels?fields=name,level&order=level:asc&paging=false')
        expect(res.body.organisationUnitLevels).toEqual([
            { name: 'Pays', level: 1 },
            { name: 'Région', level: 2 },
            { name: 'Établissement', level: 3 },
        ])
    })

    test('hooks.addOrgUnits adds facilities through the importer (benchmarks)', async () => {
        const units = Array.from({ length: 200 }, (_, i) => ({ code: `ML-BKO-F${i}`, name: `Formation ${i}`, parent: 'ML-BKO' }))
        const report = standin.hooks.addOrgUnits(units)
        expect(report.stats.created).toBe(200)
        const res = await api.get('organisationUnits?filter=code:$like:ML-BKO-F&fields=level&paging=false')
        expect(res.body.organisationUnits).toHaveLength(200)
        expect(res.body.organisationUnits.every((o: any) => o.level === 3)).toBe(true)
        void ADMIN
    })
})
