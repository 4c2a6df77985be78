/**
 * The DHIS2 of the « Rapprochement » view's tests: the app's shared fake (revenue metadata, org
 * units) plus the reconciliation data elements and data set, and analytics over raw
 * reconciliation values (sums over the org unit subtree, by data element, channel, org unit and
 * month), computed here the way the server does — not with the view's code.
 */
import type { Channel, ReconDataElement } from '@recettes/contract'
import { answer, emptyState, ORG_UNITS, OU, pathOf, UIDS, type FakeResponse, type FakeState } from '../test-utils/fake-dhis2'
import { setupFakeServer } from '../test-utils/render'

export const RECON_UIDS: Record<ReconDataElement, string> = {
    PAYREV_RECON_MATCHED: 'DeRcMatch01',
    PAYREV_RECON_LEDGER_ONLY: 'DeRcLedgr01',
    PAYREV_RECON_STATEMENT_ONLY: 'DeRcStmt001',
    PAYREV_RECON_AMOUNT_GAP: 'DeRcGap0001',
    PAYREV_FEES: 'DeRcFees001',
    PAYREV_CASH_SHORT: 'DeCashShrt1',
    PAYREV_CASH_OVER: 'DeCashOver1',
}
export const RECON_DATASET_UID = 'DsRecon0001'

/** One raw value as the bridge sends it: channel for the by-channel elements, none for cash. */
export interface ReconValue {
    de: ReconDataElement
    pe: string
    ou: string
    channel: Channel | null
    value: number
}

export interface ReconFakeState {
    base: FakeState
    recon: ReconValue[]
    /** Facilities the reconciliation data set is assigned to; null = the data set does not exist. */
    reconFacilities: string[] | null
}

const byUid = new Map(Object.entries(RECON_UIDS).map(([code, uid]) => [uid, code as ReconDataElement]))
const channelByUid = new Map(Object.entries(UIDS.channel).map(([c, uid]) => [uid as string, c as Channel]))
const levelOf = (id: string) => pathOf(id).split('/').length - 1
const ref = (id: string) => ({ id, displayName: ORG_UNITS.find((u) => u.id === id)!.name, path: pathOf(id), level: levelOf(id) })

function answerReconAnalytics(state: ReconFakeState, params: URLSearchParams): FakeResponse {
    const dims = params
        .getAll('dimension')
        .flatMap((d) => d.split(','))
        .map((d) => ({ id: d.slice(0, d.indexOf(':')), items: d.slice(d.indexOf(':') + 1).split(';') }))
    const get = (id: string) => dims.find((d) => d.id === id)
    const dx = get('dx')!.items
    const pe = get('pe')!.items
    const ouItems = get('ou')!.items
    const channels = get(UIDS.channelCategory)?.items ?? null
    const levels = ouItems.filter((i) => i.startsWith('LEVEL-')).map((i) => Number(i.slice(6)))
    const bounds = ouItems.filter((i) => !i.startsWith('LEVEL-'))
    const units = levels.length
        ? ORG_UNITS.filter((u) => levels.includes(levelOf(u.id)) && bounds.some((b) => pathOf(u.id).split('/').includes(b))).map((u) => u.id)
        : bounds
    const sums = new Map<string, number>()
    for (const v of state.recon) {
        const de = RECON_UIDS[v.de]
        if (!dx.includes(de) || !pe.includes(v.pe)) continue
        // A category dimension keeps only values that carry one of its options.
        const ch = channels ? channels.find((o) => channelByUid.get(o) === v.channel) : null
        if (channels && !ch) continue
        for (const u of units.filter((x) => pathOf(v.ou).split('/').includes(x))) {
            const key = [de, ...(ch ? [ch] : []), u, v.pe].join('\u0000')
            sums.set(key, (sums.get(key) ?? 0) + v.value)
        }
    }
    const header = (name: string) => ({ name, column: name, valueType: 'TEXT', type: 'java.lang.String', hidden: false, meta: true })
    const headers = [header('dx'), ...(channels ? [header(UIDS.channelCategory)] : []), header('ou'), header('pe'), { ...header('value'), valueType: 'NUMBER', meta: false }]
    const rows = [...sums.entries()].sort(([a], [b]) => (a < b ? 1 : -1)).map(([k, n]) => [...k.split('\u0000'), String(n)])
    return { status: 200, body: { headers, metaData: { items: {}, dimensions: { dx, pe, ou: units } }, rows, height: rows.length, width: rows.length ? headers.length : 0 } }
}

function reconAnswer(state: ReconFakeState, resource: string, params: URLSearchParams): FakeResponse {
    const root = resource.split('/')[0]
    const forced = state.base.fail[root] ?? state.base.fail[resource]
    if (forced) return forced
    const filter = params.get('filter') ?? ''
    if (root === 'dataElements' && filter.includes('PAYREV_RECON_')) {
        const list = Object.entries(RECON_UIDS).filter(([code]) => filter.includes(code) && !state.base.missingCodes.includes(code))
        return { status: 200, body: { dataElements: list.map(([code, id]) => ({ id, code })) } }
    }
    if (root === 'dataSets' && filter === 'code:eq:PAYREV_RECON_MONTHLY') {
        const ds = state.reconFacilities === null ? [] : [{ id: RECON_DATASET_UID, code: 'PAYREV_RECON_MONTHLY', organisationUnits: state.reconFacilities.map(ref) }]
        return { status: 200, body: { dataSets: ds } }
    }
    if (root === 'analytics' && params.getAll('dimension').some((d) => Object.values(RECON_UIDS).some((uid) => d.includes(uid)))) return answerReconAnalytics(state, params)
    return answer(state.base, resource, params)
}

/** Like setupFakeDhis2, with the reconciliation resources. `ctx.state` is reset before each test. */
export function setupReconDhis2() {
    const fresh = (): ReconFakeState => ({ base: emptyState(), recon: [], reconFacilities: [OU.HDB, OU.CHUGT, OU.CHUPG, OU.CSREF4, OU.HRS, OU.HRK] })
    return setupFakeServer(fresh, reconAnswer, (s) => s.base)
}

export { OU }
