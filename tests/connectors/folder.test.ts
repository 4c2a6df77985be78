import fs from 'node:fs'
import path from 'node:path'
import { LedgerPathError } from '../../bridge/ledger/paths'
import { EXAMPLES, omLedgerMapping, open, readAll, stateDb, tmpDir } from './helpers'

/** A watched folder: each file's content is read once; new content is read again. */
describe('watched folder', () => {
    const setup = () => {
        const dir = tmpDir('watch-')
        const db = stateDb()
        const yaml = `
ledger:
  sources:
    - type: folder
      name: om-quotidien
      path: ${JSON.stringify(dir)}
      minAgeSeconds: 0
      mapping: ${omLedgerMapping('ML-BKO-HDB')}
`
        return { dir, db, yaml }
    }
    const om = fs.readFileSync(path.join(EXAMPLES, 'orange-money-releve.csv'), 'utf8')

    test('a file is read once its lines are committed; a copy under another name is not read again', async () => {
        const { dir, db, yaml } = setup()
        fs.writeFileSync(path.join(dir, 'releve-2024-03-15.csv'), om)
        let sources = await open(yaml, db)
        expect(sources).toHaveLength(1)
        expect((await readAll(sources)).lines).toHaveLength(6)
        sources[0].commit(db)
        expect(await open(yaml, db)).toHaveLength(0)
        fs.copyFileSync(path.join(dir, 'releve-2024-03-15.csv'), path.join(dir, 'releve-2024-03-15 (1).csv'))
        expect(await open(yaml, db)).toHaveLength(0)
        // A new daily file is read, alone.
        fs.writeFileSync(path.join(dir, 'releve-2024-03-16.csv'), om.replace(/MP240317\.0805\.A10006/, 'MP240318.0900.A10007'))
        sources = await open(yaml, db)
        expect(sources.map((s) => path.basename(s.name))).toEqual(['releve-2024-03-16.csv'])
    })

    test('a file replaced by new content is read again', async () => {
        const { dir, db, yaml } = setup()
        const f = path.join(dir, 'releve.csv')
        fs.writeFileSync(f, om)
        const [first] = await open(yaml, db)
        await readAll([first])
        first.commit(db)
        fs.writeFileSync(f, om.replace('En attente', 'Succès'))
        const again = await open(yaml, db)
        expect(again).toHaveLength(1)
        const r = await readAll(again)
        expect(r.lines.find((l) => l.transactionId === 'MP240315.1200.A10005')?.status).toBe('SUCCESS')
    })

    test('an interrupted run (commit not called) reads the file again', async () => {
        const { dir, db, yaml } = setup()
        fs.writeFileSync(path.join(dir, 'releve.csv'), om)
        const [first] = await open(yaml, db)
        // The sync stopped after two lines, before committing.
        let n = 0
        for await (const item of first.read({ zoneFor: () => 'Africa/Bamako' })) {
            void item
            if (++n === 2) break
        }
        first.commit(db) // an incomplete read is never remembered
        expect(await open(yaml, db)).toHaveLength(1)
    })

    test('files still being written (younger than minAgeSeconds) wait for the next run', async () => {
        const { dir, db, yaml } = setup()
        fs.writeFileSync(path.join(dir, 'releve.csv'), om)
        const notes: string[] = []
        const sources = await open(yaml.replace('minAgeSeconds: 0', 'minAgeSeconds: 60'), db, [], { log: (m) => notes.push(m.en) })
        expect(sources).toHaveLength(0)
        expect(notes.join('\n')).toMatch(/1 too recent/)
        const later = await open(yaml.replace('minAgeSeconds: 0', 'minAgeSeconds: 60'), db, [], { now: () => new Date(Date.now() + 120_000) })
        expect(later).toHaveLength(1)
    })

    test('a folder that does not exist is a path error naming the source', async () => {
        const err = await open(`
ledger:
  sources:
    - { type: folder, name: x, path: /nonexistent/incoming }
`).catch((e) => e)
        expect(err).toBeInstanceOf(LedgerPathError)
        expect(err.reason.fr).toMatch(/n'existe pas/)
    })
})
