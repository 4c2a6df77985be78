/**
 * A small DHIS2 for the app's tests: it answers the app's metadata, data store, org unit and
 * analytics requests the way the server does (reference §8.2: one header per dimension in request
 * order then `value`, metaData.items / dimensions, rows of strings in no particular order), by
 * aggregating raw data values. It does not reuse the app's own code (periods, parsing), so a test
 * checks the app against an independent reading of the API.
 */
import type { Channel, DataElementCode, Service } from '@recettes/contract'

export interface FakeOrgUnit {
    id: string
    code: string
    name: string
    parent: string | null
}

export interface FakeValue {
    de: DataElementCode
    /** Monthly ISO period, `yyyyMM`. */
    pe: string
    ou: string
    channel: Channel
    /** Only for PAYREV_GROSS / PAYREV_REFUNDS (channel × service); absent for the counts. */
    service?: Service
    value: number
}

export interface FakeResponse {
    status: number
    body: unknown
}

export const UIDS = {
    de: { PAYREV_GROSS: 'DeGross0001', PAYREV_REFUNDS: 'DeRefund001', PAYREV_PAYMENTS: 'DePaymnt001', PAYREV_FAILED: 'DeFailed001' },
    channelCategory: 'CatChannel1',
    serviceCategory: 'CatService1',
    channel: {
        CASH: 'CoCash00001',
        ORANGE_MONEY: 'CoOrange001',
        MOOV_MONEY: 'CoMoov00001',
        SAMA_MONEY: 'CoSama00001',
        CARD: 'CoCard00001',
        OTHER: 'CoOther0001',
    },
    service: {
        CONSULTATION: 'SvConsult01',
        EXAM: 'SvExam00001',
        PHARMACY: 'SvPharma001',
        HOSPITALISATION: 'SvHospit001',
        OTHER: 'SvOther0001',
    },
    dataSet: 'DsPayrev001',
} as const

/** The demo's org unit tree (Mali → regions → hospitals), with test UIDs. */
export const OU = {
    ML: 'OuMali00001',
    BKO: 'OuBamako001',
    SIK: 'OuSikasso01',
    KAY: 'OuKayes0001',
    HDB: 'OuHdb000001',
    CHUGT: 'OuChugt0001',
    CHUPG: 'OuChupg0001',
    CSREF4: 'OuCsref4001',
    HRS: 'OuHrs000001',
    HRK: 'OuHrk000001',
} as const

export const ORG_UNITS: FakeOrgUnit[] = [
    { id: OU.ML, code: 'ML', name: 'Mali', parent: null },
    { id: OU.BKO, code: 'ML-BKO', name: 'Bamako', parent: OU.ML },
    { id: OU.SIK, code: 'ML-SIK', name: 'Sikasso', parent: OU.ML },
    { id: OU.KAY, code: 'ML-KAY', name: 'Kayes', parent: OU.ML },
    { id: OU.HDB, code: 'ML-BKO-HDB', name: 'Hôpital de Dermatologie de Bamako', parent: OU.BKO },
    { id: OU.CHUGT, code: 'ML-BKO-CHUGT', name: 'CHU Gabriel Touré', parent: OU.BKO },
    { id: OU.CHUPG, code: 'ML-BKO-CHUPG', name: 'CHU du Point G', parent: OU.BKO },
    { id: OU.CSREF4, code: 'ML-BKO-CSREF4', name: "CSRéf de la Commune IV", parent: OU.BKO },
    { id: OU.HRS, code: 'ML-SIK-HRS', name: 'Hôpital régional de Sikasso', parent: OU.SIK },
    { id: OU.HRK, code: 'ML-KAY-HRK', name: 'Hôpital Fousseyni Daou de Kayes', parent: OU.KAY },
]

export const FACILITIES = [OU.HDB, OU.CHUGT, OU.CHUPG, OU.CSREF4, OU.HRS, OU.HRK]

const CHANNEL_NAMES: Record<Channel, string> = {
    CASH: 'Espèces',
    ORANGE_MONEY: 'Orange Money',
    MOOV_MONEY: 'Moov Money',
    SAMA_MONEY: 'Sama Money',
    CARD: 'Carte bancaire',
    OTHER: 'Autre moyen',
}
const SERVICE_NAMES: Record<Service, string> = {
    CONSULTATION: 'Consultation',
    EXAM: 'Examens',
    PHARMACY: 'Pharmacie',
    HOSPITALISATION: 'Hospitalisation',
    OTHER: 'Autres services',
}

const webMessage = (status: number, httpStatus: string, message: string, errorCode?: string) => ({
    httpStatus,
    httpStatusCode: status,
    status: 'ERROR',
    message,
    ...(errorCode ? { errorCode } : {}),
})

export const ERRORS = {
    analyticsTablesMissing: {
        status: 409,
        body: {
            ...webMessage(
                409,
                'Conflict',
                'Query failed because a referenced table does not exist. Please ensure analytics job was run (SqlState: 42P01)',
                'E7144'
            ),
            devMessage: 'SqlState: 42P01',
        },
    },
    orgUnitNotAllowed: {
        status: 409,
        body: webMessage(409, 'Conflict', 'User: `admin` is not allowed to view org unit: `OuHrk000001`', 'E7120'),
    },
    forbidden: { status: 403, body: webMessage(403, 'Forbidden', 'Access is denied') },
    maxLimit: { status: 409, body: webMessage(409, 'Conflict', 'Query result set exceeded max limit: `100000`', 'E7128') },
    namespaceNotFound: { status: 404, body: webMessage(404, 'Not Found', "Namespace not found: 'payrev'") },
    /** status 0: the request fails at the network level (render.tsx answers HttpResponse.error()). */
    network: { status: 0, body: null },
} satisfies Record<string, FakeResponse>

export interface FakeState {
    values: FakeValue[]
    /** Data store namespace `payrev`; null = the namespace does not exist (404). */
    dataStore: Array<{ key: string; value: unknown }> | null
    /** Metadata codes the server does not hold (to test "setup never ran"). */
    missingCodes: string[]
    /** Data view units of the user (tree roots). */
    userRoots: string[]
    /** Forced answers, by resource ('analytics', 'dataStore', 'me'…). */
    fail: Partial<Record<string, FakeResponse>>
    /** Milliseconds to wait before answering, by resource (to see loading states). */
    delay: Partial<Record<string, number>>
}

export const emptyState = (): FakeState => ({ values: [], dataStore: [], missingCodes: [], userRoots: [OU.ML], fail: {}, delay: {} })

// ---- org units ---------------------------------------------------------------------------

const unitById = new Map(ORG_UNITS.map((u) => [u.id, u]))

export function pathOf(id: string): string {
    const parts: string[] = []
    for (let u = unitById.get(id); u; u = u.parent ? unitById.get(u.parent) : undefined) parts.unshift(u.id)
    return `/${parts.join('/')}`
}
const levelOf = (id: string): number => pathOf(id).split('/').length - 1
const ref = (id: string) => ({ id, displayName: unitById.get(id)!.name, path: pathOf(id), level: levelOf(id) })

// ---- periods (independent of the app's compute/periods) -----------------------------------

/** The `yyyyMM` months an ISO month / quarter / year stands for. */
function monthsOfIso(pe: string): string[] | null {
    if (/^\d{6}$/.test(pe)) return [pe]
    const q = /^(\d{4})Q([1-4])$/.exec(pe)
    if (q) return [0, 1, 2].map((k) => `${q[1]}${String((Number(q[2]) - 1) * 3 + 1 + k).padStart(2, '0')}`)
    if (/^\d{4}$/.test(pe)) return Array.from({ length: 12 }, (_, k) => `${pe}${String(k + 1).padStart(2, '0')}`)
    return null
}

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
function periodName(pe: string): string {
    if (/^\d{6}$/.test(pe)) return `${MONTH_NAMES[Number(pe.slice(4)) - 1]} ${pe.slice(0, 4)}`
    const q = /^(\d{4})Q([1-4])$/.exec(pe)
    if (q) return `${['January - March', 'April - June', 'July - September', 'October - December'][Number(q[2]) - 1]} ${q[1]}`
    return pe
}

// ---- analytics ----------------------------------------------------------------------------

interface Dim {
    id: string
    items: string[]
}

function parseDims(raw: string[]): Dim[] {
    // app-runtime joins several dimensions with "," in one parameter; DHIS2 accepts both forms.
    return raw
        .flatMap((p) => p.split(','))
        .filter(Boolean)
        .map((d) => {
            const i = d.indexOf(':')
            return i < 0 ? { id: d, items: [] } : { id: d.slice(0, i), items: d.slice(i + 1).split(';').filter(Boolean) }
        })
}

const conflict = (message: string, errorCode: string): FakeResponse => ({ status: 409, body: webMessage(409, 'Conflict', message, errorCode) })

const DE_CODE_BY_UID = new Map<string, DataElementCode>(Object.entries(UIDS.de).map(([code, uid]) => [uid, code as DataElementCode]))
const CHANNEL_BY_UID = new Map<string, Channel>(Object.entries(UIDS.channel).map(([c, uid]) => [uid, c as Channel]))
const SERVICE_BY_UID = new Map<string, Service>(Object.entries(UIDS.service).map(([s, uid]) => [uid, s as Service]))

/** For one dimension, the items a value falls into (a month can fall in `2025Q4` and `202510`). */
type Matcher = (v: FakeValue) => string[]

export function answerAnalytics(state: FakeState, params: URLSearchParams): FakeResponse {
    const dims = parseDims(params.getAll('dimension'))
    const filters = parseDims(params.getAll('filter'))
    if (dims.length === 0) return conflict('At least one dimension must be specified', 'E7101')
    const all = [...dims, ...filters]
    if (!all.some((d) => d.id === 'pe')) return conflict('At least one period must be specified as dimension or filter', 'E7104')
    const ids = all.map((d) => d.id)
    if (new Set(ids).size !== ids.length) return conflict('Dimensions cannot be specified as dimension and filter simultaneously', 'E7103')

    const items: Record<string, { name: string }> = { dx: { name: 'Data' }, pe: { name: 'Period' }, ou: { name: 'Organisation unit' } }
    const dimensions: Record<string, string[]> = { co: [] }
    const matchers: Matcher[] = []
    for (const d of all) {
        let resolved: string[]
        let match: Matcher
        if (d.id === 'dx') {
            resolved = d.items
            for (const uid of d.items) {
                if (!DE_CODE_BY_UID.has(uid)) return conflict(`Data element not found or not accessible: \`${uid}\``, 'E7115')
                items[uid] = { name: DE_CODE_BY_UID.get(uid)! }
            }
            match = (v) => d.items.filter((uid) => DE_CODE_BY_UID.get(uid) === v.de)
        } else if (d.id === 'pe') {
            resolved = d.items
            const months = new Map<string, string[]>()
            for (const pe of d.items) {
                const m = monthsOfIso(pe)
                if (!m) return conflict(`Period not valid: \`${pe}\``, 'E7124')
                months.set(pe, m)
                items[pe] = { name: periodName(pe) }
            }
            match = (v) => d.items.filter((pe) => months.get(pe)!.includes(v.pe))
        } else if (d.id === 'ou') {
            const levels = d.items.filter((i) => i.startsWith('LEVEL-')).map((i) => Number(i.slice(6)))
            const uids = d.items.filter((i) => !i.startsWith('LEVEL-'))
            for (const u of uids) if (!unitById.has(u)) return conflict('Organisation unit or organisation unit level is not valid', 'E7143')
            resolved =
                levels.length > 0
                    ? ORG_UNITS.filter((u) => levels.includes(levelOf(u.id)) && uids.some((b) => pathOf(u.id).split('/').includes(b))).map((u) => u.id)
                    : uids
            for (const u of resolved) items[u] = { name: unitById.get(u)!.name }
            match = (v) => resolved.filter((u) => pathOf(v.ou).split('/').includes(u))
        } else if (d.id === UIDS.channelCategory) {
            resolved = d.items.length > 0 ? d.items : [...Object.values(UIDS.channel)]
            items[d.id] = { name: 'Canal de paiement' }
            for (const o of resolved) items[o] = { name: CHANNEL_NAMES[CHANNEL_BY_UID.get(o)!] }
            match = (v) => resolved.filter((o) => CHANNEL_BY_UID.get(o) === v.channel)
        } else if (d.id === UIDS.serviceCategory) {
            resolved = d.items.length > 0 ? d.items : [...Object.values(UIDS.service)]
            items[d.id] = { name: 'Service' }
            for (const o of resolved) items[o] = { name: SERVICE_NAMES[SERVICE_BY_UID.get(o)!] }
            // A data element without this category (the counts) has no value for it: no row.
            match = (v) => (v.service ? resolved.filter((o) => SERVICE_BY_UID.get(o) === v.service) : [])
        } else {
            return conflict(`Dimension is not valid: \`${d.id}\``, 'E7125')
        }
        dimensions[d.id] = resolved
        matchers.push(match)
    }

    const outCount = dims.length
    const sums = new Map<string, number>()
    for (const v of state.values) {
        const matched = matchers.map((m) => m(v))
        if (matched.some((m) => m.length === 0)) continue
        // Cartesian product of the output dimensions' items (filters only constrain).
        let keys: string[][] = [[]]
        for (const m of matched.slice(0, outCount)) keys = keys.flatMap((k) => m.map((item) => [...k, item]))
        for (const k of keys) {
            const key = k.join('\u0000')
            sums.set(key, (sums.get(key) ?? 0) + v.value)
        }
    }
    const printValue = (n: number): string => (Number.isInteger(n) ? String(n) : String(Math.round(n * 100) / 100))
    // Row order is not guaranteed by the server: answer in reverse key order on purpose.
    const rows = [...sums.entries()].sort(([a], [b]) => (a < b ? 1 : -1)).map(([k, n]) => [...k.split('\u0000'), printValue(n)])
    const header = (name: string) => ({
        name,
        column: name === 'dx' ? 'Data' : name === 'pe' ? 'Period' : name === 'ou' ? 'Organisation unit' : items[name]?.name ?? name,
        valueType: 'TEXT',
        type: 'java.lang.String',
        hidden: false,
        meta: true,
    })
    const headers = [
        ...dims.map((d) => header(d.id)),
        { name: 'value', column: 'Value', valueType: 'NUMBER', type: 'java.lang.Double', hidden: false, meta: false },
    ]
    return {
        status: 200,
        body: {
            headers,
            metaData: { items, dimensions },
            rowContext: {},
            rows,
            height: rows.length,
            width: rows.length === 0 ? 0 : headers.length,
            headerWidth: headers.length,
        },
    }
}

// ---- metadata, data store, org units ------------------------------------------------------

function codesOf(filter: string | null): string[] | null {
    if (!filter) return null
    const inList = /^code:in:\[(.*)\]$/.exec(filter)
    if (inList) return inList[1].split(',')
    const eq = /^code:eq:(.*)$/.exec(filter)
    return eq ? [eq[1]] : null
}

export function answer(state: FakeState, resource: string, params: URLSearchParams): FakeResponse {
    const root = resource.split('/')[0]
    const forced = state.fail[root] ?? state.fail[resource]
    if (forced) return forced
    const keep = <T extends { code: string }>(list: T[]) => {
        const codes = codesOf(params.get('filter'))
        return list.filter((x) => !state.missingCodes.includes(x.code) && (!codes || codes.includes(x.code)))
    }
    switch (root) {
        case 'me':
            return {
                status: 200,
                body: {
                    id: 'UsrAdmin001',
                    displayName: 'Awa Traoré',
                    organisationUnits: state.userRoots.map(ref),
                    dataViewOrganisationUnits: state.userRoots.map(ref),
                },
            }
        case 'dataElements':
            return {
                status: 200,
                body: { dataElements: keep(Object.entries(UIDS.de).map(([code, id]) => ({ id, code, displayName: code }))) },
            }
        case 'categories': {
            const opts = (o: Record<string, string>, prefix: string) =>
                Object.entries(o)
                    .map(([c, id]) => ({ id, code: `${prefix}${c}`, displayName: c }))
                    .filter((x) => !state.missingCodes.includes(x.code))
            return {
                status: 200,
                body: {
                    categories: keep([
                        { id: UIDS.channelCategory, code: 'PAYREV_CHANNEL', displayName: 'Canal de paiement', categoryOptions: opts(UIDS.channel, 'PAYREV_CH_') },
                        { id: UIDS.serviceCategory, code: 'PAYREV_SERVICE', displayName: 'Service', categoryOptions: opts(UIDS.service, 'PAYREV_SV_') },
                    ]),
                },
            }
        }
        case 'dataSets':
            return {
                status: 200,
                body: {
                    dataSets: keep([
                        {
                            id: UIDS.dataSet,
                            code: 'PAYREV_MONTHLY',
                            displayName: 'Recettes hospitalières',
                            periodType: 'Monthly',
                            organisationUnits: FACILITIES.map(ref),
                        },
                    ]),
                },
            }
        case 'analytics':
            return answerAnalytics(state, params)
        case 'dataStore': {
            // One entry by key (`dataStore/payrev/<key>`), as DHIS2 answers it: the value alone, or 404.
            const entryKey = resource.startsWith('dataStore/payrev/') ? resource.slice('dataStore/payrev/'.length) : null
            if (entryKey !== null) {
                const entry = state.dataStore?.find((e) => e.key === entryKey)
                return entry ? { status: 200, body: entry.value } : { status: 404, body: webMessage(404, 'Not Found', `Key '${entryKey}' not found in namespace 'payrev'`) }
            }
            if (resource !== 'dataStore/payrev') return { status: 404, body: webMessage(404, 'Not Found', 'Not found') }
            if (state.dataStore === null) return ERRORS.namespaceNotFound
            return { status: 200, body: state.dataStore }
        }
        case 'organisationUnits': {
            const id = resource.split('/')[1]
            if (!id || !unitById.has(id)) return { status: 404, body: webMessage(404, 'Not Found', `OrganisationUnit with id ${id} could not be found.`) }
            const children = ORG_UNITS.filter((u) => u.parent === id)
            const fields = params.get('fields') ?? ''
            if (fields.includes('children[')) return { status: 200, body: { children: children.map((c) => ({ id: c.id, path: pathOf(c.id), displayName: c.name })) } }
            if (fields.includes('children::size')) return { status: 200, body: { path: pathOf(id), children: children.length } }
            return { status: 200, body: ref(id) }
        }
        default:
            return { status: 404, body: webMessage(404, 'Not Found', `No fake for ${resource}`) }
    }
}

/** The metadata the app resolves from this fake server (for unit tests of pure code). */
export function fakeMetadata() {
    return {
        dataElements: { ...UIDS.de },
        channelCategory: UIDS.channelCategory,
        serviceCategory: UIDS.serviceCategory,
        channelOptions: { ...UIDS.channel },
        serviceOptions: { ...UIDS.service },
        dataSetId: UIDS.dataSet,
        facilities: FACILITIES.map((id) => {
            const r = ref(id)
            return { id, name: r.displayName, path: r.path, level: r.level }
        }),
        roots: [{ id: OU.ML, name: 'Mali', path: `/${OU.ML}`, level: 1 }],
        rootsAreCaptureFallback: false,
    }
}
