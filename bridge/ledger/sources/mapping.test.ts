import { cellText, excelSerialToDate } from './cells'
import { sniffStatementDelimiter } from './csv-rows'
import { convertDate, mapRow, planHeader, RecordMapper, resolveMapping } from './mapping'
import { Progress } from './progress'

const sheet = { spreadsheet: true }
const db = { spreadsheet: false }

describe('cells → canonical text', () => {
    test('spreadsheet dates are wall clocks; serial days convert; times alone', () => {
        expect(cellText(new Date(Date.UTC(2024, 2, 15, 10, 30, 0, 400)), 'occurred_at', sheet)).toEqual({ ok: true, value: '2024-03-15T10:30:00' })
        expect(cellText(new Date(Date.UTC(2024, 2, 15)), 'occurred_at', sheet)).toEqual({ ok: true, value: '2024-03-15' })
        expect(cellText(45366.4375, 'occurred_at', sheet)).toEqual({ ok: true, value: '2024-03-15T10:30:00' })
        expect(cellText(0.4375, 'occurred_at_time', sheet)).toEqual({ ok: true, value: '10:30:00' })
        expect(excelSerialToDate(0, true).toISOString()).toBe('1904-01-01T00:00:00.000Z')
    })

    test('numbers: whole amounts, formula noise rounded away, real fractions kept (and refused later)', () => {
        expect(cellText(12500, 'amount_xof', db)).toEqual({ ok: true, value: '12500' })
        expect(cellText(12499.999999999998, 'amount_xof', sheet)).toEqual({ ok: true, value: '12500' })
        expect(cellText(2500.5, 'amount_xof', sheet)).toEqual({ ok: true, value: '2500.5' })
        expect(cellText(10n ** 20n, 'transaction_id', db)).toEqual({ ok: true, value: '100000000000000000000' })
    })

    test('types that cannot be ledger values are refused with the column named', () => {
        const r = cellText(1710498600, 'occurred_at', db)
        expect(r.ok).toBe(false)
        expect(!r.ok && r.reason.en).toMatch(/Unexpected type for occurred_at: a number \(1710498600\), expected a date-time/)
        expect(cellText(Buffer.from('x'), 'service', db).ok).toBe(false)
        expect(cellText(true, 'amount_xof', db).ok).toBe(false)
        expect(cellText({ a: 1 }, 'channel', db).ok).toBe(false)
        expect(cellText(new Date(0), 'amount_xof', sheet).ok).toBe(false)
    })
})

describe('configured date formats', () => {
    test('French formats with literals, times optional; ISO passes through; impossible dates refused', () => {
        const f = ["dd/MM/yyyy 'à' HH:mm", 'dd/MM/yyyy HH:mm:ss', 'dd/MM/yyyy']
        expect(convertDate('15/03/2024 à 10:20', f)).toEqual({ ok: true, value: '2024-03-15T10:20:00' })
        expect(convertDate('15/03/2024', f)).toEqual({ ok: true, value: '2024-03-15' })
        expect(convertDate('2024-03-15T10:00:00Z', f)).toBeNull()
        const bad = convertDate('30/02/2024', f)
        expect(bad?.ok).toBe(false)
        expect(bad && !bad.ok && bad.reason.fr).toMatch(/Date illisible ou impossible « 30\/02\/2024 »/)
        // A format with an offset keeps it.
        expect(convertDate('15/03/2024 10:20 +01:00', ['dd/MM/yyyy HH:mm ZZ'])).toEqual({ ok: true, value: '2024-03-15T10:20:00+01:00' })
        // Without formats, the text goes on as written (normaliseRow explains what it expects).
        expect(convertDate('15/03/2024', [])).toBeNull()
    })
})

describe('row mapping', () => {
    const m = resolveMapping(undefined, {
        columns: { Réf: 'transaction_id', Date: 'occurred_at', Heure: 'occurred_at_time', Montant: 'amount_xof', Sens: 'type', Tél: 'payer_msisdn' },
        values: { type: { entrée: 'PAYMENT', sortie: 'REFUND' } },
        defaults: { facility_code: 'F1', channel: 'CASH', service: 'OTHER' },
        dateFormats: ['dd/MM/yyyy'],
        negativeAmounts: 'refund',
        exclude: [{ column: 'Libellé', values: ['Frais de tenue'] }, { column: 'transaction_id', empty: true }],
    })
    const plan = planHeader(['réf ', 'DATE', 'heure', 'Montant', 'Sens', 'Libellé', 'Tél'], m)

    test('headers match whatever the case, accents and spaces', () => {
        expect(plan.problem).toBeNull()
        expect(plan.targets).toEqual(['transaction_id', 'occurred_at', 'occurred_at_time', 'amount_xof', 'type', null, 'payer_msisdn'])
    })

    test('a row: time joined to the date, currency stripped, aliases then defaults, personal data dropped', () => {
        const out = mapRow(plan, ['A1', '15/03/2024', '9h05', '12 500 FCFA', 'Entrée', 'Paiement', '76000000'], m, db)
        expect(out).toEqual({
            kind: 'raw',
            raw: { transaction_id: 'A1', occurred_at: '2024-03-15T09:05:00', amount_xof: '12 500', type: 'PAYMENT', facility_code: 'F1', channel: 'CASH', service: 'OTHER' },
        })
    })

    test('a negative amount is a refund of its absolute value, whatever the type column says', () => {
        const out = mapRow(plan, ['A2', '15/03/2024', '', '(2 000)', 'Entrée', '', ''], m, db)
        expect(out.kind === 'raw' && out.raw).toMatchObject({ amount_xof: '2 000', type: 'REFUND', occurred_at: '2024-03-15' })
    })

    test('exclusions: by a source column and by an empty canonical value', () => {
        expect(mapRow(plan, ['A3', '15/03/2024', '', '500', 'Sortie', 'frais de tenue', ''], m, db)).toEqual({ kind: 'excluded', rule: 0 })
        expect(mapRow(plan, ['', '', '', '125 000', '', 'Total', ''], m, db)).toEqual({ kind: 'excluded', rule: 1 })
    })

    test('an unreadable time is quarantined with the column and both languages', () => {
        const out = mapRow(plan, ['A4', '15/03/2024', 'midi', '500', '', '', ''], m, db)
        expect(out).toMatchObject({ kind: 'error', column: 'occurred_at' })
        expect(out.kind === 'error' && out.reason.fr).toMatch(/Heure illisible « midi »/)
    })

    test('negative amounts are an error unless the mapping says they are refunds', () => {
        const strict = resolveMapping(undefined, { columns: { Montant: 'amount_xof' } })
        const p = planHeader(['Montant'], strict, false)
        const out = mapRow(p, ['-1 500'], strict, db)
        expect(out.kind === 'error' && out.reason.en).toMatch(/mapping\.negativeAmounts: refund/)
    })

    test('debit / credit columns give the amount and the direction; both filled is an error', () => {
        // A Moov Money layout mapped by hand as a ledger (the statement preset itself is for reconciliation).
        const dc = resolveMapping(undefined, {
            columns: { 'Date opération': 'occurred_at', 'ID Transaction': 'transaction_id', État: 'status' },
            values: { status: { réussie: 'SUCCESS' } },
            defaults: { facility_code: 'F', channel: 'MOOV_MONEY', service: 'OTHER' },
            debitCredit: { debit: 'Débit', credit: 'Crédit' },
            dateFormats: ['dd-MM-yyyy HH:mm'],
        })
        const p = planHeader(['Date opération', 'ID Transaction', 'Libellé', 'Débit', 'Crédit', 'État'], dc)
        expect(p.problem).toBeNull()
        expect(mapRow(p, ['15-03-2024 09:15', 'X1', 'Paiement', '', '7 500', 'Réussie'], dc, db)).toMatchObject({ kind: 'raw', raw: { amount_xof: '7 500', type: 'PAYMENT', status: 'SUCCESS' } })
        expect(mapRow(p, ['15-03-2024 09:15', 'X2', 'Remboursement', '2 000', '0', 'Réussie'], dc, db)).toMatchObject({ kind: 'raw', raw: { amount_xof: '2 000', type: 'REFUND' } })
        expect(mapRow(p, ['15-03-2024 09:15', 'X3', 'Paiement', '1', '2', 'Réussie'], dc, db)).toMatchObject({ kind: 'error', column: 'amount_xof' })
        expect(mapRow(p, ['15-03-2024 09:15', 'X4', 'Paiement', '', '', 'Réussie'], dc, db)).toMatchObject({ kind: 'error', column: 'amount_xof' })
    })

    test('JSON records: dotted paths, a fallback line number', () => {
        const rm = new RecordMapper(resolveMapping(undefined, { columns: { 'facility.code': 'facility_code', id: 'transaction_id' } }), db)
        expect(rm.map({ id: 7, 'facility.code': 'F', amount_xof: 100 }, { line_no: '3' })).toEqual({ kind: 'raw', raw: { transaction_id: '7', facility_code: 'F', amount_xof: '100', line_no: '3' } })
    })
})

describe('statement delimiter and progress', () => {
    test('the delimiter that splits the header most wins over a title line', () => {
        const text = 'Relevé, compte 7012345, mars\nDate;Réf;Montant;Statut;Solde\n15/03/2024;A;1 000,00;OK;2 000,00\n'
        expect(sniffStatementDelimiter(Buffer.from(text), true)).toBe(0x3b)
        expect(sniffStatementDelimiter(Buffer.from('a,b,c\n1,2,3\n'), true)).toBe(0x2c)
        expect(sniffStatementDelimiter(Buffer.from('a,b,c\n'), false)).toBeNull()
    })

    test('progress: silent for the first second, then rows, rate and time left; wiped at the end', () => {
        let t = 0
        const out: string[] = []
        const p = new Progress('caisse.csv', { write: (s) => out.push(s) }, { lang: 'fr', now: () => t })
        p.update(100, 0.1)
        expect(out).toEqual([])
        t = 2000
        p.update(20000, 0.25)
        expect(out[0]).toMatch(/caisse\.csv : 20\s000 lignes, 10\s000 lignes\/s, 25 %, reste ~0:06/)
        t = 2100
        p.update(20100, 0.26)
        expect(out).toHaveLength(1) // at most one line per 250 ms
        p.done()
        expect(out[1]).toBe('\r\x1b[K')
        let c = 0
        const en = new Progress('billing', { write: () => true }, { lang: 'en', now: () => c })
        c = 4000
        expect(en.line(8000, null)).toBe('billing: 8,000 rows, 2,000 rows/s')
    })
})
