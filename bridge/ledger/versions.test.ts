import type { LedgerLine } from '../domain/line'
import { sameContent, supersedes } from './versions'

const v = (updatedAt: string | null, status: LedgerLine['status'] = 'SUCCESS'): LedgerLine => ({
    transactionId: 'T',
    lineNo: 1,
    occurredAt: '2024-03-01T10:00:00.000Z',
    updatedAt,
    facilityCode: 'F',
    channel: 'CASH',
    service: 'EXAM',
    amountXof: 100,
    type: 'PAYMENT',
    status,
    productCode: null,
    productName: null,
    quantity: null,
    unit: null,
})

describe('supersedes(candidate seen later, current)', () => {
    test.each([
        ['later updated_at wins', '2024-03-02T00:00:00.000Z', '2024-03-01T00:00:00.000Z', true],
        ['earlier updated_at loses, although seen later', '2024-03-01T00:00:00.000Z', '2024-03-02T00:00:00.000Z', false],
        ['tie: the one seen later wins', '2024-03-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z', true],
        ['candidate without updated_at: seen later wins', null, '2024-03-02T00:00:00.000Z', true],
        ['current without updated_at: seen later wins', '2024-03-01T00:00:00.000Z', null, true],
        ['neither: seen later wins', null, null, true],
    ])('%s', (_, cand, cur, expected) => {
        expect(supersedes(v(cand, 'PENDING'), v(cur))).toBe(expected)
    })

    test('instants compare as instants, not strings', () => {
        expect(supersedes(v('2024-03-02T00:00:00.500Z'), v('2024-03-02T00:00:00.000Z'))).toBe(true)
        expect(supersedes(v('2024-03-01T23:59:59.999Z'), v('2024-03-02T00:00:00.000Z'))).toBe(false)
    })
})

describe('sameContent', () => {
    test('identical lines', () => {
        expect(sameContent(v(null), v(null))).toBe(true)
    })
    test.each<[keyof LedgerLine, unknown]>([
        ['status', 'PENDING'],
        ['updatedAt', '2024-03-02T00:00:00.000Z'],
        ['amountXof', 0],
        ['occurredAt', '2024-03-01T10:00:00.001Z'],
        ['channel', 'CARD'],
        ['service', 'OTHER'],
        ['facilityCode', 'G'],
        ['type', 'REFUND'],
        ['productCode', 'AMOX500C'],
        ['productName', 'Amoxicilline'],
        ['quantity', 2],
        ['unit', 'gélule'],
    ])('differs in %s', (field, value) => {
        expect(sameContent(v(null), { ...v(null), [field]: value } as LedgerLine)).toBe(false)
    })
})
