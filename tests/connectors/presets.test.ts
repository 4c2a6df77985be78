import path from 'node:path'
import { ConfigError } from '../../bridge/config/load'
import { EXAMPLES, open, readAll } from './helpers'

/**
 * The ledger preset against its example export; the operator statement presets are statement
 * presets now (tests/connectors/statement-presets.test.ts) and refused as ledger sources.
 */
const ex = (f: string) => JSON.stringify(path.join(EXAMPLES, f))

describe('presets and their example statements', () => {
    test('cashier: generic cashier export', async () => {
        const [src] = await open(`
ledger:
  sources:
    - type: file
      paths: [${ex('caisse-generique.csv')}]
      preset: cashier
`)
        const r = await readAll([src])
        expect(r.lines.map((l) => [l.transactionId, l.lineNo, l.channel, l.service, l.amountXof, l.type, l.status])).toEqual([
            ['HD-240315-0001', 1, 'CASH', 'CONSULTATION', 5000, 'PAYMENT', 'SUCCESS'],
            ['HD-240315-0002', 1, 'ORANGE_MONEY', 'EXAM', 12500, 'PAYMENT', 'SUCCESS'],
            ['HD-240315-0002', 2, 'ORANGE_MONEY', 'PHARMACY', 3750, 'PAYMENT', 'SUCCESS'],
            ['HD-240315-0003', 1, 'CARD', 'EXAM', 25000, 'PAYMENT', 'PENDING'],
            ['HD-240315-0004', 1, 'MOOV_MONEY', 'HOSPITALISATION', 45000, 'PAYMENT', 'SUCCESS'],
            ['HD-240315-R001', 1, 'CASH', 'CONSULTATION', 5000, 'REFUND', 'SUCCESS'],
            ['HD-240315-0005', 1, 'OTHER', 'OTHER', 2000, 'PAYMENT', 'CANCELLED'],
        ])
        expect(r.lines[0].occurredAt).toBe('2024-03-15T08:42:00.000Z')
        expect(r.lines[3].updatedAt).toBe('2024-03-15T10:07:00.000Z')
        expect(r.lines[2]).toMatchObject({ productCode: 'AMOX500C', productName: 'Amoxicilline 500 mg gélule', quantity: 50, unit: 'gélule' })
        // 31/02/2024 does not exist: quarantined at its physical line, with the configured format named.
        expect(r.quarantine).toHaveLength(1)
        expect(r.quarantine[0]).toMatchObject({ line: 9, column: 'occurred_at' })
        expect(r.quarantine[0].reason.fr).toMatch(/31\/02\/2024.*dd\/MM\/yyyy/)
        expect(r.quarantine[0].reason.en).toMatch(/31\/02\/2024.*dd\/MM\/yyyy/)
        // The TOTAL row is left out and counted.
        expect(src.stats).toMatchObject({ rows: 9, lines: 7, quarantined: 1, excluded: 1 })
        // Cashier and patient columns never leave the reader.
        expect(r.json).not.toMatch(/CAI-0|P-000/)
    })

    test('a statement preset under ledger.sources is a configuration error in French and English (a statement is never revenue)', async () => {
        for (const preset of ['orange-money', 'moov-money', 'sama-money', 'card-acquirer']) {
            let err: unknown
            try {
                await open(`
ledger:
  sources:
    - type: file
      paths: [${ex('orange-money-releve.csv')}]
      preset: ${preset}
`)
            } catch (e) {
                err = e
            }
            expect(err).toBeInstanceOf(ConfigError)
            const reason = (err as ConfigError).reason
            expect(reason.fr).toMatch(new RegExp(`${preset}.*relevé d'opérateur.*compté deux fois.*reconciliation\\.statements`))
            expect(reason.en).toMatch(new RegExp(`${preset}.*operator statement.*counted twice.*reconciliation\\.statements`))
        }
    })
})
