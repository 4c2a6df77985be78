import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { buildProgram } from '../../bridge/cli/main'
import { renderCheck, runConfigCheck } from '../../bridge/cli/config-commands'
import { readConfigFile } from '../../bridge/config/load'
import { seedTokenFor, startStandin, type Standin } from '../../standin'
import { cardLedgerMapping, EXAMPLES, tmpDir } from './helpers'

/**
 * `revenue-bridge config check` against the DHIS2 stand-in (read-only calls), a SQLite billing
 * database and a card acquirer statement: what it finds, and its exit code.
 */
let standin: Standin
const VERSION = '2.41.3'
beforeAll(async () => {
    standin = await startStandin({ version: VERSION })
})
afterAll(() => standin.close())

function setup(): { dir: string; config: string; env: NodeJS.ProcessEnv } {
    const dir = tmpDir('check-')
    const file = path.join(dir, 'caisse.sqlite')
    const db = new Database(file)
    db.exec(`CREATE TABLE v (id INTEGER PRIMARY KEY, recu TEXT, paye_le TEXT, site TEXT, mode TEXT, presta TEXT, montant INTEGER)`)
    const rows = [
        ['R1', '2024-03-15 08:00', 'HDB', 'Espèces', 'Consultation', 5000],
        ['R2', '2024-03-15 09:00', 'HDB', 'Wave', 'Consultation', 2000],
        ['R3', '2024-03-15 10:00', 'ML-BKO-CHUGT', 'OM', 'Kiné', 1000],
        ['R4', '2024-03-15 11:00', 'XX-INCONNU', 'Carte', 'Pharmacie', 750],
        ['R5', '2024-03-15 12:00', 'HDB', 'Wave', 'Examens', 3000],
    ]
    rows.forEach((r, i) => db.prepare('INSERT INTO v VALUES (?, ?, ?, ?, ?, ?, ?)').run(i + 1, ...r))
    db.close()
    const config = path.join(dir, 'bridge.yaml')
    fs.writeFileSync(
        config,
        `facilities:
  - { code: HDB, orgUnit: ML-BKO-HDB }
stateDir: ${JSON.stringify(path.join(dir, 'state'))}
ledger:
  sources:
    - type: sql
      name: caisse
      driver: sqlite
      file: ${JSON.stringify(file)}
      query: SELECT id, recu AS transaction_id, paye_le AS occurred_at, site AS facility_code, mode AS channel, presta AS service, montant AS amount_xof FROM v
      cursor: { column: id, tieBreaker: [] }
    - type: file
      paths: [${JSON.stringify(path.join(EXAMPLES, 'carte-acquereur-remise.csv'))}]
      mapping: ${cardLedgerMapping({ TPE00123: 'ML-BKO-HDB', TPE00124: 'ML-BKO-HDB' })}
`
    )
    return { dir, config, env: { DHIS2_BASE_URL: standin.url, DHIS2_TOKEN: seedTokenFor(VERSION) } }
}

describe('config check', () => {
    test('reports rows per source, facilities and their org units, unknown spellings; exit 3', async () => {
        const { config, env } = setup()
        standin.hooks.clearRequests()
        const r = await runConfigCheck({ config, env })
        expect(r.valid).toBe(true)
        expect(r.dhis2).toMatchObject({ reachable: true, version: VERSION })
        expect(r.sources.map((s) => [s.kind, s.rows, s.lines, s.quarantined, s.excluded])).toEqual([
            ['sql', 5, 2, 3, 0],
            ['file', 4, 4, 0, 1],
        ])
        expect(r.sources[0].unmappedChannels).toEqual({ Wave: 2 })
        expect(r.sources[0].unmappedServices).toEqual({ Kiné: 1 })
        const byCode = Object.fromEntries(r.facilities.map((f) => [f.code, f]))
        expect(byCode.HDB).toMatchObject({ ref: 'ML-BKO-HDB', rows: 3, orgUnit: { code: 'ML-BKO-HDB' } })
        expect(byCode['ML-BKO-HDB']).toMatchObject({ rows: 3, orgUnit: { code: 'ML-BKO-HDB' } })
        expect(byCode['XX-INCONNU'].orgUnit).toBeNull()
        expect(byCode.TPE00999.orgUnit).toBeNull()
        expect(r.exitCode).toBe(3)
        // Nothing was written: no state file, nothing new on the server.
        expect(fs.existsSync(path.join(path.dirname(config), 'state', 'bridge.sqlite'))).toBe(false)
        const methods = new Set(standin.hooks.requests().map((q) => q.method))
        expect(standin.hooks.requests().length).toBeGreaterThan(2)
        expect(methods).toEqual(new Set(['GET']))
        const fr = renderCheck(r, 'fr')
        expect(fr).toMatch(/moyens de paiement non reconnus .*« Wave » \(2\)/)
        expect(fr).toMatch(/XX-INCONNU — 1 ligne\(s\) → INTROUVABLE dans DHIS2/)
        const en = renderCheck(r, 'en')
        expect(en).toMatch(/caisse \(sql\): 5 row\(s\) read, 2 valid, 3 quarantined/)
        expect(en).toMatch(/HDB \(as ML-BKO-HDB\) — 3 row\(s\) → .*\[/)
        expect(en).toMatch(/Result: rows or facilities would be quarantined \(code 3\)/)
    })

    test('a refused DHIS2 token is exit 2; DHIS2 down is exit 4; the sources are still read', async () => {
        const { config, env } = setup()
        const refused = await runConfigCheck({ config, env: { ...env, DHIS2_TOKEN: 'd2p_wrong' } })
        expect(refused.exitCode).toBe(2)
        expect(refused.dhis2.error?.en).toBeTruthy()
        expect(refused.sources).toHaveLength(2)
        const down = await runConfigCheck({ config, env: { ...env, DHIS2_BASE_URL: 'http://127.0.0.1:9' } })
        expect(down.exitCode).toBe(4)
        expect(down.sources[0].rows).toBe(5)
        expect(renderCheck(down, 'en')).toMatch(/DHIS2 not asked/)
    })

    test('an invalid file is exit 2 with the key named; --limit stops early', async () => {
        const { dir, config, env } = setup()
        const bad = path.join(dir, 'bad.yaml')
        fs.writeFileSync(bad, 'periodType: Yearly\n')
        const r = await runConfigCheck({ config: bad, env })
        expect(r).toMatchObject({ valid: false, exitCode: 2 })
        expect(r.errors[0].en).toMatch(/periodType \(line 1\)/)
        const limited = await runConfigCheck({ config, env, limit: 2 })
        expect(limited.sources[0]).toMatchObject({ rows: 2, truncated: true })
    })

    test('init writes the starter, refuses to overwrite, and the result validates', async () => {
        const dir = tmpDir('init-')
        const out = path.join(dir, 'conf', 'revenue-bridge.yaml')
        const write = process.stdout.write
        const err = process.stderr.write
        process.stdout.write = (() => true) as typeof process.stdout.write
        process.stderr.write = (() => true) as typeof process.stderr.write
        try {
            await buildProgram().parseAsync(['node', 'revenue-bridge', 'init', '--out', out])
            expect(readConfigFile(out).config.ledger.sources).toEqual([])
            fs.writeFileSync(out, 'kept: true\n')
            await buildProgram().parseAsync(['node', 'revenue-bridge', 'init', '--out', out])
            expect(fs.readFileSync(out, 'utf8')).toBe('kept: true\n')
            expect(process.exitCode).toBe(2)
        } finally {
            process.stdout.write = write
            process.stderr.write = err
            process.exitCode = 0
        }
    })
})
