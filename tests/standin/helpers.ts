import fs from 'node:fs'
import path from 'node:path'
import { type Standin, type StandinOptions, startStandin } from '../../standin'

export const FIXTURES = process.env.STANDIN_FIXTURES_DIR ?? path.resolve(__dirname, '..', '..', '..', 'shared', 'dhis2-fixtures')

export function fixture<T = any>(name: string): T {
    return JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8')) as T
}

export function fixtureText(name: string): string {
    return fs.readFileSync(path.join(FIXTURES, name), 'utf8')
}

export const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`
export const ADMIN = basic('admin', 'district')
export const BRIDGE = basic('bridge', 'Bridge-2024!')
export const OFFICER = basic('district-officer', 'District-2024!')

export interface Reply<T = any> {
    status: number
    headers: Headers
    text: string
    body: T
}

/** A small client over real HTTP. */
export class Api {
    constructor(
        readonly standin: Standin,
        readonly auth: string | null = ADMIN
    ) {}

    as(auth: string | null): Api {
        return new Api(this.standin, auth)
    }

    async call<T = any>(method: string, p: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply<T>> {
        const h: Record<string, string> = { Accept: 'application/json', ...headers }
        if (this.auth) h.Authorization = this.auth
        let payload: string | undefined
        if (body !== undefined) {
            payload = typeof body === 'string' ? body : JSON.stringify(body)
            h['Content-Type'] ??= 'application/json'
        }
        const res = await fetch(`${this.standin.url}${p.startsWith('/') ? p : `/api/${p}`}`, { method, headers: h, body: payload, redirect: 'manual' })
        const text = await res.text()
        let parsed: unknown = undefined
        try {
            parsed = text ? JSON.parse(text) : undefined
        } catch {
            parsed = undefined
        }
        return { status: res.status, headers: res.headers, text, body: parsed as T }
    }

    get<T = any>(p: string, headers?: Record<string, string>) {
        return this.call<T>('GET', p, undefined, headers)
    }
    post<T = any>(p: string, body?: unknown, headers?: Record<string, string>) {
        return this.call<T>('POST', p, body ?? '', headers)
    }
    put<T = any>(p: string, body?: unknown, headers?: Record<string, string>) {
        return this.call<T>('PUT', p, body ?? '', headers)
    }
    delete<T = any>(p: string, headers?: Record<string, string>) {
        return this.call<T>('DELETE', p, undefined, headers)
    }
}

export async function start(opts: StandinOptions = {}): Promise<{ standin: Standin; api: Api }> {
    const standin = await startStandin({ today: '2026-11-23', ...opts })
    return { standin, api: new Api(standin) }
}

/**
 * Metadata the data value fixtures refer to: data element f7n9E0hX8qk (NUMBER, SUM, zero not
 * significant), org unit DiszpKrYNg8 under Mali's Bamako region, and BdfsJfj87js beside it.
 */
export async function installDvsFixtureMetadata(api: Api): Promise<void> {
    const orgUnits = await api.get('organisationUnits?filter=code:eq:ML-BKO&fields=id')
    const bamako = orgUnits.body.organisationUnits[0].id
    const res = await api.post('metadata', {
        organisationUnits: [
            { id: 'DiszpKrYNg8', code: 'OU_559', name: 'Ngelehun CHC', shortName: 'Ngelehun CHC', openingDate: '1970-01-01', parent: { id: bamako } },
            { id: 'BdfsJfj87js', code: 'OU_BDF', name: 'Rotifunk CHC', shortName: 'Rotifunk CHC', openingDate: '1970-01-01', parent: { id: bamako } },
        ],
        dataElements: [
            { id: 'f7n9E0hX8qk', code: 'DE_F7N', name: 'Fixture element', shortName: 'Fixture element', valueType: 'NUMBER', aggregationType: 'SUM', domainType: 'AGGREGATE' },
            { id: 'Ix2HsbDMLea', code: 'DE_IX2', name: 'Fixture element 2', shortName: 'Fixture element 2', valueType: 'NUMBER', aggregationType: 'SUM', domainType: 'AGGREGATE' },
            { id: 'eY5ehpbEsB7', code: 'DE_EY5', name: 'Fixture element 3', shortName: 'Fixture element 3', valueType: 'NUMBER', aggregationType: 'SUM', domainType: 'AGGREGATE' },
        ],
    })
    if (res.status !== 200) throw new Error(`fixture metadata: ${res.text}`)
}

/**
 * A revenue-like package: category channel (3 options) × service (2), combos, an
 * INTEGER_ZERO_OR_POSITIVE element, a Monthly data set with expiry 10 days assigned to two facilities.
 */
export async function installRevenueMetadata(api: Api, dataSet: Record<string, unknown> = {}): Promise<Record<string, string>> {
    const ous = await api.get('organisationUnits?filter=code:in:[ML,ML-BKO,ML-BKO-HDB,ML-SIK-HRS,ML-BKO-CHUGT]&fields=id,code&paging=false')
    const ou = Object.fromEntries(ous.body.organisationUnits.map((o: any) => [o.code, o.id]))
    const payload = {
        categoryOptions: [
            { code: 'CH_CASH', name: 'Espèces', shortName: 'Espèces' },
            { code: 'CH_OM', name: 'Orange Money', shortName: 'Orange Money' },
            { code: 'CH_CARD', name: 'Carte bancaire', shortName: 'Carte' },
            { code: 'SV_CONS', name: 'Consultation', shortName: 'Consultation' },
            { code: 'SV_PHARM', name: 'Pharmacie', shortName: 'Pharmacie' },
        ],
        categories: [
            { code: 'CAT_CHANNEL', name: 'Canal', shortName: 'Canal', dataDimensionType: 'DISAGGREGATION', categoryOptions: [{ code: 'CH_CASH' }, { code: 'CH_OM' }, { code: 'CH_CARD' }] },
            { code: 'CAT_SERVICE', name: 'Service', shortName: 'Service', dataDimensionType: 'DISAGGREGATION', categoryOptions: [{ code: 'SV_CONS' }, { code: 'SV_PHARM' }] },
        ],
        categoryCombos: [
            { code: 'CC_CH_SV', name: 'Canal et service', dataDimensionType: 'DISAGGREGATION', categories: [{ code: 'CAT_CHANNEL' }, { code: 'CAT_SERVICE' }] },
        ],
        dataElements: [
            {
                code: 'REV',
                name: 'Recettes',
                shortName: 'Recettes',
                valueType: 'INTEGER_ZERO_OR_POSITIVE',
                aggregationType: 'SUM',
                domainType: 'AGGREGATE',
                zeroIsSignificant: true,
                categoryCombo: { code: 'CC_CH_SV' },
            },
            { code: 'REV_TOTAL', name: 'Recettes totales', shortName: 'Recettes totales', valueType: 'NUMBER', aggregationType: 'SUM', domainType: 'AGGREGATE' },
        ],
        dataSets: [
            {
                code: 'REV_MONTHLY',
                name: 'Recettes mensuelles',
                shortName: 'Recettes mensuelles',
                periodType: 'Monthly',
                expiryDays: 10,
                openFuturePeriods: 1,
                dataSetElements: [{ dataElement: { code: 'REV' } }, { dataElement: { code: 'REV_TOTAL' } }],
                organisationUnits: [{ id: ou['ML-BKO-HDB'] }, { id: ou['ML-SIK-HRS'] }],
                ...dataSet,
            },
        ],
    }
    const res = await api.post('metadata?identifier=CODE', payload)
    if (res.status !== 200) throw new Error(`revenue metadata: ${res.text}`)
    const ids: Record<string, string> = { ...ou }
    for (const c of ['dataElements', 'dataSets', 'categoryOptions', 'categories', 'categoryCombos']) {
        const r = await api.get(`${c}?fields=id,code&paging=false`)
        for (const o of r.body[c]) if (o.code) ids[o.code] = o.id
    }
    return ids
}

/** COC id of the REV element for (channel option code, service option code). */
export async function revenueCoc(api: Api, channel: string, service: string): Promise<string> {
    const r = await api.get('categoryOptionCombos?fields=id,categoryOptions[code]&paging=false&filter=categoryCombo.code:eq:CC_CH_SV')
    const hit = r.body.categoryOptionCombos.find((c: any) => {
        const codes = c.categoryOptions.map((o: any) => o.code).sort()
        return codes.join('|') === [channel, service].sort().join('|')
    })
    if (!hit) throw new Error(`no COC for ${channel} × ${service}`)
    return hit.id
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
