import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { expandLedgerPaths, LedgerPathError } from './paths'

let dir: string
beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-paths-'))
    const exports = path.join(dir, 'exports')
    fs.mkdirSync(path.join(exports, 'sub.csv'), { recursive: true }) // a folder named like a file
    for (const f of ['b.csv', 'a.csv', 'A.CSV', 'é.csv', 'Z.csv', '10.csv', '9.csv', 'notes.txt', '.hidden.csv', '~$lock.csv', 'sub.csv/inner.csv']) {
        fs.writeFileSync(path.join(exports, f), 'x')
    }
    fs.writeFileSync(path.join(dir, 'single.txt'), 'x')
})
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

test('a folder expands to its .csv files in byte order of names, not recursively', async () => {
    const exports = path.join(dir, 'exports')
    expect(await expandLedgerPaths([exports])).toEqual(['10.csv', '9.csv', 'A.CSV', 'Z.csv', 'a.csv', 'b.csv', 'é.csv'].map((n) => path.join(exports, n)))
})

test('files keep the order given, whatever their extension; a file met twice is read once', async () => {
    const exports = path.join(dir, 'exports')
    const single = path.join(dir, 'single.txt')
    const b = path.join(exports, 'b.csv')
    expect(await expandLedgerPaths([single, b, exports])).toEqual([single, b, ...['10.csv', '9.csv', 'A.CSV', 'Z.csv', 'a.csv', 'é.csv'].map((n) => path.join(exports, n))])
})

test('an empty list or an empty folder gives no files', async () => {
    const empty = fs.mkdtempSync(path.join(dir, 'empty-'))
    expect(await expandLedgerPaths([])).toEqual([])
    expect(await expandLedgerPaths([empty])).toEqual([])
})

test('a missing path is a LedgerPathError with a bilingual reason', async () => {
    const missing = path.join(dir, 'nope')
    await expect(expandLedgerPaths([missing])).rejects.toBeInstanceOf(LedgerPathError)
    await expect(expandLedgerPaths([missing])).rejects.toMatchObject({
        path: missing,
        reason: { fr: expect.stringContaining('introuvable'), en: expect.stringContaining('not found') },
    })
})
