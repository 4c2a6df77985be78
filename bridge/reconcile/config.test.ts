import { parseConfigText } from '../config/load'
import { configProblem as reasonOf } from '../../tests/connectors/helpers'

describe('reconciliation sources: one name each', () => {
    test('two statement sources of one name (any case) are refused in French and English, naming both', () => {
        const r = reasonOf(`
reconciliation:
  statements:
    - { paths: [om.csv], name: orange, preset: orange-money, facility: F1 }
    - { type: http, name: Orange, url: "https://api.example.org/releves", preset: orange-money }
`)
        expect(r.en).toMatch(/name "Orange" is already used by statements\[0\]: each reconciliation source needs a unique name/)
        expect(r.fr).toMatch(/nom « Orange » déjà pris par statements\[0\]/)
    })

    test('a cash count may not take a statement’s name either; unnamed file sources are fine', () => {
        expect(
            reasonOf(`
reconciliation:
  statements:
    - { paths: [om.csv], name: caisse, preset: orange-money, facility: F1 }
  cashCounts:
    - { paths: [c.csv], name: CAISSE }
`).en
        ).toMatch(/"CAISSE" is already used by statements\[0\]/)
        const ok = parseConfigText(
            `
reconciliation:
  statements:
    - { paths: [a.csv], preset: orange-money, facility: F1 }
    - { paths: [b.csv], preset: orange-money, facility: F2 }
  cashCounts:
    - { paths: [c.csv], name: caisse }
`,
            'bridge.yaml'
        )
        expect(ok.reconciliation.statements).toHaveLength(2)
    })
})
