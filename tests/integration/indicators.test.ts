/**
 * docs/contract.md §8 over HTTP: `setup` installs the indicators, their types and group from the
 * UIDs the server holds (checked here by parsing every expression and resolving each operand to
 * its data element and option codes), a second setup changes nothing, --dry-run writes nothing,
 * the national-metadata mapping is followed, `--with-dashboard` adds the dashboard, and the
 * stand-in's analytics returns indicator values equal to those computed here from the values.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startStandin, type Standin } from '../../standin'
import { api, readPayrevValues } from './dhis2-reader'
import { ensureBuilt, LEDGERS, runCli, tempStateDir } from './harness'

const LEDGER_A = path.join(LEDGERS, 'a-september-october.csv')
const LEDGER_B = path.join(LEDGERS, 'b-late-changes.csv')
const DIGITAL = ['ORANGE_MONEY', 'MOOV_MONEY', 'SAMA_MONEY', 'CARD']
const CHANNELS = ['CASH', ...DIGITAL, 'OTHER']
const SERVICES = ['CONSULTATION', 'EXAM', 'PHARMACY', 'HOSPITALISATION', 'OTHER']
const IND = ['PAYREV_IND_NET', 'PAYREV_IND_DIGITAL_SHARE_VALUE', 'PAYREV_IND_DIGITAL_SHARE_COUNT', 'PAYREV_IND_AVG_TICKET', 'PAYREV_IND_FAILURE_RATE', 'PAYREV_IND_REFUND_RATE']

/** One term of a sum: `+`/`-`, then an operand (data element code, option codes of the combo or null for the total) or a constant. */
interface Term {
    sign: 1 | -1
    de?: string
    options?: string[] | null
    constant?: number
}

/**
 * This test's own reading of an indicator expression: a sum of `#{de}` / `#{de.coc}` operands and
 * numbers (the only shape the §8 indicators need); anything else fails the test. UIDs are resolved
 * to codes through what the server lists.
 */
function parseSum(expr: string, deCode: Map<string, string>, cocOptions: Map<string, string[]>): Term[] {
    const terms: Term[] = []
    const re = /([+-]?)\s*(?:#\{([A-Za-z][A-Za-z0-9]{10})(?:\.([A-Za-z][A-Za-z0-9]{10}))?\}|(\d+(?:\.\d+)?))\s*/gy
    let m: RegExpExecArray | null
    let consumed = 0
    while ((m = re.exec(expr))) {
        if (m[0] === '') break
        if (terms.length && !m[1]) throw new Error(`missing operator in ${expr}`)
        const sign = m[1] === '-' ? -1 : 1
        if (m[4] !== undefined) terms.push({ sign, constant: Number(m[4]) })
        else {
            const de = deCode.get(m[2])
            if (!de) throw new Error(`unknown data element ${m[2]} in ${expr}`)
            const options = m[3] === undefined ? null : cocOptions.get(m[3])
            if (options === undefined) throw new Error(`unknown combo ${m[3]} in ${expr}`)
            terms.push({ sign, de, options })
        }
        consumed = re.lastIndex
    }
    if (consumed !== expr.length) throw new Error(`not a sum of operands: ${expr}`)
    return terms
}

const key = (t: Term) => `${t.sign > 0 ? '+' : '-'}${t.constant ?? `${t.de}${t.options ? `[${[...t.options].sort().join('+')}]` : ''}`}`
const sorted = (terms: Term[]) => terms.map(key).sort()
const total = (de: string, sign: 1 | -1 = 1): Term => ({ sign, de, options: null })

interface Ctx {
    url: string
    deCode: Map<string, string>
    cocOptions: Map<string, string[]>
}

async function serverCtx(url: string): Promise<Ctx> {
    const des = await api(url, 'dataElements?fields=id,code&paging=false')
    const cocs = await api(url, 'categoryOptionCombos?fields=id,categoryOptions[code]&paging=false')
    return {
        url,
        deCode: new Map(des.body.dataElements.map((d: any) => [d.id, d.code])),
        cocOptions: new Map(cocs.body.categoryOptionCombos.map((c: any) => [c.id, c.categoryOptions.map((o: any) => o.code)])),
    }
}

async function indicators(url: string): Promise<any[]> {
    const res = await api(url, 'indicators?filter=code:like:PAYREV_IND&fields=id,code,name,shortName,numerator,denominator,lastUpdated,translations,indicatorType[id,factor]&paging=false')
    return res.body.indicators
}

/** The meaning of each indicator (docs/contract.md §8), in data element and option codes. */
function expectedTerms(codes: { de: (c: string) => string; ch: (c: string) => string; sv: (c: string) => string }) {
    const gross = codes.de('PAYREV_GROSS')
    const payments = codes.de('PAYREV_PAYMENTS')
    return {
        PAYREV_IND_NET: { factor: 1, num: [total(gross), total(codes.de('PAYREV_REFUNDS'), -1)], den: [{ sign: 1, constant: 1 }] as Term[] },
        PAYREV_IND_DIGITAL_SHARE_VALUE: {
            factor: 100,
            num: DIGITAL.flatMap((ch) => SERVICES.map((sv): Term => ({ sign: 1, de: gross, options: [codes.ch(ch), codes.sv(sv)] }))),
            den: [total(gross)],
        },
        PAYREV_IND_DIGITAL_SHARE_COUNT: { factor: 100, num: DIGITAL.map((ch): Term => ({ sign: 1, de: payments, options: [codes.ch(ch)] })), den: [total(payments)] },
        PAYREV_IND_AVG_TICKET: { factor: 1, num: [total(gross)], den: [total(payments)] },
        PAYREV_IND_FAILURE_RATE: { factor: 100, num: [total(codes.de('PAYREV_FAILED'))], den: [total(payments), total(codes.de('PAYREV_FAILED'))] },
        PAYREV_IND_REFUND_RATE: { factor: 100, num: [total(codes.de('PAYREV_REFUNDS'))], den: [total(gross)] },
    } as Record<string, { factor: number; num: Term[]; den: Term[] }>
}

async function expectIndicatorsMean(url: string, codes: Parameters<typeof expectedTerms>[0]): Promise<void> {
    const ctx = await serverCtx(url)
    const list = await indicators(url)
    expect(list.map((i) => i.code).sort()).toEqual([...IND].sort())
    const want = expectedTerms(codes)
    for (const i of list) {
        const w = want[i.code]
        expect({ code: i.code, num: sorted(parseSum(i.numerator, ctx.deCode, ctx.cocOptions)) }).toEqual({ code: i.code, num: sorted(w.num) })
        expect({ code: i.code, den: sorted(parseSum(i.denominator, ctx.deCode, ctx.cocOptions)) }).toEqual({ code: i.code, den: sorted(w.den) })
        expect({ code: i.code, factor: i.indicatorType.factor }).toEqual({ code: i.code, factor: w.factor })
    }
}

describe('indicators and dashboard (docs/contract.md §8) against the stand-in over HTTP', () => {
    let standin: Standin
    let env: Record<string, string>
    const packageCodes = { de: (c: string) => c, ch: (c: string) => `PAYREV_CH_${c}`, sv: (c: string) => `PAYREV_SV_${c}` }

    beforeAll(async () => {
        ensureBuilt()
        standin = await startStandin({ version: '2.40.4', today: '2026-11-23' })
        env = { DHIS2_BASE_URL: standin.url, DHIS2_USERNAME: 'bridge', DHIS2_PASSWORD: 'Bridge-2024!', BRIDGE_STATE_DIR: tempStateDir(), LANG: 'fr_FR.UTF-8' }
    })
    afterAll(() => standin.close())

    test('setup --dry-run lists the indicators, their types and group, and writes nothing', async () => {
        const r = await runCli(['setup', '--dry-run', '--with-dashboard', '--json'], env)
        expect(r.code).toBe(0)
        const changes = r.json<{ changes: Array<{ type: string; code: string; action: string }> }>().changes
        const planned = changes.filter((c) => ['indicatorTypes', 'indicators', 'indicatorGroups', 'visualizations', 'dashboards'].includes(c.type))
        expect(planned.filter((c) => c.action === 'create').map((c) => c.code).sort()).toEqual(
            [...IND, 'PAYREV_INDICATORS', 'PAYREV_IT_NUMBER', 'PAYREV_IT_PERCENT', 'PAYREV_DASHBOARD', 'PAYREV_VIZ_DIGITAL_SHARE', 'PAYREV_VIZ_DISTRICT_LEAGUE', 'PAYREV_VIZ_TREND_CHANNEL'].sort()
        )
        for (const c of ['indicators', 'indicatorTypes', 'indicatorGroups', 'visualizations', 'dashboards']) {
            expect((await api(standin.url, `${c}?fields=id&paging=false`)).body[c]).toEqual([])
        }
    })

    test('setup installs the six indicators: each operand is the data element and combo docs/contract.md §8 means', async () => {
        const r = await runCli(['setup', '--json', '--ledger', LEDGER_A], env)
        expect(r.json<{ errors: unknown[] }>().errors.filter((e: any) => !/ML-XXX-NOPE/.test(e.en))).toEqual([])
        await expectIndicatorsMean(standin.url, packageCodes)
        const list = await indicators(standin.url)
        const share = list.find((i) => i.code === 'PAYREV_IND_DIGITAL_SHARE_VALUE')
        expect(share.name).toBe('Part numérique des recettes (%)')
        expect(share.translations).toEqual(
            expect.arrayContaining([
                { property: 'NAME', locale: 'en', value: 'Digital share of revenue (%)' },
                { property: 'SHORT_NAME', locale: 'en', value: 'Digital share (value)' },
            ])
        )
        const group = await api(standin.url, 'indicatorGroups?filter=code:eq:PAYREV_INDICATORS&fields=name,indicators[code]')
        expect(group.body.indicatorGroups[0].indicators.map((i: any) => i.code).sort()).toEqual([...IND].sort())
        const types = await api(standin.url, 'indicatorTypes?fields=code,factor,number&paging=false')
        expect(types.body.indicatorTypes).toEqual(
            expect.arrayContaining([
                { code: 'PAYREV_IT_PERCENT', factor: 100, number: false },
                { code: 'PAYREV_IT_NUMBER', factor: 1, number: true },
            ])
        )
    })

    test('a second setup changes nothing; a dry run after it lists everything as up to date and writes nothing', async () => {
        const before = await indicators(standin.url)
        const again = await runCli(['setup', '--json'], env)
        expect(again.code).toBe(0)
        const report = again.json<{ changes: Array<{ code: string; action: string }>; metadataPosted: boolean }>()
        expect(report.metadataPosted).toBe(false)
        expect(report.changes.filter((c) => c.action !== 'unchanged')).toEqual([])
        expect(report.changes.map((c) => c.code)).toEqual(expect.arrayContaining([...IND, 'PAYREV_INDICATORS']))
        const dry = await runCli(['setup', '--dry-run', '--json'], env)
        expect(dry.code).toBe(0)
        expect(dry.json<{ changes: Array<{ action: string }> }>().changes.every((c) => c.action === 'unchanged')).toBe(true)
        expect(await indicators(standin.url)).toEqual(before)
    })

    test('an administrator-changed expression is put back (by code, same UID)', async () => {
        const [ind] = (await indicators(standin.url)).filter((i) => i.code === 'PAYREV_IND_AVG_TICKET')
        const full = await api(standin.url, `indicators/${ind.id}?fields=:owner`)
        await api(standin.url, 'metadata', { method: 'POST', body: JSON.stringify({ indicators: [{ ...full.body, denominator: '1' }] }) })
        const dry = await runCli(['setup', '--dry-run', '--json'], env)
        expect(dry.json<any>().changes.find((c: any) => c.code === 'PAYREV_IND_AVG_TICKET')).toMatchObject({ action: 'update', changed: ['denominator'], id: ind.id })
        expect((await runCli(['setup', '--json'], env)).code).toBe(0)
        await expectIndicatorsMean(standin.url, packageCodes)
    })

    test('analytics: indicator values equal those computed here from the values DHIS2 holds', async () => {
        for (const ledger of [LEDGER_A, LEDGER_B]) await runCli(['sync', '--json', '--ledger', ledger], env)
        const held = await readPayrevValues(standin.url)
        expect(Object.keys(held).length).toBeGreaterThan(10)
        const job = await api(standin.url, 'resourceTables/analytics', { method: 'POST' })
        for (let i = 0; i < 200; i++) {
            const t = await api(standin.url, `system/tasks/ANALYTICS_TABLE/${job.body.response.id}`)
            if (t.body.length && t.body[0].completed) break
            await new Promise((res) => setTimeout(res, 10))
        }
        const list = await indicators(standin.url)
        const idOf = Object.fromEntries(list.map((i) => [i.code, i.id]))
        const ous = await api(standin.url, 'organisationUnits?fields=id,code&paging=false')
        const ouId = Object.fromEntries(ous.body.organisationUnits.map((o: any) => [o.code, o.id]))
        // Sum of held values for a data element (optionally only some channels), periods, org units (code prefix).
        const sum = (de: string, periods: string[], ouPrefix: string, channels?: string[]) => {
            let s = 0
            let n = 0
            for (const [k, v] of Object.entries(held)) {
                const [d, pe, ou, opts] = k.split('|')
                if (d !== de || !periods.includes(pe) || !ou.startsWith(ouPrefix)) continue
                if (channels && !channels.some((c) => opts.split('+').includes(`PAYREV_CH_${c}`))) continue
                s += Number(v)
                n++
            }
            return n ? s : undefined
        }
        const expected = (code: string, periods: string[], ou: string): number | null => {
            const g = sum('PAYREV_GROSS', periods, ou)
            const rf = sum('PAYREV_REFUNDS', periods, ou)
            const p = sum('PAYREV_PAYMENTS', periods, ou)
            const f = sum('PAYREV_FAILED', periods, ou)
            const ratio = (num: number | undefined, den: number | undefined, factor: number) => (num === undefined || !den ? null : (num * factor) / den)
            switch (code) {
                case 'PAYREV_IND_NET':
                    return g === undefined && rf === undefined ? null : (g ?? 0) - (rf ?? 0)
                case 'PAYREV_IND_DIGITAL_SHARE_VALUE':
                    return ratio(sum('PAYREV_GROSS', periods, ou, DIGITAL), g, 100)
                case 'PAYREV_IND_DIGITAL_SHARE_COUNT':
                    return ratio(sum('PAYREV_PAYMENTS', periods, ou, DIGITAL), p, 100)
                case 'PAYREV_IND_AVG_TICKET':
                    return ratio(g, p, 1)
                case 'PAYREV_IND_FAILURE_RATE':
                    return ratio(f, p === undefined && f === undefined ? undefined : (p ?? 0) + (f ?? 0), 100)
                default:
                    return ratio(rf, g, 100)
            }
        }
        const cases: Array<{ periods: string[]; ou: string }> = [
            { periods: ['202609'], ou: 'ML-BKO-HDB' },
            { periods: ['202610'], ou: 'ML-BKO-HDB' },
            { periods: ['202610'], ou: 'ML-SIK-HRS' },
            { periods: ['202609', '202610'], ou: 'ML' },
        ]
        let compared = 0
        for (const c of cases) {
            const res = await api(standin.url, `analytics?dimension=dx:${IND.map((x) => idOf[x]).join(';')}&filter=pe:${c.periods.join(';')}&filter=ou:${ouId[c.ou]}`)
            expect(res.status).toBe(200)
            const got = new Map<string, string>(res.body.rows.map((r: string[]) => [r[0], r[1]]))
            for (const code of IND) {
                const want = expected(code, c.periods, c.ou)
                const label = `${code} ${c.periods.join('+')} ${c.ou}`
                if (want === null) expect({ label, value: got.get(idOf[code]) }).toEqual({ label, value: undefined })
                else {
                    expect({ label, value: Number(got.get(idOf[code])) }).toEqual({ label, value: Math.round(want * 100) / 100 })
                    compared++
                }
            }
        }
        expect(compared).toBeGreaterThanOrEqual(15)
    })

    test('setup --with-dashboard: three visualizations on the indicators and the dashboard, by code; a second run changes nothing', async () => {
        const r = await runCli(['setup', '--with-dashboard', '--json'], env)
        expect(r.code).toBe(0)
        const list = await indicators(standin.url)
        const idOf = Object.fromEntries(list.map((i) => [i.code, i.id]))
        const dash = await api(standin.url, 'dashboards?filter=code:eq:PAYREV_DASHBOARD&fields=id,name,translations,dashboardItems[id,type,visualization[id,code]]')
        const d = dash.body.dashboards[0]
        expect(d.name).toBe('Recettes hospitalières')
        expect(d.translations).toEqual([{ property: 'NAME', locale: 'en', value: 'Hospital revenue' }])
        expect(d.dashboardItems.map((i: any) => [i.type, i.visualization.code])).toEqual([
            ['VISUALIZATION', 'PAYREV_VIZ_DISTRICT_LEAGUE'],
            ['VISUALIZATION', 'PAYREV_VIZ_TREND_CHANNEL'],
            ['VISUALIZATION', 'PAYREV_VIZ_DIGITAL_SHARE'],
        ])
        const viz = await api(
            standin.url,
            'visualizations?filter=code:like:PAYREV_VIZ&fields=code,type,columns,rows,filters,dataDimensionItems[dataDimensionItemType,indicator[id],dataElement[code]],categoryDimensions[category[code],categoryOptions[code]]&paging=false'
        )
        const by = Object.fromEntries(viz.body.visualizations.map((v: any) => [v.code, v]))
        expect(by.PAYREV_VIZ_DISTRICT_LEAGUE).toMatchObject({ type: 'PIVOT_TABLE', columns: [{ id: 'dx' }], rows: [{ id: 'ou' }] })
        expect(by.PAYREV_VIZ_DISTRICT_LEAGUE.dataDimensionItems.map((x: any) => x.indicator.id)).toEqual(
            ['PAYREV_IND_NET', 'PAYREV_IND_DIGITAL_SHARE_VALUE', 'PAYREV_IND_AVG_TICKET', 'PAYREV_IND_FAILURE_RATE', 'PAYREV_IND_REFUND_RATE'].map((c) => idOf[c])
        )
        expect(by.PAYREV_VIZ_TREND_CHANNEL).toMatchObject({ type: 'LINE', rows: [{ id: 'pe' }], dataDimensionItems: [{ dataDimensionItemType: 'DATA_ELEMENT', dataElement: { code: 'PAYREV_GROSS' } }] })
        expect(by.PAYREV_VIZ_TREND_CHANNEL.categoryDimensions[0].category.code).toBe('PAYREV_CHANNEL')
        expect(by.PAYREV_VIZ_TREND_CHANNEL.categoryDimensions[0].categoryOptions.map((o: any) => o.code).sort()).toEqual(CHANNELS.map((c) => `PAYREV_CH_${c}`).sort())
        expect(by.PAYREV_VIZ_DIGITAL_SHARE.dataDimensionItems).toEqual([{ dataDimensionItemType: 'INDICATOR', indicator: { id: idOf.PAYREV_IND_DIGITAL_SHARE_VALUE } }])
        const again = await runCli(['setup', '--with-dashboard', '--json'], env)
        const report = again.json<{ changes: Array<{ action: string }>; metadataPosted: boolean }>()
        expect(report.metadataPosted).toBe(false)
        expect(report.changes.filter((c) => c.action !== 'unchanged')).toEqual([])
        const after = await api(standin.url, 'dashboards?filter=code:eq:PAYREV_DASHBOARD&fields=id,dashboardItems[id]')
        expect(after.body.dashboards[0]).toEqual({ id: d.id, dashboardItems: d.dashboardItems.map((i: any) => ({ id: i.id })) })
    })
})

describe('indicators follow the national metadata the configuration maps the figures to', () => {
    let standin: Standin
    afterAll(() => standin?.close())

    test('expressions use the national data elements and the combos of the mapped digital channels', async () => {
        standin = await startStandin({ version: '2.42.1', today: '2026-11-23' })
        const ch = (c: string) => `NAT_CH_${c}`
        const sv = (s: string) => `NAT_SV_${s}`
        const de = (d: string) => `NAT_${d.replace('PAYREV_', '')}`
        const option = (code: string) => ({ code, name: code.replace(/_/g, ' '), shortName: code })
        const payload = {
            categoryOptions: [...CHANNELS.map((c) => option(ch(c))), ...SERVICES.map((s) => option(sv(s)))],
            categories: [
                { code: 'NAT_CAT_CH', name: 'Mode de paiement (national)', shortName: 'Mode national', dataDimensionType: 'DISAGGREGATION', categoryOptions: CHANNELS.map((c) => ({ code: ch(c) })) },
                { code: 'NAT_CAT_SV', name: 'Service (national)', shortName: 'Service national', dataDimensionType: 'DISAGGREGATION', categoryOptions: SERVICES.map((s) => ({ code: sv(s) })) },
            ],
            categoryCombos: [
                { code: 'NAT_CC_CH_SV', name: 'Mode et service', dataDimensionType: 'DISAGGREGATION', categories: [{ code: 'NAT_CAT_CH' }, { code: 'NAT_CAT_SV' }] },
                { code: 'NAT_CC_CH', name: 'Mode', dataDimensionType: 'DISAGGREGATION', categories: [{ code: 'NAT_CAT_CH' }] },
            ],
            dataElements: ['PAYREV_GROSS', 'PAYREV_REFUNDS', 'PAYREV_PAYMENTS', 'PAYREV_FAILED'].map((d) => ({
                code: de(d),
                name: `National ${d}`,
                shortName: `Nat ${d}`,
                valueType: 'INTEGER_ZERO_OR_POSITIVE',
                aggregationType: 'SUM',
                domainType: 'AGGREGATE',
                categoryCombo: { code: d === 'PAYREV_GROSS' || d === 'PAYREV_REFUNDS' ? 'NAT_CC_CH_SV' : 'NAT_CC_CH' },
            })),
            dataSets: [{ code: 'NAT_REVENUE', name: 'Recettes nationales', shortName: 'Recettes nat', periodType: 'Monthly', dataSetElements: ['GROSS', 'REFUNDS', 'PAYMENTS', 'FAILED'].map((d) => ({ dataElement: { code: `NAT_${d}` } })) }],
        }
        const res = await api(standin.url, 'metadata?identifier=CODE', { method: 'POST', body: JSON.stringify(payload) })
        expect(res.status).toBe(200)
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'native-map-'))
        const config = path.join(dir, 'bridge.json')
        fs.writeFileSync(
            config,
            JSON.stringify({
                metadata: {
                    dataSet: 'NAT_REVENUE',
                    dataElements: Object.fromEntries(['PAYREV_GROSS', 'PAYREV_REFUNDS', 'PAYREV_PAYMENTS', 'PAYREV_FAILED'].map((d) => [d, de(d)])),
                    channelOptions: Object.fromEntries(CHANNELS.map((c) => [c, ch(c)])),
                    serviceOptions: Object.fromEntries(SERVICES.map((s) => [s, sv(s)])),
                },
            })
        )
        const env = { DHIS2_BASE_URL: standin.url, DHIS2_USERNAME: 'bridge', DHIS2_PASSWORD: 'Bridge-2024!', BRIDGE_STATE_DIR: tempStateDir() }
        const r = await runCli(['setup', '--json', '--config', config], env)
        expect(r.json<{ errors: unknown[]; mode: string }>()).toMatchObject({ errors: [], mode: 'mapping' })
        expect(r.code).toBe(0)
        await expectIndicatorsMean(standin.url, { de, ch, sv })
        // The package's own objects were not created: only the indicators follow the mapping.
        expect((await api(standin.url, 'dataElements?filter=code:like:PAYREV&fields=id')).body.dataElements).toEqual([])
        const again = await runCli(['setup', '--json', '--config', config], env)
        expect(again.json<{ changes: Array<{ action: string }> }>().changes.every((c) => c.action === 'unchanged')).toBe(true)
    })
})
