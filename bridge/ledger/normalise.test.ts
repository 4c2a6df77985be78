import { ledgerLineSchema, quarantineEntrySchema, type LedgerLine } from '../domain/line'
import { normaliseRow, type NormaliseContext } from './normalise'

const ctx: NormaliseContext = { zoneFor: (f) => (f === 'JP-TYO' ? 'Asia/Tokyo' : 'Africa/Bamako') }
const pos = { file: 'caisse.csv', line: 7 }

const base: Record<string, string> = {
    transaction_id: 'T1',
    occurred_at: '2024-03-02 09:15',
    facility_code: 'ML-BKO-HDB',
    channel: 'CASH',
    service: 'CONSULTATION',
    amount_xof: '3000',
}

function line(raw: Record<string, string>, c: NormaliseContext = ctx): LedgerLine {
    const r = normaliseRow(raw, pos, c)
    if (!r.ok) throw new Error(`${r.entry.column}: ${r.entry.reason.en}`)
    return r.line
}
function bad(raw: Record<string, string>, c: NormaliseContext = ctx) {
    const r = normaliseRow(raw, pos, c)
    if (r.ok) throw new Error(`accepted: ${JSON.stringify(r.line)}`)
    return r.entry
}

test('a minimal row: defaults line_no 1, PAYMENT, SUCCESS, no product', () => {
    const l = line(base)
    expect(l).toEqual({
        transactionId: 'T1',
        lineNo: 1,
        occurredAt: '2024-03-02T09:15:00.000Z',
        updatedAt: null,
        facilityCode: 'ML-BKO-HDB',
        channel: 'CASH',
        service: 'CONSULTATION',
        amountXof: 3000,
        type: 'PAYMENT',
        status: 'SUCCESS',
        productCode: null,
        productName: null,
        quantity: null,
        unit: null,
    })
    expect(ledgerLineSchema.parse(l)).toEqual(l)
})

test('a full pharmacy row', () => {
    const l = line({
        ...base,
        line_no: '3',
        updated_at: '2024-03-03T10:00:00Z',
        service: 'Pharmacie',
        amount_xof: '1 800',
        type: 'payment',
        status: 'Success',
        product_code: ' AMOX500C ',
        product_name: 'Amoxicilline 500 mg gélule',
        quantity: '24',
        unit: 'gélule',
    })
    expect(l).toMatchObject({
        lineNo: 3,
        updatedAt: '2024-03-03T10:00:00.000Z',
        service: 'PHARMACY',
        amountXof: 1800,
        productCode: 'AMOX500C',
        productName: 'Amoxicilline 500 mg gélule',
        quantity: 24,
        unit: 'gélule',
    })
})

test('values are trimmed; empty optional cells take their defaults', () => {
    const l = line({ ...base, transaction_id: '  T9 ', line_no: ' ', type: '', status: '  ', quantity: '', updated_at: '' })
    expect(l).toMatchObject({ transactionId: 'T9', lineNo: 1, type: 'PAYMENT', status: 'SUCCESS', quantity: null, updatedAt: null })
})

test('local times are read in the facility zone', () => {
    expect(line({ ...base, facility_code: 'JP-TYO', occurred_at: '2024-03-01' }).occurredAt).toBe('2024-02-29T15:00:00.000Z')
    expect(line({ ...base, facility_code: 'JP-TYO', occurred_at: '2024-03-01', updated_at: '2024-03-02 09:00' }).updatedAt).toBe('2024-03-02T00:00:00.000Z')
})

describe('required columns', () => {
    test.each(['transaction_id', 'occurred_at', 'facility_code', 'channel', 'service', 'amount_xof'])('%s missing or empty → quarantined on that column', (col) => {
        const empty = bad({ ...base, [col]: '   ' })
        expect(empty.column).toBe(col)
        expect(empty.reason.fr).toContain(col)
        expect(empty.reason.en).toContain(col)
        const { [col]: _, ...without } = base
        expect(bad(without).column).toBe(col)
    })
})

describe('built-in channel aliases (docs/contract.md §2 list)', () => {
    test.each([
        ['espèces', 'CASH'],
        ['cash', 'CASH'],
        ['liquide', 'CASH'],
        ['om', 'ORANGE_MONEY'],
        ['orange money', 'ORANGE_MONEY'],
        ['orange', 'ORANGE_MONEY'],
        ['moov', 'MOOV_MONEY'],
        ['moov money', 'MOOV_MONEY'],
        ['flooz', 'MOOV_MONEY'],
        ['sama', 'SAMA_MONEY'],
        ['sama money', 'SAMA_MONEY'],
        ['carte', 'CARD'],
        ['carte bancaire', 'CARD'],
        ['tpe', 'CARD'],
        ['card', 'CARD'],
        ['visa', 'CARD'],
        ['gab', 'CARD'],
        ['autre', 'OTHER'],
        // the canonical names themselves
        ['CASH', 'CASH'],
        ['ORANGE_MONEY', 'ORANGE_MONEY'],
        ['MOOV_MONEY', 'MOOV_MONEY'],
        ['SAMA_MONEY', 'SAMA_MONEY'],
        ['CARD', 'CARD'],
        ['OTHER', 'OTHER'],
        // case, accents, surrounding and repeated spaces
        ['Espèces', 'CASH'],
        ['ESPÈCES', 'CASH'],
        ['especes', 'CASH'],
        ['  Especes  ', 'CASH'],
        ['OM', 'ORANGE_MONEY'],
        ['Orange Money', 'ORANGE_MONEY'],
        ['ORANGE  MONEY', 'ORANGE_MONEY'],
        ['orange_money', 'ORANGE_MONEY'],
        ['Moov Money', 'MOOV_MONEY'],
        ['Carte Bancaire', 'CARD'],
        ['TPE', 'CARD'],
        ['\u00A0Visa\u00A0', 'CARD'],
    ])('%j → %s', (text, channel) => {
        expect(line({ ...base, channel: text }).channel).toBe(channel)
    })

    test.each(['Wave', 'mobile money', 'chèque', 'o m', 'OMX'])('%j is unknown → quarantined', (text) => {
        const e = bad({ ...base, channel: text })
        expect(e.column).toBe('channel')
        expect(e.reason.fr).toContain(`« ${text} »`)
        expect(e.reason.en).toContain(`"${text}"`)
    })
})

describe('built-in service aliases (docs/contract.md §2 list)', () => {
    test.each([
        ['consultation', 'CONSULTATION'],
        ['consultations', 'CONSULTATION'],
        ['examen', 'EXAM'],
        ['examens', 'EXAM'],
        ['laboratoire', 'EXAM'],
        ['analyse', 'EXAM'],
        ['analyses', 'EXAM'],
        ['imagerie', 'EXAM'],
        ['radiologie', 'EXAM'],
        ['pharmacie', 'PHARMACY'],
        ['médicament', 'PHARMACY'],
        ['médicaments', 'PHARMACY'],
        ['hospitalisation', 'HOSPITALISATION'],
        ['autre', 'OTHER'],
        ['autres', 'OTHER'],
        ['CONSULTATION', 'CONSULTATION'],
        ['EXAM', 'EXAM'],
        ['PHARMACY', 'PHARMACY'],
        ['HOSPITALISATION', 'HOSPITALISATION'],
        ['OTHER', 'OTHER'],
        ['Médicaments', 'PHARMACY'],
        ['MEDICAMENTS', 'PHARMACY'],
        [' Laboratoire ', 'EXAM'],
        ['Autres', 'OTHER'],
    ])('%j → %s', (text, service) => {
        expect(line({ ...base, service: text }).service).toBe(service)
    })

    test.each(['Kinésithérapie', 'chirurgie', 'exams'])('%j is unknown → quarantined', (text) => {
        expect(bad({ ...base, service: text }).column).toBe('service')
    })
})

test('configured aliases add to the built-ins (same folding) and may override them', () => {
    const c: NormaliseContext = { ...ctx, channelAliases: { Wave: 'OTHER', 'Paiement Mobile OM': 'ORANGE_MONEY', autre: 'CASH' }, serviceAliases: { 'Kinésithérapie': 'OTHER' } }
    expect(line({ ...base, channel: 'WAVE' }, c).channel).toBe('OTHER')
    expect(line({ ...base, channel: 'paiement mobile om' }, c).channel).toBe('ORANGE_MONEY')
    expect(line({ ...base, channel: 'Autre' }, c).channel).toBe('CASH')
    expect(line({ ...base, channel: 'Espèces' }, c).channel).toBe('CASH')
    expect(line({ ...base, service: 'kinesitherapie' }, c).service).toBe('OTHER')
    // and do not leak into another context
    expect(bad({ ...base, channel: 'Wave' }).column).toBe('channel')
})

describe('type and status', () => {
    test.each([
        ['REFUND', 'REFUND'],
        ['refund', 'REFUND'],
        [' Payment ', 'PAYMENT'],
    ])('type %j → %s', (text, type) => {
        expect(line({ ...base, type: text }).type).toBe(type)
    })
    test.each(['SUCCESS', 'PENDING', 'FAILED', 'EXPIRED', 'CANCELLED', 'REVERSED'])('status %s, any case', (s) => {
        expect(line({ ...base, status: s.toLowerCase() }).status).toBe(s)
    })
    test.each([
        ['type', 'REMBOURSEMENT'],
        ['type', 'REFUNDED'],
        ['status', 'OK'],
        ['status', 'SUCCES'],
    ])('%s %j is quarantined', (col, text) => {
        const e = bad({ ...base, [col]: text })
        expect(e.column).toBe(col)
        expect(e.reason.en).toContain(text)
    })
})

describe('other columns', () => {
    test.each([
        ['line_no', '0'],
        ['line_no', '1.5'],
        ['occurred_at', '2024-02-30'],
        ['occurred_at', '2024-06-15 25:00'],
        ['updated_at', '2024-02-30 10:00'],
        ['amount_xof', '12,5'],
        ['amount_xof', '-100'],
        ['quantity', '-2'],
        ['quantity', '0'],
        ['quantity', 'beaucoup'],
    ])('%s %j is quarantined on that column', (col, text) => {
        const e = bad({ ...base, service: 'PHARMACY', [col]: text })
        expect(e.column).toBe(col)
        expect(e.file).toBe('caisse.csv')
        expect(e.line).toBe(7)
        expect(quarantineEntrySchema.parse(e)).toEqual(e)
    })

    test('unknown columns are ignored', () => {
        expect(line({ ...base, commentaire: 'RAS', '': 'x' })).toEqual(line(base))
    })

    test('a pharmacy line without product fields still counts', () => {
        expect(line({ ...base, service: 'Pharmacie' })).toMatchObject({ service: 'PHARMACY', productCode: null, quantity: null })
    })
})

describe('personal data', () => {
    const personal = {
        payer_msisdn: '+223 76 12 34 56',
        patient_id: 'P-000123',
        cashier_id: 'CAISSE-02',
        receipt_no: 'REC-8812',
        operator_ref: 'OM240302.0915.A1',
    }
    test('never copied to the line', () => {
        const l = line({ ...base, ...personal })
        const text = JSON.stringify(l)
        for (const v of Object.values(personal)) expect(text).not.toContain(v)
    })
    test('never copied to the quarantine entry (raw keeps the canonical non-personal columns)', () => {
        const e = bad({ ...base, ...personal, amount_xof: '12,5', nom_patient: 'Awa Traoré' })
        const text = JSON.stringify(e)
        for (const v of [...Object.values(personal), 'Awa Traoré']) expect(text).not.toContain(v)
        expect(e.raw).toEqual({ ...base, amount_xof: '12,5' })
    })
})

test('the offending value is quoted, truncated to ~60 characters', () => {
    const huge = 'X'.repeat(10_000)
    const e = bad({ ...base, channel: huge })
    expect(e.reason.fr).toContain(`« ${'X'.repeat(59)}… »`)
    expect(e.reason.fr.length).toBeLessThan(400)
    expect(e.reason.en.length).toBeLessThan(400)
    // raw keeps a bounded copy for re-ingestion
    expect(e.raw.channel.length).toBeLessThanOrEqual(500)
})
