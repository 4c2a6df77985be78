import { averageTicket, failureRate, growth, netRevenue, pointChange, refundRate, share } from './metrics'

describe('growth', () => {
    it('is the relative change', () => {
        expect(growth(1_500_000, 1_200_000)).toBeCloseTo(0.25)
        expect(growth(900, 1000)).toBeCloseTo(-0.1)
    })
    it('is n/a (null) on a zero or unknown base, never Infinity or NaN', () => {
        expect(growth(100, 0)).toBeNull()
        expect(growth(0, 0)).toBeNull()
        expect(growth(null, 10)).toBeNull()
        expect(growth(10, null)).toBeNull()
    })
    it('keeps the sign meaningful for a negative base (net revenue below zero)', () => {
        expect(growth(-50, -100)).toBeCloseTo(0.5) // from −100 to −50 is an improvement
    })
})

describe('ratios', () => {
    it('share, average ticket, failure and refund rates', () => {
        expect(share(900_000, 1_500_000)).toBeCloseTo(0.6)
        expect(averageTicket(1_500_000, 200)).toBe(7500)
        expect(failureRate(200, 15)).toBeCloseTo(15 / 215)
        expect(refundRate(30_000, 1_500_000)).toBeCloseTo(0.02)
    })
    it('are n/a when the denominator is zero', () => {
        expect(share(0, 0)).toBeNull()
        expect(averageTicket(5000, 0)).toBeNull()
        expect(failureRate(0, 0)).toBeNull()
        expect(refundRate(100, 0)).toBeNull()
    })
    it('a period with only failures has a 100 % failure rate', () => {
        expect(failureRate(0, 4)).toBe(1)
    })
})

describe('net revenue and point change', () => {
    it('net = gross − refunds, possibly negative', () => {
        expect(netRevenue(1_500_000, 30_000)).toBe(1_470_000)
        expect(netRevenue(0, 5_000)).toBe(-5_000)
    })
    it('point change is a difference of ratios', () => {
        expect(pointChange(0.6, 0.55)).toBeCloseTo(0.05)
        expect(pointChange(null, 0.5)).toBeNull()
    })
})
