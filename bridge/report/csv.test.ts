import { csvCell, csvLine } from './csv'

describe('CSV export cells', () => {
    test.each([
        ['=cmd|\' /C calc\'!A0', "'=cmd|' /C calc'!A0"],
        ['+33', "'+33"],
        ['-1+2', "'-1+2"],
        ['@SUM(A1)', "'@SUM(A1)"],
        ['plain', 'plain'],
        ['a,b', '"a,b"'],
        ['say "hi"', '"say ""hi"""'],
        [null, ''],
        [12500, '12500'],
    ])('%p → %p', (input, out) => expect(csvCell(input)).toBe(out))

    test('a line', () => expect(csvLine(['a', '=1', 'b;c'])).toBe(`a,'=1,"b;c"`))
})
