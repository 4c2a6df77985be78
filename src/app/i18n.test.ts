import fs from 'fs'
import path from 'path'

/** msgid → msgstr (msgstr[1] for plurals) of a .po/.pot file. */
function readPo(file: string): Map<string, string> {
    const text = fs.readFileSync(file, 'utf8')
    const unq = (s: string) => [...s.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]).join('').replace(/\\"/g, '"').replace(/\\\\/g, '\\')
    const out = new Map<string, string>()
    for (const block of text.split(/\n\s*\n/)) {
        const id = /^msgid ((?:".*"\n?)+)/m.exec(block)
        if (!id) continue
        const str = /^msgstr(?:\[1\])? ((?:".*"\n?)+)/m.exec(block) ?? /^msgstr\[0\] ((?:".*"\n?)+)/m.exec(block)
        const msgid = unq(id[1])
        if (msgid) out.set(msgid, str ? unq(str[1]) : '')
    }
    return out
}

const root = path.resolve(__dirname, '..', '..')
const extracted = readPo(process.env.PAYREV_EXTRACTED_POT!)
const committedPot = readPo(path.join(root, 'i18n', 'en.pot'))
const fr = readPo(path.join(root, 'i18n', 'fr.po'))

describe('translations', () => {
    it('the global set-up extracted the strings of src/', () => {
        expect(extracted.size).toBeGreaterThan(50)
        expect(extracted.has('No data for this period — has the bridge run?')).toBe(true)
    })

    it('fr.po translates every string the code uses (French first)', () => {
        const missing = [...extracted.keys()].filter((id) => !fr.get(id))
        expect(missing).toEqual([])
    })

    it('i18n/en.pot is up to date with the code (run `npm run build` or `npx d2-app-scripts i18n extract`)', () => {
        expect([...committedPot.keys()].sort()).toEqual([...extracted.keys()].sort())
    })

    it('keeps the placeholders of each string', () => {
        const vars = (s: string) => [...s.matchAll(/{{\s*-?\s*(\w+)\s*}}/g)].map((m) => m[1]).sort()
        for (const [id, tr] of fr) if (extracted.has(id)) expect([id, vars(tr)]).toEqual([id, vars(id)])
    })

    it('says the empty state in French as the product asks', () => {
        expect(fr.get('No data for this period — has the bridge run?')).toBe('Aucune donnée pour cette période — le pont a-t-il été exécuté ?')
    })
})
