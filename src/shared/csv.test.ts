import { csvCell, csvPercent, dialectFor, fileNamePart, toCsv } from './csv'

const fr = dialectFor('fr')
const en = dialectFor('en')

describe('csv', () => {
    it('escapes text cells that a spreadsheet would run as a formula', () => {
        for (const bad of ['=HYPERLINK("http://x")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd']) {
            const out = csvCell(bad, en)
            expect(out.replace(/^"/, '').startsWith("'")).toBe(true)
        }
        expect(csvCell('Hôpital', en)).toBe('Hôpital')
    })

    it('quotes separators, quotes and line breaks', () => {
        expect(csvCell('CHU "Point G", Bamako', en)).toBe('"CHU ""Point G"", Bamako"')
        expect(csvCell('a;b', fr)).toBe('"a;b"')
        expect(csvCell('two\nlines', en)).toBe('"two\nlines"')
    })

    it('writes numbers plainly, with the language’s decimal mark, and n/a as empty', () => {
        expect(csvCell(1234567, fr)).toBe('1234567')
        expect(csvCell(-12.5, fr)).toBe('-12,5')
        expect(csvCell(-12.5, en)).toBe('-12.5')
        expect(csvCell(null, en)).toBe('')
        expect(csvCell(Number.NaN, en)).toBe('')
    })

    it('writes a ratio as a percent with one decimal, n/a as empty', () => {
        expect(csvPercent(0.12345)).toBe(12.3)
        expect(csvPercent(-0.5)).toBe(-50)
        expect(csvPercent(null)).toBeNull()
    })

    it('keeps letters (accents too), digits, _ and - in a file name part', () => {
        expect(fileNamePart('CHU « Point G », Bamako')).toBe('CHU-Point-G-Bamako')
        expect(fileNamePart('Hôpital de Sikasso')).toBe('Hôpital-de-Sikasso')
        expect(fileNamePart('2026Q3')).toBe('2026Q3')
        expect(fileNamePart('../../etc')).toBe('etc')
    })

    it('uses ; in French and , in English, CRLF line ends', () => {
        expect(toCsv(['A', 'B'], [['x', 1.5]], fr)).toBe('A;B\r\nx;1,5\r\n')
        expect(toCsv(['A', 'B'], [['x', 1.5]], en)).toBe('A,B\r\nx,1.5\r\n')
    })
})
