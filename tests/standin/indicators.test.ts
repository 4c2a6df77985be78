/**
 * Indicators, indicator types and groups, visualizations and dashboards in the stand-in
 * (docs/dhis2-native.md): metadata import and read-back, and indicator values in analytics
 * computed as DHIS2 does — operands aggregated over the cell's periods and org units first, then
 * numerator × factor ÷ denominator, no value on a zero or missing denominator or when every operand
 * of an expression is missing, 2 decimals (or the indicator's `decimals`), whole values as "x.0".
 */
import type { Standin } from '../../standin'
import { Api, installRevenueMetadata, revenueCoc, sleep, start } from './helpers'

async function refresh(api: Api): Promise<void> {
    const res = await api.post('resourceTables/analytics')
    const id = res.body.response.id
    for (let i = 0; i < 200; i++) {
        const t = await api.get(`system/tasks/ANALYTICS_TABLE/${id}`)
        if (t.body.length && t.body[0].completed) return
        await sleep(10)
    }
    throw new Error('analytics job did not complete')
}

interface Value {
    period: string
    ou: string
    coc: string
    value: number
}

describe('stand-in: indicators and dashboards', () => {
    let standin: Standin
    let api: Api
    let ids: Record<string, string>
    const coc: Record<string, string> = {}
    const values: Value[] = []
    const ind: Record<string, string> = {}

    beforeAll(async () => {
        ;({ standin, api } = await start({ version: '2.40.4' }))
        ids = await installRevenueMetadata(api)
        for (const ch of ['CH_CASH', 'CH_OM', 'CH_CARD']) for (const sv of ['SV_CONS', 'SV_PHARM']) coc[`${ch}|${sv}`] = await revenueCoc(api, ch, sv)
        const rows: Array<[string, string, string, number]> = [
            ['202609', 'ML-BKO-HDB', 'CH_CASH|SV_CONS', 1000],
            ['202609', 'ML-BKO-HDB', 'CH_OM|SV_CONS', 2500],
            ['202610', 'ML-BKO-HDB', 'CH_OM|SV_PHARM', 4000],
            ['202610', 'ML-SIK-HRS', 'CH_CARD|SV_CONS', 7000],
            ['202610', 'ML-BKO-CHUGT', 'CH_OM|SV_CONS', 1],
            ['202610', 'ML-BKO-CHUGT', 'CH_CASH|SV_CONS', 2],
        ]
        for (const [period, ou, c, value] of rows) values.push({ period, ou, coc: coc[c], value })
        await api.post('dataSets/' + ids.REV_MONTHLY + '/organisationUnits/' + ids['ML-BKO-CHUGT'])
        const res = await api.post('dataValueSets', {
            dataValues: values.map((v) => ({ dataElement: ids.REV, period: v.period, orgUnit: ids[v.ou], categoryOptionCombo: v.coc, value: String(v.value) })),
        })
        expect(res.body.response.importCount.imported).toBe(rows.length)
    })
    afterAll(() => standin.close())

    const op = (c?: string) => (c ? `#{${ids.REV}.${coc[c]}}` : `#{${ids.REV}}`)

    test('POST /api/metadata: indicator types, indicators, group, visualization, dashboard — created, read back, then updated', async () => {
        const payload = {
            indicatorTypes: [
                { code: 'IT_PCT', name: 'Pourcentage', factor: 100, number: false },
                { code: 'IT_NUM', name: 'Nombre', factor: 1, number: true },
            ],
            indicators: [
                { code: 'IND_OM', name: 'Part Orange Money', shortName: 'Part OM', indicatorType: { code: 'IT_PCT' }, annualized: false, numerator: `${op('CH_OM|SV_CONS')}+${op('CH_OM|SV_PHARM')}`, denominator: op() },
                { code: 'IND_OM0', name: 'Part Orange Money (entier)', shortName: 'Part OM 0', indicatorType: { code: 'IT_PCT' }, annualized: false, decimals: 0, numerator: `${op('CH_OM|SV_CONS')}+${op('CH_OM|SV_PHARM')}`, denominator: op() },
                { code: 'IND_PARTIAL', name: 'Espèces et OM pharmacie', shortName: 'Esp + OM ph', indicatorType: { code: 'IT_NUM' }, annualized: false, numerator: `${op('CH_CASH|SV_CONS')}+${op('CH_OM|SV_PHARM')}`, denominator: '1' },
                { code: 'IND_ZERO', name: 'Division par zéro', shortName: 'Div zéro', indicatorType: { code: 'IT_NUM' }, annualized: false, numerator: op(), denominator: `${op()}-${op()}` },
            ],
            indicatorGroups: [{ code: 'IG_TEST', name: 'Groupe test', indicators: [{ code: 'IND_OM' }, { code: 'IND_PARTIAL' }] }],
            visualizations: [
                {
                    code: 'VIZ_OM',
                    name: 'Part OM',
                    type: 'PIVOT_TABLE',
                    columnDimensions: ['dx'],
                    rowDimensions: ['ou'],
                    filterDimensions: ['pe'],
                    dataDimensionItems: [{ dataDimensionItemType: 'INDICATOR', indicator: { code: 'IND_OM' } }],
                    relativePeriods: { last12Months: true },
                    userOrganisationUnitChildren: true,
                },
            ],
            dashboards: [{ code: 'DASH', name: 'Tableau', dashboardItems: [{ id: 'a1234567890', type: 'VISUALIZATION', visualization: { code: 'VIZ_OM' }, x: 0, y: 0, width: 29, height: 20 }] }],
        }
        const res = await api.post('metadata?identifier=CODE', payload)
        expect(res.status).toBe(200)
        const report = res.body.response
        expect(report.stats).toEqual({ created: 9, updated: 0, deleted: 0, ignored: 0, total: 9 })
        expect(report.typeReports.map((t: any) => t.klass)).toEqual([
            'org.hisp.dhis.indicator.IndicatorType',
            'org.hisp.dhis.indicator.Indicator',
            'org.hisp.dhis.indicator.IndicatorGroup',
            'org.hisp.dhis.visualization.Visualization',
            'org.hisp.dhis.dashboard.Dashboard',
        ])
        const list = await api.get('indicators?fields=id,code,numerator,denominator,indicatorType[id,factor],dimensionItemType,indicatorGroups[code]&paging=false&order=code:asc')
        for (const i of list.body.indicators) ind[i.code] = i.id
        const om = list.body.indicators.find((i: any) => i.code === 'IND_OM')
        expect(om).toMatchObject({ numerator: payload.indicators[0].numerator, denominator: op(), indicatorType: { factor: 100 }, dimensionItemType: 'INDICATOR', indicatorGroups: [{ code: 'IG_TEST' }] })
        const viz = await api.get('visualizations?filter=code:eq:VIZ_OM&fields=type,columns,rows,filters,dataDimensionItems[dataDimensionItemType,indicator[code]],relativePeriods')
        expect(viz.body.visualizations[0]).toEqual({
            type: 'PIVOT_TABLE',
            columns: [{ id: 'dx' }],
            rows: [{ id: 'ou' }],
            filters: [{ id: 'pe' }],
            dataDimensionItems: [{ dataDimensionItemType: 'INDICATOR', indicator: { code: 'IND_OM' } }],
            relativePeriods: { last12Months: true },
        })
        const dash = await api.get('dashboards?filter=code:eq:DASH&fields=name,itemCount,dashboardItems[id,type,visualization[code],width]')
        expect(dash.body.dashboards[0]).toEqual({ name: 'Tableau', itemCount: 1, dashboardItems: [{ id: 'a1234567890', type: 'VISUALIZATION', visualization: { code: 'VIZ_OM' }, width: 29 }] })
        const again = await api.post('metadata?identifier=CODE', payload)
        expect(again.body.response.stats).toEqual({ created: 0, updated: 9, deleted: 0, ignored: 0, total: 9 })
    })

    test('validation: missing numerator (E4000) and unknown indicator type (E5002), nothing written', async () => {
        const res = await api.post('metadata', {
            indicators: [
                { code: 'BAD1', name: 'Sans numérateur', shortName: 'Sans num', indicatorType: { id: 'Xx1234567aa' }, annualized: false, denominator: '1' },
            ],
        })
        expect(res.status).toBe(409)
        const codes = res.body.response.typeReports[0].objectReports[0].errorReports.map((e: any) => e.errorCode).sort()
        expect(codes).toEqual(['E4000', 'E5002'])
        const none = await api.get('indicators?filter=code:eq:BAD1')
        expect(none.body.indicators).toHaveLength(0)
    })

    /** The expected value, computed here from the posted data values (independent of the stand-in). */
    const sum = (pes: string[], ous: string[], cocs: string[] | null) =>
        values.filter((v) => pes.includes(v.period) && ous.some((o) => v.ou === o || (o === 'ML-BKO' && v.ou.startsWith('ML-BKO-')) || o === 'ML') && (!cocs || cocs.includes(v.coc)))
    const total = (pes: string[], ous: string[], cocs: string[] | null) => {
        const hits = sum(pes, ous, cocs)
        return hits.length ? hits.reduce((a, v) => a + v.value, 0) : undefined
    }
    const omShare = (pes: string[], ous: string[]) => {
        const num = total(pes, ous, [coc['CH_OM|SV_CONS'], coc['CH_OM|SV_PHARM']])
        const den = total(pes, ous, null)
        return num === undefined || !den ? null : (num * 100) / den
    }
    const rowsOf = async (q: string) => {
        await refresh(api)
        const res = await api.get(`analytics?${q}`)
        expect(res.status).toBe(200)
        return res.body.rows as string[][]
    }

    test('per period and org unit: numerator and denominator aggregated first, then divided, × factor 100, 2 decimals', async () => {
        const rows = await rowsOf(`dimension=dx:${ind.IND_OM}&dimension=pe:202609;202610&dimension=ou:${ids['ML-BKO-HDB']};${ids['ML-SIK-HRS']};${ids.ML}`)
        const got = new Map(rows.map((r) => [`${r[1]}|${r[2]}`, r[3]]))
        const expected = new Map<string, number>()
        for (const pe of ['202609', '202610'])
            for (const ou of ['ML-BKO-HDB', 'ML-SIK-HRS', 'ML']) {
                const v = omShare([pe], [ou])
                if (v !== null) expected.set(`${pe}|${ids[ou]}`, v)
            }
        expect([...got.keys()].sort()).toEqual([...expected.keys()].sort())
        for (const [k, v] of expected) expect(Number(got.get(k))).toBeCloseTo(v, 2)
        // 2500 / 3500 → 71.43; 4000 / 4000 → "100.0" (a Java double); SIK has no Orange Money: no value.
        expect(got.get(`202609|${ids['ML-BKO-HDB']}`)).toBe('71.43')
        expect(got.get(`202610|${ids['ML-BKO-HDB']}`)).toBe('100.0')
        expect(got.has(`202610|${ids['ML-SIK-HRS']}`)).toBe(false)
    })

    test('a period filter and a parent org unit: a ratio of totals, not an average of ratios', async () => {
        const rows = await rowsOf(`dimension=dx:${ind.IND_OM}&filter=pe:202609;202610&dimension=ou:${ids.ML};${ids['ML-BKO']}`)
        const ml = omShare(['202609', '202610'], ['ML'])!
        const bko = omShare(['202609', '202610'], ['ML-BKO'])!
        expect(rows.map((r) => [r[1], Number(r[2])]).sort()).toEqual([
            [ids.ML, Math.round(ml * 100) / 100],
            [ids['ML-BKO'], Math.round(bko * 100) / 100],
        ].sort())
        // (2500 + 4000 + 1) / (1000 + 2500 + 4000 + 7000 + 1 + 2) × 100, not the mean of the facilities' shares
        expect(ml).toBeCloseTo((6501 / 14503) * 100, 6)
    })

    test('decimals 0, a missing operand among present ones counts 0, a zero denominator gives no value, includeNumDen', async () => {
        const rows = await rowsOf(`dimension=dx:${ind.IND_OM0};${ind.IND_PARTIAL};${ind.IND_ZERO};${ids.REV}&dimension=pe:202609&filter=ou:${ids['ML-BKO-HDB']}&includeNumDen=true`)
        const by = new Map(rows.map((r) => [r[0], r]))
        expect(by.get(ind.IND_OM0)!.slice(2)).toEqual(['71', '2500', '3500', '100', '100', '1'])
        expect(by.get(ind.IND_PARTIAL)!.slice(2, 4)).toEqual(['1000.0', '1000.0'])
        expect(by.has(ind.IND_ZERO)).toBe(false)
        // The data element beside them keeps its own rounding and empty numerator/denominator columns.
        expect(by.get(ids.REV)!.slice(2)).toEqual(['3500', '', '', '', '', ''])
    })
})
