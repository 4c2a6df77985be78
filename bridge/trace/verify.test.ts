import type { ResolvedKey } from './dhis2-values'
import { asActual, countByScope, findDrift } from './verify'

const key = (k: string, period = '202610', facility = 'HDB'): ResolvedKey => ({
    key: k,
    dataElement: 'deUid',
    period,
    orgUnit: 'ouUid',
    categoryOptionCombo: `coc-${k}`,
    codes: { dataElement: 'PAYREV_GROSS', orgUnit: 'ML-BKO-HDB', categoryOptionCombo: `coc-${k}`, facility, channel: 'CASH', service: 'EXAM' },
})

describe('findDrift', () => {
    test('equal values match; changed, absent and non-numeric values drift with expected and actual', () => {
        const expected = [
            { key: key('a'), expected: 100 },
            { key: key('b'), expected: 200 },
            { key: key('c'), expected: 0 },
            { key: key('d'), expected: 5 },
        ]
        const actual = new Map<string, string | null>([
            ['a', '100'],
            ['b', '250'],
            ['d', 'five'],
        ])
        const r = findDrift('revenue', expected, actual)
        expect(r.checked).toBe(4)
        expect(r.matching).toBe(1)
        expect(r.drifted.map((d) => [d.key, d.expected, d.actual, d.categoryOptionCombo])).toEqual([
            ['b', 200, 250, 'coc-b'],
            ['c', 0, null, 'coc-c'],
            ['d', 5, 'five', 'coc-d'],
        ])
        expect(r.drifted.every((d) => d.family === 'revenue')).toBe(true)
    })

    test('each drift names its family; an LMIS key has no channel or service', () => {
        const lmis: ResolvedKey = { ...key('x'), codes: { dataElement: 'LMIS_AMOX500', orgUnit: 'ML-BKO-HDB', categoryOptionCombo: 'Quantité distribuée', facility: 'HDB', channel: null, service: null } }
        const r = findDrift('lmis', [{ key: lmis, expected: 230 }], new Map([['x', '200']]))
        expect(r.drifted).toEqual([
            { key: 'x', family: 'lmis', dataElement: 'LMIS_AMOX500', period: '202610', orgUnit: 'ML-BKO-HDB', categoryOptionCombo: 'Quantité distribuée', facility: 'HDB', channel: null, service: null, expected: 230, actual: 200 },
        ])
    })

    test('asActual: numbers as numbers, blanks and words as text, absence as null', () => {
        expect(asActual('12')).toBe(12)
        expect(asActual(' ')).toBe(' ')
        expect(asActual(null)).toBeNull()
    })

    test('countByScope counts drift per facility × period', () => {
        expect(countByScope([{ facility: 'HDB', period: '202610' }, { facility: 'HDB', period: '202610' }, { facility: 'X', period: '202609' }])).toEqual({ 'HDB|202610': 2, 'X|202609': 1 })
    })
})
