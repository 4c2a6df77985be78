import type { Fact } from '../analytics/parse'
import type { Channel, Service } from '@recettes/contract'
import { channelFigures, inMonths, mixByService, overviewFigures, seriesByChannel, totalsOf } from './kpis'
import { monthIndex } from './periods'

const gross = (pe: string, channel: Channel, service: Service, value: number): Fact => ({ de: 'PAYREV_GROSS', pe, ou: null, channel, service, value })
const refund = (pe: string, channel: Channel, service: Service, value: number): Fact => ({ de: 'PAYREV_REFUNDS', pe, ou: null, channel, service, value })
const count = (de: 'PAYREV_PAYMENTS' | 'PAYREV_FAILED', pe: string, channel: Channel, value: number): Fact => ({ de, pe, ou: null, channel, service: null, value })

// Gross by channel only (as the overview's channel request returns it): service is null there.
const g = (pe: string, channel: Channel, value: number): Fact => ({ de: 'PAYREV_GROSS', pe, ou: null, channel, service: null, value })

const oct = { start: monthIndex(2026, 10), end: monthIndex(2026, 10) }

describe('totalsOf', () => {
    it('sums per data element and counts mobile money and card as digital (not cash, not other)', () => {
        const t = totalsOf(
            [g('202610', 'CASH', 100), g('202610', 'ORANGE_MONEY', 200), g('202610', 'CARD', 50), g('202610', 'OTHER', 25), count('PAYREV_PAYMENTS', '202610', 'SAMA_MONEY', 3), count('PAYREV_PAYMENTS', '202610', 'CASH', 7)],
            inMonths(oct)
        )
        expect(t).toMatchObject({ gross: 375, digitalGross: 250, payments: 10, digitalPayments: 3, hasData: true })
    })
    it('a stored 0 is data; nothing is no data', () => {
        expect(totalsOf([g('202610', 'CASH', 0)], inMonths(oct)).hasData).toBe(true)
        expect(totalsOf([g('202609', 'CASH', 10)], inMonths(oct)).hasData).toBe(false)
    })
})

describe('overviewFigures', () => {
    const facts: Fact[] = [
        // October 2026
        g('202610', 'CASH', 600_000),
        g('202610', 'ORANGE_MONEY', 450_000),
        g('202610', 'CARD', 450_000),
        refund('202610', 'CASH', 'PHARMACY', 25_000),
        refund('202610', 'ORANGE_MONEY', 'CONSULTATION', 5_000),
        count('PAYREV_PAYMENTS', '202610', 'CASH', 120),
        count('PAYREV_PAYMENTS', '202610', 'ORANGE_MONEY', 60),
        count('PAYREV_PAYMENTS', '202610', 'CARD', 20),
        count('PAYREV_FAILED', '202610', 'ORANGE_MONEY', 12),
        count('PAYREV_FAILED', '202610', 'CARD', 3),
        // September 2026
        g('202609', 'CASH', 1_000_000),
        g('202609', 'ORANGE_MONEY', 200_000),
        count('PAYREV_PAYMENTS', '202609', 'CASH', 100),
        count('PAYREV_PAYMENTS', '202609', 'ORANGE_MONEY', 50),
        count('PAYREV_FAILED', '202609', 'ORANGE_MONEY', 10),
        // January 2026, October and March 2025
        g('202601', 'CASH', 300_000),
        g('202510', 'CASH', 1_000_000),
        count('PAYREV_PAYMENTS', '202510', 'CASH', 125),
        g('202503', 'CASH', 500_000),
    ]
    const { kpis, hasData } = overviewFigures(facts, oct)
    const k = Object.fromEntries(kpis.map((x) => [x.key, x]))

    it('computes the selection’s values', () => {
        expect(hasData).toBe(true)
        expect(k.gross.value).toBe(1_500_000)
        expect(k.net.value).toBe(1_470_000)
        expect(k.payments.value).toBe(200)
        expect(k.averageTicket.value).toBe(7500)
        expect(k.digitalShareValue.value).toBeCloseTo(0.6)
        expect(k.digitalShareCount.value).toBeCloseTo(0.4)
        expect(k.refunds.value).toBe(30_000)
        expect(k.failureRate.value).toBeCloseTo(15 / 215)
    })

    it('month over month, year over year, year to date', () => {
        expect(k.gross.previousChange).toBeCloseTo(0.25)
        expect(k.gross.yearChange).toBeCloseTo(0.5)
        expect(k.gross.ytdValue).toBe(3_000_000)
        expect(k.gross.ytdChange).toBeCloseTo(1) // 3.0 M vs 1.5 M (March + October 2025)
        expect(k.payments.yearChange).toBeCloseTo(200 / 125 - 1)
        expect(k.averageTicket.previousChange).toBeCloseTo(7500 / 8000 - 1)
    })

    it('ratios change in points, and a zero base is n/a', () => {
        expect(k.digitalShareValue.previousChange).toBeCloseTo(0.6 - 200_000 / 1_200_000)
        expect(k.failureRate.previousChange).toBeCloseTo(15 / 215 - 10 / 160)
        expect(k.refunds.previousChange).toBeNull() // no refunds in September
        expect(k.digitalShareValue.yearChange).toBeCloseTo(0.6) // 0 % digital in October 2025
        expect(k.failureRate.yearChange).toBeCloseTo(15 / 215) // 0 failed of 125 in October 2025
    })

    it('a selection without values has no data, and its ratios are n/a', () => {
        const empty = overviewFigures(facts, { start: monthIndex(2026, 11), end: monthIndex(2026, 11) })
        expect(empty.hasData).toBe(false)
        const e = Object.fromEntries(empty.kpis.map((x) => [x.key, x]))
        expect(e.gross.value).toBe(0)
        expect(e.averageTicket.value).toBeNull()
        expect(e.failureRate.value).toBeNull()
        expect(e.gross.previousChange).toBeCloseTo(-1) // November vs October: everything lost
    })
})

describe('mixByService', () => {
    it('shares of gross by service over the selection, largest first', () => {
        const mix = mixByService(
            [
                gross('202610', 'CASH', 'CONSULTATION', 400_000),
                gross('202610', 'ORANGE_MONEY', 'CONSULTATION', 300_000),
                gross('202610', 'CARD', 'HOSPITALISATION', 450_000),
                gross('202610', 'CASH', 'PHARMACY', 200_000),
                gross('202610', 'ORANGE_MONEY', 'EXAM', 150_000),
                gross('202609', 'CASH', 'OTHER', 999_999),
                refund('202610', 'CASH', 'PHARMACY', 25_000),
            ],
            oct
        )
        expect(mix.map((m) => m.service)).toEqual(['CONSULTATION', 'HOSPITALISATION', 'PHARMACY', 'EXAM', 'OTHER'])
        expect(mix[0].value).toBe(700_000)
        expect(mix[0].share).toBeCloseTo(700 / 1500)
        expect(mix[4]).toEqual({ service: 'OTHER', value: 0, share: 0 })
    })
    it('shares are n/a when there is no revenue at all', () => {
        expect(mixByService([], oct).every((m) => m.share === null)).toBe(true)
    })
})

describe('seriesByChannel', () => {
    it('one point per month of the window, zero-filled, one column per channel', () => {
        const s = seriesByChannel(
            [g('202610', 'CASH', 5), g('202610', 'CASH', 7), g('202608', 'CARD', 3), count('PAYREV_PAYMENTS', '202610', 'CASH', 99)],
            'PAYREV_GROSS',
            { start: monthIndex(2026, 8), end: monthIndex(2026, 10) }
        )
        expect(s.map((p) => p.pe)).toEqual(['202608', '202609', '202610'])
        expect(s[2].CASH).toBe(12)
        expect(s[0].CARD).toBe(3)
        expect(s[1].ORANGE_MONEY).toBe(0)
    })
})

describe('channelFigures', () => {
    it('per channel: shares of value and count, failure rate, ticket, growth', () => {
        const rows = channelFigures(
            [
                g('202610', 'CASH', 600_000),
                g('202610', 'ORANGE_MONEY', 400_000),
                count('PAYREV_PAYMENTS', '202610', 'CASH', 150),
                count('PAYREV_PAYMENTS', '202610', 'ORANGE_MONEY', 50),
                count('PAYREV_FAILED', '202610', 'ORANGE_MONEY', 50),
                g('202609', 'ORANGE_MONEY', 200_000),
            ],
            oct
        )
        const om = rows.find((r) => r.channel === 'ORANGE_MONEY')!
        expect(om.grossShare).toBeCloseTo(0.4)
        expect(om.paymentsShare).toBeCloseTo(0.25)
        expect(om.failureRate).toBeCloseTo(0.5)
        expect(om.averageTicket).toBe(8000)
        expect(om.previousChange).toBeCloseTo(1)
        const cash = rows.find((r) => r.channel === 'CASH')!
        expect(cash.previousChange).toBeNull() // no cash in September
        const card = rows.find((r) => r.channel === 'CARD')!
        expect(card).toMatchObject({ gross: 0, grossShare: 0, failureRate: null, averageTicket: null })
    })
})
