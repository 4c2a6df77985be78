import path from 'node:path'
import { EXAMPLES, open, readAll } from './helpers'

/**
 * Each preset against its example statement (tests/connectors/examples/): French headers, title
 * blocks, DD/MM/YYYY dates, "12 500" amounts, accents, windows-1252. Expected values are read
 * off the example files by hand.
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

    test('orange-money: merchant statement with a title block and signed amounts', async () => {
        const [src] = await open(`
ledger:
  sources:
    - type: file
      paths: [${ex('orange-money-releve.csv')}]
      preset: orange-money
      mapping:
        defaults: { facility_code: ML-BKO-HDB }
`)
        const r = await readAll([src])
        expect(r.quarantine).toEqual([])
        expect(r.lines.map((l) => [l.transactionId, l.amountXof, l.type, l.status, l.occurredAt])).toEqual([
            ['MP240315.0842.A10001', 12500, 'PAYMENT', 'SUCCESS', '2024-03-15T08:42:10.000Z'],
            ['MP240315.0915.A10002', 7500, 'PAYMENT', 'SUCCESS', '2024-03-15T09:15:33.000Z'],
            ['MP240315.1001.A10003', 3000, 'PAYMENT', 'FAILED', '2024-03-15T10:01:02.000Z'],
            ['RB240315.1103.A10004', 2000, 'REFUND', 'SUCCESS', '2024-03-15T11:03:55.000Z'],
            ['MP240315.1200.A10005', 15000, 'PAYMENT', 'PENDING', '2024-03-15T12:00:00.000Z'],
            ['MP240317.0805.A10006', 10000, 'PAYMENT', 'SUCCESS', '2024-03-17T08:05:41.000Z'],
        ])
        expect(new Set(r.lines.map((l) => `${l.facilityCode}/${l.channel}/${l.service}`))).toEqual(new Set(['ML-BKO-HDB/ORANGE_MONEY/OTHER']))
        expect(r.lines[0]).toMatchObject({ lineNo: 1 })
        // Positions are the file's physical lines (the header is line 5).
        expect(src.stats).toMatchObject({ rows: 7, lines: 6, excluded: 1, preamble: 3 })
        expect(r.json).not.toMatch(/76123456|66554433/)
    })

    test('orange-money without a facility default: every row says what is missing', async () => {
        const [src] = await open(`
ledger:
  sources:
    - type: file
      paths: [${ex('orange-money-releve.csv')}]
      preset: orange-money
`)
        const r = await readAll([src])
        expect(r.lines).toEqual([])
        expect(r.quarantine).toHaveLength(7)
        expect(new Set(r.quarantine.map((q) => q.column))).toEqual(new Set(['facility_code']))
        expect(r.quarantine[0].reason.en).toMatch(/Required column missing from the header: facility_code .*mapping\.defaults/)
        expect(r.quarantine[0].reason.fr).toMatch(/facility_code/)
        expect(r.quarantine[0].line).toBe(6)
    })

    test('moov-money: debit and credit columns, DD-MM-YYYY dates, comma-separated', async () => {
        const [src] = await open(`
ledger:
  sources:
    - type: file
      paths: [${ex('moov-money-releve.csv')}]
      preset: moov-money
      mapping:
        defaults: { facility_code: ML-SIK-HRS }
`)
        const r = await readAll([src])
        expect(r.quarantine).toEqual([])
        expect(r.lines.map((l) => [l.transactionId, l.amountXof, l.type, l.status, l.occurredAt, l.channel])).toEqual([
            ['MM240315091500123', 7500, 'PAYMENT', 'SUCCESS', '2024-03-15T09:15:00.000Z', 'MOOV_MONEY'],
            ['MM240315104000456', 12000, 'PAYMENT', 'SUCCESS', '2024-03-15T10:40:00.000Z', 'MOOV_MONEY'],
            ['MM240315142200789', 2000, 'REFUND', 'SUCCESS', '2024-03-15T14:22:00.000Z', 'MOOV_MONEY'],
            ['MM240316093000222', 5000, 'PAYMENT', 'FAILED', '2024-03-16T09:30:00.000Z', 'MOOV_MONEY'],
        ])
        expect(src.stats).toMatchObject({ excluded: 1 })
    })

    test('sama-money: windows-1252 text, "15/03/2024 à 10:20" dates, "15 000 F" amounts, C/D direction', async () => {
        const yaml = (encoding: string) => `
ledger:
  sources:
    - type: file
      paths: [${ex('sama-money-historique.csv')}]
      preset: sama-money
      mapping:
        defaults: { facility_code: ML-BKO-CSREF4 }
        ${encoding}
`
        const [src] = await open(yaml('encoding: windows-1252'))
        const r = await readAll([src])
        expect(r.quarantine).toEqual([])
        expect(r.lines.map((l) => [l.transactionId, l.amountXof, l.type, l.status, l.occurredAt])).toEqual([
            ['SM-88812001', 15000, 'PAYMENT', 'SUCCESS', '2024-03-15T10:20:00.000Z'],
            ['SM-88812002', 4500, 'PAYMENT', 'SUCCESS', '2024-03-15T11:45:00.000Z'],
            ['SM-88812003', 1500, 'REFUND', 'SUCCESS', '2024-03-15T15:00:00.000Z'],
            ['SM-88812004', 6000, 'PAYMENT', 'EXPIRED', '2024-03-16T09:12:00.000Z'],
        ])
        expect(src.stats).toMatchObject({ excluded: 1 })
        // Without the encoding, the accented header cells are not UTF-8: rows are quarantined with the fix.
        const [raw] = await open(yaml(''))
        const bad = await readAll([raw])
        expect(bad.lines).toEqual([])
        expect(bad.quarantine[0].reason.en).toMatch(/windows-1252/)
    })

    test('card-acquirer: terminals mapped to facilities, cancellations as refunds, fees left out', async () => {
        const [src] = await open(`
ledger:
  sources:
    - type: file
      paths: [${ex('carte-acquereur-remise.csv')}]
      preset: card-acquirer
      mapping:
        values:
          facility_code: { TPE00123: ML-BKO-HDB, TPE00124: ML-BKO-HDB }
`)
        const r = await readAll([src])
        expect(r.quarantine).toEqual([])
        expect(r.lines.map((l) => [l.transactionId, l.facilityCode, l.amountXof, l.type, l.channel, l.status])).toEqual([
            ['RT24031500001', 'ML-BKO-HDB', 25000, 'PAYMENT', 'CARD', 'SUCCESS'],
            ['RT24031500002', 'ML-BKO-HDB', 60000, 'PAYMENT', 'CARD', 'SUCCESS'],
            ['RT24031500003', 'ML-BKO-HDB', 25000, 'REFUND', 'CARD', 'SUCCESS'],
            // An unmapped terminal stays as written: the sync quarantines it as an unknown facility.
            ['RT24031600004', 'TPE00999', 10000, 'PAYMENT', 'CARD', 'SUCCESS'],
        ])
        expect(r.lines[0].occurredAt).toBe('2024-03-15T10:12:44.000Z')
        expect(src.stats).toMatchObject({ excluded: 1 })
        // The authorisation number (operator_ref) and the masked card are never copied.
        expect(r.json).not.toMatch(/A12345|XXXXXX/)
    })

    test('a source mapping adds to its preset and wins over it', async () => {
        const [src] = await open(`
ledger:
  sources:
    - type: file
      paths: [${ex('orange-money-releve.csv')}]
      preset: orange-money
      mapping:
        defaults: { facility_code: ML-BKO-HDB, service: CONSULTATION }
        values:
          status: { "en attente": SUCCESS }
`)
        const r = await readAll([src])
        expect(r.lines.find((l) => l.transactionId === 'MP240315.1200.A10005')).toMatchObject({ status: 'SUCCESS', service: 'CONSULTATION' })
        expect(r.lines.find((l) => l.transactionId === 'MP240315.1001.A10003')).toMatchObject({ status: 'FAILED' })
    })
})
