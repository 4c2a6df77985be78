import { fakeMetadata, UIDS } from '../test-utils/fake-dhis2'
import { parseAnalytics } from './parse'

const meta = fakeMetadata()
const header = (name: string) => ({ name, column: name, valueType: 'TEXT', type: 'java.lang.String', hidden: false, meta: true })

describe('parseAnalytics', () => {
    it('reads rows by header name, whatever the column order, and maps UIDs back to codes', () => {
        const res = {
            headers: [header('pe'), header(UIDS.channelCategory), header('dx'), { ...header('value'), valueType: 'NUMBER' }],
            metaData: { items: { OuHdb000001: { name: 'Hôpital de Dermatologie de Bamako' }, '202610': { name: 'October 2026' } }, dimensions: { pe: ['202610'], co: [] } },
            rows: [
                ['202610', UIDS.channel.ORANGE_MONEY, UIDS.de.PAYREV_GROSS, '450000'],
                ['202610', UIDS.channel.CASH, UIDS.de.PAYREV_PAYMENTS, '120'],
                ['202610', UIDS.channel.CARD, UIDS.de.PAYREV_GROSS, '96.65'],
            ],
            height: 3,
            width: 4,
            headerWidth: 4,
        }
        const { facts, names, dimensions } = parseAnalytics(res, meta)
        expect(facts).toEqual([
            { de: 'PAYREV_GROSS', pe: '202610', ou: null, channel: 'ORANGE_MONEY', service: null, value: 450000 },
            { de: 'PAYREV_PAYMENTS', pe: '202610', ou: null, channel: 'CASH', service: null, value: 120 },
            { de: 'PAYREV_GROSS', pe: '202610', ou: null, channel: 'CARD', service: null, value: 96.65 },
        ])
        expect(names['OuHdb000001']).toBe('Hôpital de Dermatologie de Bamako')
        expect(dimensions.pe).toEqual(['202610'])
    })

    it('drops rows with unknown UIDs or empty values instead of guessing', () => {
        const res = {
            headers: [header('dx'), header(UIDS.serviceCategory), header('value')],
            rows: [
                ['SomethingEl', UIDS.service.EXAM, '5'],
                [UIDS.de.PAYREV_GROSS, 'UnknownOpt1', '5'],
                [UIDS.de.PAYREV_GROSS, UIDS.service.EXAM, ''],
                [UIDS.de.PAYREV_GROSS, UIDS.service.EXAM, null],
                [UIDS.de.PAYREV_GROSS, UIDS.service.PHARMACY, '10309'],
            ],
        }
        expect(parseAnalytics(res, meta).facts).toEqual([
            { de: 'PAYREV_GROSS', pe: '', ou: null, channel: null, service: 'PHARMACY', value: 10309 },
        ])
    })

    it('an answer with no data has no facts (rows [], width 0)', () => {
        const res = { headers: [header('dx'), header('pe'), header('value')], metaData: { items: {}, dimensions: {} }, rows: [], height: 0, width: 0, headerWidth: 3 }
        expect(parseAnalytics(res, meta).facts).toEqual([])
    })

    it('rejects something that is not an analytics answer', () => {
        expect(() => parseAnalytics({ message: 'hello' }, meta)).toThrow(/analytics/)
        expect(() => parseAnalytics({ headers: [header('pe')], rows: [] }, meta)).toThrow(/no dx or value column/)
        expect(() => parseAnalytics('<html>login</html>', meta)).toThrow()
    })
})
