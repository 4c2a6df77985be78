import type { LiveMetadata, TargetCodes } from '../../dhis2/metadata'
import type { OutboxValue } from '../../dhis2/outbox'
import { plan, type ResolvedOrgUnit } from './plan'

/** The plan is pure: pending values and live metadata in, values to send and refusals out. */
const codes: TargetCodes = { dataSet: 'PAYREV_MONTHLY', dataElement: (de) => de, channelOption: (c) => c, serviceOption: (s) => s }

const live = (assigned: string[]): LiveMetadata => ({
    dataSet: { id: 'DS1', periodType: 'Monthly', expiryDays: 0, openFuturePeriods: 1, dataInputPeriods: [], organisationUnits: assigned.map((id) => ({ id })), dataSetElements: [] },
    dataElementIds: new Map([['PAYREV_GROSS', 'DE_GROSS']]) as LiveMetadata['dataElementIds'],
    coc: (_de, channel) => (channel === 'CASH' ? { id: 'COC_CASH', code: 'CASH_CODE' } : null),
    missing: [],
})

const value = (p: Partial<OutboxValue>): OutboxValue => ({
    family: 'revenue',
    key: `k-${p.facility ?? 'HDB'}-${p.period ?? '202603'}-${p.channel ?? 'CASH'}`,
    scope: 's',
    facility: 'HDB',
    dataElement: 'PAYREV_GROSS',
    period: '202603',
    coc: null,
    channel: 'CASH',
    service: null,
    detail: null,
    desired: 1000,
    accepted: null,
    lastErrorCode: null,
    lastErrorMessage: null,
    ...p,
})

const ou = (id: string, code: string): ResolvedOrgUnit => ({ id, code, name: code })

test('resolves UIDs, assigns each facility once (those met in the run first), notes each period once', () => {
    const orgUnits = new Map<string, ResolvedOrgUnit>([
        ['HDB', ou('OU_HDB', 'HDB')],
        ['SIK', ou('OU_SIK', 'SIK')],
        ['GT', ou('OU_GT', 'GT')],
    ])
    const p = plan({
        pending: [value({}), value({ period: '202604' }), value({ facility: 'SIK' })],
        live: live(['OU_SIK']),
        codes,
        facilitiesSeen: ['GT', '', 'HDB'],
        orgUnits,
    })
    expect(p.refusals).toEqual([])
    expect(p.outgoing.map((v) => [v.dataElement, v.period, v.orgUnit, v.categoryOptionCombo, v.value])).toEqual([
        ['DE_GROSS', '202603', 'OU_HDB', 'COC_CASH', 1000],
        ['DE_GROSS', '202604', 'OU_HDB', 'COC_CASH', 1000],
        ['DE_GROSS', '202603', 'OU_SIK', 'COC_CASH', 1000],
    ])
    expect(p.outgoing[0].codes).toEqual({ dataElement: 'PAYREV_GROSS', orgUnit: 'HDB', coc: 'CASH_CODE' })
    expect(p.notes).toEqual([
        { kind: 'assign', orgUnit: orgUnits.get('GT') },
        { kind: 'assign', orgUnit: orgUnits.get('HDB') },
        { kind: 'period', period: '202603' },
        { kind: 'period', period: '202604' },
    ])
})

test('refuses locally what has no org unit or no category option combo, with a bilingual conflict', () => {
    const p = plan({
        pending: [value({ facility: 'NOPE' }), value({ channel: 'ORANGE_MONEY', service: 'EXAM' }), value({ desired: 0 })],
        live: live(['OU_HDB']),
        codes,
        facilitiesSeen: [],
        orgUnits: new Map<string, ResolvedOrgUnit>([
            ['NOPE', 'unknown'],
            ['HDB', ou('OU_HDB', 'HDB')],
        ]),
    })
    expect(p.refusals.map((r) => r.code)).toEqual(['BRIDGE_ORG_UNIT', 'BRIDGE_CATEGORY_OPTION_COMBO'])
    expect(p.refusals[0].conflict).toMatchObject({ orgUnit: 'NOPE', errorCode: 'BRIDGE_ORG_UNIT', source: 'bridge', message: expect.stringContaining(' / No DHIS2 organisation unit for facility "NOPE"') })
    expect(p.refusals[1].why.en).toBe('No category option combo for ORANGE_MONEY × EXAM in PAYREV_GROSS: run "setup" again')
    // A total that fell to 0 is sent like any other.
    expect(p.outgoing.map((v) => v.value)).toEqual([0])
    expect(p.notes).toEqual([{ kind: 'period', period: '202603' }])
})
