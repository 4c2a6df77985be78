import { formatMoney, makeFormatter, safeLocale } from './format'

const norm = (s: string) => s.replace(/[\u00a0\u202f\u2009]/g, ' ').replace(/\u2212/g, '-')
const labels = { na: 'n/a', points: (v: string) => `${v} pts` }
const fr = makeFormatter('fr', labels)
const en = makeFormatter('en', labels)

describe('money', () => {
    it('FCFA with French grouping and no decimals, in every language', () => {
        expect(norm(formatMoney(1234567))).toBe('1 234 567 FCFA')
        expect(norm(en.money(1234567))).toBe('1 234 567 FCFA')
        expect(norm(fr.money(7499.5))).toBe('7 500 FCFA')
        expect(norm(fr.money(0))).toBe('0 FCFA')
        expect(norm(fr.money(-25000))).toBe('-25 000 FCFA')
        expect(fr.money(null)).toBe('n/a')
    })
    it('uses a no-break space before FCFA so the amount never wraps', () => {
        expect(formatMoney(5)).toMatch(/5\u00a0FCFA$/)
    })
})

describe('numbers and percentages follow the locale', () => {
    it('counts', () => {
        expect(norm(fr.count(12345))).toBe('12 345')
        expect(en.count(12345)).toBe('12,345')
    })
    it('percent, growth and points, with n/a', () => {
        expect(norm(fr.percent(0.6))).toBe('60 %')
        expect(en.percent(15 / 215)).toBe('7%')
        expect(norm(fr.growth(0.25))).toBe('+25 %')
        expect(norm(fr.growth(-0.0625))).toMatch(/^-6,3 %$/)
        expect(norm(fr.growth(0))).toBe('0 %')
        expect(en.growth(null)).toBe('n/a')
        expect(norm(fr.points(0.433))).toBe('+43,3 pts')
        expect(en.points(-0.05)).toBe('-5 pts')
    })
})

describe('dates', () => {
    it('month labels by locale', () => {
        expect(fr.monthLong('202610')).toBe('octobre 2026')
        expect(en.monthLong('202610')).toBe('October 2026')
        expect(fr.month('202601')).toBe('janv. 2026')
    })
    it('month ranges', () => {
        expect(norm(fr.monthRange('202601', '202610'))).toBe('janv.–oct. 2026')
        expect(norm(en.monthRange('202511', '202602'))).toMatch(/^Nov 2025 ?– ?Feb 2026$/)
        expect(fr.monthRange('202601', '202601')).toBe('janv. 2026')
    })
    it('date-times and relative times', () => {
        const now = new Date('2026-11-23T12:00:00Z')
        expect(fr.relative('2026-11-23T09:00:00Z', now)).toBe('il y a 3 heures')
        expect(en.relative('2026-11-20T12:00:00Z', now)).toBe('3 days ago')
        expect(fr.dateTime('not a date')).toBe('n/a')
        expect(norm(fr.dateTime('2026-11-23T06:00:12.000Z'))).toContain('23 nov. 2026')
    })
})

describe('safeLocale', () => {
    it('keeps valid locales and falls back to French', () => {
        expect(safeLocale('fr-ML')).toBe('fr-ML')
        expect(safeLocale('en')).toBe('en')
        expect(safeLocale('not a locale!')).toBe('fr')
        expect(safeLocale(undefined)).toBe('fr')
    })
})
