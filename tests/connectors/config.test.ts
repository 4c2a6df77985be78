import fs from 'node:fs'
import path from 'node:path'
import YAML from 'yaml'
import { ConfigError, parseConfigText, readConfigFile } from '../../bridge/config/load'
import { starterConfig, starterExamples } from '../../bridge/config/starter'
import { presetYaml } from '../../bridge/cli/config-commands'
import { STATEMENT_PRESET_NAMES } from '../../bridge/reconcile/presets'
import { PRESET_NAMES } from '../../bridge/config/sources'
import { configProblem, tmpDir } from './helpers'


describe('YAML configuration', () => {
    test('a valid YAML file with a source', () => {
        const dir = tmpDir()
        const f = path.join(dir, 'bridge.yml')
        fs.writeFileSync(f, 'periodType: Weekly\nledger:\n  sources:\n    - type: folder\n      name: om\n      path: /srv/om\n      preset: cashier\n')
        const { config } = readConfigFile(f)
        expect(config.periodType).toBe('Weekly')
        expect(config.ledger.sources[0]).toMatchObject({ type: 'folder', name: 'om', minAgeSeconds: 10, extensions: ['.csv', '.xlsx'] })
        expect(config.ledger.paths).toEqual([])
    })

    test('a misspelt enum value: key, line, allowed values and a guess', () => {
        const r = configProblem(`ledger:
  sources:
    - type: sql
      name: facturation
      driver: postgress
      database: caisse
      query: SELECT 1
      cursor: { column: updated_at }
`)
        expect(r.en).toMatch(/ledger\.sources\.0\.driver \(line 5\): value "postgress" is not allowed — fix: use one of postgres, mysql, sqlite \(did you mean "postgres"\?\)/)
        expect(r.fr).toMatch(/ledger\.sources\.0\.driver \(ligne 5\) : valeur « postgress » non permise — correction : choisissez parmi postgres, mysql, sqlite \(vouliez-vous dire « postgres » \?\)/)
    })

    test('an unknown source type, a missing key, a number in quotes', () => {
        const r = configProblem(`ledger:
  sources:
    - type: ftp
      name: x
    - type: sql
      name: y
      driver: sqlite
      file: /x.db
      pageSize: "500"
      cursor: { column: id }
`)
        expect(r.en).toMatch(/ledger\.sources\.0\.type \(line 3\): unknown type "ftp" — fix: use one of file, folder, sql, http/)
        expect(r.en).toMatch(/ledger\.sources\.1\.query \(line 5\): required key missing — fix: add it, with a text/)
        expect(r.en).toMatch(/ledger\.sources\.1\.pageSize \(line 9\): expected a number, found a text \(500\) — fix: write 500 without quotes/)
        expect(r.fr).toMatch(/ledger\.sources\.1\.pageSize \(ligne 9\) : attendu un nombre, trouvé un texte \(500\) — correction : écrivez 500 sans guillemets/)
    })

    test('an unknown key: a guess from the allowed keys; a password written in the file: where it goes instead', () => {
        const r = configProblem(`ledger:
  sources:
    - type: sql
      name: facturation
      driver: postgres
      database: caisse
      querry: SELECT 1
      password: hunter2
      cursor: { column: updated_at }
`)
        expect(r.en).toMatch(/ledger\.sources\.0\.querry \(line 7\): unknown key "querry" — fix: did you mean "query"\?/)
        expect(r.en).toMatch(/ledger\.sources\.0\.password \(line 8\): unknown key "password" — fix: secrets do not go in this file: put it in an environment variable/)
        expect(r.fr).toMatch(/clé inconnue « password » — correction : un secret ne s'écrit pas dans ce fichier/)
        // The value itself is never echoed.
        expect(r.en + r.fr).not.toMatch(/hunter2/)
    })

    test('rules across keys: a sqlite source without a file, two sources with one name, ORDER BY in the query', () => {
        const r = configProblem(`ledger:
  sources:
    - { type: sql, name: a, driver: sqlite, query: "SELECT * FROM t ORDER BY id", cursor: { column: id } }
    - { type: http, name: a, url: "http://x/api" }
`)
        expect(r.en).toMatch(/ledger\.sources\.0\.file .*a sqlite source needs "file"/)
        expect(r.en).toMatch(/ledger\.sources\.0\.query .*remove ORDER BY and LIMIT/)
        expect(r.en).toMatch(/ledger\.sources\.1\.name .*name "a" is already used by source 0/)
        expect(r.fr).toMatch(/nom « a » déjà pris/)
    })

    test('broken YAML says where, in both languages', () => {
        const r = configProblem('ledger:\n  paths: [a, b\n  sources: []\n')
        expect(r.en).toMatch(/invalid YAML at line \d+, column \d+/)
        expect(r.fr).toMatch(/YAML invalide ligne \d+, colonne \d+/)
    })

    test('JSON files keep working, with the same error format', () => {
        const r = (() => {
            try {
                parseConfigText(JSON.stringify({ ledger: { sources: [{ type: 'file', paths: [] }] } }), 'bridge.json')
            } catch (e) {
                return (e as ConfigError).reason
            }
            throw new Error('no error')
        })()
        expect(r.en).toMatch(/ledger\.sources\.0\.paths: list too short — fix: give at least 1 item/)
    })
})

describe('init and presets', () => {
    test('the starter configuration is valid, and so are its examples once uncommented', () => {
        const text = starterConfig()
        expect(parseConfigText(text, 'revenue-bridge.yaml').ledger.sources).toEqual([])
        const examples = parseConfigText(`ledger:\n${starterExamples(text)}\n`, 'examples.yaml')
        expect(examples.ledger.sources.map((s) => s.type)).toEqual(['folder', 'file', 'sql', 'sql', 'http'])
        // Comments in both languages, no secret.
        expect(text).toMatch(/passwordEnv: CAISSE_DB_PASSWORD/)
        expect(text).not.toMatch(/password:|token:/i)
    })

    test('every preset prints as YAML that a source accepts back', () => {
        for (const name of PRESET_NAMES) {
            const doc = YAML.parse(presetYaml(name))
            const source = { type: 'file', paths: ['x.csv'], ...doc }
            const config = parseConfigText(JSON.stringify({ ledger: { sources: [source] } }), 'x.json')
            expect(config.ledger.sources[0]).toMatchObject({ preset: name })
        }
        for (const name of STATEMENT_PRESET_NAMES) {
            const doc = YAML.parse(presetYaml(name))
            const config = parseConfigText(JSON.stringify(doc), 'x.json')
            expect(config.reconciliation.statements[0]).toMatchObject({ preset: name, mapping: expect.any(Object) })
        }
    })
})
