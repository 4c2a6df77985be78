import { monthIndex } from '../compute/periods'
import { fakeMetadata, OU, UIDS } from '../test-utils/fake-dhis2'
import { channelSeriesRequest, comparisonPeriods, comparisonRanges, facilitiesOuDimension, facilitiesRequest, serviceMixRequest, trendWindow } from './requests'

const meta = fakeMetadata()
const oct = { start: monthIndex(2026, 10), end: monthIndex(2026, 10) }
const dim = (params: { dimension: string[] }, id: string) => params.dimension.find((d) => d.startsWith(`${id}:`) || d === id)

describe('channelSeriesRequest', () => {
    const r = channelSeriesRequest(meta, OU.HDB, oct)
    it('asks the four data elements by channel (with its options) and month, org unit as filter', () => {
        expect(dim(r, 'dx')).toBe(`dx:${UIDS.de.PAYREV_GROSS};${UIDS.de.PAYREV_REFUNDS};${UIDS.de.PAYREV_PAYMENTS};${UIDS.de.PAYREV_FAILED}`)
        expect(dim(r, UIDS.channelCategory)).toBe(`${UIDS.channelCategory}:${Object.values(UIDS.channel).join(';')}`)
        expect(r.filter).toEqual([`ou:${OU.HDB}`])
        // never the service category: it would drop the two counts (channel-only combo)
        expect(r.dimension.some((d) => d.startsWith(UIDS.serviceCategory))).toBe(false)
    })
    it('covers 24 months up to the selection, holding previous period, last year and both years to date', () => {
        const pe = dim(r, 'pe')!.slice(3).split(';')
        expect(pe).toHaveLength(24)
        expect(pe[0]).toBe('202411')
        expect(pe[23]).toBe('202610')
        expect(pe).toContain('202501') // January of last year: year to date N-1
    })
    it('a 12-month selection still fits in 24 months', () => {
        const w = trendWindow({ start: monthIndex(2025, 11), end: monthIndex(2026, 10) })
        expect(w.end - w.start + 1).toBe(24)
    })
})

describe('serviceMixRequest', () => {
    it('asks gross alone by service (all options) over the selection’s months', () => {
        const r = serviceMixRequest(meta, OU.BKO, { start: monthIndex(2026, 7), end: monthIndex(2026, 9) })
        expect(r.dimension).toEqual([`dx:${UIDS.de.PAYREV_GROSS}`, UIDS.serviceCategory, 'pe:202607;202608;202609'])
        expect(r.filter).toEqual([`ou:${OU.BKO}`])
    })
})

describe('facilities request', () => {
    it('uses the facilities’ level under the selection as a boundary', () => {
        expect(facilitiesOuDimension(meta, { id: OU.BKO, name: 'Bamako', path: `/${OU.ML}/${OU.BKO}`, level: 2 })).toEqual([OU.BKO, 'LEVEL-3'])
        expect(facilitiesOuDimension(meta, { id: OU.ML, name: 'Mali', path: `/${OU.ML}`, level: 1 })).toEqual([OU.ML, 'LEVEL-3'])
    })
    it('a facility selects itself; a unit with no facility below selects nothing', () => {
        expect(facilitiesOuDimension(meta, { id: OU.HDB, name: 'HDB', path: '', level: 3 })).toEqual([OU.HDB])
        expect(facilitiesOuDimension({ ...meta, facilities: meta.facilities.filter((f) => f.id !== OU.HRK) }, { id: OU.KAY, name: 'Kayes', path: '', level: 2 })).toEqual([])
    })
    it('without the data set, asks the level below the selection', () => {
        expect(facilitiesOuDimension({ ...meta, facilities: [] }, { id: OU.BKO, name: 'Bamako', path: '', level: 2 })).toEqual([OU.BKO, 'LEVEL-3'])
    })
    it('asks current, previous and last-year periods in one request, as quarters where exact', () => {
        expect(comparisonPeriods(comparisonRanges(oct))).toEqual(['202610', '202609', '202510'])
        const q3 = comparisonRanges({ start: monthIndex(2026, 7), end: monthIndex(2026, 9) })
        expect(comparisonPeriods(q3)).toEqual(['2026Q3', '2026Q2', '2025Q3'])
        const r = facilitiesRequest(meta, [OU.BKO, 'LEVEL-3'], comparisonRanges(oct))
        expect(dim(r, 'ou')).toBe(`ou:${OU.BKO};LEVEL-3`)
        expect(r.filter).toBeUndefined()
    })
})
