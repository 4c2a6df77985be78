/**
 * The DHIS2 of the pharmacy view's tests: the app's shared fake (metadata, PAYREV analytics, org
 * units) plus what only this view asks for — the data store query API with filters, analytics on
 * LMIS data element operands (`de.coc`), and data element names by UID. Answers are computed from
 * raw values the way the server does (sums over the org unit subtree), not from the view's code.
 */
import { delay, http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import i18n from '@dhis2/d2-i18n'
import type { StockReconcileEntry } from '@recettes/contract'
import { answer, emptyState, ERRORS, OU, pathOf, type FakeResponse, type FakeState } from '../test-utils/fake-dhis2'
import { BASE, API_VERSION, type RequestLog } from '../test-utils/render'

export const LMIS = {
    de: { AMOX500C: 'DeAmox50001', ARTLUM20: 'DeArtlum201', PARA500T: 'DePara50001' },
    coc: { openingBalance: 'CocSi000001', received: 'CocQr000001', dispensed: 'CocQd000001', stockOnHand: 'CocSdu00001', stockOutDays: 'CocJr000001' },
    /** displayName in the user's database locale (French on Malian servers). */
    names: { DeAmox50001: 'Amoxicilline 500 mg gélule', DeArtlum201: 'Artéméther-luméfantrine 20/120 mg comprimé', DePara50001: 'Paracétamol 500 mg comprimé' } as Record<string, string>,
} as const

export type LmisProduct = keyof typeof LMIS.de
export type LmisVar = keyof typeof LMIS.coc

/** One raw LMIS data value of a facility. */
export interface LmisValue {
    product: LmisProduct
    variable: LmisVar
    /** `yyyyMM` */
    pe: string
    ou: string
    value: number
}

export interface PharmacyFakeState {
    base: FakeState
    /** Entries of namespace `payrev`; null = the namespace does not exist (404). */
    entries: Array<{ key: string; value: unknown }> | null
    lmis: LmisValue[]
}

/** Where the bridge says each product's LMIS variables live (what `stock reconcile` publishes). */
export function lmisMapping(products: readonly LmisProduct[]): StockReconcileEntry['lmis'] {
    return Object.fromEntries(
        products.map((p) => [
            p,
            Object.fromEntries(Object.entries(LMIS.coc).map(([v, coc]) => [v, { dataElement: LMIS.de[p], categoryOptionCombo: coc }])),
        ])
    )
}

function filterEntries(entries: Array<{ key: string; value: unknown }>, filters: string[]): Array<{ key: string; value: unknown }> {
    return entries.filter(({ value }) =>
        filters.every((f) => {
            const [path, op, ...rest] = f.split(':')
            const expected = rest.join(':')
            const actual = value && typeof value === 'object' ? (value as Record<string, unknown>)[path] : undefined
            if (op === 'eq') return actual === expected
            if (op === 'in') return expected.replace(/^\[|\]$/g, '').split(',').includes(String(actual))
            throw new Error(`fake data store: operator ${op} not modelled`)
        })
    )
}

function answerLmis(state: PharmacyFakeState, params: URLSearchParams): FakeResponse {
    const dims = params
        .getAll('dimension')
        .flatMap((d) => d.split(','))
        .map((d) => ({ id: d.slice(0, d.indexOf(':')), items: d.slice(d.indexOf(':') + 1).split(';') }))
    const filters = params.getAll('filter').map((d) => ({ id: d.slice(0, d.indexOf(':')), items: d.slice(d.indexOf(':') + 1).split(';') }))
    const dx = dims.find((d) => d.id === 'dx')!.items
    const pe = dims.find((d) => d.id === 'pe')?.items ?? []
    const ou = filters.find((d) => d.id === 'ou')?.items ?? []
    const sums = new Map<string, number>()
    for (const v of state.lmis) {
        const operand = `${LMIS.de[v.product]}.${LMIS.coc[v.variable]}`
        if (!dx.includes(operand) || !pe.includes(v.pe) || !ou.some((u) => pathOf(v.ou).split('/').includes(u))) continue
        const k = `${operand}\u0000${v.pe}`
        sums.set(k, (sums.get(k) ?? 0) + v.value)
    }
    const rows = [...sums.entries()].sort(([a], [b]) => (a < b ? 1 : -1)).map(([k, n]) => [...k.split('\u0000'), String(n)])
    return {
        status: 200,
        body: {
            headers: [
                { name: 'dx', column: 'Data', valueType: 'TEXT', type: 'java.lang.String', hidden: false, meta: true },
                { name: 'pe', column: 'Period', valueType: 'TEXT', type: 'java.lang.String', hidden: false, meta: true },
                { name: 'value', column: 'Value', valueType: 'NUMBER', type: 'java.lang.Double', hidden: false, meta: false },
            ],
            metaData: { items: {}, dimensions: { dx, pe, ou } },
            rows,
            height: rows.length,
            width: rows.length ? 3 : 0,
        },
    }
}

function pharmacyAnswer(state: PharmacyFakeState, resource: string, params: URLSearchParams): FakeResponse {
    const root = resource.split('/')[0]
    const forced = state.base.fail[root] ?? state.base.fail[resource]
    if (forced) return forced
    if (resource === 'dataStore/payrev') {
        if (state.entries === null) return ERRORS.namespaceNotFound
        const list = filterEntries(state.entries, params.getAll('filter')).map((e) => (params.get('fields') === '.' ? e : e.key))
        return { status: 200, body: params.get('paging') === 'false' ? list : { pager: { page: 1, pageSize: 50 }, entries: list } }
    }
    if (root === 'analytics' && params.getAll('dimension').some((d) => /dx:[^,]*\./.test(d))) return answerLmis(state, params)
    if (root === 'dataElements' && (params.get('filter') ?? '').startsWith('id:in:')) {
        const ids = (params.get('filter') ?? '').slice('id:in:['.length, -1).split(',')
        const names = LMIS.names
        return { status: 200, body: { dataElements: ids.filter((id) => names[id]).map((id) => ({ id, displayName: names[id] })) } }
    }
    return answer(state.base, resource, params)
}

/** Like setupFakeDhis2, with the pharmacy view's resources. `ctx.state` is reset before each test. */
export function setupPharmacyDhis2() {
    const ctx = { state: { base: emptyState(), entries: [], lmis: [] } as PharmacyFakeState, log: [] as RequestLog[] }
    const prefix = `${BASE}/api/${API_VERSION}/`
    const server = setupServer(
        http.get(`${prefix}*`, async ({ request }) => {
            const url = new URL(request.url)
            const resource = decodeURIComponent(url.pathname.slice(`/api/${API_VERSION}/`.length))
            ctx.log.push({ resource, params: url.searchParams, versioned: true })
            const wait = ctx.state.base.delay[resource.split('/')[0]]
            if (wait) await delay(wait)
            const forced = ctx.state.base.fail[resource.split('/')[0]]
            if (forced && forced.status === 0) return HttpResponse.error()
            const res = pharmacyAnswer(ctx.state, resource, url.searchParams)
            return HttpResponse.json(res.body as Record<string, unknown>, { status: res.status })
        })
    )
    beforeAll(async () => {
        server.listen({ onUnhandledRequest: 'error' })
        await new Promise((resolve) => setTimeout(resolve, 20))
    })
    beforeEach(async () => {
        ctx.state = { base: emptyState(), entries: [], lmis: [] }
        ctx.log = []
        window.sessionStorage.clear()
        window.location.hash = ''
        await i18n.changeLanguage('fr')
    })
    afterEach(() => server.resetHandlers())
    afterAll(() => server.close())
    return ctx
}

export { OU }
