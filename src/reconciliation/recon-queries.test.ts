import { UIDS, fakeMetadata } from '../test-utils/fake-dhis2'
import { RECON_UIDS } from './recon-fake'
import { parseReconDataElements, parseReconDataSet, parseReconGrid, reconKeys, reconMetadataOf, type ReconMetadata } from './recon-queries'

const meta = fakeMetadata()
const recon: ReconMetadata = { dataElements: { ...RECON_UIDS }, facilities: [], dataSetFound: true }
const grid = (headers: string[], rows: string[][]) => ({ headers: headers.map((name) => ({ name })), rows })

describe('reconciliation metadata', () => {
    it('names the codes the server does not have', () => {
        const r = reconMetadataOf(parseReconDataElements({ dataElements: [{ id: 'X1', code: 'PAYREV_RECON_MATCHED' }] }), parseReconDataSet({ dataSets: [] }))
        expect(r.ok).toBe(false)
        expect(!r.ok && r.missing).toEqual([
            'PAYREV_RECON_LEDGER_ONLY',
            'PAYREV_RECON_STATEMENT_ONLY',
            'PAYREV_RECON_AMOUNT_GAP',
            'PAYREV_FEES',
            'PAYREV_CASH_SHORT',
            'PAYREV_CASH_OVER',
        ])
    })
    it('an answer of the wrong shape is an unexpected answer, not an empty view', () => {
        expect(() => parseReconDataElements({ dataElements: {} })).toThrow(/dataElements/)
        expect(() => parseReconDataSet({})).toThrow(/dataSets/)
    })
})

describe('reconciliation analytics', () => {
    it('asks the cash elements without the channel dimension, and keys differ by selection', () => {
        const q = reconKeys.analytics(meta, recon, ['OuBamako001', 'LEVEL-3'], ['202609', '202610'])
        const dims = (k: typeof q.cash) => k[0].params!.dimension as string[]
        expect(dims(q.byChannel)).toContain(`dx:${['PAYREV_RECON_MATCHED', 'PAYREV_RECON_LEDGER_ONLY', 'PAYREV_RECON_STATEMENT_ONLY', 'PAYREV_RECON_AMOUNT_GAP', 'PAYREV_FEES'].map((c) => RECON_UIDS[c as keyof typeof RECON_UIDS]).join(';')}`)
        expect(dims(q.byChannel).some((d) => d.startsWith(`${UIDS.channelCategory}:`))).toBe(true)
        expect(dims(q.cash)).toEqual([`dx:${RECON_UIDS.PAYREV_CASH_SHORT};${RECON_UIDS.PAYREV_CASH_OVER}`, 'ou:OuBamako001;LEVEL-3', 'pe:202609;202610'])
        expect(reconKeys.analytics(meta, recon, ['A'], ['202610'])).not.toEqual(reconKeys.analytics(meta, recon, ['A'], ['202609']))
    })

    it('reads both grids by header name; rows of unknown channels or elements are dropped; cash has no channel', () => {
        const byChannel = grid(
            ['ou', UIDS.channelCategory, 'dx', 'pe', 'value'],
            [
                ['OuHdb000001', UIDS.channel.ORANGE_MONEY, RECON_UIDS.PAYREV_RECON_MATCHED, '202610', '1200.0'],
                ['OuHdb000001', 'SomeOther01', RECON_UIDS.PAYREV_RECON_MATCHED, '202610', '5'],
                ['OuHdb000001', UIDS.channel.CARD, 'UnknownDe01', '202610', '5'],
            ]
        )
        const cash = grid(['dx', 'ou', 'pe', 'value'], [[RECON_UIDS.PAYREV_CASH_SHORT, 'OuHdb000001', '202610', '300']])
        expect(parseReconGrid(byChannel, meta, recon)).toEqual([{ de: 'PAYREV_RECON_MATCHED', pe: '202610', ou: 'OuHdb000001', channel: 'ORANGE_MONEY', value: 1200 }])
        expect(parseReconGrid(cash, meta, recon)).toEqual([{ de: 'PAYREV_CASH_SHORT', pe: '202610', ou: 'OuHdb000001', channel: null, value: 300 }])
    })

    it('a value that is not a number or a missing column is an unexpected answer', () => {
        const cash = grid(['dx', 'ou', 'pe', 'value'], [[RECON_UIDS.PAYREV_CASH_SHORT, 'OuHdb000001', '202610', 'abc']])
        expect(() => parseReconGrid(cash, meta, recon)).toThrow(/not a number/)
        expect(() => parseReconGrid(grid(['dx', 'ou', 'value'], []), meta, recon)).toThrow(/missing/)
    })
})
