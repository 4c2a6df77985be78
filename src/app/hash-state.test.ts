import { formatHash, parseHash } from './hash-state'

describe('hash state', () => {
    it('round-trips view, org unit and period', () => {
        const loc = { view: 'facilities' as const, ou: 'OuBamako001', pe: '2026Q3' }
        expect(formatHash(loc)).toBe('#/facilities?ou=OuBamako001&pe=2026Q3')
        expect(parseHash(formatHash(loc))).toEqual(loc)
    })
    it('falls back to the overview and ignores what is not a UID', () => {
        expect(parseHash('')).toEqual({ view: 'overview', ou: null, pe: null })
        expect(parseHash('#/nowhere?ou=<script>&pe=')).toEqual({ view: 'overview', ou: null, pe: null })
    })
})
