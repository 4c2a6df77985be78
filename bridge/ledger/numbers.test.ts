import { parseAmount, parseLineNo, parseQuantity } from './numbers'

describe('amount_xof', () => {
    test.each([
        ['12500', 12500],
        ['12 500', 12500],
        ['12\u00A0500', 12500], // no-break space
        ['12\u202F500', 12500], // narrow no-break space
        ['1 234 567', 1234567],
        ['12500,00', 12500], // decimal comma, zero fraction
        ['12500.00', 12500],
        ['12500,0', 12500],
        ['12.500', 12500], // thousands dot
        ['1.234.567', 1234567],
        ['12.500,00', 12500],
        ['12 500,00', 12500],
        ['12,500', 12500], // comma before exactly three digits: thousands (decision, see numbers.ts)
        ['12,500.00', 12500],
        ['0', 0],
        ['0,00', 0],
        ['  3000  ', 3000],
        ['007', 7],
    ])('%j → %d', (text, value) => {
        expect(parseAmount(text)).toEqual({ ok: true, value })
    })

    test.each([
        ['12,5', 'centimes', 'no minor unit'],
        ['12500,50', 'centimes', 'no minor unit'],
        ['12.50', 'centimes', 'no minor unit'],
        ['2 500,50', 'centimes', 'no minor unit'],
        ['12.500,01', 'centimes', 'no minor unit'],
        ['-1500', 'négatif', 'Negative'],
        ['-0', 'négatif', 'Negative'],
        ['\u22121500', 'négatif', 'Negative'],
        ['(1500)', 'négatif', 'Negative'],
        ['12 50', 'invalide', 'Invalid amount'], // not a group of three
        ['12  500', 'invalide', 'Invalid amount'],
        ['1,2,3', 'invalide', 'Invalid amount'],
        ['12500 FCFA', 'invalide', 'Invalid amount'],
        ['1.25E+04', 'invalide', 'Invalid amount'],
        ['abc', 'invalide', 'Invalid amount'],
        ['+100', 'invalide', 'Invalid amount'],
        ['99999999999999999999', 'trop grand', 'too large'],
    ])('%j is refused (%s)', (text, fr, en) => {
        const r = parseAmount(text)
        expect(r.ok).toBe(false)
        if (r.ok) return
        expect(r.reason.fr).toContain(fr)
        expect(r.reason.en).toContain(en)
        expect(r.reason.fr).toContain(`« ${text} »`)
        expect(r.reason.en).toContain(`"${text}"`)
    })

    test('the contract example message', () => {
        expect(parseAmount('12,5')).toEqual({
            ok: false,
            reason: { fr: 'Montant invalide « 12,5 » : les FCFA n\'ont pas de centimes', en: 'Invalid amount "12,5": FCFA has no minor unit' },
        })
    })

    test('a huge value is quoted truncated', () => {
        const r = parseAmount('9'.repeat(5000) + 'x')
        expect(r.ok).toBe(false)
        if (!r.ok) expect(r.reason.fr.length).toBeLessThan(250)
    })
})

describe('quantity', () => {
    test.each([
        ['30', 30],
        ['2,5', 2.5],
        ['2.5', 2.5],
        ['1 000', 1000],
        [' 0,25 ', 0.25],
    ])('%j → %d', (text, value) => {
        expect(parseQuantity(text)).toEqual({ ok: true, value })
    })

    test.each(['0', '0,0', '-2', '-2,5', 'deux', '2 boîtes', '1e3', ''])('%j is refused', (text) => {
        const r = parseQuantity(text)
        expect(r.ok).toBe(false)
        if (!r.ok) {
            expect(r.reason.fr).toMatch(/^Quantité invalide/)
            expect(r.reason.en).toMatch(/^Invalid quantity/)
        }
    })
})

describe('line_no', () => {
    test.each([
        ['1', 1],
        [' 12 ', 12],
        ['007', 7],
    ])('%j → %d', (text, value) => {
        expect(parseLineNo(text)).toEqual({ ok: true, value })
    })
    test.each(['0', '-1', '1.5', '1,0', 'un', '99999999999999999999'])('%j is refused', (text) => {
        expect(parseLineNo(text).ok).toBe(false)
    })
})
